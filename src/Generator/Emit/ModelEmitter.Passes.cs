using System.Collections.Generic;
using System.Linq;
using Unroll.Generator.Graph;
using Unroll.Generator.Layers;
using Unroll.Generator.Planning;
using static Unroll.Generator.Emit.Names;

namespace Unroll.Generator.Emit
{
    // The forward passes: Forward (training arena, kept for Backward), Predict (inference arena) and, under truncated BPTT, the
    // windowed pass Run. Each declares the views it may use up front, then walks the nodes in order, asking each node's layer
    // for its code; unused views are dropped afterwards.
    internal static partial class ModelEmitter
    {
        /// <summary>How one generated method names the values and gradients of the plan's buffers.</summary>
        private sealed class Naming : EmitContext.INaming
        {
            private readonly ModelPlan _plan;
            private readonly Pass _pass;

            public Naming(ModelPlan plan, Pass pass)
            {
                _plan = plan;
                _pass = pass;
            }

            public string Value(Node node)
            {
                if (node.Output is { } b) return Value(b);
                // Token ids: the caller's span in a forward pass, the copy kept for backward (declared under the same name) otherwise.
                return _plan.Inputs.First(i => i.Node == node).Parameter;
            }

            public string Value(BufferPlan b)
            {
                if (_pass == Pass.Inference)
                {
                    // A layer that is the identity at inference (Dropout) is its input's buffer under its input's name.
                    if (b.InferenceAlias is { } alias && !b.Node.Layer.IsView(b.Node)) return Value(alias);
                    BufferPlan root = b.Root(inference: true);
                    if (ModelPlanner.InferenceOnCallerSpan(_plan, root)) return CallerSpan(_plan, root.Node);
                }
                return Names.Value(b);
            }

            public string Gradient(BufferPlan b) => Names.Gradient(b);

            /// <summary>A model input's gradient, and that of a view of its floats (a Flatten straight after it), is only computed when
            /// the caller asks for it.</summary>
            public bool GradientOptional(Node node) => CallerGradient(_plan, node) is not null;

            public string Slice(BufferPlan b, string start, string length) =>
                "new " + Span + "(_activations, " + Int(b.Root(inference: false).Offset) + " + " + start + ", " + length + ")";
        }

        /// <summary>The float input whose gradient a node's output gradient is (the input itself, or a view of its floats), or null.</summary>
        private static InputPlan? CallerGradient(ModelPlan plan, Node node)
        {
            if (node.Output is not { } b) return null;
            Node root = b.Root(inference: false).Node;
            return root.IsModelInput ? plan.Inputs.FirstOrDefault(i => i.Node == root && !i.IsTokens) : null;
        }

        /// <summary>The caller's span that holds a node at inference: an input's, or an output's.</summary>
        private static string CallerSpan(ModelPlan plan, Node node) =>
            node.IsModelInput ? plan.Inputs.First(i => i.Node == node).Parameter : plan.Outputs.First(o => o.Node == node).OutputName;

        private static EmitContext Context(SourceWriter w, ModelPlan plan, Node node, Pass pass, bool fused = false) =>
            new(w, node, pass, fused, plan.Truncated, new Naming(plan, pass));

        /// <summary>Where a method gets the run-time length of the time axis truncated BPTT windows.</summary>
        private enum WindowSteps
        {
            /// <summary>The whole declared length (Predict, and any model without windows).</summary>
            Declared,
            /// <summary>The length of the last forward pass, from <c>_steps</c> (Backward).</summary>
            Field,
            /// <summary>A parameter of the method (Run, ClearGradients, Propagate).</summary>
            Parameter,
        }

        /// <summary>"int steps = Steps;" for each time axis whose length the method does not take as a parameter.</summary>
        private static void DeclareSteps(SourceWriter w, ModelPlan plan, WindowSteps window)
        {
            foreach (TimeAxis axis in plan.TimeAxes)
            {
                if (plan.Truncated && axis.Source == plan.Input.Node.Name && window != WindowSteps.Declared)
                {
                    if (window == WindowSteps.Field) w.Line("int " + axis.Var + " = _steps;");
                    continue;
                }
                InputPlan? input = plan.Inputs.FirstOrDefault(i => i.Node.Name == axis.Source);
                w.Line("int " + axis.Var + " = " + (input is not null ? StepsConstant(plan, input) : Int(axis.Length)) + "; // steps of " + axis.Source);
            }
        }

        /// <summary>The parameter views (and, in backward, their gradients).</summary>
        private static void DeclareParameters(SourceWriter w, ModelPlan plan, bool gradients)
        {
            foreach (Node n in plan.WithParameters)
                foreach (TensorPlan t in n.Tensors)
                {
                    w.Line("var " + ParamLocal(n, t.Name, false) + " = " + ParameterSlice(t.Offset, Int(t.Length)) + "; // " + n.Name + "." + t.Name + " " + Shape(t.Shape));
                    if (gradients)
                        w.Line("var " + ParamLocal(n, t.Name, true) + " = " + Slice("_gradients", t.Offset, Int(t.Length)) + "; // gradient of " + n.Name + "." + t.Name);
                }
        }

        private static string Slice(string array, int offset, string length) => "new " + Span + "(" + array + ", " + Int(offset) + ", " + length + ")";

        /// <summary>A view of the parameters: their array holds them from _parametersStart, a 64-byte boundary.</summary>
        private static string ParameterSlice(int offset, string length) => "new " + Span + "(_parameters, _parametersStart + " + Int(offset) + ", " + length + ")";

        /// <summary>The views of every buffer in the pass's arena (and, in backward, of their gradients and the kept token ids).</summary>
        private static void DeclareBuffers(SourceWriter w, ModelPlan plan, Pass pass)
        {
            bool inference = pass == Pass.Inference;
            string arena = inference ? "inference" : "_activations";
            foreach (Node n in plan.Nodes)
            {
                if (pass == Pass.Backward && n.Shape.IsTokens)
                {
                    InputPlan input = plan.Inputs.First(i => i.Node == n);
                    w.Line("var " + input.Parameter + " = new " + TokensType + "(" + input.TokensField + ", 0, batch * " + n.Shape.Time!.Var + "); // the token ids of the forward pass");
                }
                foreach (BufferPlan b in n.Buffers)
                {
                    if (inference && (b.Inference == InferenceUse.None || ModelPlanner.InferenceOnCallerSpan(plan, b.Root(inference: true))
                        || (b.InferenceAlias is not null && !n.Layer.IsView(n)))) continue;
                    int offset = inference ? b.Root(inference: true).InferenceOffset : b.Root(inference: false).Offset;
                    w.Line("var " + Names.Value(b) + " = " + Slice(arena, offset, b.Length(inference)) + "; // " + (inference && b.InferenceRows is not null ? b.InferenceComment : b.Comment));
                    if (pass != Pass.Backward || b.GradientComment is null || !n.NeedsGradient) continue;
                    string gradient = Slice("_activationGradients", offset, b.Length());
                    if (b.Suffix == "" && CallerGradient(plan, n) is { } input)
                    {
                        w.Line("var " + Names.Gradient(b) + " = " + input.GradientParameter + ".IsEmpty ? default : " + gradient + "; // gradient of " + n.Name
                            + (n.IsModelInput ? "" : " (the floats of " + input.Node.Name + ")") + ", when the caller asks for it");
                    }
                    else
                    {
                        w.Line("var " + Names.Gradient(b) + " = " + gradient + "; // " + b.GradientComment);
                    }
                }
            }
        }

        /// <summary>A node's forward or inference code: the caller's inputs brought in, combined padding masks, then its layer's.</summary>
        private static void WriteNode(SourceWriter w, ModelPlan plan, Node n, Pass pass)
        {
            EmitContext e = Context(w, plan, n, pass);
            if (n.IsModelInput)
            {
                WriteInputIn(w, plan, plan.Inputs.First(i => i.Node == n), e, pass);
                return;
            }
            bool identity = pass == Pass.Inference && n.Layer.IsIdentityAtInference(n);
            bool view = n.Layer.IsView(n) && e.Aliased;
            w.Line("// " + n.Name + ": " + n.Layer.Describe(n) + (n.IsShared ? " (the weights of " + n.Owner.Name + ")" : "")
                + (identity ? " (the identity at inference)" : view ? " (a view of the same floats)" : ""));
            if (n.MaskSources.Count > 0)
            {
                string mask = e.Value(n.Mask!);
                w.Line("global::System.Numerics.Tensors.TensorPrimitives.Multiply(" + e.Value(n.MaskSources[0]) + ", " + e.Value(n.MaskSources[1]) + ", " + mask
                    + "); // a step is padding if it is padding in any input");
                for (int i = 2; i < n.MaskSources.Count; i++)
                    w.Line("global::System.Numerics.Tensors.TensorPrimitives.Multiply(" + mask + ", " + e.Value(n.MaskSources[i]) + ", " + mask + ");");
            }
            if (pass == Pass.Inference) n.Layer.Inference(e);
            else n.Layer.Forward(e);
        }

        /// <summary>The caller's values into the arena: a copy, or a transpose to time-major; token ids are kept for backward.</summary>
        private static void WriteInputIn(SourceWriter w, ModelPlan plan, InputPlan input, EmitContext e, Pass pass)
        {
            Shape s = input.Node.Shape;
            if (input.IsTokens)
            {
                if (pass == Pass.Forward && !plan.Truncated)
                    w.Line(input.Parameter + ".CopyTo(" + input.TokensField + "); // " + input.Node.Name + ": kept for the embedding's backward");
                return;
            }
            if (s.IsSequence)
                w.Line(Kernels + "Layers.Sequence_ToTimeMajor(" + e.Y + ", " + input.Parameter + ", batch, " + s.Time!.Var + ", " + Int(s.Features) + "); // "
                    + input.Node.Name + ": (B, steps, " + Int(s.Features) + ") -> (steps, B, " + Int(s.Features) + ")");
            else if (pass != Pass.Inference)
                w.Line(input.Parameter + ".CopyTo(" + e.Y + ");");
        }

        /// <summary>Every float input must be finite: NaN or infinity in a training batch would reach the weights while the loss may
        /// stay finite. The check names the sample, step and feature, and runs before anything changes.</summary>
        private static void WriteFiniteInputChecks(SourceWriter w, ModelPlan plan)
        {
            foreach (InputPlan input in plan.Inputs.Where(i => !i.IsTokens))
            {
                Shape s = input.Node.Shape;
                string steps = s.IsSequence ? StepsConstant(plan, input) : "1";
                string features = s.IsSequence ? Int(s.Features) : input.SizeConstant;
                w.Line(Kernels + "ValueChecks.Finite(" + input.Parameter + ", " + steps + ", " + features + ", nameof(" + input.Parameter + "));");
            }
        }

        /// <summary>"int batch = BatchOf(inputs);" and, with several inputs, the check that they agree.</summary>
        private static void WriteBatch(SourceWriter w, ModelPlan plan)
        {
            InputPlan first = plan.Input;
            w.Line("int batch = BatchOf(" + first.Parameter + ", " + first.SizeConstant + ", nameof(" + first.Parameter + "));");
            foreach (InputPlan other in plan.Inputs.Skip(1))
                w.Line("SameBatch(BatchOf(" + other.Parameter + ", " + other.SizeConstant + ", nameof(" + other.Parameter + ")), batch, nameof(" + other.Parameter + "), nameof(" + first.Parameter + "));");
        }

        private static void WriteForward(SourceWriter w, ModelPlan plan)
        {
            string names = string.Join(", ", plan.Inputs.Select(i => "<paramref name=\"" + i.Parameter + "\"/>"));
            w.Line("/// <summary>The training forward pass: runs the batch in " + names + " and keeps every activation for <see cref=\"Backward\"/>.");
            w.Line("/// With <paramref name=\"training\"/> false, dropout is the identity.</summary>");
            w.Line(plan.SingleOutput
                ? "/// <returns>The outputs, OutputSize floats per sample" + (plan.Output.IsSequence ? " (step by step)" : "") + ", valid until the next call.</returns>"
                : "/// <returns>Each output's values, batch-major, valid until the next call.</returns>");
            string returns = plan.SingleOutput ? ReadOnlySpan : "Outputs";
            w.Line(SingleThreadedRemark);
            w.Open("public " + returns + " Forward(" + InputParameters(plan) + ", bool training = true)");
            w.Line("using var trainingScope = _guard.Enter(nameof(Forward)); // single-threaded: a second thread throws instead of corrupting the model");
            int body = w.Mark();
            WriteBatch(w, plan);
            WriteFiniteInputChecks(w, plan);
            w.Line("_batch = batch;");
            if (plan.Truncated)
            {
                w.Line("_steps = Steps;");
                w.Line("_start = 0;");
                DeclareSteps(w, plan, WindowSteps.Field);
                if (plan.Input.IsTokens)
                {
                    w.Line("tokens.CopyTo(_tokens); // kept for the embedding's backward");
                    w.Line("Run(new " + TokensType + "(_tokens, 0, tokens.Length), batch, steps, carry: 0, training);");
                }
                else
                {
                    w.Line("Run(inputs, batch, steps, carry: 0, training);");
                }
            }
            else
            {
                DeclareSteps(w, plan, WindowSteps.Declared);
                DeclareParameters(w, plan, gradients: false);
                DeclareBuffers(w, plan, Pass.Forward);
                w.Line();
                foreach (Node n in plan.Nodes) WriteNode(w, plan, n, Pass.Forward);
            }
            WriteForwardReturn(w, plan);
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
            if (plan.Truncated) WriteRun(w, plan);
        }

        /// <summary>Returns the training outputs, batch-major (a sequence output transposed into its field).</summary>
        private static void WriteForwardReturn(SourceWriter w, ModelPlan plan)
        {
            var returned = new List<string>();
            foreach (OutputPlan o in plan.Outputs)
            {
                Node n = o.Node;
                BufferPlan b = n.Output!.Root(inference: false);
                string view = plan.Truncated ? Slice("_activations", b.Offset, "batch * " + o.SizeConstant) : Names.Value(n.Output!);
                if (!o.IsSequence)
                {
                    returned.Add(view);
                    continue;
                }
                string local = plan.SingleOutput ? "outputs" : n.Local + "Outputs";
                w.Line("var " + local + " = new " + Span + "(" + GeneratedMembers.OutputField(plan, o, "outputs") + ", 0, batch * " + o.SizeConstant + ");");
                w.Line(Kernels + "Layers.Sequence_ToBatchMajor(" + local + ", " + view + ", batch, "
                    + n.Shape.Time!.Var + ", " + Int(n.Shape.Features) + "); // " + n.Name + ": (steps, B, " + Int(n.Shape.Features) + ") -> (B, steps, " + Int(n.Shape.Features) + ")");
                returned.Add(local);
            }
            w.Line(plan.SingleOutput ? "return " + returned[0] + ";" : "return new Outputs(" + string.Join(", ", returned) + ");");
        }

        /// <summary>The windowed training pass of truncated BPTT.</summary>
        private static void WriteRun(SourceWriter w, ModelPlan plan)
        {
            InputPlan input = plan.Input;
            w.Line("/// <summary>The training forward pass over <paramref name=\"steps\"/> steps (the whole sequence, or a window of it). With <paramref name=\"carry\"/>");
            w.Line("/// above 0 the recurrent layers start from the state they reached after that many steps of the previous window (truncated BPTT),");
            w.Line("/// else from their initial state.</summary>");
            w.Open("private void Run(" + InputType(input) + " " + input.Parameter + ", int batch, int steps, int carry, bool training)");
            int body = w.Mark();
            DeclareSteps(w, plan, WindowSteps.Parameter);
            DeclareParameters(w, plan, gradients: false);
            DeclareBuffers(w, plan, Pass.Forward);
            w.Line();
            foreach (Node n in plan.Nodes) WriteNode(w, plan, n, Pass.Forward);
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }

        private static void WritePredict(SourceWriter w, ModelPlan plan)
        {
            string names = string.Join(", ", plan.Inputs.Select(i => "<paramref name=\"" + i.Parameter + "\"/>"));
            w.Line("/// <summary>Inference on any number of samples (run in chunks of MaxBatch): writes " + (plan.SingleOutput ? "OutputSize floats per sample" : "each output's floats") + " of " + names + " to "
                + string.Join(", ", plan.Outputs.Select(o => "<paramref name=\"" + o.OutputName + "\"/>")) + ".");
            w.Line("/// Dropout is the identity; no activation is kept for backward, and the training activations are left alone. Allocates nothing.</summary>");
            w.Line("/// <remarks>Thread-safe: one instance serves any number of threads at once, each with its own inference arena (allocated on its first call),");
            w.Line("/// as long as no thread changes the weights meanwhile (training, Load).</remarks>");
            string outputParameters = string.Join(", ", plan.Outputs.Select(o => Span + " " + o.OutputName));
            w.Open("public void Predict(" + InputParameters(plan) + ", " + outputParameters + ")");
            InputPlan first = plan.Input;
            w.Line("int count = SamplesOf(" + first.Parameter + ", " + first.SizeConstant + ", nameof(" + first.Parameter + "));");
            foreach (InputPlan other in plan.Inputs.Skip(1))
                w.Line("SameBatch(SamplesOf(" + other.Parameter + ", " + other.SizeConstant + ", nameof(" + other.Parameter + ")), count, nameof(" + other.Parameter + "), nameof(" + first.Parameter + "));");
            foreach (OutputPlan o in plan.Outputs)
            {
                w.Line("if (" + o.OutputName + ".Length != count * " + o.SizeConstant + ")");
                w.Line("    throw new global::System.ArgumentException($\"" + o.OutputName + " holds {" + o.OutputName + ".Length} floats for {count} samples; {count * "
                    + o.SizeConstant + "} ({count} x {" + o.SizeConstant + "}) were expected.\", nameof(" + o.OutputName + "));");
            }
            w.Open("for (int start = 0; start < count; start += MaxBatch)");
            w.Line("int n = global::System.Math.Min(MaxBatch, count - start);");
            if (SplitsBatches(plan))
            {
                OutputPlan output = plan.Outputs[0];
                if (first.IsTokens)
                    w.Line(Kernels + "Layers.Embedding_CheckTokens(" + first.Parameter + ".Slice(start * " + first.SizeConstant + ", n * " + first.SizeConstant + "), n, "
                        + first.SizeConstant + ", " + Int(first.Node.Shape.Vocabulary) + "); // every id before any part writes");
                w.Line("// Each batch in parts of its samples across the worker threads, split alike for any thread count (the same bits).");
                w.Line(Kernels + "BatchSplit.Predict(this, " + first.Parameter + ".Slice(start * " + first.SizeConstant + ", n * " + first.SizeConstant + "), "
                    + first.SizeConstant + ", " + output.OutputName + ".Slice(start * " + output.SizeConstant + ", n * " + output.SizeConstant + "), "
                    + output.SizeConstant + ", ParameterCount);");
            }
            else
            {
                w.Line("PredictBatch(" + string.Join(", ", plan.Inputs.Select(i => i.Parameter + ".Slice(start * " + i.SizeConstant + ", n * " + i.SizeConstant + ")")
                    .Concat(plan.Outputs.Select(o => o.OutputName + ".Slice(start * " + o.SizeConstant + ", n * " + o.SizeConstant + ")"))) + ");");
            }
            w.Close();
            w.Close();
            w.Line();
            if (SplitsBatches(plan))
            {
                w.Line("/// <summary>Inference on one part of a batch, on this thread (<see cref=\"global::Unroll.Kernels.BatchSplit\"/>).</summary>");
                w.Line("void global::Unroll.Kernels.IPredictRows<" + InputElement(plan) + ">.PredictRows(global::System.ReadOnlySpan<" + InputElement(plan) + "> inputs, " + Span
                    + " outputs) => PredictBatch(inputs, outputs);");
                w.Line();
            }
            if (plan.SingleOutput)
            {
                w.Line("/// <summary>Inference on any number of samples of " + names + ", into a new array of OutputSize floats per sample (Keras <c>predict</c>).</summary>");
                w.Open("public float[] Predict(" + InputParameters(plan) + ")");
                w.Line("var outputs = new float[SamplesOf(" + first.Parameter + ", " + first.SizeConstant + ", nameof(" + first.Parameter + ")) * OutputSize];");
                w.Line("Predict(" + InputArguments(plan) + ", outputs);");
                w.Line("return outputs;");
                w.Close();
                w.Line();
            }
            w.Line("/// <summary>Inference on one batch of at most MaxBatch samples, in this thread's inference arena.</summary>");
            w.Open("private void PredictBatch(" + InputParameters(plan) + ", " + outputParameters + ")");
            int body = w.Mark();
            WriteBatch(w, plan);
            foreach (OutputPlan o in plan.Outputs)
            {
                w.Line("if (" + o.OutputName + ".Length != batch * " + o.SizeConstant + ")");
                w.Line("    throw new global::System.ArgumentException($\"" + o.OutputName + " holds {" + o.OutputName + ".Length} floats for a batch of {batch} samples; {batch * "
                    + o.SizeConstant + "} ({batch} x {" + o.SizeConstant + "}) were expected.\", nameof(" + o.OutputName + "));");
            }
            DeclareSteps(w, plan, WindowSteps.Declared);
            DeclareParameters(w, plan, gradients: false);
            if (plan.PackedWeights.Count > 0)
                w.Line("global::Unroll.Kernels.PackedWeights? packed = _packedWeights.Current(AllParameters); // packed after a change; null while a view is out");
            w.Line("float[] inference = InferenceArena(); // this thread's: Predict is safe to call from several threads at once");
            DeclareBuffers(w, plan, Pass.Inference);
            w.Line();
            foreach (Node n in plan.Nodes) WriteNode(w, plan, n, Pass.Inference);
            var naming = new Naming(plan, Pass.Inference);
            foreach (OutputPlan o in plan.Outputs)
            {
                string value = naming.Value(o.Node);
                if (value == o.OutputName) continue;
                if (o.IsSequence)
                    w.Line(Kernels + "Layers.Sequence_ToBatchMajor(" + o.OutputName + ", " + value + ", batch, " + o.Node.Shape.Time!.Var + ", " + Int(o.Node.Shape.Features)
                        + "); // " + o.Node.Name + ": (steps, B, " + Int(o.Node.Shape.Features) + ") -> (B, steps, " + Int(o.Node.Shape.Features) + ")");
                else
                    w.Line(value + ".CopyTo(" + o.OutputName + ");");
            }
            w.RemoveUnusedLocals(body);
            w.Close();
            w.Line();
        }
    }
}
