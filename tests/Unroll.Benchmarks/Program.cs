using BenchmarkDotNet.Running;

namespace Unroll.Benchmarks;

public static class Program
{
    /// <summary>BenchmarkDotNet's switcher: pass <c>--filter *Gemm*</c>, <c>--job short</c> etc. (see README.md).</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
