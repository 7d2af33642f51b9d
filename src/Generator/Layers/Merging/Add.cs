using Unroll.Generator.Graph;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    /// <summary>Keras <c>Add</c>: y = x0 + x1 + ...; each input's gradient is dy. Kernels: <c>Layers.Add_Forward/Backward</c>.</summary>
    internal sealed class Add : ElementwiseMerge
    {
        public override string Name => "Add";

        public override void Forward(EmitContext e)
        {
            e.Line(K + "Layers.Add_Forward(" + e.Y + ", " + e.X(0) + ", " + e.X(1) + ");");
            for (int i = 2; i < e.Node.Inputs.Count; i++) e.Line(K + "Layers.Add_Forward(" + e.Y + ", " + e.Y + ", " + e.X(i) + ");");
        }

        public override void Backward(EmitContext e)
        {
            for (int i = 0; i < e.Node.Inputs.Count; i++) e.InputGradient(i, K + "Layers.Add_Backward(" + e.DX(i) + ", " + e.DY + ");");
        }

        public override string Describe(Node node) => "sum of " + Names(node);
    }
}
