using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Maximum and Minimum, whose gradient goes to the input that held the value.
public static partial class Layers
{
    /// <summary>
    /// One more input of an elementwise maximum: where x &gt; y, y = x and index = <paramref name="input"/> (ties keep the earlier
    /// input). Start with y = the first input and index 0. An empty <paramref name="index"/> (inference) records nothing.
    /// Keras <c>Maximum</c>; PyTorch <c>torch.maximum</c>.
    /// </summary>
    public static void Maximum_Forward(Span<float> y, Span<float> index, ReadOnlySpan<float> x, int input)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        KernelChecks.GradientLength(x.Length, index.Length, nameof(x), nameof(index));
        bool record = !index.IsEmpty;
        for (int i = 0; i < x.Length; i++)
        {
            if (!(x[i] > y[i])) continue;
            y[i] = x[i];
            if (record) index[i] = input;
        }
    }

    /// <summary>As <see cref="Maximum_Forward"/>, for the minimum (where x &lt; y). Keras <c>Minimum</c>; PyTorch <c>torch.minimum</c>.</summary>
    public static void Minimum_Forward(Span<float> y, Span<float> index, ReadOnlySpan<float> x, int input)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        KernelChecks.GradientLength(x.Length, index.Length, nameof(x), nameof(index));
        bool record = !index.IsEmpty;
        for (int i = 0; i < x.Length; i++)
        {
            if (!(x[i] < y[i])) continue;
            y[i] = x[i];
            if (record) index[i] = input;
        }
    }

    /// <summary>dx += dy where index == <paramref name="input"/>: the gradient of a maximum or minimum goes to the input that held it.</summary>
    public static void Selected_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> index, int input)
    {
        if (dx.IsEmpty) return;
        KernelChecks.SameLength(dy.Length, dx.Length, nameof(dy), nameof(dx));
        KernelChecks.SameLength(dy.Length, index.Length, nameof(dy), nameof(index));
        for (int i = 0; i < dx.Length; i++)
            if (index[i] == input) dx[i] += dy[i];
    }
}
