using Unroll.Generator.Graph;

namespace Unroll.Generator.Layers.Recurrent
{
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

        protected override void PlanExtra(PlanContext p, Direction d, string of, int units, int block) =>
            p.Buffer(d.Of("HiddenN"), units, Extent.Steps, of + " recurrent part of the new gate (steps, B, " + CheckContext.F(units) + ")",
                inference: InferenceUse.Scratch).AtInferenceBlock(block, of + " recurrent part of the new gate, a block of " + CheckContext.F(block) + " steps at MaxBatch, more for fewer samples (B, " + CheckContext.F(units) + ")");

        protected override bool RollsAtInference => true;

        protected override string ForwardBuffers(EmitContext e, Direction d, string output) =>
            output + ", " + e.Buf(d.Of("States")) + ", " + e.Buf(d.Of("Gates")) + ", " + e.Buf(d.Of("HiddenN")) + ", " + e.Buf(d.Of("Scratch")) + ", ";

        protected override string BackwardCall(EmitContext e, Direction d, string gradients, string initialGradient, string initialCellGradient,
            string carry, string sequenceGradient, string finalGradient, string shared) =>
            gradients + ", " + initialGradient + ", " + e.DBuf(d.Of("Gates")) + ", " + carry + ", " + sequenceGradient + ", " + finalGradient + ", "
            + shared + ", " + e.Buf(d.Of("Gates")) + ", " + e.Buf(d.Of("HiddenN"));
    }
}
