using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Unroll.Kernels;

namespace Unroll.Benchmarks;

/// <summary>
/// Square single-precision GEMM, C = A·B (NN), A·Bᵀ (NT, the dense forward) and Aᵀ·B (TN, the weight gradient),
/// single-threaded. GFLOP/s = 2·n³ / time; the peer is tools/reference/gemm_peer.py (torch.matmul on OpenBLAS).
/// </summary>
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(64, 128, 256, 512, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = new float[N * N];
        _b = new float[N * N];
        _c = new float[N * N];
        for (int i = 0; i < _a.Length; i++) { _a[i] = (float)rng.NextDouble(); _b[i] = (float)rng.NextDouble(); }
        Gemm.NN(_c, _a, _b, N, N, N, accumulate: false); // grow this thread's packing buffers outside the timing
    }

    [Benchmark]
    public void NN() => Gemm.NN(_c, _a, _b, N, N, N, accumulate: false);

    [Benchmark]
    public void NT() => Gemm.NT(_c, _a, _b, N, N, N, accumulate: false);

    [Benchmark]
    public void TN() => Gemm.TN(_c, _a, _b, N, N, N, accumulate: false);
}

/// <summary>Adds GFLOP/s columns (from the mean and from the fastest iteration) and the allocation column.</summary>
public sealed class GflopsConfig : ManualConfig
{
    public GflopsConfig()
    {
        AddColumn(new GflopsColumn(useMinimum: false), new GflopsColumn(useMinimum: true));
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
    }
}

/// <summary>2·N³ floating-point operations divided by the measured time.</summary>
public sealed class GflopsColumn(bool useMinimum) : IColumn
{
    public string Id => useMinimum ? "GflopsBest" : "GflopsMean";
    public string ColumnName => useMinimum ? "GFLOP/s (best)" : "GFLOP/s (mean)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => useMinimum ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"2*N^3 / {(useMinimum ? "fastest" : "mean")} time, in 10^9 floating-point operations per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null) return "NA";
        double n = Convert.ToDouble(benchmarkCase.Parameters["N"], System.Globalization.CultureInfo.InvariantCulture);
        double nanoseconds = useMinimum ? stats.Min : stats.Mean;
        return (2 * n * n * n / nanoseconds).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
