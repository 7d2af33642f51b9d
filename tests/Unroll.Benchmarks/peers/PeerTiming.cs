using System;
using System.Diagnostics;

/// <summary>How the .NET peers (TorchSharpPeer, OrtPeer) time a phase, as the Python peers and Unroll.Benchmarks' PeerFormat do; each
/// project compiles this one file.</summary>
internal static class PeerTiming
{
    /// <summary>Median over 11 rounds of the mean time of <paramref name="calls"/> calls, after 2 warm-up rounds.</summary>
    public static double MedianMicroseconds(Action fn, int calls, int rounds = 11, int warmup = 2)
    {
        // At least 2 s of warm-up, whatever the calls per round: .NET replaces a method's first, unoptimised code in the
        // background after 30 calls and 100 ms (as in Unroll.Benchmarks' PeerFormat).
        long warmupStart = Stopwatch.GetTimestamp();
        for (int r = 0; r < warmup || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < 2; r++)
            for (int c = 0; c < calls; c++) fn();
        var samples = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++) fn();
            samples[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        }
        Array.Sort(samples);
        return samples[rounds / 2];
    }
}
