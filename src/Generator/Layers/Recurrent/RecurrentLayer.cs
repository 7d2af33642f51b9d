using System.Collections.Generic;
using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Recurrent
{
    internal sealed record RecurrentOptions(int Units, Activation Activation, bool ReturnSequences, bool ReturnState, string? InitialState,
        float Dropout, float RecurrentDropout, bool GoBackwards, bool UseBias, Initializer KernelInitializer, Initializer RecurrentInitializer,
        Initializer BiasInitializer, bool UnitForgetBias) : LayerOptions;

    /// <summary>One direction of a recurrent layer: the names of its tensors and buffers (the reverse half of a bidirectional layer
    /// appends "_reverse" to its tensors, as PyTorch, and "Reverse" to its locals).</summary>
    internal sealed class Direction
    {
        public Direction(bool reverse, bool bidirectional)
        {
            Reverse = reverse;
            Bidirectional = bidirectional;
        }

        /// <summary>Reads the sequence from the last step to the first (the reverse half, or GoBackwards).</summary>
        public bool Reverse { get; }
        public bool Bidirectional { get; }

        /// <summary>Appended to locals: "Reverse" for the reverse half of a bidirectional layer.</summary>
        public string Suffix => Reverse && Bidirectional ? "Reverse" : "";

        /// <summary>Appended to tensor names: "_reverse" for the reverse half.</summary>
        public string TensorSuffix => Reverse && Bidirectional ? "_reverse" : "";

        public string Of(string what) => what + Suffix;
    }

    /// <summary>
    /// What SimpleRnn, Lstm and Gru share (Keras' <c>RNN</c> base): units, returned sequences and states, state handover
    /// (InitialState), input and recurrent dropout, direction and the <c>[Bidirectional]</c> wrapper. Sequences are time-major;
    /// the kernels (<c>Layers.X_Forward/X_Backward</c>) run one GEMM for every step's input projection and one recurrent GEMM
    /// per step, and take the padding mask of their input.
    /// </summary>
    internal abstract class RecurrentLayer : LayerDefinition
    {
        public const string BidirectionalWrapper = "Bidirectional";
        private static readonly string[] AcceptedWrappers = { BidirectionalWrapper };

        /// <summary>Gate blocks of the weights: 1 SimpleRnn, 4 LSTM, 3 GRU.</summary>
        protected abstract int Gates { get; }

        /// <summary>The Keras class name (SimpleRNN, LSTM, GRU).</summary>
        protected abstract string KerasType { get; }

        /// <summary>How comments name it: "LSTM", "simple RNN (tanh)".</summary>
        protected abstract string Title(RecurrentOptions options);

        /// <summary>The bias tensors: one ("bias") or the GRU's two ("bias_ih", "bias_hh").</summary>
        protected virtual string[] Biases => new[] { "bias" };

        /// <summary>An LSTM keeps a cell state besides h.</summary>
        protected virtual bool HasCells => false;

        /// <summary>The state's activation a SimpleRnn may choose; others always use their own.</summary>
        protected virtual Activation DefaultActivation => Model.Activation.Tanh;

        public override IReadOnlyList<string> Wrappers => AcceptedWrappers;

        public override string KerasName(Node node) => node.Spec.Wrapper(BidirectionalWrapper) is null ? KerasType : "Bidirectional";

        protected static bool IsBidirectional(LayerSpec spec) => spec.Wrapper(BidirectionalWrapper) is not null;

        protected static MergeMode Merge(LayerSpec spec) => (MergeMode)(spec.Wrapper(BidirectionalWrapper)?.Value ?? 0);

        public override LayerOptions Read(AttributeArguments a) => new RecurrentOptions(
            a.Int("Units", 0), a.Enum("Activation", DefaultActivation), a.Bool("ReturnSequences", false), a.Bool("ReturnState", false),
            a.String("InitialState"), a.Float("Dropout", 0f), a.Float("RecurrentDropout", 0f), a.Bool("GoBackwards", false), a.Bool("UseBias", true),
            a.Enum("KernelInitializer", Initializer.GlorotUniform), a.Enum("RecurrentInitializer", Initializer.Orthogonal),
            a.Enum("BiasInitializer", Initializer.Zeros), a.Bool("UnitForgetBias", true));

        public override void CheckOptions(CheckContext c)
        {
            LayerSpec spec = c.Spec;
            var o = (RecurrentOptions)spec.Options;
            if (o.Units < 1)
                c.Report(DiagnosticDescriptors.NonPositiveSizeId, spec.LocationOf("Units"), "Units", spec.Name, CheckContext.F(o.Units));
            foreach ((float rate, string argument) in new[] { (o.Dropout, "Dropout"), (o.RecurrentDropout, "RecurrentDropout") })
                if (!(rate >= 0f && rate < 1f))
                    c.Report(DiagnosticDescriptors.DropoutRateId, spec.LocationOf(argument), spec.Name, CheckContext.F(rate), argument);
            CheckActivation(c, o);
            if (spec.Wrapper(BidirectionalWrapper) is { } wrapper)
            {
                if (o.ReturnState)
                    c.Report(DiagnosticDescriptors.WrapperMisuseId, wrapper.Location, spec.Name, "[Bidirectional]",
                        "the layer sets ReturnState, and handing over the states of both directions is not supported");
                if (o.InitialState is not null)
                    c.Report(DiagnosticDescriptors.WrapperMisuseId, wrapper.Location, spec.Name, "[Bidirectional]",
                        "the layer sets InitialState, and starting both directions from a handed-over state is not supported");
                if (o.GoBackwards)
                    c.Report(DiagnosticDescriptors.GoBackwardsInBidirectionalId, spec.LocationOf("GoBackwards"), spec.Name);
            }
        }

        protected virtual void CheckActivation(CheckContext c, RecurrentOptions o)
        {
        }

        public override IEnumerable<(string Layer, string Argument)> Dependencies(LayerSpec spec)
        {
            var o = (RecurrentOptions)spec.Options;
            if (o.InitialState is { } source && source != spec.Name) yield return (source, "InitialState");
        }

        public override Shape? InferShape(ShapeContext c)
        {
            var o = c.Node.Options<RecurrentOptions>();
            Shape x = c.Input(0);
            Node input = c.InputNode(0);
            string name = c.Member.Name;
            if (!x.IsSequence)
            {
                if (input.Layer is RecurrentLayer && input.Options<RecurrentOptions>().ReturnState)
                    c.Report(DiagnosticDescriptors.StateIsNotASequenceId, c.At, name, input.Name);
                else
                    c.Report(DiagnosticDescriptors.NotASequenceId, c.At, name, input.Name, x.Describe(),
                        input.Layer is RecurrentLayer ? "set ReturnSequences = true on '" + input.Name + "' to pass on every step"
                        : input.IsModelInput ? "declare '" + input.Name + "' with Length (steps) and Features (per step)"
                        : "feed it an [Input] with Length, an [Embedding], a [RepeatVector] or a recurrent layer with ReturnSequences = true");
                return null;
            }
            if (x.Rank != 1)
            {
                c.Report(DiagnosticDescriptors.LayerInputId, c.At, KerasType, name, "one vector per step", input.Name, x.Describe());
                return null;
            }
            if (o.InitialState is not null && !CheckInitialState(c, o))
                return null;
            bool bidirectional = IsBidirectional(c.Spec);
            int width = Shape.Dim(bidirectional && Merge(c.Spec) == MergeMode.Concat ? 2L * o.Units : o.Units);
            return new Shape(o.ReturnSequences ? x.Time : null, new[] { width });
        }

        private bool CheckInitialState(ShapeContext c, RecurrentOptions o)
        {
            string name = o.InitialState!;
            LocationInfo? at = c.LocationOf("InitialState");
            Node? source = c.Find(name);
            string? problem =
                name == c.Spec.Name ? "is the layer itself; its initial state must come from another layer, which runs before it"
                : source is null ? "is not a layer of this model"
                : source.Layer is not RecurrentLayer sourceLayer ? "is not a recurrent layer (SimpleRnn, Lstm or Gru)"
                : !source.Options<RecurrentOptions>().ReturnState ? "does not set ReturnState = true"
                : IsBidirectional(source.Spec) ? "is bidirectional; handing over the states of both directions is not supported"
                : sourceLayer.HasCells != HasCells
                    ? "is " + (sourceLayer.HasCells ? "an Lstm, whose state (h, c) does not fit a " + Name : "a " + source.Layer.Name + ", whose state h does not fit an Lstm's (h, c)")
                : null;
            if (problem is not null)
            {
                c.Report(DiagnosticDescriptors.InitialStateSourceId, at, c.Member.Name, name, problem);
                return false;
            }
            int sourceUnits = source!.Options<RecurrentOptions>().Units;
            if (sourceUnits != o.Units)
            {
                c.Report(DiagnosticDescriptors.InitialStateSizeId, at, c.Member.Name, source.Name, CheckContext.F(sourceUnits), CheckContext.F(o.Units));
                return false;
            }
            return true;
        }

        /// <summary>Under truncated BPTT each window hands its final state to the next: a layer reading backwards, or starting from
        /// another layer's state, cannot.</summary>
        public override string? WindowProblem(Node node, Node input)
        {
            var o = node.Options<RecurrentOptions>();
            bool bidirectional = IsBidirectional(node.Spec);
            if (bidirectional || o.GoBackwards)
                return "'" + node.Name + "' reads the sequence backwards (" + (bidirectional ? "[Bidirectional]" : "GoBackwards") + "), and a window cannot hand its state on to the steps before it";
            if (StateSource(node) is { } source)
                return "'" + node.Name + "' starts from the state of '" + source.Name + "'; under truncated BPTT each layer carries its own state from window to window";
            return null;
        }

        private static List<Direction> Directions(Node node) => (List<Direction>)node.State!;

        private static Node? StateSource(Node node) => node.Dependencies.FirstOrDefault();

        public override void Plan(PlanContext p)
        {
            Node node = p.Node;
            var o = node.Options<RecurrentOptions>();
            bool bidirectional = IsBidirectional(node.Spec);
            int units = o.Units, gates = Gates, inputs = node.InputShape(0).Dims[0];
            int rows = Shape.Dim((long)gates * units);
            var directions = new List<Direction>();
            foreach (bool reverse in bidirectional ? new[] { false, true } : new[] { o.GoBackwards })
                directions.Add(new Direction(reverse, bidirectional));
            node.State = directions;

            foreach (Direction d in directions)
            {
                if (!p.OwnsParameters) break;
                string suffix = d.TensorSuffix;
                // Both weights are multiplied as x·Wᵀ at every Predict: kept packed between calls.
                p.PackAtInference(p.Tensor("weight_ih" + suffix, new[] { rows, inputs }, o.KernelInitializer, Core.Scales.Of(o.KernelInitializer, null), inputs, rows));
                p.PackAtInference(p.Tensor("weight_hh" + suffix, new[] { rows, units }, o.RecurrentInitializer, Core.Scales.Of(o.RecurrentInitializer, null), units, rows));
                if (!o.UseBias) continue;
                bool forgetBias = HasCells && o.UnitForgetBias;
                foreach (string bias in Biases)
                    p.Tensor(bias + suffix, new[] { rows }, o.BiasInitializer, Core.Scales.Of(o.BiasInitializer, null), inputs, rows,
                        bias == "bias" && forgetBias ? units : 0, bias == "bias" && forgetBias ? units : 0);
            }

            bool inputGradient = node.Inputs[0].NeedsGradient;
            foreach (Direction d in directions)
            {
                string of = node.Name + (d.Bidirectional ? (d.Reverse ? " reverse" : " forward") : "");
                if (o.Dropout > 0f)
                {
                    p.Buffer(d.Of("DropoutMask"), inputs, Extent.Sample, of + " input dropout mask (B, " + CheckContext.F(inputs) + ")");
                    p.Buffer(d.Of("Dropped"), inputs, Extent.Steps, of + " input after dropout (steps, B, " + CheckContext.F(inputs) + ")",
                        "gradient of " + of + " input after dropout", clearGradient: inputGradient);
                }
                if (o.RecurrentDropout > 0f)
                    p.Buffer(d.Of("RecurrentMask"), units, Extent.Sample, of + " recurrent dropout mask (B, " + CheckContext.F(units) + ")");
                // The backward's scratch lives in the gradient mirrors of buffers that get no gradient of their own.
                BufferPlan states = p.Buffer(d.Of("States"), units, Extent.Slots, of + " states h, steps + 1 slots of (B, " + CheckContext.F(units) + ")",
                    StatesGradient(of), inference: InferenceUse.Scratch);
                if (RollsAtInference) states.AtInference(2, of + " states h, two slots of (B, " + CheckContext.F(units) + ") that the steps roll through");
                if (HasCells)
                {
                    BufferPlan cells = p.Buffer(d.Of("Cells"), units, Extent.Slots, of + " cell states c, steps + 1 slots of (B, " + CheckContext.F(units) + ")",
                        "backward scratch: " + of + " cell-state carry", inference: InferenceUse.Scratch);
                    if (RollsAtInference) cells.AtInference(2, of + " cell states c, two slots of (B, " + CheckContext.F(units) + ") that the steps roll through");
                }
                int block = InferenceBlock(p, (long)gates * units);
                if (gates > 1)
                {
                    BufferPlan gateBuffer = p.Buffer(d.Of("Gates"), (long)gates * units, Extent.Steps, of + " gates (steps, B, " + CheckContext.F(gates) + " x " + CheckContext.F(units) + ")",
                        "backward scratch: " + of + " gate pre-activation gradients", inference: InferenceUse.Scratch);
                    if (RollsAtInference) gateBuffer.AtInferenceBlock(block, of + " gates of a block of " + CheckContext.F(block) + " steps at MaxBatch, more for fewer samples (B, " + CheckContext.F(gates) + " x " + CheckContext.F(units) + ")");
                }
                PlanExtra(p, d, of, units, block);
                p.Buffer(d.Of("Scratch"), (gates + 1L) * units, Extent.Sample, of + " per-step scratch", "backward scratch: " + of + " state carry",
                    inference: InferenceUse.Scratch);
                if (bidirectional)
                    p.Buffer(d.Of("Output"), units, o.ReturnSequences ? Extent.Steps : Extent.Sample,
                        of + (o.ReturnSequences ? " output sequence (steps, B, " : " final h (B, ") + CheckContext.F(units) + ")", "gradient of " + of + " output",
                        clearGradient: true, inference: InferenceUse.Scratch);
            }
            if (o.ReturnState && o.ReturnSequences)
                p.Buffer("FinalState", units, Extent.Sample, node.Name + " final h (B, " + CheckContext.F(units) + ")", "gradient of " + node.Name + " final h",
                    clearGradient: true, inference: InferenceUse.Value);
            if (o.ReturnState && HasCells)
                p.Buffer("FinalCell", units, Extent.Sample, node.Name + " final c (B, " + CheckContext.F(units) + ")", "gradient of " + node.Name + " final c",
                    clearGradient: true, inference: InferenceUse.Value);
        }

        /// <summary>The gradient comment of the states buffer (its mirror is scratch for SimpleRnn's pre-activation gradients), or null.</summary>
        protected virtual string? StatesGradient(string of) => null;

        /// <summary>Extra buffers of a direction (the GRU's recurrent part of the new gate); <paramref name="block"/> is the steps of one
        /// inference block (<see cref="InferenceBlock"/>).</summary>
        protected virtual void PlanExtra(PlanContext p, Direction d, string of, int units, int block)
        {
        }

        /// <summary>
        /// Whether the inference pass keeps two state slots and a block of gates instead of every step's (the forward kernel rolls
        /// through them; nothing reads them back at inference). SimpleRnn does not: its input projection is written into its state slots.
        /// </summary>
        protected virtual bool RollsAtInference => false;

        /// <summary>Floats of the gates of one inference block at MaxBatch: about a megabyte, so the block stays in the L2 cache.</summary>
        private const long InferenceBlockFloats = 1 << 18;

        /// <summary>The steps whose gates the inference pass computes at once: as many as fit <see cref="InferenceBlockFloats"/>, at least one,
        /// at most the declared length.</summary>
        private static int InferenceBlock(PlanContext p, long perRow)
        {
            long steps = p.Node.InputShape(0).Steps;
            long fit = InferenceBlockFloats / System.Math.Max(1L, p.Model.MaxBatch * perRow);
            return (int)System.Math.Max(1L, System.Math.Min(steps, fit));
        }

        /// <summary>The weight locals in kernel order: W_ih, W_hh, then the biases ("default" when the layer has none).</summary>
        protected string Weights(EmitContext e, Direction d, bool gradient)
        {
            string P(string t) => gradient ? e.DParam(t) : e.Param(t);
            var o = e.Node.Options<RecurrentOptions>();
            return P("weight_ih" + d.TensorSuffix) + ", " + P("weight_hh" + d.TensorSuffix) + ", "
                + string.Join(", ", Biases.Select(b => o.UseBias ? P(b + d.TensorSuffix) : "default"));
        }

        protected string Sizes(EmitContext e, Direction d)
        {
            var o = e.Node.Options<RecurrentOptions>();
            return Steps(e.Node.InputShape(0)) + ", batch, " + I(e.Node.InputShape(0).Dims[0]) + ", " + I(o.Units) + SizeOptions(o) + ", reverse: " + (d.Reverse ? "true" : "false");
        }

        /// <summary>Options the kernel takes after the sizes (SimpleRnn's relu flag).</summary>
        protected virtual string SizeOptions(RecurrentOptions o) => "";

        /// <summary>The slot of a states buffer that holds the initial state (read) or the final state (written): slot <c>steps</c> or 0,
        /// and at inference, where the steps roll through two slots, <c>steps &amp; 1</c> or 0.</summary>
        private string Slot(EmitContext e, Direction d, string buffer, bool final)
        {
            int units = e.Node.Options<RecurrentOptions>().Units;
            string steps = Steps(e.Node.InputShape(0));
            if (e.IsInference && RollsAtInference) steps = "(" + steps + " & 1)";
            return buffer + ".Slice(" + (final != d.Reverse ? "batch * " + steps + " * " + I(units) : "0") + ", batch * " + I(units) + ")";
        }

        /// <summary>The forward kernel's call up to the input: its output and state buffers.</summary>
        protected abstract string ForwardBuffers(EmitContext e, Direction d, string output);

        public override void Forward(EmitContext e) => WriteForward(e, inference: false);

        public override void Inference(EmitContext e) => WriteForward(e, inference: true);

        private void WriteForward(EmitContext e, bool inference)
        {
            var o = e.Node.Options<RecurrentOptions>();
            string x = e.X(), y = e.Y;
            int units = o.Units;
            List<Direction> directions = Directions(e.Node);
            foreach (Direction d in directions)
            {
                string input = x;
                if (!inference && o.Dropout > 0f)
                {
                    input = e.Buf(d.Of("Dropped"));
                    e.Line("if (" + e.Training + ") " + K + "Layers.Dropout_ForwardSequence(" + input + ", " + e.Buf(d.Of("DropoutMask")) + ", " + x + ", "
                        + Float(o.Dropout) + ", " + Steps(e.Node.InputShape(0)) + ", batch, " + I(e.Node.InputShape(0).Dims[0]) + ", _random); // one input mask per sample for every step");
                    e.Line("else { " + x + ".CopyTo(" + input + "); " + e.Buf(d.Of("DropoutMask")) + ".Fill(1f); }");
                }
                string recurrentMask = "default";
                if (!inference && o.RecurrentDropout > 0f)
                {
                    recurrentMask = e.Buf(d.Of("RecurrentMask"));
                    e.Line("if (" + e.Training + ") " + K + "Layers.Dropout_Mask(" + recurrentMask + ", " + Float(o.RecurrentDropout) + ", _random); // recurrent dropout, held for every step");
                    e.Line("else " + recurrentMask + ".Fill(1f);");
                }
                string states = e.Buf(d.Of("States"));
                string cells = HasCells ? e.Buf(d.Of("Cells")) : "";
                if (StateSource(e.Node) is { } source)
                {
                    string sourceState = source.Find("FinalState") is not null ? e.Buf(source, "FinalState") : e.Value(source);
                    e.Line(sourceState + ".CopyTo(" + Slot(e, d, states, final: false) + "); // initial h: " + source.Name + "'s final state");
                    if (HasCells) e.Line(e.Buf(source, "FinalCell") + ".CopyTo(" + Slot(e, d, cells, final: false) + "); // initial c: " + source.Name + "'s final cell state");
                }
                else if (e.Truncated && !inference)
                {
                    // Truncated BPTT: the state goes on from the previous window (slot "carry"), without gradient.
                    // The previous window's final slot lies beyond this window's view of the buffer when this window is shorter.
                    e.Line("if (carry > 0) " + e.Slice(d.Of("States"), "batch * carry * " + I(units), "batch * " + I(units)) + ".CopyTo("
                        + Slot(e, d, states, final: false) + "); // h carried over from the previous window");
                    e.Line("else " + Slot(e, d, states, final: false) + ".Clear(); // initial h = 0");
                    if (HasCells)
                    {
                        e.Line("if (carry > 0) " + e.Slice(d.Of("Cells"), "batch * carry * " + I(units), "batch * " + I(units)) + ".CopyTo("
                            + Slot(e, d, cells, final: false) + "); // c carried over");
                        e.Line("else " + Slot(e, d, cells, final: false) + ".Clear(); // initial c = 0");
                    }
                }
                else
                {
                    e.Line(Slot(e, d, states, final: false) + ".Clear(); // initial h = 0");
                    if (HasCells) e.Line(Slot(e, d, cells, final: false) + ".Clear(); // initial c = 0");
                }
                bool merged = directions.Count > 1;
                string output = !o.ReturnSequences ? "default" : merged ? e.Buf(d.Of("Output")) : y;
                e.Line(K + "Layers." + Name + "_Forward(" + ForwardBuffers(e, d, output) + input + ", " + e.InputMask() + ", " + recurrentMask + ", "
                    + Weights(e, d, false) + ", " + Sizes(e, d) + e.Packed("weight_ih" + d.TensorSuffix, "packedIh") + e.Packed("weight_hh" + d.TensorSuffix, "packedHh") + ");");
                if (!o.ReturnSequences)
                    e.Line(Slot(e, d, states, final: true) + ".CopyTo(" + (merged ? e.Buf(d.Of("Output")) : y) + "); // the last output is the final h");
                if (e.Has("FinalState"))
                    e.Line(Slot(e, d, states, final: true) + ".CopyTo(" + e.Buf("FinalState") + "); // ReturnState: final h");
                if (e.Has("FinalCell"))
                    e.Line(Slot(e, d, cells, final: true) + ".CopyTo(" + e.Buf("FinalCell") + "); // ReturnState: final c");
            }
            if (directions.Count > 1)
            {
                Direction f = directions[0], r = directions[1];
                e.Line(K + "Layers.Merge_Forward(" + y + ", " + e.Buf(f.Of("Output")) + ", " + e.Buf(r.Of("Output")) + ", " + e.Rows() + ", " + I(units)
                    + ", global::Unroll.MergeMode." + Merge(e.Node.Spec) + "); // merge forward and reverse");
            }
        }

        /// <summary>The backward kernel's call: gradients, then the saved forward buffers.</summary>
        protected abstract string BackwardCall(EmitContext e, Direction d, string gradients, string initialGradient, string initialCellGradient,
            string carry, string sequenceGradient, string finalGradient, string shared);

        public override void Backward(EmitContext e)
        {
            var o = e.Node.Options<RecurrentOptions>();
            List<Direction> directions = Directions(e.Node);
            string dy = e.DY, x = e.X(), dx = e.DX();
            int units = o.Units;
            if (directions.Count > 1)
            {
                Direction f = directions[0], r = directions[1];
                e.Line(K + "Layers.Merge_Backward(" + e.DBuf(f.Of("Output")) + ", " + e.DBuf(r.Of("Output")) + ", " + dy + ", " + e.Buf(f.Of("Output")) + ", "
                    + e.Buf(r.Of("Output")) + ", " + e.Rows() + ", " + I(units) + ", global::Unroll.MergeMode." + Merge(e.Node.Spec) + "); // split the merged gradient");
            }
            bool wantsInputGradient = e.Input(0).NeedsGradient;
            foreach (Direction d in directions.AsEnumerable().Reverse())
            {
                bool dropped = e.Has(d.Of("Dropped"));
                string input = dropped ? e.Buf(d.Of("Dropped")) : x;
                string inputGradient = !wantsInputGradient ? "default" : dropped ? e.DBuf(d.Of("Dropped")) : dx;
                bool merged = directions.Count > 1;
                string sequenceGradient = !o.ReturnSequences ? "default" : merged ? e.DBuf(d.Of("Output")) : dy;
                string finalGradient = merged && !o.ReturnSequences ? e.DBuf(d.Of("Output"))
                    : !o.ReturnSequences ? dy
                    : e.Has("FinalState") ? e.DBuf("FinalState") : "default";
                string initialGradient = "default", initialCellGradient = "default";
                if (StateSource(e.Node) is { } source)
                {
                    initialGradient = source.Find("FinalState") is not null ? e.DBuf(source, "FinalState") : e.GradientOf(source);
                    if (HasCells) initialCellGradient = e.DBuf(source, "FinalCell");
                }
                string recurrentMask = e.Has(d.Of("RecurrentMask")) ? e.Buf(d.Of("RecurrentMask")) : "default";
                // Every backward kernel keeps its state-gradient carry in two (B, units) rows.
                string carry = e.DBuf(d.Of("Scratch")) + ".Slice(0, batch * " + I(2L * units) + ")";
                string shared = input + ", " + e.InputMask() + ", " + recurrentMask + ", " + e.Param("weight_ih" + d.TensorSuffix) + ", "
                    + e.Param("weight_hh" + d.TensorSuffix) + ", " + e.Buf(d.Of("States"));
                string gradients = inputGradient + ", " + Weights(e, d, true);
                e.Line(K + "Layers." + Name + "_Backward(" + BackwardCall(e, d, gradients, initialGradient, initialCellGradient, carry, sequenceGradient, finalGradient, shared)
                    + ", " + Sizes(e, d) + ");");
                if (dropped && wantsInputGradient)
                    e.InputGradient(0, K + "Layers.Dropout_BackwardSequence(" + dx + ", " + e.DBuf(d.Of("Dropped")) + ", " + e.Buf(d.Of("DropoutMask")) + ", "
                        + Steps(e.Node.InputShape(0)) + ", batch, " + I(e.Node.InputShape(0).Dims[0]) + ");");
            }
        }

        public override string Describe(Node node)
        {
            var o = node.Options<RecurrentOptions>();
            bool bidirectional = IsBidirectional(node.Spec);
            Shape x = node.InputShape(0);
            return (bidirectional ? "bidirectional " : "") + Title(o) + " " + CheckContext.F(x.Dims[0]) + " -> " + CheckContext.F(o.Units)
                + (bidirectional ? " per direction, merged by " + Merge(node.Spec).ToString().ToLowerInvariant() : "")
                + " over " + CheckContext.F(x.Steps) + " steps" + (o.GoBackwards && !bidirectional ? " read backwards" : "")
                + (o.ReturnSequences ? ", every step" : ", last step") + (o.ReturnState ? ", returns its state" : "")
                + (node.Inputs[0].Mask is not null ? ", padding masked" : "");
        }
    }
}
