using Unroll.Generator.Graph;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    /// <summary>Keras <c>Multiply</c>: y = x0 * x1 * ...; input i's gradient is dy times the product of the others.
    /// Kernels: <c>Layers.Multiply_Forward/Backward</c>.</summary>
    internal sealed class Multiply : ElementwiseMerge
    {
        public override string Name => "Multiply";

        public override void Plan(PlanContext p)
        {
            if (p.Node.Inputs.Count > 2)
                p.Buffer("Others", p.Node.Shape.Features, p.Node.Shape.IsSequence ? Extent.Steps : Extent.Sample,
                    p.Node.Name + " product of all inputs but one " + PlanContext.Layout(p.Node.Shape));
        }

        public override void Forward(EmitContext e)
        {
            e.Line(K + "Layers.Multiply_Forward(" + e.Y + ", " + e.X(0) + ", " + e.X(1) + ");");
            for (int i = 2; i < e.Node.Inputs.Count; i++) e.Line(K + "Layers.Multiply_Forward(" + e.Y + ", " + e.Y + ", " + e.X(i) + ");");
        }

        public override void Backward(EmitContext e)
        {
            int n = e.Node.Inputs.Count;
            if (n == 2)
            {
                e.InputGradient(0, K + "Layers.Multiply_Backward(" + e.DX(0) + ", " + e.DY + ", " + e.X(1) + ");");
                e.InputGradient(1, K + "Layers.Multiply_Backward(" + e.DX(1) + ", " + e.DY + ", " + e.X(0) + ");");
                return;
            }
            string buffer = e.Buf("Others");
            for (int i = 0; i < n; i++)
            {
                if (!e.Input(i).NeedsGradient) continue;
                var others = System.Linq.Enumerable.ToList(System.Linq.Enumerable.Where(System.Linq.Enumerable.Range(0, n), j => j != i));
                var statements = new System.Collections.Generic.List<string>
                {
                    K + "Layers.Multiply_Forward(" + buffer + ", " + e.X(others[0]) + ", " + e.X(others[1]) + ");",
                };
                for (int k = 2; k < others.Count; k++)
                    statements.Add(K + "Layers.Multiply_Forward(" + buffer + ", " + buffer + ", " + e.X(others[k]) + ");");
                statements.Add(K + "Layers.Multiply_Backward(" + e.DX(i) + ", " + e.DY + ", " + buffer + ");");
                if (e.GradientOptional(i)) e.Line("if (!" + e.DX(i) + ".IsEmpty) { " + string.Join(" ", statements) + " }");
                else foreach (string statement in statements) e.Line(statement);
            }
        }

        public override string Describe(Node node) => "product of " + Names(node);
    }
}
