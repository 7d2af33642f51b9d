using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Average (its forward is Add_Forward and a scale).
public static partial class Layers
{
    /// <summary>dx += dy / count: the gradient of each of <paramref name="count"/> averaged inputs. Keras <c>Average</c>.</summary>
    public static void Average_Backward(Span<float> dx, ReadOnlySpan<float> dy, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (dx.IsEmpty) return;
        KernelChecks.SameLength(dy.Length, dx.Length, nameof(dy), nameof(dx));
        TensorPrimitives.MultiplyAdd(dy, 1f / count, dx, dx);
    }
}
