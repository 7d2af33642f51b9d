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

    /// <summary>An optional span: empty, or exactly the given length (the message is built only when throwing).</summary>
    private static void CheckOptionalLength(int actual, long expected, string paramName, string shape)
    {
        if (actual != 0 && actual != expected) Gemm.CheckLength(actual, expected, paramName, shape + " (or 0)");
    }
}
