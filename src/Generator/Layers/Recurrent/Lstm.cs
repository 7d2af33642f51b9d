using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Recurrent
{
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

        protected override bool RollsAtInference => true;

        protected override string ForwardBuffers(EmitContext e, Direction d, string output) =>
            output + ", " + e.Buf(d.Of("States")) + ", " + e.Buf(d.Of("Cells")) + ", " + e.Buf(d.Of("Gates")) + ", " + e.Buf(d.Of("Scratch")) + ", ";

        protected override string BackwardCall(EmitContext e, Direction d, string gradients, string initialGradient, string initialCellGradient,
            string carry, string sequenceGradient, string finalGradient, string shared) =>
            gradients + ", " + initialGradient + ", " + initialCellGradient + ", " + e.DBuf(d.Of("Gates")) + ", " + carry + ", "
            + e.DBuf(d.Of("Cells")) + ".Slice(0, batch * " + I(e.Node.Options<RecurrentOptions>().Units) + "), " + sequenceGradient + ", " + finalGradient + ", "
            + (e.Has("FinalCell") ? e.DBuf("FinalCell") : "default") + ", " + shared + ", " + e.Buf(d.Of("Cells")) + ", " + e.Buf(d.Of("Gates"));
    }
}
