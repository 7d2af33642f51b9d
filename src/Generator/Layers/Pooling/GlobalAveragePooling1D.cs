using Unroll.Generator.Graph;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Pooling
{
    /// <summary>
    /// Keras <c>GlobalAveragePooling1D</c>: the mean over the steps that are not padding (the sum of x times the mask over the sum of
    /// the mask, as Keras with a mask; a sample with only padding gets zeros). Kernels: <c>Layers.GlobalAveragePooling1D_Forward/Backward</c>.
    /// </summary>
    internal sealed class GlobalAveragePooling1D : GlobalPooling1D
    {
        public override string Name => "GlobalAveragePooling1D";

        public override void Forward(EmitContext e) =>
            e.Line(K + "Layers.GlobalAveragePooling1D_Forward(" + e.Y + ", " + e.X() + ", " + e.InputMask() + ", " + Sizes(e) + ");");

        public override void Backward(EmitContext e) =>
            e.InputGradient(0, K + "Layers.GlobalAveragePooling1D_Backward(" + e.DX() + ", " + e.DY + ", " + e.InputMask() + ", " + Sizes(e) + ");");

        public override string Describe(Node node) =>
            "mean of " + node.Inputs[0].Name + " over its steps" + (node.Inputs[0].Mask is not null ? ", padding left out" : "");
    }
}
