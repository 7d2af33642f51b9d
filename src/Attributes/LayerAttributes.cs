using System;

namespace Unroll
{
    /// <summary>Base of every layer attribute. The layer's input is the layer declared just before it,
    /// unless <see cref="From"/> names another (the Keras functional API); a merge layer lists its inputs in its constructor.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    public abstract class LayerAttribute : Attribute
    {
        /// <summary>The layer whose output feeds this one, written <c>nameof(Other)</c>: any layer declared in the model, so a layer may take
        /// an earlier one's output again (a skip connection) or start a branch from a second [Input]. Default: the layer declared before
        /// this one (the Keras Sequential order).</summary>
        public string? From { get; set; }

        /// <summary>Whether the optimizer updates this layer's parameters. Default true. Changeable at run time through the layer's <c>Frozen</c> flag (Keras <c>trainable</c>; PyTorch <c>requires_grad</c>).</summary>
        public bool Trainable { get; set; } = true;
    }

    /// <summary>The model's input: a vector of <see cref="Features"/> floats per sample (Keras <c>Input(shape=(features,))</c>);
    /// with <see cref="Length"/>, a sequence of that many steps of <see cref="Features"/> floats (Keras <c>Input(shape=(length, features))</c>);
    /// with <see cref="Vocabulary"/> too, a sequence of token ids for an <see cref="EmbeddingAttribute"/> (Keras <c>Input(shape=(length,), dtype="int32")</c>).</summary>
    public sealed class InputAttribute : LayerAttribute
    {
        /// <summary>Number of features per sample (per step, for a sequence). Required for float inputs, at least 1; leave 0 for token ids.</summary>
        public int Features { get; set; }

        /// <summary>Number of steps of a sequence input, the longest sequence a batch may hold. Default 0: not a sequence.</summary>
        public int Length { get; set; }

        /// <summary>For a token-id sequence: the number of distinct ids, which must lie in [0, vocabulary); id 0 is padding when the
        /// embedding masks zeros. Default 0: not token ids.</summary>
        public int Vocabulary { get; set; }

        /// <summary>Feature axes of rank 2 or more, instead of <see cref="Features"/>: an image of 28 x 28 pixels and 1 channel is
        /// <c>Shape = new[] { 28, 28, 1 }</c> (Keras <c>Input(shape=(28, 28, 1))</c>). The caller passes the values row-major. Default: none.</summary>
        public int[]? Shape { get; set; }
    }

    /// <summary>A fully connected layer y = act(x W^T + b) (Keras <c>Dense</c>; PyTorch <c>nn.Linear</c> followed by the activation).
    /// Its weight is stored as PyTorch does, (units, inputs), and saved as <c>name.weight</c> and <c>name.bias</c>.</summary>
    public sealed class DenseAttribute : LayerAttribute
    {
        /// <summary>Number of output units. Required, at least 1.</summary>
        public int Units { get; set; }

        /// <summary>Activation applied to the output. Default <see cref="Unroll.Activation.Linear"/>.</summary>
        public Activation Activation { get; set; }

        /// <summary>Slope for <see cref="Unroll.Activation.LeakyRelu"/> (default 0.2), alpha for <see cref="Unroll.Activation.Elu"/> (default 1),
        /// initial slope for <see cref="Unroll.Activation.PRelu"/> (default 0.25). Ignored by other activations.</summary>
        public float ActivationAlpha { get; set; }

        /// <summary>Whether the layer adds a bias vector. Default true (Keras <c>use_bias</c>, PyTorch <c>bias</c>).</summary>
        public bool UseBias { get; set; } = true;

        /// <summary>Initializer of the weight matrix. Default <see cref="Initializer.GlorotUniform"/> (Keras).</summary>
        public Initializer KernelInitializer { get; set; } = Initializer.GlorotUniform;

        /// <summary>Value for <see cref="Initializer.Constant"/>, limit for <see cref="Initializer.Uniform"/>, standard deviation for <see cref="Initializer.Normal"/>. Default 0.05 (0 for Constant).</summary>
        public float KernelScale { get; set; }

        /// <summary>Initializer of the bias. Default <see cref="Initializer.Zeros"/> (Keras).</summary>
        public Initializer BiasInitializer { get; set; } = Initializer.Zeros;

        /// <summary>As <see cref="KernelScale"/>, for the bias.</summary>
        public float BiasScale { get; set; }

        /// <summary>L1 penalty on the weight matrix: adds L1 * sum|w| to the loss. Default 0 (Keras <c>kernel_regularizer=l1(...)</c>).</summary>
        public float L1 { get; set; }

        /// <summary>L2 penalty on the weight matrix: adds L2 * sum w^2 to the loss. Default 0 (Keras <c>kernel_regularizer=l2(...)</c>; PyTorch's <c>weight_decay</c> is 2 * L2 for SGD).</summary>
        public float L2 { get; set; }
    }

    /// <summary>Applies an activation to its input (Keras <c>Activation</c>, <c>LeakyReLU</c>, <c>PReLU</c>, <c>ELU</c>, <c>Softmax</c> layers).</summary>
    public sealed class ActivationAttribute : LayerAttribute
    {
        /// <summary>Creates the layer.</summary>
        /// <param name="activation">The activation to apply.</param>
        public ActivationAttribute(Activation activation) => Activation = activation;

        /// <summary>The activation to apply.</summary>
        public Activation Activation { get; }

        /// <summary>As <see cref="DenseAttribute.ActivationAlpha"/>.</summary>
        public float Alpha { get; set; }
    }

    /// <summary>Inverted dropout (Keras <c>Dropout</c>, PyTorch <c>nn.Dropout</c>): while training, each value is zeroed
    /// with probability <see cref="Rate"/> and the survivors are scaled by 1 / (1 - rate); at inference it is the identity.</summary>
    public sealed class DropoutAttribute : LayerAttribute
    {
        /// <summary>Creates the layer.</summary>
        /// <param name="rate">Probability of dropping each value, in [0, 1).</param>
        public DropoutAttribute(float rate) => Rate = rate;

        /// <summary>Probability of dropping each value, in [0, 1).</summary>
        public float Rate { get; }
    }
}
