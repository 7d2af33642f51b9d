using System;

namespace Unroll.Kernels;

// What the three recurrent kernels (SimpleRnn, Lstm, Gru) check alike: sizes, the input, the masks, the weights and the
// state slots, with messages that name the expected shape and the length that came.
public static partial class Layers
{
    // gates: the gate blocks, 1 SimpleRnn, 4 LSTM, 3 GRU.
    private static void ValidateRecurrent(int gates, int xLength, int maskLength, int recurrentMaskLength, int weightIhLength,
        int weightHhLength, int hLength, int steps, int batch, int inFeatures, int units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        Gemm.CheckLength(xLength, (long)steps * batch * inFeatures, "x", "steps*batch*inFeatures");
        CheckOptionalLength(maskLength, (long)steps * batch, "mask", "steps*batch");
        CheckOptionalLength(recurrentMaskLength, (long)batch * units, "recurrentMask", "batch*units");
        // Constant shape strings: a check that passes must not allocate.
        Gemm.CheckLength(weightIhLength, (long)gates * units * inFeatures, "weightIh",
            gates switch { 1 => "units*inFeatures", 3 => "3*units*inFeatures", _ => "4*units*inFeatures" });
        Gemm.CheckLength(weightHhLength, (long)gates * units * units, "weightHh",
            gates switch { 1 => "units*units", 3 => "3*units*units", _ => "4*units*units" });
        Gemm.CheckLength(hLength, (steps + 1L) * batch * units, "h", "(steps+1)*batch*units");
    }

    /// <summary>
    /// The forward kernels' checks: as <see cref="ValidateRecurrent"/>, except that h may also be two rolling slots (inference) and the
    /// gates (<paramref name="gates"/> blocks of units per row) may hold any whole number of steps, at least one: fewer than the steps
    /// make the kernel work a block at a time, more (an inference block sized for the declared length, a shorter run) are not used.
    /// </summary>
    private static void ValidateRecurrentForward(int gates, int xLength, int maskLength, int recurrentMaskLength, int weightIhLength,
        int weightHhLength, int hLength, int gatesLength, int steps, int batch, int inFeatures, int units)
    {
        bool rolling = batch > 0 && units > 0 && hLength == 2L * batch * units;
        ValidateRecurrent(gates, xLength, maskLength, recurrentMaskLength, weightIhLength, weightHhLength,
            rolling ? (int)((steps + 1L) * batch * units) : hLength, steps, batch, inFeatures, units);
        long row = (long)batch * gates * units;
        if (row > 0 && steps > 0 && (gatesLength == 0 || gatesLength % row != 0))
            throw new ArgumentException($"Expected length {steps * row} (steps*batch*{gates}*units; at inference a whole number of steps, {row} floats each) but got {gatesLength}.",
                "gates");
    }

    /// <summary>
    /// The input projection of one block of a forward kernel: the steps n0 up to n0 + <paramref name="block"/> in processing order
    /// (fewer at the end), into the gate rows. The gates hold either every step (the block is all of them) or one block, whose first row
    /// belongs to the block's earliest step in time. Returns that step (the time of gate row 0) and the block's step count.
    /// </summary>
    private static (int Origin, int Count) ProjectBlock(Span<float> gates, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, PackedWeight? packed, ReadOnlySpan<float> bias,
        int n0, int block, int steps, int batch, int width, int inFeatures, bool reverse)
    {
        (int origin, int count) = StepBlock(n0, block, steps, reverse);
        int first = reverse ? steps - n0 - count : n0;
        ProjectInput(gates.Slice((first - origin) * batch * width, count * batch * width), x.Slice(first * batch * inFeatures, count * batch * inFeatures),
            weight, packed, bias, count * batch, width, inFeatures);
        return (origin, count);
    }

    /// <summary>The block of steps n0 up to n0 + <paramref name="block"/> in processing order (fewer at the end): the time of gate row 0 (see
    /// <see cref="ProjectBlock"/>) and the block's step count.</summary>
    private static (int Origin, int Count) StepBlock(int n0, int block, int steps, bool reverse)
    {
        int count = Math.Min(block, steps - n0);
        return (block == steps ? 0 : reverse ? steps - n0 - count : n0, count);
    }

    /// <summary>
    /// Rows [<paramref name="b0"/>, <paramref name="b1"/>) of one step's input projection, into its gate rows: z = bias + x_t·weightᵀ with the
    /// weight packed once (<see cref="RepeatedB.MultiplyRows"/>). A thread that runs its rows through the steps projects them too, so the gates
    /// it reads and writes never come from another core's cache.
    /// </summary>
    private static unsafe void ProjectRows(in RepeatedB input, float* z, float* x, float* bias, int b0, int b1, int width)
    {
        if (bias is not null)
            for (int b = b0; b < b1; b++) new ReadOnlySpan<float>(bias, width).CopyTo(new Span<float>(z + (nint)b * width, width));
        input.MultiplyRows(z, x, b0, b1, accumulate: bias is not null);
    }

    /// <summary>The state slots a forward step at time <paramref name="t"/> reads and writes: t and t + 1 (swapped when reverse), each
    /// taken modulo 2 when the kernel rolls through two slots.</summary>
    private static (int Previous, int Next) StateSlots(int t, bool reverse, bool rolling)
    {
        int previous = reverse ? t + 1 : t, next = reverse ? t : t + 1;
        return rolling ? (previous & 1, next & 1) : (previous, next);
    }

    /// <summary>
    /// The input projection of a run of steps in one GEMM, straight into the gate rows: z = bias + x·weightᵀ. Seeding the rows with the
    /// bias lets the GEMM add it for free.
    /// </summary>
    private static void ProjectInput(Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, PackedWeight? packed, ReadOnlySpan<float> bias, int rows, int width, int inFeatures)
    {
        if (bias.IsEmpty)
        {
            Gemm.NTPacked(z, x, weight, packed, rows, width, inFeatures, accumulate: false);
            return;
        }
        for (int r = 0; r < rows; r++) bias.CopyTo(z.Slice(r * width, width));
        Gemm.NTPacked(z, x, weight, packed, rows, width, inFeatures, accumulate: true);
    }

    /// <summary>How many parts a run over <paramref name="batch"/> samples splits into across threads: at least four samples each.</summary>
    private static int SampleParts(int batch) => Math.Min(Parallelism.ThreadCount, batch / 4);

    /// <summary>The first sample of part <paramref name="part"/> of <paramref name="parts"/> (the end of the last part when part = parts). The
    /// embedding lookup and the recurrent kernels share these boundaries, so a thread reads the rows it wrote itself.</summary>
    private static int SampleStart(int batch, int part, int parts) => batch * part / parts;

    /// <summary>An optional span: empty, or exactly the given length (the message is built only when throwing).</summary>
    private static void CheckOptionalLength(int actual, long expected, string paramName, string shape)
    {
        if (actual != 0 && actual != expected) Gemm.CheckLength(actual, expected, paramName, shape + " (or 0)");
    }
}
