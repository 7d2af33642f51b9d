using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using System.Reflection;

namespace Unroll.Benchmarks;

/// <summary>The <c>mlp</c> workload of WORKLOADS.md: Dense 784->128 ReLU, 128->64 ReLU, 64->10 softmax,
/// sparse categorical cross-entropy, Adam(lr 1e-3), batch 64. The peer is peers/mlp_peer.py.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 64)]
public partial class MlpWorkload
{
    [Input(Features = 784)] public partial Layer Pixels { get; }
    [Dense(Units = 128, Activation = Activation.Relu)] public partial Layer Hidden1 { get; }
    [Dense(Units = 64, Activation = Activation.Relu)] public partial Layer Hidden2 { get; }
    [Dense(Units = 10, Activation = Activation.Softmax)] public partial Layer Output { get; }

    /// <summary>2 x multiply-adds of the matrix products of one forward pass of one sample.</summary>
    public const double ForwardFlopsPerSample = 2.0 * (784 * 128 + 128 * 64 + 64 * 10);
}

/// <summary>train (one TrainStep on a batch of 64), infer1 (Predict on one sample), inferB (Predict on 64), single-threaded.</summary>
[Config(typeof(WorkloadConfig))]
public class MlpWorkloadBenchmarks
{
    private const int Batch = 64;
    private readonly MlpWorkload _model = new(seed: 1);
    private readonly float[] _inputs = new float[Batch * MlpWorkload.InputSize];
    private readonly int[] _labels = new int[Batch];
    private readonly float[] _outputs = new float[Batch * MlpWorkload.OutputSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(2);
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextNormal();
        for (int i = 0; i < Batch; i++) _labels[i] = random.NextInt(MlpWorkload.OutputSize);
        _model.TrainStep(_inputs, _labels);
        _model.Predict(_inputs, _outputs);
    }

    [Benchmark(Description = "mlp train")]
    public float Train() => _model.TrainStep(_inputs, _labels);

    [Benchmark(Description = "mlp infer1")]
    public void Infer1() => _model.Predict(_inputs.AsSpan(0, MlpWorkload.InputSize), _outputs.AsSpan(0, MlpWorkload.OutputSize));

    [Benchmark(Description = "mlp inferB")]
    public void InferBatch() => _model.Predict(_inputs, _outputs);

    /// <summary>FLOPs per call as WORKLOADS.md counts them: train is 3x the forward pass.</summary>
    public static double Flops(string method) => method switch
    {
        nameof(Train) => 3 * Batch * MlpWorkload.ForwardFlopsPerSample,
        nameof(Infer1) => MlpWorkload.ForwardFlopsPerSample,
        _ => Batch * MlpWorkload.ForwardFlopsPerSample,
    };
}

/// <summary>Microseconds per call, GFLOP/s and bytes allocated per call.</summary>
public sealed class WorkloadConfig : ManualConfig
{
    public WorkloadConfig()
    {
        AddColumn(new WorkloadGflopsColumn());
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
    }
}

public sealed class WorkloadGflopsColumn : IColumn
{
    public string Id => "WorkloadGflops";
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "FLOPs per call (2 x multiply-adds; train counts 3 x forward) / mean time";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null) return "NA";
        // Each workload benchmark class has a public static double Flops(string methodName).
        var flopsOf = benchmarkCase.Descriptor.Type.GetMethod("Flops", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        if (flopsOf is null) return "NA";
        double flops = (double)flopsOf.Invoke(null, [benchmarkCase.Descriptor.WorkloadMethod.Name])!;
        return (flops / stats.Mean).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
