using System.Collections.Generic;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Graph;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Core
{
    internal sealed record DenseOptions(int Units, Activation Activation, float? Alpha, bool UseBias, Initializer KernelInitializer, float? KernelScale,
        Initializer BiasInitializer, float? BiasScale, float L1, float L2) : LayerOptions;

    /// <summary>
    /// Keras <c>Dense</c>, PyTorch <c>nn.Linear</c> plus the activation: y = act(x W^T + b), W stored (units, inputs) as PyTorch.
    /// With <c>[TimeDistributed]</c> it applies at every step of a sequence. Kernels: <c>Layers.Dense_Forward/Backward</c>.
    /// </summary>
    internal sealed class Dense : LayerDefinition
    {
        public const string TimeDistributed = "TimeDistributed";
        private static readonly string[] AcceptedWrappers = { TimeDistributed };

        public override string Name => "Dense";
        public override IReadOnlyList<string> Wrappers => AcceptedWrappers;
        public override string KerasName(Node node) => IsTimeDistributed(node.Spec) ? "TimeDistributed" : "Dense";

        private static bool IsTimeDistributed(LayerSpec spec) => spec.Wrapper(TimeDistributed) is not null;

        public override LayerOptions Read(AttributeArguments a) => new DenseOptions(
            a.Int("Units", 0), a.Enum("Activation", Model.Activation.Linear), a.FloatOrNull("ActivationAlpha"), a.Bool("UseBias", true),
            a.Enum("KernelInitializer", Initializer.GlorotUniform), a.FloatOrNull("KernelScale"),
            a.Enum("BiasInitializer", Initializer.Zeros), a.FloatOrNull("BiasScale"), a.Float("L1", 0f), a.Float("L2", 0f));

        public override void CheckOptions(CheckContext c)
        {
            var o = (DenseOptions)c.Spec.Options;
            if (o.Units < 1)
                c.Report(DiagnosticDescriptors.NonPositiveSizeId, c.Spec.LocationOf("Units"), "Units", c.Spec.Name, CheckContext.F(o.Units));
            if (!(o.L1 >= 0f))
                c.Report(DiagnosticDescriptors.InvalidHyperparameterId, c.Spec.LocationOf("L1"), $"L1 of layer '{c.Spec.Name}'", "at least 0", CheckContext.F(o.L1));
            if (!(o.L2 >= 0f))
                c.Report(DiagnosticDescriptors.InvalidHyperparameterId, c.Spec.LocationOf("L2"), $"L2 of layer '{c.Spec.Name}'", "at least 0", CheckContext.F(o.L2));
        }

        public override Shape? InferShape(ShapeContext c)
        {
            var o = c.Node.Options<DenseOptions>();
            Shape x = c.Input(0);
            Node input = c.InputNode(0);
            bool timeDistributed = IsTimeDistributed(c.Spec);
            string name = c.Member.Name;
            if (x.IsSequence && !timeDistributed)
            {
                c.Report(DiagnosticDescriptors.DenseOnSequenceId, c.At, name, x.Text(), input.Name,
                    input.Layer is Recurrent.RecurrentLayer
                        ? "set ReturnSequences = false on '" + input.Name + "' to feed only its last step, or add [TimeDistributed] to apply '" + name + "' at every step"
                        : "put a recurrent layer between them to read the sequence and pass on its last output, or add [TimeDistributed] to apply '" + name + "' at every step");
                return null;
            }
            if (timeDistributed && !x.IsSequence)
            {
                c.Report(DiagnosticDescriptors.WrapperMisuseId, c.Spec.Wrapper(TimeDistributed)!.Location, name, "[TimeDistributed]",
                    "its input '" + input.Name + "' gives " + x.Describe() + ", not a sequence");
                return null;
            }
            if (x.Rank != 1)
            {
                c.Report(DiagnosticDescriptors.DenseNeedsFlattenId, c.At, name, x.Text(), input.Name, CheckContext.F(x.Rank));
                return null;
            }
            return new Shape(timeDistributed ? x.Time : null, new[] { o.Units });
        }

        public override void Plan(PlanContext p)
        {
            var o = p.Node.Options<DenseOptions>();
            int inputs = p.Node.InputShape(0).Dims[0];
            if (p.OwnsParameters)
            {
                p.PackAtInference(p.Tensor("weight", new[] { o.Units, inputs }, o.KernelInitializer, Scales.Of(o.KernelInitializer, o.KernelScale), inputs, o.Units));
                if (o.UseBias)
                    p.Tensor("bias", new[] { o.Units }, o.BiasInitializer, Scales.Of(o.BiasInitializer, o.BiasScale), inputs, o.Units);
                if (o.Activation == Model.Activation.PRelu)
                    p.Tensor("alpha", new[] { o.Units }, Initializer.Constant, o.Alpha ?? 0.25f, o.Units, o.Units);
            }
            if (o.Activation != Model.Activation.Linear)
                p.Buffer("Z", o.Units, p.Node.Shape.IsSequence ? Extent.Steps : Extent.Sample,
                    p.Node.Name + " pre-activation " + PlanContext.Layout(p.Node.Shape), "gradient of " + p.Node.Name + " pre-activation", clearGradient: true);
        }

        public override void Forward(EmitContext e)
        {
            var o = e.Node.Options<DenseOptions>();
            string z = e.Has("Z") ? e.Buf("Z") : e.Y;
            e.Line(Call("Dense_Forward", z, e));
            if (e.Has("Z")) e.Line(ActivationCode.Forward(o.Activation, ActivationCode.Alpha(o.Activation, o.Alpha), e.Y, z, e.Rows(), o.Units, Slopes(e, false)));
        }

        public override void Inference(EmitContext e)
        {
            var o = e.Node.Options<DenseOptions>();
            e.Line(Call("Dense_Forward", e.Y, e));
            if (o.Activation != Model.Activation.Linear)
                e.Line(ActivationCode.Forward(o.Activation, ActivationCode.Alpha(o.Activation, o.Alpha), e.Y, e.Y, e.Rows(), o.Units, Slopes(e, false)));
        }

        public override void Backward(EmitContext e)
        {
            var o = e.Node.Options<DenseOptions>();
            string dz = e.DY;
            if (e.Has("Z"))
            {
                dz = e.DBuf("Z");
                string backward = ActivationCode.Backward(o.Activation, ActivationCode.Alpha(o.Activation, o.Alpha), dz, e.DY, e.Buf("Z"), e.Y, e.Rows(), o.Units,
                    Slopes(e, false), Slopes(e, true));
                e.Line(e.Fused ? "if (!" + e.FromLoss + ") " + backward + " // the loss gave the logits' gradient itself" : backward);
            }
            int inputs = e.Node.InputShape(0).Dims[0];
            e.Line(K + "Layers.Dense_Backward(" + e.DX() + ", " + e.DParam("weight") + ", " + (e.HasParam("bias") ? e.DParam("bias") : "default") + ", " + dz + ", "
                + e.X() + ", " + e.Param("weight") + ", " + e.Rows() + ", " + I(inputs) + ", " + I(o.Units) + ");");
        }

        private static string Call(string kernel, string y, EmitContext e)
        {
            var o = e.Node.Options<DenseOptions>();
            int inputs = e.Node.InputShape(0).Dims[0];
            return K + "Layers." + kernel + "(" + y + ", " + e.X() + ", " + e.Param("weight") + ", " + (e.HasParam("bias") ? e.Param("bias") : "default") + ", "
                + e.Rows() + ", " + I(inputs) + ", " + I(o.Units) + e.Packed("weight") + ");";
        }

        private static string? Slopes(EmitContext e, bool gradient) =>
            e.HasParam("alpha") ? (gradient ? e.DParam("alpha") : e.Param("alpha")) : null;

        public override Activation Activation(Node node) => node.Options<DenseOptions>().Activation;

        public override bool CanFuseLoss(Node node) => ActivationCode.Fusable(node.Options<DenseOptions>().Activation);

        public override string? LogitsGradient(EmitContext e) =>
            ActivationCode.Fusable(e.Node.Options<DenseOptions>().Activation) ? e.DBuf("Z") : null;

        public override IEnumerable<(string Tensor, float L1, float L2)> Penalties(Node node)
        {
            var o = node.Options<DenseOptions>();
            if (!node.IsShared && (o.L1 > 0f || o.L2 > 0f)) yield return ("weight", o.L1, o.L2);
        }

        public override string Describe(Node node)
        {
            var o = node.Options<DenseOptions>();
            int inputs = node.InputShape(0).Dims[0];
            return "dense " + CheckContext.F(inputs) + " -> " + CheckContext.F(o.Units)
                + (node.Shape.IsSequence ? " at each of " + CheckContext.F(node.Shape.Steps) + " steps" : "")
                + (o.Activation == Model.Activation.Linear ? "" : ", " + Emit.Names.ActivationName(o.Activation)) + (o.UseBias ? "" : ", no bias");
        }
    }

    /// <summary>The scale argument an initializer uses when none is given (Keras defaults).</summary>
    internal static class Scales
    {
        public static float Of(Initializer initializer, float? scale) => initializer switch
        {
            Initializer.Constant => scale ?? 0f,
            Initializer.Uniform or Initializer.Normal => scale ?? 0.05f,
            Initializer.Orthogonal => scale ?? 1f,
            _ => 0f,
        };
    }
}
