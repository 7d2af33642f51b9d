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
}
