using Unroll.Generator.Diagnostics;
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
}
