namespace Unroll
{
    /// <summary>The same values per sample under other axes (Keras <c>Reshape(target_shape)</c>; PyTorch <c>view</c>). The target lists
    /// every axis after the batch, one of them -1 at most (inferred). A sequence keeps its time axis when the target starts with its
    /// length; otherwise its steps fold into the features. Without a time axis it moves nothing (a view).</summary>
    public sealed class ReshapeAttribute : LayerAttribute
    {
        /// <summary>Reshapes to <paramref name="shape"/>.</summary>
        /// <param name="shape">The target axes, e.g. <c>[Reshape(28, 28, 1)]</c>.</param>
        public ReshapeAttribute(params int[] shape) => Shape = shape;

        /// <summary>The target axes after the batch.</summary>
        public int[] Shape { get; }
    }

    /// <summary>Every axis after the batch in one (Keras <c>Flatten</c>; PyTorch <c>nn.Flatten</c>): before a [Dense] after an image or a
    /// sequence. A view of its input, except after a sequence, whose steps it folds into one vector.</summary>
    public sealed class FlattenAttribute : LayerAttribute
    {
    }

    /// <summary>Reorders the axes after the batch (Keras <c>Permute(dims)</c>; PyTorch <c>permute</c>). The time axis of a sequence stays a
    /// time axis only while it stays first.</summary>
    public sealed class PermuteAttribute : LayerAttribute
    {
        /// <summary>Permutes to <paramref name="dims"/>.</summary>
        /// <param name="dims">The axes in their new order, counted from 1: <c>[Permute(2, 1)]</c> swaps two axes.</param>
        public PermuteAttribute(params int[] dims) => Dims = dims;

        /// <summary>The axes in their new order, counted from 1.</summary>
        public int[] Dims { get; }
    }

    /// <summary>Repeats a vector over a number of steps, giving a sequence (Keras <c>RepeatVector(n)</c>): one-to-many models, such as a
    /// decoder fed one encoding at every step, or a sequence generated from one vector.</summary>
    public sealed class RepeatVectorAttribute : LayerAttribute
    {
        /// <summary>Repeats the input <paramref name="times"/> times.</summary>
        /// <param name="times">Steps of the output sequence, at least 1.</param>
        public RepeatVectorAttribute(int times) => Times = times;

        /// <summary>Steps of the output sequence.</summary>
        public int Times { get; }
    }

    /// <summary>The mean of a sequence over its steps, padding left out (Keras <c>GlobalAveragePooling1D</c> with a mask;
    /// PyTorch: a masked <c>mean(dim=1)</c>). A sample with only padding gives zeros.</summary>
    public sealed class GlobalAveragePooling1DAttribute : LayerAttribute
    {
    }

    /// <summary>The maximum of each feature of a sequence over its steps, padding left out (Keras <c>GlobalMaxPooling1D</c>;
    /// PyTorch <c>amax(dim=1)</c>). The gradient goes to the step that held the maximum; a sample with only padding gives zeros.</summary>
    public sealed class GlobalMaxPooling1DAttribute : LayerAttribute
    {
    }
}
