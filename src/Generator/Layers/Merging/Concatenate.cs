using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    /// <param name="Axis">Keras' axis: 1 is the first axis after the batch (the time axis of a sequence), -1 the last.</param>
    internal sealed record ConcatenateOptions(int Axis) : LayerOptions;

    /// <summary>
    /// Keras <c>Concatenate(axis)</c>, PyTorch <c>torch.cat</c>: the inputs side by side along one feature axis; every other axis
    /// must agree. In the arenas each input is (outer, inner_i) with outer the rows times the axes before the concatenated one, so the
    /// kernel copies blocks. Kernels: <c>Layers.Concatenate_Forward/Backward</c>.
    /// </summary>
    internal sealed class Concatenate : MergeLayer
    {
        public override string Name => "Concatenate";

        public override LayerOptions Read(AttributeArguments args) => new ConcatenateOptions(args.Int("Axis", -1));

        /// <summary>The concatenated feature axis (an index into Dims), or -1 after reporting.</summary>
        private static int FeatureAxis(ShapeContext c, Shape first, int axis)
        {
            int all = first.AllAxes.Length;
            int keras = axis < 0 ? all + axis + 1 : axis;
            string axes = "(" + string.Join(", ", first.AllAxes.Select(CheckContext.F)) + ")";
            if (keras < 1 || keras > all)
            {
                c.Report(DiagnosticDescriptors.ConcatenateAxisId, c.LocationOf("Axis"), c.Member.Name, CheckContext.F(axis),
                    "its inputs have axes 1 to " + CheckContext.F(all) + " after the batch, " + axes + " for '" + c.InputNode(0).Name + "'" + (axis < 0 ? " (-1 is the last)" : ""));
                return -1;
            }
            if (first.IsSequence && keras == 1)
            {
                c.Report(DiagnosticDescriptors.ConcatenateAxisId, c.LocationOf("Axis"), c.Member.Name, CheckContext.F(axis),
                    "axis 1 is the time axis of the sequence " + first.Text() + ", and concatenating steps is not supported; concatenate features (Axis = -1)");
                return -1;
            }
            return keras - (first.IsSequence ? 2 : 1);
        }

        public override Shape? InferShape(ShapeContext c)
        {
            Shape first = c.Input(0);
            int k = FeatureAxis(c, first, c.Node.Options<ConcatenateOptions>().Axis);
            if (k < 0) return null;
            long sum = 0;
            for (int i = 0; i < c.InputCount; i++)
            {
                Shape s = c.Input(i);
                bool fits = s.Steps == first.Steps && s.Rank == first.Rank && !s.IsTokens
                    && Enumerable.Range(0, s.Rank).All(a => a == k || s.Dims[a] == first.Dims[a]);
                if (!fits)
                {
                    c.Report(DiagnosticDescriptors.IncompatibleMergeId, c.At, Name, c.Member.Name, c.InputNode(0).Name, first.Text(), c.InputNode(i).Name, s.Text(),
                        "concatenating along axis " + CheckContext.F(c.Node.Options<ConcatenateOptions>().Axis) + " needs every other axis to agree");
                    return null;
                }
                sum += s.Dims[k];
            }
            int[] dims = (int[])first.Dims.Clone();
            dims[k] = Shape.Dim(sum);
            return new Shape(first.Time, dims);
        }

        /// <summary>(outer rows, inner floats of input i, offset of input i, inner floats of the output).</summary>
        private static (string Outer, long Inner, long Offset, long Total) Blocks(EmitContext e, int input)
        {
            Shape y = e.Node.Shape;
            int k = AxisOf(e.Node);
            long before = 1, after = 1;
            for (int a = 0; a < k; a++) before *= y.Dims[a];
            for (int a = k + 1; a < y.Rank; a++) after *= y.Dims[a];
            long offset = 0;
            for (int i = 0; i < input; i++) offset += e.Node.InputShape(i).Dims[k] * after;
            string outer = e.Rows() + (before == 1 ? "" : " * " + I(before));
            return (outer, e.Node.InputShape(input).Dims[k] * after, offset, y.Dims[k] * after);
        }

        /// <summary>The concatenated axis as an index into the feature axes (checked by <see cref="InferShape"/>).</summary>
        private static int AxisOf(Node node)
        {
            Shape first = node.InputShape(0);
            int axis = node.Options<ConcatenateOptions>().Axis;
            int keras = axis < 0 ? first.AllAxes.Length + axis + 1 : axis;
            return keras - (first.IsSequence ? 2 : 1);
        }

        public override void Forward(EmitContext e)
        {
            for (int i = 0; i < e.Node.Inputs.Count; i++)
            {
                var (outer, inner, offset, total) = Blocks(e, i);
                e.Line(K + "Layers.Concatenate_Forward(" + e.Y + ", " + e.X(i) + ", " + outer + ", " + I(inner) + ", " + I(offset) + ", " + I(total) + ");");
            }
        }

        public override void Backward(EmitContext e)
        {
            for (int i = 0; i < e.Node.Inputs.Count; i++)
            {
                var (outer, inner, offset, total) = Blocks(e, i);
                e.InputGradient(i, K + "Layers.Concatenate_Backward(" + e.DX(i) + ", " + e.DY + ", " + outer + ", " + I(inner) + ", " + I(offset) + ", " + I(total) + ");");
            }
        }

        public override string Describe(Node node) => "concatenation of " + Names(node) + " along axis " + CheckContext.F(node.Options<ConcatenateOptions>().Axis);
    }
}
