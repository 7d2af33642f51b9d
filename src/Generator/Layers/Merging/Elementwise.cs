using Unroll.Generator.Graph;
using Unroll.Generator.Model;
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

    internal sealed class Maximum : Extremum
    {
        public override string Name => "Maximum";
        public override string Describe(Node node) => "elementwise maximum of " + Names(node);
    }

    internal sealed class Minimum : Extremum
    {
        public override string Name => "Minimum";
        public override string Describe(Node node) => "elementwise minimum of " + Names(node);
    }
}
