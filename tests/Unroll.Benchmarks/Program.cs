using BenchmarkDotNet.Running;

namespace Unroll.Benchmarks;

public static class Program
{
    /// <summary>BenchmarkDotNet's switcher: pass <c>--filter *Gemm*</c>, <c>--job short</c> etc. (see README.md); or
    /// <c>--peer-format [workload ...]</c> for the Stopwatch harness that peers/compare.py reads (see PeerFormat).</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--peer-format") PeerFormat.Run(args[1..]);
        else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
