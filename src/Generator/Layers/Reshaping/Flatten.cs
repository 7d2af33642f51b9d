using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;

namespace Unroll.Generator.Layers.Reshaping
{
    /// <summary>
    /// Keras <c>Flatten</c>, PyTorch <c>nn.Flatten</c>: every axis after the batch in one. A view of its input's floats, except after
    /// a sequence, whose steps fold into the features (a copy). Kernels: as <see cref="Reshape"/>.
    /// </summary>
    internal sealed class Flatten : LayerDefinition
    {
        public sealed record FlattenOptions : LayerOptions;

        public override string Name => "Flatten";
        public override LayerOptions Read(AttributeArguments args) => new FlattenOptions();
        public override Shape? InferShape(ShapeContext c) => Shape.Vector(c.Input(0).SampleFloats);
        public override MaskRule Mask => MaskRule.None;
        public override bool IsView(Node node) => !Reshape.Folds(node);
        public override void Forward(EmitContext e) => Reshape.WriteFold(e, e.Y);
        public override void Backward(EmitContext e) => Reshape.WriteFoldBackward(e);

        public override string Describe(Node node) =>
            (Reshape.Folds(node) ? "the steps of " + node.Inputs[0].Name + " folded into " : node.Inputs[0].Name + " flattened to ") + node.Shape.Text();
    }
}
