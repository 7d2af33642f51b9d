namespace Unroll
{
    /// <summary>Base of the merge layers: the layers to merge are listed in the constructor, <c>[Add(nameof(A), nameof(B))]</c>
    /// (Keras' merging layers called on a list). Masks of sequences combine: a step is padding if it is padding in any input.</summary>
    public abstract class MergeAttribute : LayerAttribute
    {
        /// <summary>Lists the layers to merge.</summary>
        /// <param name="inputs">The layers, written <c>nameof(A)</c>, <c>nameof(B)</c>, ...; two or more.</param>
        protected MergeAttribute(string[] inputs) => Inputs = inputs;

        /// <summary>The layers merged, in order.</summary>
        public string[] Inputs { get; }
    }

    /// <summary>The inputs side by side along one axis (Keras <c>Concatenate(axis)</c>; PyTorch <c>torch.cat</c>); every other axis must agree.</summary>
    public sealed class ConcatenateAttribute : MergeAttribute
    {
        /// <summary>Concatenates <paramref name="inputs"/>.</summary>
        public ConcatenateAttribute(params string[] inputs) : base(inputs) { }

        /// <summary>The axis, counted after the batch as Keras does: 1 is the first (the time axis of a sequence, which is not
        /// supported), -1 the last. Default -1: the features.</summary>
        public int Axis { get; set; } = -1;
    }

    /// <summary>Elementwise sum of inputs of one shape (Keras <c>Add</c>; PyTorch <c>a + b</c>): residual connections.</summary>
    public sealed class AddAttribute : MergeAttribute
    {
        /// <summary>Adds <paramref name="inputs"/>.</summary>
        public AddAttribute(params string[] inputs) : base(inputs) { }
    }

    /// <summary>The first input minus the second, elementwise (Keras <c>Subtract</c>); exactly two inputs of one shape.</summary>
    public sealed class SubtractAttribute : MergeAttribute
    {
        /// <summary>Subtracts the second of <paramref name="inputs"/> from the first.</summary>
        public SubtractAttribute(params string[] inputs) : base(inputs) { }
    }

    /// <summary>Elementwise product of inputs of one shape (Keras <c>Multiply</c>; PyTorch <c>a * b</c>): gates.</summary>
    public sealed class MultiplyAttribute : MergeAttribute
    {
        /// <summary>Multiplies <paramref name="inputs"/>.</summary>
        public MultiplyAttribute(params string[] inputs) : base(inputs) { }
    }

    /// <summary>Elementwise mean of inputs of one shape (Keras <c>Average</c>).</summary>
    public sealed class AverageAttribute : MergeAttribute
    {
        /// <summary>Averages <paramref name="inputs"/>.</summary>
        public AverageAttribute(params string[] inputs) : base(inputs) { }
    }

    /// <summary>Elementwise maximum of inputs of one shape (Keras <c>Maximum</c>; PyTorch <c>torch.maximum</c>); the gradient goes to the
    /// first input holding the maximum.</summary>
    public sealed class MaximumAttribute : MergeAttribute
    {
        /// <summary>Takes the maximum of <paramref name="inputs"/>.</summary>
        public MaximumAttribute(params string[] inputs) : base(inputs) { }
    }

    /// <summary>Elementwise minimum of inputs of one shape (Keras <c>Minimum</c>; PyTorch <c>torch.minimum</c>); the gradient goes to the
    /// first input holding the minimum.</summary>
    public sealed class MinimumAttribute : MergeAttribute
    {
        /// <summary>Takes the minimum of <paramref name="inputs"/>.</summary>
        public MinimumAttribute(params string[] inputs) : base(inputs) { }
    }

    /// <summary>The dot product of two inputs along one axis (Keras <c>Dot(axes, normalize)</c>, a batched dot): (1) for two vectors
    /// of one size, which with <see cref="Normalize"/> is their cosine similarity (word2vec's skip-gram, Siamese similarity).
    /// The output holds the other axes of the first input, then of the second. Inputs without a time axis.</summary>
    public sealed class DotAttribute : MergeAttribute
    {
        /// <summary>Multiplies <paramref name="inputs"/> (exactly two) and sums along <see cref="Axes"/>.</summary>
        public DotAttribute(params string[] inputs) : base(inputs) { }

        /// <summary>The axis contracted in both inputs, counted after the batch (1 the first, -1 the last). Default -1.</summary>
        public int Axes { get; set; } = -1;

        /// <summary>Whether both inputs are divided by their L2 norm along the axis first (Keras <c>normalize=True</c>,
        /// sqrt(max(sum x^2, 1e-12))), so the result is the cosine similarity. Default false.</summary>
        public bool Normalize { get; set; }
    }
}
