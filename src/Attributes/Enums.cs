namespace Unroll
{
    /// <summary>Elementwise (or, for <see cref="Softmax"/>, row-wise) activation functions.</summary>
    public enum Activation
    {
        /// <summary>Identity, f(x) = x. Keras <c>"linear"</c>; PyTorch: no module.</summary>
        Linear = 0,
        /// <summary>Logistic sigmoid 1 / (1 + e^-x). Keras <c>"sigmoid"</c>; PyTorch <c>nn.Sigmoid</c>.</summary>
        Sigmoid,
        /// <summary>Hyperbolic tangent. Keras <c>"tanh"</c>; PyTorch <c>nn.Tanh</c>.</summary>
        Tanh,
        /// <summary>max(0, x). Keras <c>"relu"</c>; PyTorch <c>nn.ReLU</c>.</summary>
        Relu,
        /// <summary>x for x &gt; 0, alpha * x otherwise; alpha defaults to 0.2 (Keras 3 <c>leaky_relu</c>); PyTorch <c>nn.LeakyReLU(negative_slope)</c>.</summary>
        LeakyRelu,
        /// <summary>Parametric ReLU: x for x &gt; 0, a_j * x otherwise, with one trainable slope a_j per unit, initialised to 0.25 (PyTorch <c>nn.PReLU(num_parameters=units)</c>; Keras <c>PReLU</c> starts at 0).</summary>
        PRelu,
        /// <summary>x for x &gt; 0, alpha * (e^x - 1) otherwise; alpha defaults to 1. Keras <c>"elu"</c>; PyTorch <c>nn.ELU</c>.</summary>
        Elu,
        /// <summary>Scaled ELU with the fixed constants of Klambauer et al. (scale 1.0507..., alpha 1.6732...). Keras <c>"selu"</c>; PyTorch <c>nn.SELU</c>.</summary>
        Selu,
        /// <summary>Gaussian error linear unit, exact form x * Phi(x) (PyTorch <c>nn.GELU()</c> default; Keras <c>gelu(approximate=False)</c>).</summary>
        Gelu,
        /// <summary>Softmax over the units of each sample. Keras <c>"softmax"</c>; PyTorch <c>nn.Softmax(dim=-1)</c>.</summary>
        Softmax,
    }

    /// <summary>Training objectives. Every loss is averaged over the batch (PyTorch <c>reduction="mean"</c>, Keras default).</summary>
    public enum Loss
    {
        /// <summary>Mean squared error over all outputs. Keras <c>"mse"</c>; PyTorch <c>nn.MSELoss</c>.</summary>
        MeanSquaredError = 0,
        /// <summary>Mean absolute error over all outputs. Keras <c>"mae"</c>; PyTorch <c>nn.L1Loss</c>.</summary>
        MeanAbsoluteError,
        /// <summary>Huber loss with threshold <see cref="ModelAttribute.HuberDelta"/> (default 1). Keras <c>Huber</c>; PyTorch <c>nn.HuberLoss</c>.</summary>
        Huber,
        /// <summary>Binary cross-entropy on probabilities (a sigmoid output), or on logits when <see cref="ModelAttribute.FromLogits"/> is set. Keras <c>BinaryCrossentropy</c>; PyTorch <c>nn.BCELoss</c> / <c>nn.BCEWithLogitsLoss</c>.</summary>
        BinaryCrossEntropy,
        /// <summary>Cross-entropy against one-hot targets; with a softmax output the gradient is fused to p - y. Keras <c>CategoricalCrossentropy</c>; PyTorch <c>nn.CrossEntropyLoss</c> with probability targets.</summary>
        CategoricalCrossEntropy,
        /// <summary>Cross-entropy against integer class labels; with a softmax output the gradient is fused to p - onehot(y). Keras <c>SparseCategoricalCrossentropy</c>; PyTorch <c>nn.CrossEntropyLoss</c> / <c>nn.NLLLoss</c>.</summary>
        SparseCategoricalCrossEntropy,
        /// <summary>Hinge loss mean(max(0, 1 - t * y)) with targets 0/1 mapped to -1/+1 (the perceptron loss). Keras <c>"hinge"</c>.</summary>
        Hinge,
    }

    /// <summary>Optimizers. Each follows PyTorch's update rule; defaults follow Keras.</summary>
    public enum Optimizer
    {
        /// <summary>Plain gradient descent, p -= lr * g. Default learning rate 0.01.</summary>
        Sgd = 0,
        /// <summary>Heavy-ball momentum (PyTorch <c>SGD(momentum)</c>): v = mu * v + g; p -= lr * v. Default learning rate 0.01, momentum 0.9.</summary>
        Momentum,
        /// <summary>Nesterov momentum (PyTorch <c>SGD(momentum, nesterov=True)</c>): v = mu * v + g; p -= lr * (g + mu * v). Default learning rate 0.01, momentum 0.9.</summary>
        Nesterov,
        /// <summary>Adagrad: s += g^2; p -= lr * g / (sqrt(s) + eps). Keras defaults: learning rate 0.001, initial accumulator 0.1, epsilon 1e-7.</summary>
        Adagrad,
        /// <summary>RMSprop: s = rho * s + (1 - rho) * g^2; p -= lr * g / (sqrt(s) + eps). Keras defaults: learning rate 0.001, rho 0.9, epsilon 1e-7.</summary>
        RmsProp,
        /// <summary>Adam with bias correction (PyTorch form: eps added to sqrt of the corrected second moment). Keras defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.</summary>
        Adam,
        /// <summary>Adam with decoupled weight decay (PyTorch <c>AdamW</c>): p -= lr * wd * p before the Adam step. Keras defaults: weight decay 0.004, otherwise as <see cref="Adam"/>.</summary>
        AdamW,
    }

    /// <summary>Weight initializers. fan_in and fan_out are the input and output sizes of the layer.</summary>
    public enum Initializer
    {
        /// <summary>U(-l, l) with l = sqrt(6 / (fan_in + fan_out)). Keras default for kernels; PyTorch <c>xavier_uniform_</c>.</summary>
        GlorotUniform = 0,
        /// <summary>Truncated normal (cut at 2 sigma) with sigma = sqrt(2 / (fan_in + fan_out)) / 0.87962566, as Keras <c>GlorotNormal</c>.</summary>
        GlorotNormal,
        /// <summary>U(-l, l) with l = sqrt(6 / fan_in). Keras <c>HeUniform</c>; PyTorch <c>kaiming_uniform_(nonlinearity="relu")</c>.</summary>
        HeUniform,
        /// <summary>Truncated normal (cut at 2 sigma) with sigma = sqrt(2 / fan_in) / 0.87962566, as Keras <c>HeNormal</c>.</summary>
        HeNormal,
        /// <summary>All zeros. Keras default for biases.</summary>
        Zeros,
        /// <summary>All ones.</summary>
        Ones,
        /// <summary>Every value equal to the layer's scale argument (default 0).</summary>
        Constant,
        /// <summary>U(-s, s) with s the layer's scale argument (default 0.05, as Keras <c>RandomUniform</c>).</summary>
        Uniform,
        /// <summary>N(0, s^2) with s the layer's scale argument (default 0.05, as Keras <c>RandomNormal</c>).</summary>
        Normal,
        /// <summary>A (semi-)orthogonal matrix times the layer's scale argument as gain (default 1), as Keras <c>Orthogonal</c> and PyTorch <c>orthogonal_</c>.
        /// The Keras default for recurrent kernels.</summary>
        Orthogonal,
    }

    /// <summary>How <see cref="BidirectionalAttribute"/> combines the forward and backward outputs (Keras <c>merge_mode</c>).</summary>
    public enum MergeMode
    {
        /// <summary>Concatenate along the features: forward units first, then backward (Keras <c>"concat"</c>, the default; PyTorch <c>bidirectional=True</c>).</summary>
        Concat = 0,
        /// <summary>Elementwise sum (Keras <c>"sum"</c>).</summary>
        Sum,
        /// <summary>Elementwise mean of the two (Keras <c>"ave"</c>).</summary>
        Average,
        /// <summary>Elementwise product (Keras <c>"mul"</c>).</summary>
        Multiply,
    }
}
