using System.Linq;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;

namespace Unroll.Generator.Layers.Merging
{
    /// <summary>The options of a merge without arguments of its own.</summary>
    internal sealed record MergeOptions : LayerOptions;

    /// <summary>
    /// What the merge layers share (Keras' <c>base_merge.py</c>): their inputs are listed in the attribute's constructor,
    /// <c>[Add(nameof(A), nameof(B))]</c>, not taken from the member before; masks of sequences are combined (a step is padding
    /// if it is padding in any input, as Keras); parameterless.
    /// </summary>
    internal abstract class MergeLayer : LayerDefinition
    {
        public override int MinInputs => 2;
        public override int MaxInputs => int.MaxValue;

        public override EquatableArray<string> ReadInputs(AttributeArguments args) => args.Strings("Inputs");

        public override string InputArgument(int index) => "Inputs[" + CheckContext.F(index) + "]";

        public override LayerOptions Read(AttributeArguments args) => new MergeOptions();

        public override void CheckOptions(CheckContext c)
        {
            if (c.Spec.ExactLocationOf("From") is { } from)
                c.Report(DiagnosticDescriptors.MergeInputsId, from, c.Spec.Name, Name, "its inputs are the layers listed in its constructor, not From",
                    "remove From and list every input: [" + Name + "(nameof(A), nameof(B))]");
        }

        /// <summary>Reports inputs whose shapes differ from the first's (elementwise merges need equal shapes).</summary>
        protected static bool SameShapes(ShapeContext c, string kind)
        {
            Shape first = c.Input(0);
            for (int i = 1; i < c.InputCount; i++)
            {
                if (c.Input(i).SameAs(first)) continue;
                c.Report(DiagnosticDescriptors.IncompatibleMergeId, c.At, kind, c.Member.Name, c.InputNode(0).Name, first.Text(), c.InputNode(i).Name,
                    c.Input(i).Text(), "elementwise merges need inputs of one shape");
                return false;
            }
            return true;
        }

        protected static string Names(Node node) => string.Join(", ", node.Inputs.Select(n => n.Name));
    }

    /// <summary>A merge that combines equal shapes element by element: Add, Subtract, Multiply, Average, Maximum, Minimum.</summary>
    internal abstract class ElementwiseMerge : MergeLayer
    {
        public override Shape? InferShape(ShapeContext c) => SameShapes(c, Name) ? c.Input(0) : null;

        protected static string Length(EmitContext e) => e.Rows() + (e.Node.Shape.Features == 1 ? "" : " * " + EmitContext.I(e.Node.Shape.Features));
    }
}
