using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    /// <param name="Axes">The axis contracted in both inputs, as Keras counts it (1 is the first after the batch, -1 the last).</param>
    /// <param name="Normalize">L2-normalize both inputs along that axis first, so the product is the cosine similarity.</param>
    internal sealed record DotOptions(int Axes, bool Normalize) : LayerOptions;

    /// <summary>
    /// Keras <c>Dot(axes, normalize)</c>: the dot product of two samples along one axis (<c>keras.ops.batch_dot</c>); the output
    /// holds the other axes of the first input, then of the second ((1) for two vectors). With Normalize, both are divided by
    /// their L2 norm along the axis first (Keras <c>l2_normalize</c>: sqrt(max(sum x^2, 1e-12))), which gives cosine similarity.
    /// Inputs without a time axis (pool or flatten a sequence first). Kernels: <c>Layers.Dot_Forward/Backward</c>,
    /// <c>Layers.L2Normalize_Forward/Backward</c>.
    /// </summary>
    internal sealed class Dot : MergeLayer
    {
        public override string Name => "Dot";
        public override int MaxInputs => 2;
        public override MaskRule Mask => MaskRule.None;

        public override LayerOptions Read(AttributeArguments args) => new DotOptions(args.Int("Axes", -1), args.Bool("Normalize", false));

        private static int AxisOf(Shape s, int axes) => axes < 0 ? s.Rank + axes : axes - 1;

        public override Shape? InferShape(ShapeContext c)
        {
            var o = c.Node.Options<DotOptions>();
            for (int i = 0; i < 2; i++)
            {
                if (!c.Input(i).IsSequence) continue;
                c.Report(DiagnosticDescriptors.LayerInputId, c.At, Name, c.Member.Name, "inputs without a time axis", c.InputNode(i).Name,
                    c.Input(i).Describe() + "; reduce the sequence first ([GlobalAveragePooling1D], a recurrent layer) or [Flatten] it");
                return null;
            }
            Shape a = c.Input(0), b = c.Input(1);
            int ka = AxisOf(a, o.Axes), kb = AxisOf(b, o.Axes);
            for (int i = 0; i < 2; i++)
            {
                Shape s = c.Input(i);
                int k = i == 0 ? ka : kb;
                if (k >= 0 && k < s.Rank) continue;
                c.Report(DiagnosticDescriptors.DotAxesId, c.LocationOf("Axes"), c.Member.Name, CheckContext.F(o.Axes),
                    "'" + c.InputNode(i).Name + "' " + s.Text() + " has axes 1 to " + CheckContext.F(s.Rank) + " after the batch");
                return null;
            }
            if (a.Dims[ka] != b.Dims[kb])
            {
                c.Report(DiagnosticDescriptors.DotAxesId, c.LocationOf("Axes"), c.Member.Name, CheckContext.F(o.Axes),
                    "it contracts axis " + CheckContext.F(ka + 1) + " of '" + c.InputNode(0).Name + "' " + a.Text() + ", of size " + CheckContext.F(a.Dims[ka])
                    + ", with axis " + CheckContext.F(kb + 1) + " of '" + c.InputNode(1).Name + "' " + b.Text() + ", of size " + CheckContext.F(b.Dims[kb]));
                return null;
            }
            int[] dims = a.Dims.Where((_, i) => i != ka).Concat(b.Dims.Where((_, i) => i != kb)).ToArray();
            return new Shape(null, dims.Length == 0 ? new[] { 1 } : dims);
        }

        /// <summary>Each input as (before, size, after) around the contracted axis.</summary>
        private static (long Before, long Size, long After) Split(Shape s, int k)
        {
            long before = 1, after = 1;
            for (int i = 0; i < k; i++) before *= s.Dims[i];
            for (int i = k + 1; i < s.Rank; i++) after *= s.Dims[i];
            return (before, s.Dims[k], after);
        }

        public override void Plan(PlanContext p)
        {
            if (!p.Node.Options<DotOptions>().Normalize) return;
            for (int i = 0; i < 2; i++)
            {
                Shape s = p.Node.InputShape(i);
                var (before, _, after) = Split(s, AxisOf(s, p.Node.Options<DotOptions>().Axes));
                string side = i == 0 ? "Left" : "Right";
                p.Buffer(side, s.Features, Extent.Sample, p.Node.Name + " " + p.Node.Inputs[i].Name + " normalized along the axis (B, " + PlanContext.Dims(s) + ")",
                    "gradient of " + p.Node.Name + " " + p.Node.Inputs[i].Name + " normalized", clearGradient: true, inference: InferenceUse.Scratch);
                p.Buffer(side + "Norms", before * after, Extent.Sample, p.Node.Name + " norms of " + p.Node.Inputs[i].Name + " along the axis", inference: InferenceUse.Scratch);
            }
        }

        private static string Sizes(EmitContext e)
        {
            var o = e.Node.Options<DotOptions>();
            Shape a = e.Node.InputShape(0), b = e.Node.InputShape(1);
            var (ba, k, aa) = Split(a, AxisOf(a, o.Axes));
            var (bb, _, ab) = Split(b, AxisOf(b, o.Axes));
            return "batch, " + I(ba) + ", " + I(aa) + ", " + I(bb) + ", " + I(ab) + ", " + I(k);
        }

        private static string NormalizeSizes(EmitContext e, int i)
        {
            Shape s = e.Node.InputShape(i);
            var (before, k, after) = Split(s, AxisOf(s, e.Node.Options<DotOptions>().Axes));
            return "batch * " + I(before) + ", " + I(k) + ", " + I(after);
        }

        public override void Forward(EmitContext e)
        {
            string a = e.X(0), b = e.X(1);
            if (e.Node.Options<DotOptions>().Normalize)
            {
                e.Line(K + "Layers.L2Normalize_Forward(" + e.Buf("Left") + ", " + e.Buf("LeftNorms") + ", " + a + ", " + NormalizeSizes(e, 0) + ");");
                e.Line(K + "Layers.L2Normalize_Forward(" + e.Buf("Right") + ", " + e.Buf("RightNorms") + ", " + b + ", " + NormalizeSizes(e, 1) + ");");
                a = e.Buf("Left");
                b = e.Buf("Right");
            }
            e.Line(K + "Layers.Dot_Forward(" + e.Y + ", " + a + ", " + b + ", " + Sizes(e) + ");");
        }

        public override void Backward(EmitContext e)
        {
            if (!e.Node.Options<DotOptions>().Normalize)
            {
                e.Line(K + "Layers.Dot_Backward(" + e.DX(0) + ", " + e.DX(1) + ", " + e.DY + ", " + e.X(0) + ", " + e.X(1) + ", " + Sizes(e) + ");");
                return;
            }
            e.Line(K + "Layers.Dot_Backward(" + e.DBuf("Left") + ", " + e.DBuf("Right") + ", " + e.DY + ", " + e.Buf("Left") + ", " + e.Buf("Right") + ", " + Sizes(e) + ");");
            e.InputGradient(0, K + "Layers.L2Normalize_Backward(" + e.DX(0) + ", " + e.DBuf("Left") + ", " + e.Buf("Left") + ", " + e.Buf("LeftNorms") + ", " + NormalizeSizes(e, 0) + ");");
            e.InputGradient(1, K + "Layers.L2Normalize_Backward(" + e.DX(1) + ", " + e.DBuf("Right") + ", " + e.Buf("Right") + ", " + e.Buf("RightNorms") + ", " + NormalizeSizes(e, 1) + ");");
        }

        public override string Describe(Node node) =>
            (node.Options<DotOptions>().Normalize ? "cosine similarity" : "dot product") + " of " + Names(node) + " along axis " + CheckContext.F(node.Options<DotOptions>().Axes);
    }
}
