using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Multiply.
public static partial class Layers
{
    /// <summary>y = a * b, elementwise; <paramref name="y"/> may be <paramref name="a"/>. Keras <c>Multiply</c>; PyTorch <c>a * b</c>.</summary>
    public static void Multiply_Forward(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        KernelChecks.SameLength(a.Length, b.Length, nameof(a), nameof(b));
        KernelChecks.SameLength(a.Length, y.Length, nameof(a), nameof(y));
        TensorPrimitives.Multiply(a, b, y);
    }

    /// <summary>dx += dy * others, where <paramref name="others"/> is the product of every other factor.</summary>
    public static void Multiply_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> others)
    {
        if (dx.IsEmpty) return;
        KernelChecks.SameLength(dy.Length, dx.Length, nameof(dy), nameof(dx));
        KernelChecks.SameLength(dy.Length, others.Length, nameof(dy), nameof(others));
        TensorPrimitives.MultiplyAdd(dy, others, dx, dx);
    }
}
