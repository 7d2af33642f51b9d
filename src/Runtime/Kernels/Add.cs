using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Add (and the minuend's gradient of Subtract).
public static partial class Layers
{
    /// <summary>y = a + b, elementwise; <paramref name="y"/> may be <paramref name="a"/> (chaining more inputs). Keras <c>Add</c>; PyTorch <c>a + b</c>.</summary>
    public static void Add_Forward(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        KernelChecks.SameLength(a.Length, b.Length, nameof(a), nameof(b));
        KernelChecks.SameLength(a.Length, y.Length, nameof(a), nameof(y));
        TensorPrimitives.Add(a, b, y);
    }

    /// <summary>dx += dy: the gradient of each term of a sum (and of the minuend of a difference).</summary>
    public static void Add_Backward(Span<float> dx, ReadOnlySpan<float> dy)
    {
        if (dx.IsEmpty) return;
        KernelChecks.SameLength(dy.Length, dx.Length, nameof(dy), nameof(dx));
        TensorPrimitives.Add(dx, dy, dx);
    }
}
