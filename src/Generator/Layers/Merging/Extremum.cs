using Unroll.Generator.Graph;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Merging
{
    /// <summary>Keras <c>Maximum</c> and <c>Minimum</c>: the elementwise extreme; the gradient goes to the first input that holds it
    /// (PyTorch's <c>torch.maximum</c> splits ties; ties are measure-zero for real data). Kernels: <c>Layers.Maximum_Forward</c>,
    /// <c>Layers.Minimum_Forward</c>, <c>Layers.Selected_Backward</c>.</summary>
    internal abstract class Extremum : ElementwiseMerge
    {
        public override void Plan(PlanContext p) =>
            p.Buffer("Index", p.Node.Shape.Features, p.Node.Shape.IsSequence ? Extent.Steps : Extent.Sample,
                p.Node.Name + " which input gave each value " + PlanContext.Layout(p.Node.Shape));

        public override void Forward(EmitContext e) => Write(e, e.Buf("Index"));

        public override void Inference(EmitContext e) => Write(e, "default");

        private void Write(EmitContext e, string index)
        {
            e.Line(e.X(0) + ".CopyTo(" + e.Y + ");");
            if (index != "default") e.Line(index + ".Clear(); // input 0 until another is " + (Name == "Maximum" ? "larger" : "smaller"));
            for (int i = 1; i < e.Node.Inputs.Count; i++)
                e.Line(K + "Layers." + Name + "_Forward(" + e.Y + ", " + index + ", " + e.X(i) + ", " + I(i) + ");");
        }

        public override void Backward(EmitContext e)
        {
            for (int i = 0; i < e.Node.Inputs.Count; i++)
                e.InputGradient(i, K + "Layers.Selected_Backward(" + e.DX(i) + ", " + e.DY + ", " + e.Buf("Index") + ", " + I(i) + ");");
        }
    }
}
