using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds GlobalAveragePooling1D and GlobalMaxPooling1D over masked steps.
public static partial class Layers
{
    /// <summary>
    /// The mean of x (steps, B, features) over the steps whose mask (steps, B) is 1 (all steps with an empty mask); a sample with no
    /// such step gets zeros. Keras <c>GlobalAveragePooling1D</c> with a mask.
    /// </summary>
    public static void GlobalAveragePooling1D_Forward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> mask, int steps, int batch, int features)
    {
        CheckPooling(y.Length, x.Length, mask.Length, steps, batch, features);
        y.Clear();
        for (int b = 0; b < batch; b++)
        {
            Span<float> row = y.Slice(b * features, features);
            int count = 0;
            for (int t = 0; t < steps; t++)
            {
                if (!mask.IsEmpty && mask[t * batch + b] == 0f) continue;
                TensorPrimitives.Add(row, x.Slice((t * batch + b) * features, features), row);
                count++;
            }
            if (count > 0) TensorPrimitives.Multiply(row, 1f / count, row);
        }
    }

    /// <summary>dx[t, b, :] += dy[b, :] / count for each step that counted.</summary>
    public static void GlobalAveragePooling1D_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, int steps, int batch, int features)
    {
        if (dx.IsEmpty) return;
        CheckPooling(dy.Length, dx.Length, mask.Length, steps, batch, features);
        for (int b = 0; b < batch; b++)
        {
            int count = 0;
            for (int t = 0; t < steps; t++)
                if (mask.IsEmpty || mask[t * batch + b] != 0f) count++;
            if (count == 0) continue;
            float scale = 1f / count;
            ReadOnlySpan<float> g = dy.Slice(b * features, features);
            for (int t = 0; t < steps; t++)
            {
                if (!mask.IsEmpty && mask[t * batch + b] == 0f) continue;
                Span<float> row = dx.Slice((t * batch + b) * features, features);
                TensorPrimitives.MultiplyAdd(g, scale, row, row);
            }
        }
    }

    /// <summary>
    /// The maximum of each feature of x (steps, B, features) over the steps whose mask is 1, the step that held it kept in
    /// <paramref name="index"/> (B, features) for backward (the first on ties; -1 and a zero output for a sample with no such step).
    /// An empty index (inference) records nothing. Keras <c>GlobalMaxPooling1D</c>; PyTorch <c>amax(dim=1)</c>.
    /// </summary>
    public static void GlobalMaxPooling1D_Forward(Span<float> y, Span<float> index, ReadOnlySpan<float> x, ReadOnlySpan<float> mask, int steps, int batch, int features)
    {
        CheckPooling(y.Length, x.Length, mask.Length, steps, batch, features);
        KernelChecks.GradientLength(y.Length, index.Length, nameof(y), nameof(index));
        bool record = !index.IsEmpty;
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < features; f++)
            {
                float best = 0f;
                int at = -1;
                for (int t = 0; t < steps; t++)
                {
                    if (!mask.IsEmpty && mask[t * batch + b] == 0f) continue;
                    float v = x[(t * batch + b) * features + f];
                    if (at < 0 || v > best)
                    {
                        best = v;
                        at = t;
                    }
                }
                y[b * features + f] = best;
                if (record) index[b * features + f] = at;
            }
    }

    /// <summary>dx[index, b, f] += dy[b, f]: the gradient goes to the step that held each maximum.</summary>
    public static void GlobalMaxPooling1D_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> index, int steps, int batch, int features)
    {
        if (dx.IsEmpty) return;
        CheckPooling(dy.Length, dx.Length, 0, steps, batch, features);
        KernelChecks.SameLength(dy.Length, index.Length, nameof(dy), nameof(index));
        for (int i = 0; i < dy.Length; i++)
        {
            int t = (int)index[i];
            if (t < 0) continue;
            int b = i / features, f = i % features;
            dx[(t * batch + b) * features + f] += dy[i];
        }
    }

    private static void CheckPooling(int yLength, int xLength, int maskLength, int steps, int batch, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        KernelChecks.MatrixLength(yLength, batch, features, "y");
        Gemm.CheckLength(xLength, (long)steps * batch * features, "x", "steps*batch*features");
        if (maskLength != 0) Gemm.CheckLength(maskLength, (long)steps * batch, "mask", "steps*batch");
    }
}
