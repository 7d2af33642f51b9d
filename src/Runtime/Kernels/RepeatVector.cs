using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds RepeatVector.
public static partial class Layers
{
    /// <summary>y[t, b, :] = x[b, :] for each of <paramref name="steps"/> steps: a vector repeated into a time-major sequence.
    /// Keras <c>RepeatVector(n)</c>; PyTorch <c>x.unsqueeze(0).expand(steps, -1, -1)</c>.</summary>
    public static void RepeatVector_Forward(Span<float> y, ReadOnlySpan<float> x, int batch, int steps, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        KernelChecks.MatrixLength(x.Length, batch, features, nameof(x));
        Gemm.CheckLength(y.Length, (long)steps * batch * features, nameof(y), "steps*batch*features");
        for (int t = 0; t < steps; t++)
            x.CopyTo(y.Slice(t * batch * features, batch * features));
    }

    /// <summary>dx[b, :] += the sum over steps of dy[t, b, :].</summary>
    public static void RepeatVector_Backward(Span<float> dx, ReadOnlySpan<float> dy, int batch, int steps, int features)
    {
        if (dx.IsEmpty) return;
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        KernelChecks.MatrixLength(dx.Length, batch, features, nameof(dx));
        Gemm.CheckLength(dy.Length, (long)steps * batch * features, nameof(dy), "steps*batch*features");
        for (int t = 0; t < steps; t++)
            TensorPrimitives.Add(dx, dy.Slice(t * batch * features, batch * features), dx);
    }
}
