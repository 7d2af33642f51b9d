using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Permute (Reshape and Flatten move nothing, or fold a
// sequence's steps with Sequence_ToBatchMajor).
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
}
