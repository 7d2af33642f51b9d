using Unroll.Generator.Graph;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Pooling
{
    /// <summary>
    /// Keras <c>GlobalMaxPooling1D</c>: the largest value of each feature over the steps that are not padding; the gradient goes to the
    /// step that held it (the first, on ties). Kernels: <c>Layers.GlobalMaxPooling1D_Forward/Backward</c>.
    /// </summary>
    internal sealed class GlobalMaxPooling1D : GlobalPooling1D
    {
        public override string Name => "GlobalMaxPooling1D";

        public override void Plan(PlanContext p) =>
            p.Buffer("Index", p.Node.Shape.Features, Extent.Sample, p.Node.Name + " step of each maximum (B, " + PlanContext.Dims(p.Node.Shape) + ")");

        public override void Forward(EmitContext e) =>
            e.Line(K + "Layers.GlobalMaxPooling1D_Forward(" + e.Y + ", " + e.Buf("Index") + ", " + e.X() + ", " + e.InputMask() + ", " + Sizes(e) + ");");

        public override void Inference(EmitContext e) =>
            e.Line(K + "Layers.GlobalMaxPooling1D_Forward(" + e.Y + ", default, " + e.X() + ", " + e.InputMask() + ", " + Sizes(e) + ");");

        public override void Backward(EmitContext e) =>
            e.InputGradient(0, K + "Layers.GlobalMaxPooling1D_Backward(" + e.DX() + ", " + e.DY + ", " + e.Buf("Index") + ", " + Sizes(e) + ");");

        public override string Describe(Node node) =>
            "maximum of " + node.Inputs[0].Name + " over its steps" + (node.Inputs[0].Mask is not null ? ", padding left out" : "");
    }
}
