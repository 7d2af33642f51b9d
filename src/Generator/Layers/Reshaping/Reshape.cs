using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Reshaping
{
    /// <param name="Shape">Keras' <c>target_shape</c>: every axis after the batch, at most one -1 (inferred).</param>
    internal sealed record ReshapeOptions(EquatableArray<int> Shape) : LayerOptions;

    /// <summary>
    /// Keras <c>Reshape(target_shape)</c>, PyTorch <c>view</c>: the same values per sample under other axes. A sequence keeps its
    /// time axis when the target starts with its length ((20, 12) to (20, 3, 4)) and moves nothing; otherwise its steps fold into
    /// the features (time-major to batch-major, a copy). Without a time axis it is a view of its input's floats in both arenas.
    /// Kernels: <c>Layers.Sequence_ToBatchMajor</c> and its backward when folding.
    /// </summary>
    internal sealed class Reshape : LayerDefinition
    {
        public override string Name => "Reshape";

        public override LayerOptions Read(AttributeArguments args) => new ReshapeOptions(args.Ints("Shape"));

        public override void CheckOptions(CheckContext c)
        {
            var o = (ReshapeOptions)c.Spec.Options;
            string target = Format(o.Shape.ToArray());
            if (o.Shape.Count == 0)
                c.Report(DiagnosticDescriptors.InvalidHyperparameterId, c.Spec.LocationOf("Shape"), $"The target shape of Reshape '{c.Spec.Name}'", "at least one axis", "()");
            else if (o.Shape.Count(d => d == -1) > 1 || o.Shape.Any(d => d == 0 || d < -1))
                c.Report(DiagnosticDescriptors.InvalidHyperparameterId, c.Spec.LocationOf("Shape"), $"The target shape of Reshape '{c.Spec.Name}'",
                    "positive sizes with at most one -1", target);
        }

        private static string Format(int[] dims) => "(" + string.Join(", ", dims.Select(CheckContext.F)) + ")";

        public override Shape? InferShape(ShapeContext c)
        {
            int[] target = c.Node.Options<ReshapeOptions>().Shape.ToArray();
            Shape x = c.Input(0);
            long total = x.SampleFloats, known = 1;
            foreach (int d in target) if (d != -1) known *= d;
            int free = System.Array.IndexOf(target, -1);
            if (free >= 0)
            {
                if (known == 0 || total % known != 0)
                {
                    c.Report(DiagnosticDescriptors.ReshapeSizeId, c.LocationOf("Shape"), c.Member.Name, c.InputNode(0).Name, x.Text(), CheckContext.F(total),
                        Format(target), "a multiple of " + CheckContext.F(known));
                    return null;
                }
                target[free] = (int)(total / known);
            }
            else if (known != total)
            {
                c.Report(DiagnosticDescriptors.ReshapeSizeId, c.LocationOf("Shape"), c.Member.Name, c.InputNode(0).Name, x.Text(), CheckContext.F(total),
                    Format(target), CheckContext.F(known));
                return null;
            }
            if (x.IsSequence && target.Length > 1 && target[0] == x.Steps)
                return new Shape(x.Time, target.Skip(1).ToArray());
            return new Shape(null, target);
        }

        public override MaskRule Mask => MaskRule.Propagate;

        public override bool IsView(Node node) => !Folds(node);

        /// <summary>Whether the steps of a sequence fold into the features (a copy, time-major to batch-major).</summary>
        public static bool Folds(Node node) => node.InputShape(0).IsSequence && !node.Shape.IsSequence;

        public override void Forward(EmitContext e) => WriteFold(e, e.Y);

        public override void Inference(EmitContext e) => WriteFold(e, e.Y);

        /// <summary>Folding a sequence (steps, B, F) into (B, steps * F); a view needs no code, unless it is an output, whose floats
        /// are its own in training (see <see cref="EmitContext.Aliased"/>).</summary>
        public static void WriteFold(EmitContext e, string y)
        {
            if (!Folds(e.Node))
            {
                if (!e.Aliased) e.Line(e.X() + ".CopyTo(" + y + "); // the same floats, in a buffer of its own");
                return;
            }
            Shape x = e.Node.InputShape(0);
            e.Line(K + "Layers.Sequence_ToBatchMajor(" + y + ", " + e.X() + ", batch, " + Steps(x) + ", " + I(x.Features) + "); // (steps, B, "
                + I(x.Features) + ") -> (B, steps * " + I(x.Features) + ")");
        }

        public static void WriteFoldBackward(EmitContext e)
        {
            if (!Folds(e.Node))
            {
                if (!e.Aliased) e.InputGradient(0, K + "Layers.Add_Backward(" + e.DX() + ", " + e.DY + "); // its gradient added to its input's");
                return;
            }
            Shape x = e.Node.InputShape(0);
            e.InputGradient(0, K + "Layers.Sequence_ToBatchMajorBackward(" + e.DX() + ", " + e.DY + ", batch, " + Steps(x) + ", " + I(x.Features) + ");");
        }

        public override void Backward(EmitContext e) => WriteFoldBackward(e);

        public override string Describe(Node node) =>
            (Folds(node) ? "the steps of " + node.Inputs[0].Name + " folded into " : node.Inputs[0].Name + " viewed as ") + node.Shape.Text();
    }
}
