using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Reshaping
{
    /// <param name="Times">How many steps the vector is repeated for.</param>
    internal sealed record RepeatVectorOptions(int Times) : LayerOptions;

    /// <summary>
    /// Keras <c>RepeatVector(n)</c>: a vector repeated over n steps, a sequence (one-to-many: a decoder fed one encoding at every
    /// step). Its time axis is new, with no padding. Kernels: <c>Layers.RepeatVector_Forward/Backward</c>.
    /// </summary>
    internal sealed class RepeatVector : LayerDefinition
    {
        public override string Name => "RepeatVector";
        public override MaskRule Mask => MaskRule.None;

        public override LayerOptions Read(AttributeArguments args) => new RepeatVectorOptions(args.Int("Times", 0));

        public override void CheckOptions(CheckContext c)
        {
            int times = ((RepeatVectorOptions)c.Spec.Options).Times;
            if (times < 1)
                c.Report(DiagnosticDescriptors.NonPositiveSizeId, c.Spec.LocationOf("Times"), "Times", c.Spec.Name, CheckContext.F(times));
        }

        public override Shape? InferShape(ShapeContext c)
        {
            Shape x = c.Input(0);
            if (x.IsSequence || x.Rank != 1)
            {
                c.Report(DiagnosticDescriptors.LayerInputId, c.At, Name, c.Member.Name, "one vector per sample", c.InputNode(0).Name, x.Describe());
                return null;
            }
            return new Shape(new TimeAxis(c.Node.Options<RepeatVectorOptions>().Times, c.Member.Name), x.Dims);
        }

        public override void Forward(EmitContext e) =>
            e.Line(K + "Layers.RepeatVector_Forward(" + e.Y + ", " + e.X() + ", batch, " + Steps(e.Node.Shape) + ", " + I(e.Node.Shape.Features) + ");");

        public override void Backward(EmitContext e) =>
            e.InputGradient(0, K + "Layers.RepeatVector_Backward(" + e.DX() + ", " + e.DY + ", batch, " + Steps(e.Node.Shape) + ", " + I(e.Node.Shape.Features) + ");");

        public override string Describe(Node node) =>
            node.Inputs[0].Name + " repeated over " + CheckContext.F(node.Options<RepeatVectorOptions>().Times) + " steps";
    }
}
