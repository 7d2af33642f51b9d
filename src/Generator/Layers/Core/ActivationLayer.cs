using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;

namespace Unroll.Generator.Layers.Core
{
    internal sealed record ActivationOptions(Activation Activation, float? Alpha) : LayerOptions;

    /// <summary>
    /// Keras <c>Activation</c> (and <c>LeakyReLU</c>, <c>PReLU</c>, <c>ELU</c>, <c>Softmax</c> layers): y = f(x), elementwise, softmax
    /// over the last axis. A PReLU has one trainable slope per feature, saved as <c>name.weight</c> as PyTorch's <c>nn.PReLU</c>.
    /// Kernels: <c>Activations.X_Forward/X_Backward</c>.
    /// </summary>
    internal sealed class ActivationLayer : LayerDefinition
    {
        public override string Name => "Activation";

        public override LayerOptions Read(AttributeArguments a) =>
            new ActivationOptions(a.Enum("Activation", Model.Activation.Linear), a.FloatOrNull("Alpha"));

        public override Shape? InferShape(ShapeContext c) => c.Input(0);

        /// <summary>Rows and width of the kernels: softmax (and PReLU's slopes) run over the last axis.</summary>
        private static (string Rows, long Width) Layout(EmitContext e)
        {
            Shape s = e.Node.Shape;
            long width = e.Node.Options<ActivationOptions>().Activation == Model.Activation.PRelu ? s.Features : s.Dims[s.Rank - 1];
            long per = s.Features / width;
            return (e.Rows() + (per == 1 ? "" : " * " + EmitContext.I(per)), width);
        }

        public override void Plan(PlanContext p)
        {
            var o = p.Node.Options<ActivationOptions>();
            if (o.Activation == Model.Activation.PRelu && p.OwnsParameters)
            {
                int width = (int)p.Node.Shape.Features;
                p.Tensor("weight", new[] { width }, Initializer.Constant, o.Alpha ?? 0.25f, width, width);
            }
        }

        public override void Forward(EmitContext e)
        {
            var o = e.Node.Options<ActivationOptions>();
            var (rows, width) = Layout(e);
            e.Line(ActivationCode.Forward(o.Activation, ActivationCode.Alpha(o.Activation, o.Alpha), e.Y, e.X(), rows, width,
                e.HasParam("weight") ? e.Param("weight") : null));
        }

        public override void Backward(EmitContext e)
        {
            var o = e.Node.Options<ActivationOptions>();
            var (rows, width) = Layout(e);
            bool prelu = o.Activation == Model.Activation.PRelu;
            string Statement(string dx) => ActivationCode.Backward(o.Activation, ActivationCode.Alpha(o.Activation, o.Alpha), dx, e.DY, e.X(), e.Y, rows, width,
                prelu ? e.Param("weight") : null, prelu ? e.DParam("weight") : null);
            if (e.Fused)
                e.Line("if (!" + e.FromLoss + ") " + Statement(e.DX()) + " // the loss gave the logits' gradient itself");
            else if (prelu)
                e.Line(Statement(e.DX())); // the slopes' gradient is wanted even when the input's is not
            else
                e.InputGradient(0, Statement(e.DX()));
        }

        public override Activation Activation(Node node) => node.Options<ActivationOptions>().Activation;

        /// <summary>The loss writes the gradient of this layer's input, which must be the input's alone (one reader, not a model input,
        /// not an output seeded by a loss of its own, not a view sharing another buffer's gradient).</summary>
        public override bool CanFuseLoss(Node node) =>
            ActivationCode.Fusable(node.Options<ActivationOptions>().Activation) && node.Inputs[0].Consumers.Count == 1 && !node.Inputs[0].IsModelInput
            && node.Inputs[0].OutputOf is null && !node.Inputs[0].Layer.IsView(node.Inputs[0]);

        public override string? LogitsGradient(EmitContext e) => CanFuseLoss(e.Node) ? e.DX() : null;

        public override string Describe(Node node) =>
            Emit.Names.ActivationName(node.Options<ActivationOptions>().Activation) + " over " + PlanContext.Dims(node.Shape);
    }
}
