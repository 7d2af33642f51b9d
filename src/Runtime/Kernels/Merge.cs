using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds the elementwise merges: Add, Subtract, Average, Multiply,
// Maximum and Minimum. An empty input gradient (an input whose gradient nobody wants) is skipped.
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

    /// <summary>dx += dy / count: the gradient of each of <paramref name="count"/> averaged inputs. Keras <c>Average</c>.</summary>
    public static void Average_Backward(Span<float> dx, ReadOnlySpan<float> dy, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (dx.IsEmpty) return;
        KernelChecks.SameLength(dy.Length, dx.Length, nameof(dy), nameof(dx));
        TensorPrimitives.MultiplyAdd(dy, 1f / count, dx, dx);
    }

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
