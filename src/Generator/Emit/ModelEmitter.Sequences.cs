using System.Collections.Generic;
using System.Linq;
using Unroll.Generator.Model;
using Unroll.Generator.Shapes;
using static Unroll.Generator.Emit.Names;

namespace Unroll.Generator.Emit
{
    // The passes of models with sequence layers (Embedding, SimpleRnn, Lstm, Gru, TimeDistributed Dense). Sequences are
    // time-major in the arenas, (steps, B, features), so one step of a batch is a contiguous block for the GEMMs; the
    // user's inputs stay batch-major, (B, steps, features). Forward and Predict share one private pass, Run, that works on
    // the arena it is given: the training arena (kept for Backward) or the inference arena.
    internal static partial class ModelEmitter
    {
        /// <summary>The parameter the passes take: token ids or floats.</summary>
        private static string InputParameter(ModelPlan plan) =>
            plan.TakesTokens ? "global::System.ReadOnlySpan<int> tokens" : ReadOnlySpan + " inputs";

        private static string InputName(ModelPlan plan) => plan.TakesTokens ? "tokens" : "inputs";

        /// <summary>The rows a layer's kernel sees: the batch, or every step of every sample for a sequence.</summary>
        private static string RowsOf(NodePlan n) => n.Steps > 0 ? "batch * steps" : "batch";

        private static string SeqShape(NodePlan n) =>
            n.Steps > 0 ? "(steps, B, " + Int(n.Width) + ")" : "(B, " + Int(n.Width) + ")";

        /// <summary>Floats of a region of <paramref name="perSample"/> floats per sample, for the run-time batch.</summary>
        private static string Batch(long perSample) => "batch * " + perSample.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Floats of a region of <paramref name="perStep"/> floats per step of every sample, for the run-time batch and
        /// step count (the declared length, or a window of it under truncated BPTT).</summary>
        private static string Steps(long perStep) =>
            "batch * steps" + (perStep == 1 ? "" : " * " + perStep.ToString(System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>(steps + 1) slots of <paramref name="perSlot"/> floats per sample: a recurrent layer's states.</summary>
        private static string Slots(long perSlot) => "batch * (steps + 1) * " + perSlot.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static string Dir(NodePlan n, DirectionPlan d, string what) => Local(n) + what + d.Suffix;

        private static string DDir(NodePlan n, DirectionPlan d, string what) => "d" + Pascal(n) + what + d.Suffix;

        private static string Mask(NodePlan n) => n.Input?.MaskSource is { } source ? Local(source) + "TimeMask" : "default";

        /// <summary>The views of the sequence buffers of every layer in <paramref name="arena"/> (and their mirrors in the gradient arena).</summary>
        private static void DeclareSequenceBuffers(SourceWriter w, ModelPlan plan, string arena, bool gradients)
        {
            // Each view is named as the passes use it: Local(n) + what for the value, "d" + Pascal(n) + what for its gradient.
            void View(NodePlan n, string what, string suffix, int offset, string length, string comment, string? gradientComment)
            {
                if (offset < 0) return;
                w.Line("var " + Local(n) + what + suffix + " = " + Slice(arena, offset, length) + "; // " + comment);
                if (gradients && gradientComment is not null)
                    w.Line("var d" + Pascal(n) + what + suffix + " = " + Slice("_activationGradients", offset, length) + "; // " + gradientComment);
            }

            foreach (NodePlan n in plan.Nodes)
            {
                if (n.IsTokens) continue;
                string floats = n.Steps > 0 ? Steps(n.Width) : Batch(n.Width);
                if (n.PreActivationOffset >= 0)
                    View(n, "Z", "", n.PreActivationOffset, floats, n.Name + " pre-activation " + SeqShape(n), "gradient of " + n.Name + " pre-activation");
                View(n, "", "", n.OutputOffset, floats, n.Name + " output " + SeqShape(n), "gradient of " + n.Name + " output");
                if (n.MaskOffset >= 0)
                    View(n, "Mask", "", n.MaskOffset, floats, n.Name + " dropout mask " + SeqShape(n), null);
                if (n.TimeMaskOffset >= 0)
                    View(n, "TimeMask", "", n.TimeMaskOffset, Steps(1), n.Name + " padding mask (steps, B): 1 = token, 0 = padding", null);
                if (n.FinalStateOffset >= 0)
                    View(n, "FinalState", "", n.FinalStateOffset, Batch(n.Units), n.Name + " final h (B, " + Int(n.Units) + ")", "gradient of " + n.Name + " final h");
                if (n.FinalCellOffset >= 0)
                    View(n, "FinalCell", "", n.FinalCellOffset, Batch(n.Units), n.Name + " final c (B, " + Int(n.Units) + ")", "gradient of " + n.Name + " final c");
                long u = n.Units;
                foreach (DirectionPlan d in n.Directions)
                {
                    string of = n.Name + (d.Bidirectional ? (d.Reverse ? " reverse" : " forward") : "");
                    View(n, "DropoutMask", d.Suffix, d.DropoutMaskOffset, Batch(n.InputWidth), of + " input dropout mask (B, " + Int(n.InputWidth) + ")", null);
                    View(n, "Dropped", d.Suffix, d.DroppedInputOffset, Steps(n.InputWidth), of + " input after dropout (steps, B, " + Int(n.InputWidth) + ")",
                        "gradient of " + of + " input after dropout");
                    View(n, "RecurrentMask", d.Suffix, d.RecurrentMaskOffset, Batch(u), of + " recurrent dropout mask (B, " + Int(n.Units) + ")", null);
                    // The backward's scratch lives in the gradient mirrors of buffers that get no gradient of their own.
                    View(n, "States", d.Suffix, d.StatesOffset, Slots(u), of + " states h, steps + 1 slots of (B, " + Int(n.Units) + ")",
                        n.Kind == LayerKind.SimpleRnn ? "backward scratch: " + of + " pre-activation gradients" : null);
                    View(n, "Cells", d.Suffix, d.CellsOffset, Slots(u), of + " cell states c, steps + 1 slots of (B, " + Int(n.Units) + ")",
                        "backward scratch: " + of + " cell-state carry");
                    View(n, "Gates", d.Suffix, d.GatesOffset, Steps(n.Gates * u), of + " gates (steps, B, " + Int(n.Gates) + " x " + Int(n.Units) + ")",
                        "backward scratch: " + of + " gate pre-activation gradients");
                    View(n, "HiddenN", d.Suffix, d.HiddenNOffset, Steps(u), of + " recurrent part of the new gate (steps, B, " + Int(n.Units) + ")", null);
                    View(n, "Scratch", d.Suffix, d.ScratchOffset, Batch((n.Gates + 1) * u), of + " per-step scratch", "backward scratch: " + of + " state carry");
                    View(n, "Output", d.Suffix, d.OutputOffset, n.Layer.Seq.ReturnSequences ? Steps(u) : Batch(u),
                        of + (n.Layer.Seq.ReturnSequences ? " output sequence (steps, B, " : " final h (B, ") + Int(n.Units) + ")", "gradient of " + of + " output");
                }
            }
        }

        private static string OutputView(ModelPlan plan, string arena, string length) => Slice(arena, plan.Output.OutputOffset, length);

        /// <summary>The output is a sequence: OutputSize spans every step, batch-major for the user, time-major in the arena.</summary>
        private static bool SequenceOutput(ModelPlan plan) => plan.Output.Steps > 0;

        private static bool Truncated(ModelPlan plan) => plan.Spec.BpttWindow > 0;

        /// <summary>The arguments of Run after the arena and the input.</summary>
        private static string RunArguments(ModelPlan plan, string steps, string training) =>
            "batch, " + steps + (Truncated(plan) ? ", carry: 0" : "") + ", " + training;

        /// <summary>The model's outputs, batch-major: for a sequence output, transposed from the arena into <paramref name="target"/>.</summary>
        private static void WriteOutputCopy(SourceWriter w, ModelPlan plan, string arena, string target)
        {
            if (SequenceOutput(plan))
                w.Line(Kernels + "Layers.Sequence_ToBatchMajor(" + target + ", " + OutputView(plan, arena, "batch * OutputSize") + ", batch, Steps, "
                    + Int(plan.Output.Width) + "); // (Steps, B, " + Int(plan.Output.Width) + ") -> (B, Steps, " + Int(plan.Output.Width) + ")");
            else
                w.Line(OutputView(plan, arena, "batch * OutputSize") + ".CopyTo(" + target + ");");
        }

        private static void WriteSequenceForward(SourceWriter w, ModelPlan plan)
        {
            string input = InputName(plan);
            w.Line("/// <summary>The training forward pass: runs the batch in <paramref name=\"" + input + "\"/> (" + (plan.TakesTokens ? "InputSize token ids" : "InputSize floats")
                + " per sample) and keeps every activation for <see cref=\"Backward\"/>. With <paramref name=\"training\"/> false, dropout is the identity.</summary>");
            w.Line("/// <returns>The outputs, OutputSize floats per sample" + (SequenceOutput(plan) ? " (step by step)" : "") + ", valid until the next call.</returns>");
            w.Open("public " + ReadOnlySpan + " Forward(" + InputParameter(plan) + ", bool training = true)");
            w.Line("int batch = BatchOf(" + input + ");");
            w.Line("_batch = batch;");
            w.Line("_steps = Steps;");
            if (Truncated(plan)) w.Line("_start = 0;");
            if (plan.TakesTokens)
            {
                w.Line("tokens.CopyTo(_tokens); // kept for the embedding's backward");
                w.Line("Run(_activations, new global::System.ReadOnlySpan<int>(_tokens, 0, tokens.Length), " + RunArguments(plan, "Steps", "training") + ");");
            }
            else
            {
                w.Line("Run(_activations, inputs, " + RunArguments(plan, "Steps", "training") + ");");
            }
            if (SequenceOutput(plan))
            {
                w.Line("var outputs = new " + Span + "(_outputs, 0, batch * OutputSize);");
                WriteOutputCopy(w, plan, "_activations", "outputs");
                w.Line("return outputs;");
            }
            else
            {
                w.Line("return " + OutputView(plan, "_activations", "batch * OutputSize") + ";");
            }
            w.Close();
            w.Line();
            WriteSequenceRun(w, plan);
        }

        private static void WriteSequencePredict(SourceWriter w, ModelPlan plan)
        {
            string input = InputName(plan);
            w.Line("/// <summary>Inference on a batch: writes OutputSize floats per sample of <paramref name=\"" + input + "\"/> to <paramref name=\"outputs\"/>.");
            w.Line("/// Dropout is the identity. Runs on its own arena, so it leaves the activations of <see cref=\"Forward\"/> alone. Allocates nothing.</summary>");
            w.Open("public void Predict(" + InputParameter(plan) + ", " + Span + " outputs)");
            w.Line("int batch = BatchOf(" + input + ");");
            w.Line("if (outputs.Length != batch * OutputSize)");
            w.Line("    throw new global::System.ArgumentException($\"outputs holds {outputs.Length} floats for a batch of {batch} samples; {batch * OutputSize} ({batch} x {OutputSize}) were expected.\", nameof(outputs));");
            w.Line("Run(_inference, " + input + ", " + RunArguments(plan, "Steps", "training: false") + ");");
            WriteOutputCopy(w, plan, "_inference", "outputs");
            w.Close();
            w.Line();
        }

        /// <summary>Zeroes, for this batch and step count only, the gradients that the loss and the backward kernels write into:
        /// the loss's target (a sequence loss leaves padded rows alone), each layer's input gradient, pre-activation gradients, the
        /// dropped inputs and per-direction outputs of recurrent layers, and states handed to another layer. The mirrors used as
        /// backward scratch (gates, states, cells, carries) are overwritten by their kernels and need no clearing.</summary>
        private static void WriteGradientClears(SourceWriter w, ModelPlan plan)
        {
            var cleared = new List<string> { LossGradientTarget(plan) };
            void Add(string gradient)
            {
                if (!cleared.Contains(gradient)) cleared.Add(gradient);
            }
            foreach (NodePlan n in plan.Nodes.Skip(1))
            {
                bool fused = n == plan.Output && plan.LossForm == LossForm.FusedWithActivation;
                if (n.Input!.Kind != LayerKind.Input && n.Kind != LayerKind.Embedding) Add("d" + Pascal(n.Input));
                if (n.PreActivationOffset >= 0 && !fused) Add("d" + Pascal(n) + "Z");
                foreach (DirectionPlan direction in n.Directions)
                {
                    if (direction.DroppedInputOffset >= 0 && n.Input.Kind != LayerKind.Input) Add(DDir(n, direction, "Dropped"));
                    if (direction.OutputOffset >= 0) Add(DDir(n, direction, "Output"));
                }
                if (n.InitialStateSource is { } source)
                {
                    Add("d" + Pascal(source) + (source.FinalStateOffset >= 0 ? "FinalState" : ""));
                    if (n.Kind == LayerKind.Lstm) Add("d" + Pascal(source) + "FinalCell");
                }
            }
            w.Line("// Zero what the backward accumulates into; its scratch is overwritten by the kernels that use it.");
            foreach (string gradient in cleared)
                w.Line(gradient + ".Clear();");
        }

        /// <summary>The shared forward pass of a sequence model over <c>arena</c>.</summary>
        private static void WriteSequenceRun(SourceWriter w, ModelPlan plan)
        {
            w.Line("/// <summary>The forward pass of " + Int(plan.Nodes.Count - 1) + " layers over <paramref name=\"steps\"/> steps on <paramref name=\"arena\"/>: the training arena,");
            w.Line("/// whose activations <see cref=\"Backward\"/> reads, or the inference arena of <see cref=\"Predict\"/>."
                + (Truncated(plan) ? " With <paramref name=\"carry\"/> above 0 the recurrent layers start from the state they reached after that many steps of the previous window (truncated BPTT), else from their initial state." : "") + "</summary>");
            w.Open("private void Run(float[] arena, " + InputParameter(plan) + ", int batch, int steps, " + (Truncated(plan) ? "int carry, " : "") + "bool training)");
            int body = w.Mark();
            DeclareParameters(w, plan, gradients: false);
            DeclareSequenceBuffers(w, plan, "arena", gradients: false);
            w.Line();
            NodePlan input = plan.Input;
            if (!input.IsTokens)
            {
                if (input.Steps > 0)
                    w.Line(Kernels + "Layers.Sequence_ToTimeMajor(" + Local(input) + ", inputs, batch, steps, " + Int(input.Width) + "); // "
                        + input.Name + ": (B, steps, " + Int(input.Width) + ") -> (steps, B, " + Int(input.Width) + ")");
                else
                    w.Line("inputs.CopyTo(" + Local(input) + ");");
            }
            foreach (NodePlan n in plan.Nodes.Skip(1))
            {
                w.Line("// " + n.Name + ": " + Describe(n));
                string x = Local(n.Input!), y = Local(n);
                switch (n.Kind)
                {
                    case LayerKind.Embedding:
                        w.Line(Kernels + "Layers.Embedding_Forward(" + y + ", tokens, " + ParamLocal(n, n.Weight!, false) + ", batch, steps, "
                            + Int(n.Weight!.Shape[0]) + ", " + Int(n.Width) + ");");
                        if (n.TimeMaskOffset >= 0)
                            w.Line(Kernels + "Layers.Embedding_Mask(" + y + "TimeMask, tokens, batch, steps); // token 0 is padding");
                        break;
                    case LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru:
                        WriteRecurrentForward(w, n, Truncated(plan));
                        break;
                    case LayerKind.Dense:
                        string z = n.PreActivationOffset >= 0 ? y + "Z" : y;
                        w.Line(Kernels + "Layers.Dense_Forward(" + z + ", " + x + ", " + ParamLocal(n, n.Weight!, false) + ", "
                            + (n.Bias is { } b ? ParamLocal(n, b, false) : "default") + ", " + RowsOf(n) + ", " + Int(n.InputWidth) + ", " + Int(n.Width) + ");");
                        if (n.PreActivationOffset >= 0) w.Line(ActivationForward(n, y, z, RowsOf(n)));
                        break;
                    case LayerKind.Activation:
                        w.Line(ActivationForward(n, y, x, RowsOf(n)));
                        break;
                    case LayerKind.Dropout:
                        w.Line("if (training) " + Kernels + "Layers.Dropout_Forward(" + y + ", " + y + "Mask, " + x + ", " + Float(n.Layer.Rate) + ", _random);");
                        w.Line("else { " + x + ".CopyTo(" + y + "); " + y + "Mask.Fill(1f); }");
                        break;
                }
            }
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }

        private static string Weights(NodePlan n, DirectionPlan d, bool gradient) =>
            ParamLocal(n, d.WeightIh, gradient) + ", " + ParamLocal(n, d.WeightHh, gradient) + ", "
            + (d.Bias is { } b ? ParamLocal(n, b, gradient) : "default")
            + (n.Kind == LayerKind.Gru ? ", " + (d.BiasHh is { } bh ? ParamLocal(n, bh, gradient) : "default") : "");

        private static string Sizes(NodePlan n, DirectionPlan d) =>
            "steps, batch, " + Int(n.InputWidth) + ", " + Int(n.Units)
            + (n.Kind == LayerKind.SimpleRnn ? ", relu: " + (n.Layer.Activation == Activation.Relu ? "true" : "false") : "")
            + ", reverse: " + (d.Reverse ? "true" : "false");

        /// <summary>The slot of the states buffer that holds the initial state (read) or the final state (written).</summary>
        private static string Slot(NodePlan n, DirectionPlan d, string buffer, bool final) =>
            buffer + ".Slice(" + ((final != d.Reverse) ? Steps(n.Units) : "0") + ", " + Batch(n.Units) + ")";

        private static void WriteRecurrentForward(SourceWriter w, NodePlan n, bool truncated)
        {
            SequenceSpec seq = n.Layer.Seq;
            string x = Local(n.Input!), y = Local(n);
            bool lstm = n.Kind == LayerKind.Lstm;
            foreach (DirectionPlan d in n.Directions)
            {
                string input = x;
                if (d.DroppedInputOffset >= 0)
                {
                    input = Dir(n, d, "Dropped");
                    w.Line("if (training) " + Kernels + "Layers.Dropout_ForwardSequence(" + input + ", " + Dir(n, d, "DropoutMask") + ", " + x + ", " + Float(seq.Dropout)
                        + ", steps, batch, " + Int(n.InputWidth) + ", _random); // one input mask per sample for every step");
                    w.Line("else { " + x + ".CopyTo(" + input + "); " + Dir(n, d, "DropoutMask") + ".Fill(1f); }");
                }
                string recurrentMask = "default";
                if (d.RecurrentMaskOffset >= 0)
                {
                    recurrentMask = Dir(n, d, "RecurrentMask");
                    w.Line("if (training) " + Kernels + "Layers.Dropout_Mask(" + recurrentMask + ", " + Float(seq.RecurrentDropout) + ", _random); // recurrent dropout, held for every step");
                    w.Line("else " + recurrentMask + ".Fill(1f);");
                }
                string states = Dir(n, d, "States"), cells = Dir(n, d, "Cells");
                if (n.InitialStateSource is { } source)
                {
                    w.Line(Local(source) + (source.FinalStateOffset >= 0 ? "FinalState" : "") + ".CopyTo(" + Slot(n, d, states, final: false) + "); // initial h: " + source.Name + "'s final state");
                    if (lstm) w.Line(Local(source) + "FinalCell.CopyTo(" + Slot(n, d, cells, final: false) + "); // initial c: " + source.Name + "'s final cell state");
                }
                else if (truncated)
                {
                    // Truncated BPTT: the state goes on from the previous window (slot "carry"), without gradient.
                    // The previous window's final slot lies beyond this window's view of the buffer when this window is shorter.
                    w.Line("if (carry > 0) new " + Span + "(arena, " + Int(d.StatesOffset) + " + batch * carry * " + Int(n.Units) + ", " + Batch(n.Units) + ").CopyTo("
                        + Slot(n, d, states, final: false) + "); // h carried over from the previous window");
                    w.Line("else " + Slot(n, d, states, final: false) + ".Clear(); // initial h = 0");
                    if (lstm)
                    {
                        w.Line("if (carry > 0) new " + Span + "(arena, " + Int(d.CellsOffset) + " + batch * carry * " + Int(n.Units) + ", " + Batch(n.Units) + ").CopyTo("
                            + Slot(n, d, cells, final: false) + "); // c carried over");
                        w.Line("else " + Slot(n, d, cells, final: false) + ".Clear(); // initial c = 0");
                    }
                }
                else
                {
                    w.Line(Slot(n, d, states, final: false) + ".Clear(); // initial h = 0");
                    if (lstm) w.Line(Slot(n, d, cells, final: false) + ".Clear(); // initial c = 0");
                }
                string output = !seq.ReturnSequences ? "default" : d.OutputOffset >= 0 ? Dir(n, d, "Output") : y;
                string call = n.Kind switch
                {
                    LayerKind.SimpleRnn => "SimpleRnn_Forward(" + output + ", " + states + ", " + Dir(n, d, "Scratch") + ", ",
                    LayerKind.Lstm => "Lstm_Forward(" + output + ", " + states + ", " + cells + ", " + Dir(n, d, "Gates") + ", " + Dir(n, d, "Scratch") + ", ",
                    _ => "Gru_Forward(" + output + ", " + states + ", " + Dir(n, d, "Gates") + ", " + Dir(n, d, "HiddenN") + ", " + Dir(n, d, "Scratch") + ", ",
                };
                w.Line(Kernels + "Layers." + call + input + ", " + Mask(n) + ", " + recurrentMask + ", " + Weights(n, d, false) + ", " + Sizes(n, d) + ");");
                if (!seq.ReturnSequences)
                    w.Line(Slot(n, d, states, final: true) + ".CopyTo(" + (d.OutputOffset >= 0 ? Dir(n, d, "Output") : y) + "); // the last output is the final h");
                if (n.FinalStateOffset >= 0)
                    w.Line(Slot(n, d, states, final: true) + ".CopyTo(" + y + "FinalState); // ReturnState: final h");
                if (n.FinalCellOffset >= 0)
                    w.Line(Slot(n, d, cells, final: true) + ".CopyTo(" + y + "FinalCell); // ReturnState: final c");
            }
            if (seq.Bidirectional)
            {
                DirectionPlan f = n.Directions[0], r = n.Directions[1];
                w.Line(Kernels + "Layers.Merge_Forward(" + y + ", " + Dir(n, f, "Output") + ", " + Dir(n, r, "Output") + ", " + RowsOf(n) + ", " + Int(n.Units)
                    + ", global::Unroll.MergeMode." + seq.Merge + "); // merge forward and reverse");
            }
        }

        /// <summary>The backward of one sequence-model layer (the caller writes the loss and walks the layers in reverse).</summary>
        private static void WriteSequenceBackwardLayer(SourceWriter w, ModelPlan plan, NodePlan n, bool fused)
        {
            NodePlan input = n.Input!;
            bool wantsInputGradient = input.Kind != LayerKind.Input;
            string dy = "d" + Pascal(n), dx = "d" + Pascal(input), x = Local(input), y = Local(n);
            switch (n.Kind)
            {
                case LayerKind.Embedding:
                    w.Line(Kernels + "Layers.Embedding_Backward(" + ParamLocal(n, n.Weight!, true) + ", " + dy + ", tokens, batch, steps, "
                        + Int(n.Weight!.Shape[0]) + ", " + Int(n.Width) + ");");
                    break;
                case LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru:
                    WriteRecurrentBackward(w, n, wantsInputGradient);
                    break;
                case LayerKind.Dense:
                    string dz = dy;
                    if (n.PreActivationOffset >= 0)
                    {
                        dz = dy + "Z";
                        if (!fused) w.Line(ActivationBackward(n, dz, dy, y + "Z", y, RowsOf(n)));
                    }
                    w.Line(Kernels + "Layers.Dense_Backward(" + (wantsInputGradient ? dx : "default") + ", " + ParamLocal(n, n.Weight!, true) + ", "
                        + (n.Bias is { } b ? ParamLocal(n, b, true) : "default") + ", " + dz + ", " + x + ", " + ParamLocal(n, n.Weight!, false)
                        + ", " + RowsOf(n) + ", " + Int(n.InputWidth) + ", " + Int(n.Width) + ");");
                    break;
                case LayerKind.Activation:
                    if (!fused && (wantsInputGradient || n.Activation == Activation.PRelu))
                        w.Line(ActivationBackward(n, dx, dy, x, y, RowsOf(n)));
                    break;
                case LayerKind.Dropout:
                    if (wantsInputGradient)
                        w.Line(Kernels + "Layers.Dropout_Backward(" + dx + ", " + dy + ", " + y + "Mask);");
                    break;
            }
        }

        private static void WriteRecurrentBackward(SourceWriter w, NodePlan n, bool wantsInputGradient)
        {
            SequenceSpec seq = n.Layer.Seq;
            string dy = "d" + Pascal(n), x = Local(n.Input!), dx = "d" + Pascal(n.Input!);
            if (seq.Bidirectional)
            {
                DirectionPlan f = n.Directions[0], r = n.Directions[1];
                w.Line(Kernels + "Layers.Merge_Backward(" + DDir(n, f, "Output") + ", " + DDir(n, r, "Output") + ", " + dy + ", " + Dir(n, f, "Output") + ", "
                    + Dir(n, r, "Output") + ", " + RowsOf(n) + ", " + Int(n.Units) + ", global::Unroll.MergeMode." + seq.Merge + "); // split the merged gradient");
            }
            foreach (DirectionPlan d in n.Directions.AsEnumerable().Reverse())
            {
                bool dropped = d.DroppedInputOffset >= 0;
                string input = dropped ? Dir(n, d, "Dropped") : x;
                string inputGradient = !wantsInputGradient ? "default" : dropped ? DDir(n, d, "Dropped") : dx;
                string sequenceGradient = !seq.ReturnSequences ? "default" : d.OutputOffset >= 0 ? DDir(n, d, "Output") : dy;
                string finalGradient = d.OutputOffset >= 0 && !seq.ReturnSequences ? DDir(n, d, "Output")
                    : !seq.ReturnSequences ? dy
                    : n.FinalStateOffset >= 0 ? "d" + Pascal(n) + "FinalState" : "default";
                string initialGradient = "default", initialCellGradient = "default";
                if (n.InitialStateSource is { } source)
                {
                    initialGradient = "d" + Pascal(source) + (source.FinalStateOffset >= 0 ? "FinalState" : "");
                    initialCellGradient = "d" + Pascal(source) + "FinalCell";
                }
                string recurrentMask = d.RecurrentMaskOffset >= 0 ? Dir(n, d, "RecurrentMask") : "default";
                // Every backward kernel keeps its state-gradient carry in two (B, units) rows.
                string carry = DDir(n, d, "Scratch") + ".Slice(0, " + Batch(2L * n.Units) + ")";
                string shared = input + ", " + Mask(n) + ", " + recurrentMask + ", " + ParamLocal(n, d.WeightIh, false) + ", " + ParamLocal(n, d.WeightHh, false) + ", " + Dir(n, d, "States");
                string gradients = inputGradient + ", " + Weights(n, d, true);
                string call = n.Kind switch
                {
                    LayerKind.SimpleRnn => "SimpleRnn_Backward(" + gradients + ", " + initialGradient + ", " + DDir(n, d, "States") + ".Slice(0, " + Steps(n.Units) + "), "
                        + carry + ", " + sequenceGradient + ", " + finalGradient + ", " + shared,
                    LayerKind.Lstm => "Lstm_Backward(" + gradients + ", " + initialGradient + ", " + (n.InitialStateSource is null ? "default" : initialCellGradient) + ", "
                        + DDir(n, d, "Gates") + ", " + carry + ", " + DDir(n, d, "Cells") + ".Slice(0, " + Batch(n.Units) + "), " + sequenceGradient + ", " + finalGradient + ", "
                        + (n.FinalCellOffset >= 0 ? "d" + Pascal(n) + "FinalCell" : "default") + ", " + shared + ", " + Dir(n, d, "Cells") + ", " + Dir(n, d, "Gates"),
                    _ => "Gru_Backward(" + gradients + ", " + initialGradient + ", " + DDir(n, d, "Gates") + ", " + carry + ", " + sequenceGradient + ", " + finalGradient + ", "
                        + shared + ", " + Dir(n, d, "Gates") + ", " + Dir(n, d, "HiddenN"),
                };
                w.Line(Kernels + "Layers." + call + ", " + Sizes(n, d) + ");");
                if (dropped && wantsInputGradient)
                    w.Line(Kernels + "Layers.Dropout_BackwardSequence(" + dx + ", " + DDir(n, d, "Dropped") + ", " + Dir(n, d, "DropoutMask") + ", steps, batch, " + Int(n.InputWidth) + ");");
            }
        }
        /// <summary>The mean loss of a sequence output over the window [start, start + steps) of every sample, leaving out padded steps,
        /// with the gradient written to <c>gradient</c> (empty: loss only). Backward and EvaluateBatch share it.</summary>
        private static void WriteSequenceLoss(SourceWriter w, ModelPlan plan)
        {
            NodePlan output = plan.Output;
            bool labels = plan.UsesLabels;
            int width = output.Width, targetWidth = labels ? 1 : width;
            string element = labels ? "int" : "float";
            string targetType = labels ? "global::System.ReadOnlySpan<int> labels" : ReadOnlySpan + " targets";
            NodePlan? maskSource = output.MaskSource;
            w.Line("/// <summary>" + ModelChecker.LossName(plan.Spec.Loss) + " over the steps [start, start + steps) of every sample" + (maskSource is null ? "" : " that are not padding")
                + ", as a mean over those steps (PyTorch's mean with ignored padding; Keras' masked loss). Writes the gradient unless <paramref name=\"gradient\"/> is empty.</summary>");
            w.Open("private float SequenceLoss(float[] arena, " + targetType + ", int batch, int start, int steps, " + Span + " gradient)");
            w.Line("var output = " + Slice("arena", output.OutputOffset, Steps(width)) + "; // " + output.Name + " output (steps, B, " + Int(width) + ")");
            w.Line("var stepTargets = new global::System.Span<" + element + ">(_stepTargets, 0, " + Steps(targetWidth) + "); // the window's " + (labels ? "labels" : "targets") + ", time-major");
            w.Line(Kernels + "Layers.Sequence_WindowToTimeMajor<" + element + ">(stepTargets, " + (labels ? "labels" : "targets") + ", batch, Steps, start, steps, " + Int(targetWidth) + ");");
            if (maskSource is null)
            {
                w.Line("return " + LossCall(plan, "gradient", "output", "stepTargets", "batch * steps") + ";");
                w.Close();
                w.Line();
                return;
            }
            w.Line("// Only the steps that are not padding count: gather their rows, take the loss, scatter the gradient back.");
            w.Line("var mask = " + Slice("arena", maskSource.TimeMaskOffset, Steps(1)) + "; // " + maskSource.Name + " padding mask (steps, B)");
            w.Line("var outputRows = new " + Span + "(_stepOutputs, 0, " + Steps(width) + ");");
            w.Line("var targetRows = new global::System.Span<" + element + ">(_stepTargetRows, 0, " + Steps(targetWidth) + ");");
            w.Line("var gradientRows = new " + Span + "(_stepGradients, 0, " + Steps(width) + ");");
            w.Line("int rows = " + Kernels + "Layers.Sequence_GatherRows<float>(outputRows, output, mask, " + Int(width) + ");");
            w.Line("if (rows == 0) return 0f; // every step of the window is padding: no loss, no gradient");
            w.Line(Kernels + "Layers.Sequence_GatherRows<" + element + ">(targetRows, stepTargets, mask, " + Int(targetWidth) + ");");
            w.Line("float loss = " + LossCall(plan, "gradient.IsEmpty ? default : gradientRows.Slice(0, rows * " + Int(width) + ")", "outputRows.Slice(0, rows * " + Int(width) + ")",
                "targetRows.Slice(0, rows" + (targetWidth == 1 ? "" : " * " + Int(targetWidth)) + ")", "rows") + ";");
            w.Line("if (!gradient.IsEmpty) " + Kernels + "Layers.Sequence_ScatterRows(gradient, gradientRows, mask, " + Int(width) + ");");
            w.Line("return loss;");
            w.Close();
            w.Line();
        }

        /// <summary>TrainStep under truncated BPTT: the sequence in windows of BpttWindow steps, each with its own forward, backward
        /// and update; the recurrent state runs on from window to window, but no gradient flows back across a window's start.</summary>
        private static void WriteTruncatedTrainStep(SourceWriter w, ModelPlan plan)
        {
            string input = InputName(plan);
            w.Line("/// <summary>One training step on a batch with truncated backpropagation through time: the " + Int(plan.Input.Steps) + " steps run in windows of "
                + Int(plan.Spec.BpttWindow) + ", each with its own forward, backward and optimizer update (" + Int((plan.Input.Steps + plan.Spec.BpttWindow - 1) / plan.Spec.BpttWindow)
                + " updates); the recurrent state carries over from window to window without gradient. Allocates nothing.");
            w.Line("/// If a window's loss is not finite, throws before that window's update.</summary>");
            w.Line("/// <returns>The mean of the windows' losses, each taken before its update.</returns>");
            w.Open("public float TrainStep(" + InputParameter(plan) + ", " + TargetParameter(plan) + ")");
            w.Line("int batch = BatchOf(" + input + ");");
            w.Line("_batch = batch;");
            WriteTargetCheck(w, plan);
            // A later window's NaN would otherwise fail the step after earlier windows had updated the weights.
            foreach (string? values in new[] { plan.TakesTokens ? null : "inputs", plan.UsesLabels ? null : "targets" })
            {
                if (values is null) continue;
                string size = values == "inputs" ? "InputSize" : "OutputSize";
                string bad = values == "inputs" ? "badInput" : "badTarget";
                w.Line("if (" + Kernels + "Layers.IndexOfNonFinite(" + values + ") is int " + bad + " and >= 0)");
                w.Line("    throw new global::System.ArgumentException($\"" + values + " holds {" + values + "[" + bad + "]} at sample {" + bad + " / " + size
                    + "}, position {" + bad + " % " + size + "}; a truncated-BPTT step checks the whole batch before its first update, so nothing was changed.\", nameof(" + values + "));");
            }
            w.Line("float total = 0f;");
            w.Line("int windows = 0;");
            w.Open("for (int start = 0; start < Steps; start += BpttWindow)");
            w.Line("int steps = global::System.Math.Min(BpttWindow, Steps - start);");
            w.Line("_start = start;");
            w.Line("_steps = steps;");
            if (plan.TakesTokens)
            {
                w.Line("var window = new global::System.Span<int>(_tokens, 0, batch * steps); // kept for the embedding's backward");
                w.Line(Kernels + "Layers.Sequence_Window<int>(window, tokens, batch, Steps, start, steps, 1);");
            }
            else
            {
                int features = plan.Input.Width;
                w.Line("var window = new " + Span + "(_windowInputs, 0, batch * steps * " + Int(features) + ");");
                w.Line(Kernels + "Layers.Sequence_Window<float>(window, inputs, batch, Steps, start, steps, " + Int(features) + ");");
            }
            w.Line("Run(_activations, window, batch, steps, carry: start == 0 ? 0 : BpttWindow, training: true);");
            w.Line("float loss = Backward(" + TargetName(plan) + ");");
            w.Line("if (!float.IsFinite(loss))");
            w.Line("    throw new global::System.InvalidOperationException($\"The loss is {loss} in the window of steps [{start}, {start + steps}) at step {_step + 1} (batch of {batch} samples), so the parameters were not updated. Look for NaN or infinite inputs or targets, or lower the learning rate (now {LearningRate}).\");");
            w.Line("ApplyGradients();");
            w.Line("total += loss;");
            w.Line("windows++;");
            w.Close();
            w.Line("return total / windows;");
            w.Close();
            w.Line();
        }
    }
}
