using Unroll.Generator.Graph;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    /// <summary>Keras <c>Subtract</c>: y = x0 - x1, exactly two inputs. Kernels: <c>Layers.Subtract_Forward/Backward</c>.</summary>
    internal sealed class Subtract : ElementwiseMerge
    {
        public override string Name => "Subtract";
        public override int MaxInputs => 2;

        public override void Forward(EmitContext e) => e.Line(K + "Layers.Subtract_Forward(" + e.Y + ", " + e.X(0) + ", " + e.X(1) + ");");

        public override void Backward(EmitContext e)
        {
            e.InputGradient(0, K + "Layers.Add_Backward(" + e.DX(0) + ", " + e.DY + ");");
            e.InputGradient(1, K + "Layers.Subtract_Backward(" + e.DX(1) + ", " + e.DY + "); // the subtrahend's gradient is -dy");
        }

        public override string Describe(Node node) => node.Inputs[0].Name + " minus " + node.Inputs[1].Name;
    }
}
