using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Subtract.
public static partial class Layers
{
    /// <summary>y = a - b, elementwise. Keras <c>Subtract</c>; PyTorch <c>a - b</c>.</summary>
    public static void Subtract_Forward(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        KernelChecks.SameLength(a.Length, b.Length, nameof(a), nameof(b));
        KernelChecks.SameLength(a.Length, y.Length, nameof(a), nameof(y));
        TensorPrimitives.Subtract(a, b, y);
    }

    /// <summary>db -= dy: the gradient of the subtrahend.</summary>
    public static void Subtract_Backward(Span<float> db, ReadOnlySpan<float> dy)
    {
        if (db.IsEmpty) return;
        KernelChecks.SameLength(dy.Length, db.Length, nameof(dy), nameof(db));
        TensorPrimitives.Subtract(db, dy, db);
    }
}
