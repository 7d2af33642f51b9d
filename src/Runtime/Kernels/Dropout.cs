using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds dropout, Dense lives in Dense.cs.
public static partial class Layers
{
    /// <summary>
    /// Inverted dropout for training: each mask[i] is 0 with probability <paramref name="rate"/>, else
    /// 1 / (1 - rate), and y = x * mask, so the expected output equals x and inference needs no rescaling. The mask
    /// is kept for the backward pass. Rate 0 gives a mask of ones and draws no random numbers; rate 1 drops
    /// everything. PyTorch <c>F.dropout(x, p=rate, training=True)</c>; Keras <c>Dropout(rate)</c> in training.
    /// </summary>
    public static void Dropout_Forward(Span<float> y, Span<float> mask, ReadOnlySpan<float> x, float rate, SeededRandom random)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        KernelChecks.SameLength(x.Length, mask.Length, nameof(x), nameof(mask));
        if (!(rate >= 0f && rate <= 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1].");
        ArgumentNullException.ThrowIfNull(random);
        if (rate == 0f)
        {
            mask.Fill(1f);
            x.CopyTo(y);
            return;
        }
        float keptScale = rate == 1f ? 0f : 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++)
            mask[i] = random.NextFloat() < rate ? 0f : keptScale;
        TensorPrimitives.Multiply(x, mask, y);
    }

    /// <summary>dx += dy * mask, with the mask saved by <see cref="Dropout_Forward"/>.</summary>
    public static void Dropout_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> mask)
    {
        KernelChecks.SameLength(mask.Length, dx.Length, nameof(mask), nameof(dx));
        KernelChecks.SameLength(mask.Length, dy.Length, nameof(mask), nameof(dy));
        TensorPrimitives.MultiplyAdd(dy, mask, dx, dx);
    }
}
