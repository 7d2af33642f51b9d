using Unroll.Generator.Graph;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    /// <summary>Keras <c>Average</c>: y = (x0 + ... + x(n-1)) / n. Kernels: <c>Layers.Add_Forward</c>, <c>Layers.Average_Backward</c>.</summary>
    internal sealed class Average : ElementwiseMerge
    {
        public override string Name => "Average";

        public override void Forward(EmitContext e)
        {
            int n = e.Node.Inputs.Count;
            e.Line(K + "Layers.Add_Forward(" + e.Y + ", " + e.X(0) + ", " + e.X(1) + ");");
            for (int i = 2; i < n; i++) e.Line(K + "Layers.Add_Forward(" + e.Y + ", " + e.Y + ", " + e.X(i) + ");");
            e.Line("global::System.Numerics.Tensors.TensorPrimitives.Multiply(" + e.Y + ", " + Float(1f / n) + ", " + e.Y + "); // divided by " + I(n));
        }

        public override void Backward(EmitContext e)
        {
            int n = e.Node.Inputs.Count;
            for (int i = 0; i < n; i++) e.InputGradient(i, K + "Layers.Average_Backward(" + e.DX(i) + ", " + e.DY + ", " + I(n) + ");");
        }

        public override string Describe(Node node) => "mean of " + Names(node);
    }
}
