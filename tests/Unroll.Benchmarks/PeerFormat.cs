using System.Diagnostics;
using System.Globalization;

namespace Unroll.Benchmarks;

/// <summary>The workload benchmarks timed the way the peers (peers/*.py, peers/TorchSharpPeer, peers/OrtPeer) time
/// themselves, for peers/compare.py: each phase is the median over 11 rounds of the mean time of a fixed number of calls,
/// after 2 warm-up rounds (and at least 2 s of them), and prints one JSON line (system, workload, phase, threads, us, gflops, and the bytes the
/// thread allocated per call over the timed rounds). It calls the same benchmark classes (and so the same models, data
/// and Setup) that BenchmarkDotNet measures. threads is Unroll's Parallelism.ThreadCount (all cores, unless UNROLL_THREADS says otherwise).
/// Run: <c>dotnet run -c Release --project tests/Unroll.Benchmarks -- --peer-format [mlp rnn-text lstm-text gru-text]
/// [--scale 0.2]</c> (--scale multiplies the calls per round, for a quick check).</summary>
public static class PeerFormat
{
    private static readonly string[] Names = ["mlp", "rnn-text", "lstm-text", "gru-text"];

    /// <summary>Warm-up lasts at least this long, whatever the calls per round: .NET compiles a method first without
    /// optimisation and replaces it in the background after 30 calls and a delay of 100 ms, so a few warm-up calls of a fast
    /// phase would time unoptimised code (the same in the TorchSharp and ORT peers).</summary>
    private const double MinimumWarmupSeconds = 2;

    public static void Run(string[] args)
    {
        var workloads = new List<string>();
        double scale = 1;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--scale") scale = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (Array.IndexOf(Names, args[i]) >= 0) workloads.Add(args[i]);
            else throw new ArgumentException($"unknown argument '{args[i]}' (workloads: {string.Join(", ", Names)}; --scale X)");
        }
        if (workloads.Count == 0) workloads.AddRange(Names);

        foreach (string name in workloads)
        {
            // Calls per round as the peers make them: train, infer1, inferB.
            switch (name)
            {
                case "mlp":
                {
                    var b = new MlpWorkloadBenchmarks();
                    b.Setup();
                    Phases(name, scale, [50, 500, 200], () => b.Train(), b.Infer1, b.InferBatch, MlpWorkloadBenchmarks.Flops);
                    break;
                }
                case "rnn-text":
                {
                    var b = new RnnTextWorkloadBenchmarks();
                    b.Setup();
                    Phases(name, scale, [50, 500, 200], () => b.Train(), b.Infer1, b.InferBatch, RnnTextWorkloadBenchmarks.Flops);
                    break;
                }
                case "lstm-text":
                {
                    var b = new LstmTextWorkloadBenchmarks();
                    b.Setup();
                    Phases(name, scale, [5, 50, 10], () => b.Train(), b.Infer1, b.InferBatch, LstmTextWorkloadBenchmarks.Flops);
                    break;
                }
                default:
                {
                    var b = new GruTextWorkloadBenchmarks();
                    b.Setup();
                    Phases(name, scale, [5, 50, 10], () => b.Train(), b.Infer1, b.InferBatch, GruTextWorkloadBenchmarks.Flops);
                    break;
                }
            }
        }
    }

    private static void Phases(string name, double scale, int[] calls, Action train, Action infer1, Action inferB, Func<string, double> flops)
    {
        foreach (var (phase, method, fn, n) in new (string, string, Action, int)[]
                 {
                     ("train", "Train", train, calls[0]), ("infer1", "Infer1", infer1, calls[1]), ("inferB", "InferBatch", inferB, calls[2]),
                 })
        {
            var (us, bytes) = MedianMicroseconds(fn, Math.Max(1, (int)(n * scale)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"system\":\"unroll\",\"workload\":\"{name}\",\"phase\":\"{phase}\",\"threads\":{Parallelism.ThreadCount},\"us\":{us:F2},\"gflops\":{flops(method) / us / 1e3:F3},\"alloc_bytes_per_call\":{bytes:F0}}}"));
        }
    }

    /// <summary>Median over <paramref name="rounds"/> rounds of the mean time of <paramref name="calls"/> calls, after
    /// <paramref name="warmup"/> warm-up rounds and at least <see cref="MinimumWarmupSeconds"/> of warm-up calls (so that
    /// the tiered JIT has replaced the first, unoptimised code); and the bytes allocated per call over the timed rounds.</summary>
    private static (double Us, double BytesPerCall) MedianMicroseconds(Action fn, int calls, int rounds = 11, int warmup = 2)
    {
        long warmupStart = Stopwatch.GetTimestamp();
        for (int r = 0; r < warmup || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < MinimumWarmupSeconds; r++)
            for (int c = 0; c < calls; c++) fn();
        var samples = new double[rounds];
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++) fn();
            samples[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(samples);
        return (samples[rounds / 2], (double)allocated / ((double)rounds * calls));
    }
}
