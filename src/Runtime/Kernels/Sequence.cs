using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds the sequence utilities around the recurrent
// kernels: batch-major <-> time-major transposes, Bidirectional merges, and recurrent-layer input dropout.
public static partial class Layers
{
    /// <summary>
    /// x [batch, steps, features] (batch-major, as the user holds sequences) to y [steps, batch, features]
    /// (time-major, as the recurrent kernels read them). Overwrites <paramref name="y"/>. PyTorch <c>x.transpose(0, 1)</c>.
    /// </summary>
    public static void Sequence_ToTimeMajor(Span<float> y, ReadOnlySpan<float> x, int batch, int steps, int features)
    {
        ValidateSequence(y.Length, x.Length, nameof(y), nameof(x), batch, steps, features);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                x.Slice((b * steps + t) * features, features).CopyTo(y.Slice((t * batch + b) * features, features));
    }

    /// <summary>
    /// x [steps, batch, features] (time-major) to y [batch, steps, features] (batch-major); the inverse of
    /// <see cref="Sequence_ToTimeMajor"/>. Overwrites <paramref name="y"/>.
    /// </summary>
    public static void Sequence_ToBatchMajor(Span<float> y, ReadOnlySpan<float> x, int batch, int steps, int features)
    {
        ValidateSequence(y.Length, x.Length, nameof(y), nameof(x), batch, steps, features);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                x.Slice((t * batch + b) * features, features).CopyTo(y.Slice((b * steps + t) * features, features));
    }

    /// <summary>
    /// Backward of <see cref="Sequence_ToTimeMajor"/>: dx [batch, steps, features] += dy [steps, batch, features]
    /// transposed back to batch-major.
    /// </summary>
    public static void Sequence_ToTimeMajorBackward(Span<float> dx, ReadOnlySpan<float> dy, int batch, int steps, int features)
    {
        ValidateSequence(dx.Length, dy.Length, nameof(dx), nameof(dy), batch, steps, features);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                Span<float> row = dx.Slice((b * steps + t) * features, features);
                TensorPrimitives.Add(row, dy.Slice((t * batch + b) * features, features), row);
            }
    }

    /// <summary>
    /// Backward of <see cref="Sequence_ToBatchMajor"/>: dx [steps, batch, features] += dy [batch, steps, features]
    /// transposed back to time-major.
    /// </summary>
    public static void Sequence_ToBatchMajorBackward(Span<float> dx, ReadOnlySpan<float> dy, int batch, int steps, int features)
    {
        ValidateSequence(dx.Length, dy.Length, nameof(dx), nameof(dy), batch, steps, features);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                Span<float> row = dx.Slice((t * batch + b) * features, features);
                TensorPrimitives.Add(row, dy.Slice((b * steps + t) * features, features), row);
            }
    }

    /// <summary>
    /// Combines the forward and backward outputs of a Bidirectional wrapper row by row (rows = steps*batch for sequences,
    /// batch for final states). Concat: y [rows, 2*units] = [a | b] (PyTorch <c>bidirectional=True</c> output layout);
    /// Sum: y = a + b; Average: y = (a + b) / 2; Multiply: y = a * b, each [rows, units]. Overwrites <paramref name="y"/>.
    /// Keras <c>Bidirectional(merge_mode="concat"|"sum"|"ave"|"mul")</c>.
    /// </summary>
    public static void Merge_Forward(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rows, int units, MergeMode mode)
    {
        ValidateMerge(rows, units, mode, y.Length, nameof(y));
        KernelChecks.MatrixLength(a.Length, rows, units, nameof(a));
        KernelChecks.MatrixLength(b.Length, rows, units, nameof(b));
        switch (mode)
        {
            case MergeMode.Concat:
                for (int r = 0; r < rows; r++)
                {
                    a.Slice(r * units, units).CopyTo(y.Slice(2 * r * units, units));
                    b.Slice(r * units, units).CopyTo(y.Slice((2 * r + 1) * units, units));
                }
                break;
            case MergeMode.Sum:
                TensorPrimitives.Add(a, b, y);
                break;
            case MergeMode.Average:
                TensorPrimitives.Add(a, b, y);
                TensorPrimitives.Multiply(y, 0.5f, y);
                break;
            case MergeMode.Multiply:
                TensorPrimitives.Multiply(a, b, y);
                break;
        }
    }

    /// <summary>
    /// Backward of <see cref="Merge_Forward"/>, accumulating: Concat da += dy[:, :units], db += dy[:, units:]; Sum
    /// da += dy, db += dy; Average da += dy/2, db += dy/2; Multiply da += dy*b, db += dy*a. <paramref name="a"/> and
    /// <paramref name="b"/> are read only for Multiply (other modes accept empty spans). An empty
    /// <paramref name="da"/> or <paramref name="db"/> skips that gradient.
    /// </summary>
    public static void Merge_Backward(Span<float> da, Span<float> db, ReadOnlySpan<float> dy, ReadOnlySpan<float> a,
        ReadOnlySpan<float> b, int rows, int units, MergeMode mode)
    {
        ValidateMerge(rows, units, mode, dy.Length, nameof(dy));
        if (!da.IsEmpty) KernelChecks.MatrixLength(da.Length, rows, units, nameof(da));
        if (!db.IsEmpty) KernelChecks.MatrixLength(db.Length, rows, units, nameof(db));
        if (mode == MergeMode.Multiply)
        {
            KernelChecks.MatrixLength(a.Length, rows, units, nameof(a));
            KernelChecks.MatrixLength(b.Length, rows, units, nameof(b));
        }
        switch (mode)
        {
            case MergeMode.Concat:
                for (int r = 0; r < rows; r++)
                {
                    if (!da.IsEmpty)
                    {
                        Span<float> row = da.Slice(r * units, units);
                        TensorPrimitives.Add(row, dy.Slice(2 * r * units, units), row);
                    }
                    if (!db.IsEmpty)
                    {
                        Span<float> row = db.Slice(r * units, units);
                        TensorPrimitives.Add(row, dy.Slice((2 * r + 1) * units, units), row);
                    }
                }
                break;
            case MergeMode.Sum:
                if (!da.IsEmpty) TensorPrimitives.Add(da, dy, da);
                if (!db.IsEmpty) TensorPrimitives.Add(db, dy, db);
                break;
            case MergeMode.Average:
                if (!da.IsEmpty) TensorPrimitives.MultiplyAdd(dy, 0.5f, da, da);
                if (!db.IsEmpty) TensorPrimitives.MultiplyAdd(dy, 0.5f, db, db);
                break;
            case MergeMode.Multiply:
                if (!da.IsEmpty) TensorPrimitives.MultiplyAdd(dy, b, da, da);
                if (!db.IsEmpty) TensorPrimitives.MultiplyAdd(dy, a, db, db);
                break;
        }
    }

    /// <summary>
    /// Input dropout of a recurrent layer (Keras <c>SimpleRNN/LSTM/GRU(dropout=rate)</c>): ONE inverted-dropout mask
    /// [batch, features] is drawn per call, as <see cref="Dropout_Mask"/>, and applied at every step of the time-major
    /// x [steps, batch, features]: y[t] = x[t] * mask. Overwrites <paramref name="y"/> and <paramref name="mask"/>.
    /// </summary>
    public static void Dropout_ForwardSequence(Span<float> y, Span<float> mask, ReadOnlySpan<float> x, float rate,
        int steps, int batch, int features, SeededRandom random)
    {
        ValidateDropoutSequence(y.Length, nameof(y), x.Length, mask.Length, steps, batch, features);
        Dropout_Mask(mask, rate, random);
        int row = batch * features;
        for (int t = 0; t < steps; t++)
            TensorPrimitives.Multiply(x.Slice(t * row, row), mask, y.Slice(t * row, row));
    }

    /// <summary>dx[t] += dy[t] * mask at every step, with the [batch, features] mask of <see cref="Dropout_ForwardSequence"/>.</summary>
    public static void Dropout_BackwardSequence(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> mask,
        int steps, int batch, int features)
    {
        ValidateDropoutSequence(dx.Length, nameof(dx), dy.Length, mask.Length, steps, batch, features);
        int row = batch * features;
        for (int t = 0; t < steps; t++)
        {
            Span<float> dxStep = dx.Slice(t * row, row);
            TensorPrimitives.MultiplyAdd(dy.Slice(t * row, row), mask, dxStep, dxStep);
        }
    }

    /// <summary>
    /// Draws an inverted-dropout mask in order: each value is 0 with probability <paramref name="rate"/>, else
    /// 1 / (1 - rate); the same draws as <see cref="Dropout_Forward"/> (rate 0 gives ones and draws nothing). Used for
    /// the recurrent mask of Keras <c>recurrent_dropout</c>, [batch, units] drawn row-major.
    /// </summary>
    public static void Dropout_Mask(Span<float> mask, float rate, SeededRandom random)
    {
        if (!(rate >= 0f && rate <= 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1].");
        ArgumentNullException.ThrowIfNull(random);
        if (rate == 0f)
        {
            mask.Fill(1f);
            return;
        }
        float keptScale = rate == 1f ? 0f : 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++)
            mask[i] = random.NextFloat() < rate ? 0f : keptScale;
    }

    private static void ValidateSequence(int outLength, int inLength, string outName, string inName, int batch, int steps, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        long expected = (long)batch * steps * features;
        Gemm.CheckLength(inLength, expected, inName, "batch*steps*features");
        Gemm.CheckLength(outLength, expected, outName, "batch*steps*features");
    }

    private static void ValidateMerge(int rows, int units, MergeMode mode, int mergedLength, string mergedName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        if (mode is < MergeMode.Concat or > MergeMode.Multiply)
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown merge mode.");
        Gemm.CheckLength(mergedLength, (long)rows * units * (mode == MergeMode.Concat ? 2 : 1), mergedName,
            mode == MergeMode.Concat ? "rows*2*units (Concat)" : "rows*units");
    }

    private static void ValidateDropoutSequence(int outLength, string outName, int inLength, int maskLength,
        int steps, int batch, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        long expected = (long)steps * batch * features;
        Gemm.CheckLength(inLength, expected, outName == "y" ? "x" : "dy", "steps*batch*features");
        Gemm.CheckLength(outLength, expected, outName, "steps*batch*features");
        Gemm.CheckLength(maskLength, (long)batch * features, "mask", "batch*features");
    }
}
