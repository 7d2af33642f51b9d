using System;

namespace Unroll.Kernels;

// Layer kernels: the pieces of per-step losses and truncated backpropagation through time. A window is the steps
// [start, start + steps) of every sample of a batch-major sequence; padded steps (mask 0) are left out of a loss by
// gathering the real rows into a compact block and scattering the loss gradient back.
public static partial class Layers
{
    /// <summary>
    /// The window [start, start + steps) of x [batch, totalSteps, features] (batch-major) as y [batch, steps, features],
    /// still batch-major. Overwrites <paramref name="y"/>. PyTorch <c>x[:, start:start + steps]</c>.
    /// </summary>
    public static void Sequence_Window<T>(Span<T> y, ReadOnlySpan<T> x, int batch, int totalSteps, int start, int steps, int features)
        where T : unmanaged
    {
        ValidateWindow(y.Length, x.Length, batch, totalSteps, start, steps, features);
        for (int b = 0; b < batch; b++)
            x.Slice((b * totalSteps + start) * features, steps * features).CopyTo(y.Slice(b * steps * features, steps * features));
    }

    /// <summary>
    /// The window [start, start + steps) of x [batch, totalSteps, features] (batch-major) as y [steps, batch, features]
    /// (time-major, as the arenas hold sequences). Overwrites <paramref name="y"/>. PyTorch <c>x[:, start:start + steps].transpose(0, 1)</c>.
    /// </summary>
    public static void Sequence_WindowToTimeMajor<T>(Span<T> y, ReadOnlySpan<T> x, int batch, int totalSteps, int start, int steps, int features)
        where T : unmanaged
    {
        ValidateWindow(y.Length, x.Length, batch, totalSteps, start, steps, features);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                x.Slice((b * totalSteps + start + t) * features, features).CopyTo(y.Slice((t * batch + b) * features, features));
    }

    /// <summary>
    /// Copies the rows of x [rows, features] whose mask is not 0 to the front of <paramref name="y"/>, in order, and returns
    /// how many there are (PyTorch <c>x[mask.bool()]</c>). <paramref name="y"/> needs room for every row; the rest of it is left alone.
    /// </summary>
    public static int Sequence_GatherRows<T>(Span<T> y, ReadOnlySpan<T> x, ReadOnlySpan<float> mask, int features) where T : unmanaged
    {
        ValidateRows(y.Length, x.Length, mask.Length, features, nameof(y), nameof(x));
        int kept = 0;
        for (int row = 0; row < mask.Length; row++)
        {
            if (mask[row] == 0f) continue;
            x.Slice(row * features, features).CopyTo(y.Slice(kept * features, features));
            kept++;
        }
        return kept;
    }

    /// <summary>
    /// The inverse of <see cref="Sequence_GatherRows{T}"/>: the first rows of <paramref name="x"/> go, in order, to the rows of
    /// y [rows, features] whose mask is not 0 (overwriting them); rows with mask 0 are left alone.
    /// </summary>
    public static void Sequence_ScatterRows(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> mask, int features)
    {
        ValidateRows(x.Length, y.Length, mask.Length, features, nameof(x), nameof(y));
        int kept = 0;
        for (int row = 0; row < mask.Length; row++)
        {
            if (mask[row] == 0f) continue;
            x.Slice(kept * features, features).CopyTo(y.Slice(row * features, features));
            kept++;
        }
    }

    /// <summary>The index of the first value that is NaN or infinite, or -1 when every value is finite. Truncated BPTT checks its
    /// whole batch with it before the first window's update, so a bad value fails the step before anything changes.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    private static void ValidateWindow(int yLength, int xLength, int batch, int totalSteps, int start, int steps, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (start < 0 || start + steps > totalSteps)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"The window [{start}, {start + steps}) must lie within the {totalSteps} steps of the sequence.");
        Gemm.CheckLength(xLength, (long)batch * totalSteps * features, "x", "batch*totalSteps*features");
        Gemm.CheckLength(yLength, (long)batch * steps * features, "y", "batch*steps*features");
    }

    private static void ValidateRows(int compactLength, int fullLength, int rows, int features, string compactName, string fullName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        Gemm.CheckLength(fullLength, (long)rows * features, fullName, "mask.Length*features");
        Gemm.CheckLength(compactLength, (long)rows * features, compactName, "mask.Length*features");
    }
}
