using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Core
{
    internal sealed record EmbeddingOptions(int Dimension, int Vocabulary, bool MaskZero, Initializer Initializer, float? Scale) : LayerOptions;

    /// <summary>
    /// Keras <c>Embedding</c>, PyTorch <c>nn.Embedding</c>: one learned row of the table (vocabulary, dimension) per token id, a
    /// sequence (steps, B, dimension) out. With MaskZero, token 0 is padding: the layer writes a mask (steps, B) that every later
    /// layer on the same time axis sees (Keras <c>mask_zero</c>). Kernels: <c>Layers.Embedding_Forward/Backward/Mask</c>.
    /// </summary>
    internal sealed class Embedding : LayerDefinition
    {
        public override string Name => "Embedding";
        public override bool AcceptsTokens => true;

        public override MaskRule Mask => MaskRule.Create;

        public override LayerOptions Read(AttributeArguments a) => new EmbeddingOptions(
            a.Int("Dimension", 0), a.Int("Vocabulary", 0), a.Bool("MaskZero", false), a.Enum("Initializer", Initializer.Uniform), a.FloatOrNull("Scale"));

        public override void CheckOptions(CheckContext c)
        {
            var o = (EmbeddingOptions)c.Spec.Options;
            if (o.Dimension < 1)
                c.Report(DiagnosticDescriptors.NonPositiveSizeId, c.Spec.LocationOf("Dimension"), "Dimension", c.Spec.Name, CheckContext.F(o.Dimension));
        }

        public override Shape? InferShape(ShapeContext c)
        {
            var o = c.Node.Options<EmbeddingOptions>();
            Shape x = c.Input(0);
            if (!x.IsTokens)
            {
                c.Report(DiagnosticDescriptors.EmbeddingInputId, c.At, c.Member.Name, c.InputNode(0).Name, x.Describe());
                return null;
            }
            if (o.Vocabulary != 0 && o.Vocabulary != x.Vocabulary)
            {
                c.Report(DiagnosticDescriptors.VocabularyMismatchId, c.LocationOf("Vocabulary"), c.Member.Name, CheckContext.F(o.Vocabulary),
                    c.InputNode(0).Name, CheckContext.F(x.Vocabulary));
                return null;
            }
            return new Shape(x.Time, new[] { o.Dimension });
        }

        public override void Plan(PlanContext p)
        {
            var o = p.Node.Options<EmbeddingOptions>();
            int vocabulary = p.Node.InputShape(0).Vocabulary;
            if (p.OwnsParameters)
                p.Tensor("weight", new[] { vocabulary, o.Dimension }, o.Initializer, Scales.Of(o.Initializer, o.Scale), vocabulary, o.Dimension);
            if (o.MaskZero)
                p.Node.Mask = p.Buffer("TimeMask", 1, Extent.Steps, p.Node.Name + " padding mask (steps, B): 1 = token, 0 = padding",
                    inference: InferenceUse.Pinned);
        }

        public override void Forward(EmitContext e)
        {
            var o = e.Node.Options<EmbeddingOptions>();
            string steps = Steps(e.Node.Shape);
            e.Line(K + "Layers.Embedding_Forward(" + e.Y + ", " + e.X() + ", " + e.Param("weight") + ", batch, " + steps + ", "
                + I(e.Node.InputShape(0).Vocabulary) + ", " + I(o.Dimension) + ");");
            if (e.Has("TimeMask"))
                e.Line(K + "Layers.Embedding_Mask(" + e.Buf("TimeMask") + ", " + e.X() + ", batch, " + steps + "); // token 0 is padding");
        }

        public override void Backward(EmitContext e)
        {
            var o = e.Node.Options<EmbeddingOptions>();
            e.Line(K + "Layers.Embedding_Backward(" + e.DParam("weight") + ", " + e.DY + ", " + e.X() + ", batch, " + Steps(e.Node.Shape) + ", "
                + I(e.Node.InputShape(0).Vocabulary) + ", " + I(o.Dimension) + ");");
        }

        public override string Describe(Node node) =>
            "embedding " + CheckContext.F(node.InputShape(0).Vocabulary) + " x " + CheckContext.F(node.Options<EmbeddingOptions>().Dimension)
            + " over " + CheckContext.F(node.Shape.Steps) + " steps" + (node.Options<EmbeddingOptions>().MaskZero ? ", token 0 masked" : "");
    }
}
