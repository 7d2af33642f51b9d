using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Core
{
    internal sealed record DropoutOptions(float Rate) : LayerOptions;

    /// <summary>
    /// Keras <c>Dropout</c>, PyTorch <c>nn.Dropout</c> (inverted dropout): while training each value is zeroed with probability Rate
    /// and the rest scaled by 1 / (1 - rate); at inference it is the identity and its output is its input's buffer.
    /// Kernels: <c>Layers.Dropout_Forward/Backward</c>.
    /// </summary>
    internal sealed class Dropout : LayerDefinition
    {
        public override string Name => "Dropout";
        public override bool PassesValuesThrough => true;

        public override LayerOptions Read(AttributeArguments a) => new DropoutOptions(a.Float("Rate", 0f));

        public override void CheckOptions(CheckContext c)
        {
            float rate = ((DropoutOptions)c.Spec.Options).Rate;
            if (!(rate >= 0f && rate < 1f))
                c.Report(DiagnosticDescriptors.DropoutRateId, c.Spec.LocationOf("Rate"), c.Spec.Name, CheckContext.F(rate), "Dropout rate");
        }

        public override Shape? InferShape(ShapeContext c) => c.Input(0);

        public override bool IsIdentityAtInference(Node node) => true;

        public override void Plan(PlanContext p) =>
            p.Buffer("Mask", p.Node.Shape.Features, p.Node.Shape.IsSequence ? Extent.Steps : Extent.Sample,
                p.Node.Name + " dropout mask " + PlanContext.Layout(p.Node.Shape));

        public override void Forward(EmitContext e)
        {
            e.Line("if (" + e.Training + ") " + K + "Layers.Dropout_Forward(" + e.Y + ", " + e.Buf("Mask") + ", " + e.X() + ", "
                + Float(e.Node.Options<DropoutOptions>().Rate) + ", _random);");
            e.Line("else { " + e.X() + ".CopyTo(" + e.Y + "); " + e.Buf("Mask") + ".Fill(1f); }");
        }

        public override void Inference(EmitContext e)
        {
        }

        public override void Backward(EmitContext e) =>
            e.InputGradient(0, K + "Layers.Dropout_Backward(" + e.DX() + ", " + e.DY + ", " + e.Buf("Mask") + ");");

        public override Activation Activation(Node node) => node.Inputs[0].Layer.Activation(node.Inputs[0]);

        public override string Describe(Node node) =>
            "dropout " + Emit.Names.Float(node.Options<DropoutOptions>().Rate).TrimEnd('f') + " over " + PlanContext.Dims(node.Shape);
    }
}
