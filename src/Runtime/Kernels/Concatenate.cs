using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds Concatenate.
public static partial class Layers
{
    /// <summary>
    /// Copies x (outer, inner) into columns [offset, offset + inner) of y (outer, total): one input of a concatenation along an
    /// axis, where outer is the rows times the axes before it. Keras <c>Concatenate(axis)</c>; PyTorch <c>torch.cat</c>.
    /// </summary>
    public static void Concatenate_Forward(Span<float> y, ReadOnlySpan<float> x, int outer, int inner, int offset, int total)
    {
        CheckBlocks(y.Length, x.Length, outer, inner, offset, total, nameof(y), nameof(x));
        for (int r = 0; r < outer; r++)
            x.Slice(r * inner, inner).CopyTo(y.Slice(r * total + offset, inner));
    }

    /// <summary>dx (outer, inner) += columns [offset, offset + inner) of dy (outer, total).</summary>
    public static void Concatenate_Backward(Span<float> dx, ReadOnlySpan<float> dy, int outer, int inner, int offset, int total)
    {
        if (dx.IsEmpty) return;
        CheckBlocks(dy.Length, dx.Length, outer, inner, offset, total, nameof(dy), nameof(dx));
        for (int r = 0; r < outer; r++)
        {
            Span<float> row = dx.Slice(r * inner, inner);
            TensorPrimitives.Add(row, dy.Slice(r * total + offset, inner), row);
        }
    }

    private static void CheckBlocks(int wholeLength, int partLength, int outer, int inner, int offset, int total, string whole, string part)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outer);
        ArgumentOutOfRangeException.ThrowIfNegative(inner);
        if (offset < 0 || offset + inner > total)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Columns [{offset}, {offset + inner}) do not fit in {total}.");
        KernelChecks.MatrixLength(partLength, outer, inner, part);
        KernelChecks.MatrixLength(wholeLength, outer, total, whole);
    }
}
