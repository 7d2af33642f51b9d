using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Recurrent
{
    /// <summary>
    /// Keras <c>SimpleRNN</c>, PyTorch <c>nn.RNN</c>: h_t = act(x_t W_ih^T + h_(t-1) W_hh^T + b), tanh or relu, one bias (PyTorch's
    /// two are summed on import). Kernels: <c>Layers.SimpleRnn_Forward/Backward</c>.
    /// </summary>
    internal sealed class SimpleRnn : RecurrentLayer
    {
        public override string Name => "SimpleRnn";
        protected override int Gates => 1;
        protected override string KerasType => "SimpleRNN";

        protected override string Title(RecurrentOptions o) => "simple RNN (" + Emit.Names.ActivationName(o.Activation) + ")";

        protected override void CheckActivation(CheckContext c, RecurrentOptions o)
        {
            if (o.Activation is not (Model.Activation.Tanh or Model.Activation.Relu))
                c.Report(DiagnosticDescriptors.InvalidHyperparameterId, c.Spec.LocationOf("Activation"),
                    $"Activation of SimpleRnn layer '{c.Spec.Name}'", "Tanh or Relu", o.Activation.ToString());
        }

        protected override string? StatesGradient(string of) => "backward scratch: " + of + " pre-activation gradients";

        protected override string SizeOptions(RecurrentOptions o) => ", relu: " + (o.Activation == Model.Activation.Relu ? "true" : "false");

        protected override string ForwardBuffers(EmitContext e, Direction d, string output) =>
            output + ", " + e.Buf(d.Of("States")) + ", " + e.Buf(d.Of("Scratch")) + ", ";

        protected override string BackwardCall(EmitContext e, Direction d, string gradients, string initialGradient, string initialCellGradient,
            string carry, string sequenceGradient, string finalGradient, string shared) =>
            gradients + ", " + initialGradient + ", " + e.DBuf(d.Of("States")) + ".Slice(0, batch * " + Steps(e.Node.InputShape(0)) + " * "
            + I(e.Node.Options<RecurrentOptions>().Units) + "), " + carry + ", " + sequenceGradient + ", " + finalGradient + ", " + shared;
    }

    /// <summary>
    /// Keras <c>LSTM</c>, PyTorch <c>nn.LSTM</c>: gates input, forget, cell, output (both frameworks' order), one bias of 4 * units
    /// (PyTorch's two are summed on import), the forget gate's bias starting at 1 (Keras <c>unit_forget_bias</c>).
    /// Kernels: <c>Layers.Lstm_Forward/Backward</c>.
    /// </summary>
    internal sealed class Lstm : RecurrentLayer
    {
        public override string Name => "Lstm";
        protected override int Gates => 4;
        protected override string KerasType => "LSTM";
        protected override bool HasCells => true;

        protected override string Title(RecurrentOptions o) => "LSTM";

        protected override string ForwardBuffers(EmitContext e, Direction d, string output) =>
            output + ", " + e.Buf(d.Of("States")) + ", " + e.Buf(d.Of("Cells")) + ", " + e.Buf(d.Of("Gates")) + ", " + e.Buf(d.Of("Scratch")) + ", ";

        protected override string BackwardCall(EmitContext e, Direction d, string gradients, string initialGradient, string initialCellGradient,
            string carry, string sequenceGradient, string finalGradient, string shared) =>
            gradients + ", " + initialGradient + ", " + initialCellGradient + ", " + e.DBuf(d.Of("Gates")) + ", " + carry + ", "
            + e.DBuf(d.Of("Cells")) + ".Slice(0, batch * " + I(e.Node.Options<RecurrentOptions>().Units) + "), " + sequenceGradient + ", " + finalGradient + ", "
            + (e.Has("FinalCell") ? e.DBuf("FinalCell") : "default") + ", " + shared + ", " + e.Buf(d.Of("Cells")) + ", " + e.Buf(d.Of("Gates"));
    }

    /// <summary>
    /// PyTorch <c>nn.GRU</c> = Keras <c>GRU(reset_after=True)</c>: gates reset, update, new (PyTorch order); the reset gate multiplies
    /// the recurrent product after its bias, so there are two biases of 3 * units. Kernels: <c>Layers.Gru_Forward/Backward</c>.
    /// </summary>
    internal sealed class Gru : RecurrentLayer
    {
        public override string Name => "Gru";
        protected override int Gates => 3;
        protected override string KerasType => "GRU";
        protected override string[] Biases => new[] { "bias_ih", "bias_hh" };

        protected override string Title(RecurrentOptions o) => "GRU";

        protected override void PlanExtra(PlanContext p, Direction d, string of, int units) =>
            p.Buffer(d.Of("HiddenN"), units, Extent.Steps, of + " recurrent part of the new gate (steps, B, " + CheckContext.F(units) + ")",
                inference: InferenceUse.Scratch);

        protected override string ForwardBuffers(EmitContext e, Direction d, string output) =>
            output + ", " + e.Buf(d.Of("States")) + ", " + e.Buf(d.Of("Gates")) + ", " + e.Buf(d.Of("HiddenN")) + ", " + e.Buf(d.Of("Scratch")) + ", ";

        protected override string BackwardCall(EmitContext e, Direction d, string gradients, string initialGradient, string initialCellGradient,
            string carry, string sequenceGradient, string finalGradient, string shared) =>
            gradients + ", " + initialGradient + ", " + e.DBuf(d.Of("Gates")) + ", " + carry + ", " + sequenceGradient + ", " + finalGradient + ", "
            + shared + ", " + e.Buf(d.Of("Gates")) + ", " + e.Buf(d.Of("HiddenN"));
    }
}
