using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Permute and RepeatVector (Reshape and Flatten move nothing,
// or fold a sequence's steps with Sequence_ToBatchMajor).
public static partial class Layers
{
    /// <summary>
    /// y = x with the axes after the batch reordered: output axis k is input axis <paramref name="permutation"/>[k] (from 0). The
    /// input's axes are <paramref name="dims"/>; with <paramref name="inputTimeMajor"/> its first axis is a time axis stored before
    /// the batch ((steps, B, ...)), and likewise the output's with <paramref name="outputTimeMajor"/>. Keras <c>Permute(dims)</c>.
    /// </summary>
    public static void Permute_Forward(Span<float> y, ReadOnlySpan<float> x, int batch, ReadOnlySpan<int> dims, ReadOnlySpan<int> permutation,
        bool inputTimeMajor, bool outputTimeMajor)
    {
        int total = CheckPermute(y.Length, x.Length, batch, dims, permutation);
        Span<int> index = stackalloc int[dims.Length];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < total; o++)
            {
                Decompose(o, dims, permutation, index, out int source);
                y[Position(n, o, batch, total, Output(dims, permutation, 0), outputTimeMajor)] = x[Position(n, source, batch, total, dims[0], inputTimeMajor)];
            }
    }

    /// <summary>dx += dy with the permutation undone: the backward of <see cref="Permute_Forward"/> with the same arguments.</summary>
    public static void Permute_Backward(Span<float> dx, ReadOnlySpan<float> dy, int batch, ReadOnlySpan<int> dims, ReadOnlySpan<int> permutation,
        bool inputTimeMajor, bool outputTimeMajor)
    {
        if (dx.IsEmpty) return;
        int total = CheckPermute(dy.Length, dx.Length, batch, dims, permutation);
        Span<int> index = stackalloc int[dims.Length];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < total; o++)
            {
                Decompose(o, dims, permutation, index, out int source);
                dx[Position(n, source, batch, total, dims[0], inputTimeMajor)] += dy[Position(n, o, batch, total, Output(dims, permutation, 0), outputTimeMajor)];
            }
    }

    private static int Output(ReadOnlySpan<int> dims, ReadOnlySpan<int> permutation, int axis) => dims[permutation[axis]];

    /// <summary>The input offset (within a sample) of output element <paramref name="o"/>.</summary>
    private static void Decompose(int o, ReadOnlySpan<int> dims, ReadOnlySpan<int> permutation, Span<int> index, out int source)
    {
        for (int k = dims.Length - 1; k >= 0; k--)
        {
            int size = dims[permutation[k]];
            index[permutation[k]] = o % size;
            o /= size;
        }
        source = 0;
        for (int a = 0; a < dims.Length; a++) source = source * dims[a] + index[a];
    }

    /// <summary>Where element <paramref name="offset"/> of sample <paramref name="n"/> lives: (B, total), or time-major (first, B, total / first).</summary>
    private static int Position(int n, int offset, int batch, int total, int first, bool timeMajor)
    {
        if (!timeMajor) return n * total + offset;
        int rest = total / first;
        return ((offset / rest) * batch + n) * rest + offset % rest;
    }

    private static int CheckPermute(int yLength, int xLength, int batch, ReadOnlySpan<int> dims, ReadOnlySpan<int> permutation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (dims.Length != permutation.Length || dims.Length == 0)
            throw new ArgumentException($"dims has {dims.Length} axes and permutation {permutation.Length}; they must be equal and at least 1.", nameof(permutation));
        long total = 1;
        Span<bool> seen = stackalloc bool[dims.Length];
        for (int a = 0; a < dims.Length; a++)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dims[a]);
            int p = permutation[a];
            if (p < 0 || p >= dims.Length || seen[p])
                throw new ArgumentException($"permutation must hold each axis 0..{dims.Length - 1} once, but axis {a} is {p}.", nameof(permutation));
            seen[p] = true;
            total *= dims[a];
        }
        Gemm.CheckLength(xLength, batch * total, "x", "batch*product(dims)");
        Gemm.CheckLength(yLength, batch * total, "y", "batch*product(dims)");
        return (int)total;
    }

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
