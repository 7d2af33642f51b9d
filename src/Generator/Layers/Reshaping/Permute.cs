using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Reshaping
{
    /// <param name="Dims">Keras' <c>dims</c>: the axes after the batch in their new order, counted from 1.</param>
    internal sealed record PermuteOptions(EquatableArray<int> Dims) : LayerOptions;

    /// <summary>
    /// Keras <c>Permute(dims)</c>, PyTorch <c>permute</c> on the axes after the batch. The time axis of a sequence stays a time axis
    /// when it stays first; moved elsewhere, it becomes a feature axis. Kernels: <c>Layers.Permute_Forward/Backward</c>.
    /// </summary>
    internal sealed class Permute : LayerDefinition
    {
        public override string Name => "Permute";

        public override LayerOptions Read(AttributeArguments args) => new PermuteOptions(args.Ints("Dims"));

        public override Shape? InferShape(ShapeContext c)
        {
            int[] dims = c.Node.Options<PermuteOptions>().Dims.ToArray();
            Shape x = c.Input(0);
            int[] axes = x.AllAxes;
            if (dims.Length != axes.Length || !dims.OrderBy(d => d).SequenceEqual(Enumerable.Range(1, axes.Length)))
            {
                c.Report(DiagnosticDescriptors.InvalidHyperparameterId, c.LocationOf("Dims"), $"Dims of Permute '{c.Member.Name}'",
                    "a permutation of 1.." + CheckContext.F(axes.Length) + " (the axes of " + x.Text() + " from '" + c.InputNode(0).Name + "')",
                    "(" + string.Join(", ", dims.Select(CheckContext.F)) + ")");
                return null;
            }
            int[] permuted = dims.Select(d => axes[d - 1]).ToArray();
            if (x.IsSequence && dims[0] == 1)
                return new Shape(x.Time, permuted.Skip(1).ToArray());
            return new Shape(null, permuted);
        }

        public override MaskRule Mask => MaskRule.Propagate;

        /// <summary>The call's shape arguments: the input's axes (the time axis at its run-time length), the permutation from 0, layouts.</summary>
        private static string Arguments(EmitContext e)
        {
            Shape x = e.Node.InputShape(0);
            int[] dims = e.Node.Options<PermuteOptions>().Dims.ToArray();
            string axes = string.Join(", ", (x.IsSequence ? new[] { Steps(x) } : new string[0]).Concat(x.Dims.Select(d => I(d))));
            return "batch, stackalloc int[] { " + axes + " }, stackalloc int[] { " + string.Join(", ", dims.Select(d => I(d - 1))) + " }, inputTimeMajor: "
                + (x.IsSequence ? "true" : "false") + ", outputTimeMajor: " + (e.Node.Shape.IsSequence ? "true" : "false");
        }

        public override void Forward(EmitContext e) => e.Line(K + "Layers.Permute_Forward(" + e.Y + ", " + e.X() + ", " + Arguments(e) + ");");

        public override void Backward(EmitContext e) => e.InputGradient(0, K + "Layers.Permute_Backward(" + e.DX() + ", " + e.DY + ", " + Arguments(e) + ");");

        public override string Describe(Node node) =>
            "axes of " + node.Inputs[0].Name + " " + node.InputShape(0).Text() + " permuted to " + node.Shape.Text();
    }
}
