using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Pooling
{
    internal sealed record GlobalPoolingOptions : LayerOptions;

    /// <summary>What GlobalAveragePooling1D and GlobalMaxPooling1D share: a sequence in, one vector per sample out, padded steps
    /// (the input's mask) left out.</summary>
    internal abstract class GlobalPooling1D : LayerDefinition
    {
        public override MaskRule Mask => MaskRule.None;

        public override LayerOptions Read(AttributeArguments args) => new GlobalPoolingOptions();

        public override Shape? InferShape(ShapeContext c)
        {
            Shape x = c.Input(0);
            if (!x.IsSequence)
            {
                c.Report(DiagnosticDescriptors.LayerInputId, c.At, Name, c.Member.Name, "a sequence to pool over its steps", c.InputNode(0).Name, x.Describe());
                return null;
            }
            return new Shape(null, x.Dims);
        }

        protected static string Sizes(EmitContext e) =>
            Steps(e.Node.InputShape(0)) + ", batch, " + I(e.Node.Shape.Features);
    }

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
