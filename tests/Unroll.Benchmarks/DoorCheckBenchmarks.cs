using BenchmarkDotNet.Attributes;
using Unroll.Kernels;

namespace Unroll.Benchmarks;

/// <summary>
/// What the run-time checks add to one TrainStep of the mlp and lstm-text workloads, measured on their own (the whole step's
/// run-to-run spread is larger than the checks): mlp checks its 64 x 784 float inputs for finiteness and enters the training guard
/// four times (TrainStep, Forward, Backward, ApplyGradients); lstm-text has token inputs, checks its 32 binary cross-entropy targets
/// as probabilities and enters the guard four times. Compare with "mlp train" and "lstm-text train".
/// </summary>
[Config(typeof(WorkloadConfig))]
public class DoorCheckBenchmarks
{
    private readonly float[] _mlpInputs = new float[64 * MlpWorkload.InputSize];
    private readonly float[] _lstmTargets = new float[32];
    private readonly TrainingGuard _guard = new("Workload");

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(2);
        for (int i = 0; i < _mlpInputs.Length; i++) _mlpInputs[i] = random.NextNormal();
        for (int i = 0; i < _lstmTargets.Length; i++) _lstmTargets[i] = random.NextInt(2);
    }

    [Benchmark(Description = "mlp train checks")]
    public void Mlp()
    {
        using var step = _guard.Enter("TrainStep");
        using (_guard.Enter("Forward")) ValueChecks.Finite(_mlpInputs, 1, MlpWorkload.InputSize, "inputs");
        using (_guard.Enter("Backward")) { }
        using (_guard.Enter("ApplyGradients")) { }
    }

    [Benchmark(Description = "lstm-text train checks")]
    public void Lstm()
    {
        using var step = _guard.Enter("TrainStep");
        using (_guard.Enter("Forward")) { }
        using (_guard.Enter("Backward")) ValueChecks.Probabilities(_lstmTargets, 1, 1, "targets");
        using (_guard.Enter("ApplyGradients")) { }
    }

    /// <summary>No FLOPs: the GFLOP/s column stays empty.</summary>
    public static double Flops(string method) => 0;
}
