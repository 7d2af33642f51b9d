using Unroll.Generator.Model;
using static Unroll.Generator.Layers.EmitContext;

namespace Unroll.Generator.Layers.Core
{
    /// <summary>The kernel calls of an activation, shared by the layers that apply one (Dense, Activation).</summary>
    internal static class ActivationCode
    {
        /// <summary>Leaky ReLU slope or ELU alpha as declared, else its Keras default (PReLU's initial slope is its tensor's initializer).</summary>
        public static float Alpha(Activation activation, float? declared) => activation switch
        {
            Activation.LeakyRelu => declared ?? 0.2f,
            Activation.Elu => declared ?? 1f,
            _ => 0f,
        };

        /// <summary>y = f(x) over <paramref name="rows"/> rows of <paramref name="width"/>; <paramref name="slopes"/> is PReLU's tensor.</summary>
        public static string Forward(Activation activation, float alpha, string y, string x, string rows, long width, string? slopes) => activation switch
        {
            Activation.LeakyRelu or Activation.Elu => K + "Activations." + activation + "_Forward(" + y + ", " + x + ", " + Float(alpha) + ");",
            Activation.PRelu => K + "Activations.PRelu_Forward(" + y + ", " + x + ", " + slopes + ", " + rows + ", " + I(width) + ");",
            Activation.Softmax => K + "Activations.Softmax_Forward(" + y + ", " + x + ", " + rows + ", " + I(width) + ");",
            Activation.Linear => x + ".CopyTo(" + y + ");",
            _ => K + "Activations." + activation + "_Forward(" + y + ", " + x + ");",
        };

        /// <summary>dx += f'(x) dy; <paramref name="dSlopes"/>/<paramref name="slopes"/> are PReLU's tensor and gradient.</summary>
        public static string Backward(Activation activation, float alpha, string dx, string dy, string x, string y, string rows, long width,
            string? slopes, string? dSlopes) => activation switch
        {
            Activation.Sigmoid or Activation.Tanh => K + "Activations." + activation + "_Backward(" + dx + ", " + dy + ", " + y + ");",
            Activation.Relu or Activation.Gelu => K + "Activations." + activation + "_Backward(" + dx + ", " + dy + ", " + x + ");",
            Activation.LeakyRelu => K + "Activations.LeakyRelu_Backward(" + dx + ", " + dy + ", " + x + ", " + Float(alpha) + ");",
            Activation.Elu => K + "Activations.Elu_Backward(" + dx + ", " + dy + ", " + x + ", " + y + ", " + Float(alpha) + ");",
            Activation.Selu => K + "Activations.Selu_Backward(" + dx + ", " + dy + ", " + x + ", " + y + ");",
            Activation.PRelu => K + "Activations.PRelu_Backward(" + dx + ", " + dSlopes + ", " + dy + ", " + x + ", " + slopes + ", " + rows + ", " + I(width) + ");",
            Activation.Softmax => K + "Activations.Softmax_Backward(" + dx + ", " + dy + ", " + y + ", " + rows + ", " + I(width) + ");",
            _ => "global::System.Numerics.Tensors.TensorPrimitives.Add(" + dx + ", " + dy + ", " + dx + ");",
        };

        /// <summary>Whether a loss can take this activation's output and give the logits' gradient itself.</summary>
        public static bool Fusable(Activation activation) => activation is Activation.Softmax or Activation.Sigmoid;
    }
}
