namespace Unroll.Models.Tests;

/// <summary>A model with dense layers, one with an LSTM over masked tokens, and one with a bidirectional GRU: each served from many threads.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, MaxBatch = 8)]
public partial class ServingMlp
{
    [Input(Features = 16)] public partial Layer Features { get; }
    [Dense(Units = 32, Activation = Activation.Relu)] public partial Layer Hidden { get; }
    [Dense(Units = 32, Activation = Activation.Tanh)] public partial Layer Hidden2 { get; }
    [Dense(Units = 4, Activation = Activation.Softmax)] public partial Layer Class { get; }
}

[Model(Loss = Loss.BinaryCrossEntropy, MaxBatch = 4)]
public partial class ServingLstm
{
    [Input(Length = 20, Vocabulary = 100)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 16, MaskZero = true)] public partial Layer Embed { get; }
    [Lstm(Units = 16)] public partial Layer Reader { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Positive { get; }
}

[Model(Loss = Loss.MeanSquaredError, MaxBatch = 4)]
public partial class ServingBiGru
{
    [Input(Length = 15, Features = 3)] public partial Layer Values { get; }
    [Bidirectional, Gru(Units = 8)] public partial Layer Both { get; }
    [Dense(Units = 2)] public partial Layer Value { get; }
}

/// <summary>One instance, many threads: Predict from 8 threads x 10,000 calls gives bit for bit the single-threaded outputs, and
/// allocates nothing per call once each thread has its arena; training members used from two threads at once throw.</summary>
public class ConcurrencyTests
{
    private const int Threads = 8, CallsPerThread = 10_000, Cases = 48;

    /// <summary>Runs <paramref name="predict"/> for every case on this thread, then from <see cref="Threads"/> threads at once, and
    /// compares every concurrent output with the single-threaded one.</summary>
    private static void ServesAsOneThread(Func<int, int> outputLength, Action<int, float[]> predict)
    {
        float[][] expected = Enumerable.Range(0, Cases).Select(c => new float[outputLength(c)]).ToArray();
        for (int c = 0; c < Cases; c++) predict(c, expected[c]);

        int differences = 0;
        var allocated = new long[Threads];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            float[][] outputs = Enumerable.Range(0, Cases).Select(c => new float[outputLength(c)]).ToArray();
            for (int c = 0; c < Cases; c++) predict(c, outputs[c]); // warm-up: this thread's arena, and GEMM packing buffers at every batch size
            start.SignalAndWait();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < CallsPerThread; k++)
            {
                int c = (k * 7 + t * 13) % Cases;
                predict(c, outputs[c]);
                if (!outputs[c].AsSpan().SequenceEqual(expected[c])) Interlocked.Increment(ref differences);
            }
            allocated[t] = GC.GetAllocatedBytesForCurrentThread() - before;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(0, differences);
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }

    private static float[] Floats(SeededRandom random, int n) => Enumerable.Range(0, n).Select(_ => random.NextFloat() * 2 - 1).ToArray();

    [Fact]
    public void AnMlpServesEightThreadsWithTheSingleThreadedOutputs()
    {
        var model = new ServingMlp(seed: 1);
        var random = new SeededRandom(2);
        float[][] inputs = Enumerable.Range(0, Cases).Select(c => Floats(random, (1 + c % ServingMlp.MaxBatch) * ServingMlp.InputSize)).ToArray();
        ServesAsOneThread(c => inputs[c].Length / ServingMlp.InputSize * ServingMlp.OutputSize, (c, output) => model.Predict(inputs[c], output));
    }

    [Fact]
    public void AnLstmServesEightThreadsWithTheSingleThreadedOutputs()
    {
        var model = new ServingLstm(seed: 3);
        var random = new SeededRandom(4);
        int[][] tokens = Enumerable.Range(0, Cases).Select(c =>
        {
            int batch = 1 + c % ServingLstm.MaxBatch;
            var ids = new int[batch * ServingLstm.InputSize];
            for (int i = 0; i < ids.Length; i++) ids[i] = i % ServingLstm.InputSize < 3 + c % 10 ? 0 : 1 + random.NextInt(99); // padded in front
            return ids;
        }).ToArray();
        ServesAsOneThread(c => tokens[c].Length / ServingLstm.InputSize, (c, output) => model.Predict(tokens[c], output));
    }

    [Fact]
    public void ABidirectionalGruServesEightThreadsWithTheSingleThreadedOutputs()
    {
        var model = new ServingBiGru(seed: 5);
        var random = new SeededRandom(6);
        float[][] inputs = Enumerable.Range(0, Cases).Select(c => Floats(random, (1 + c % ServingBiGru.MaxBatch) * ServingBiGru.InputSize)).ToArray();
        ServesAsOneThread(c => inputs[c].Length / ServingBiGru.InputSize * ServingBiGru.OutputSize, (c, output) => model.Predict(inputs[c], output));
    }
}

/// <summary>Large enough that a training step takes a while, so two threads training it at once overlap.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, MaxBatch = 64)]
public partial class BusyRegressor
{
    [Input(Features = 256)] public partial Layer Features { get; }
    [Dense(Units = 512, Activation = Activation.Relu)] public partial Layer Hidden { get; }
    [Dense(Units = 256)] public partial Layer Output { get; }
}

public class ConcurrentTrainingTests
{
    [Fact]
    public void TwoThreadsTrainingOneInstanceThrowInsteadOfCorrupting()
    {
        var model = new BusyRegressor(seed: 1);
        var random = new SeededRandom(2);
        float[] inputs = Enumerable.Range(0, 64 * 256).Select(_ => random.NextFloat()).ToArray();
        float[] targets = Enumerable.Range(0, 64 * 256).Select(_ => random.NextFloat()).ToArray();
        var refused = new List<InvalidOperationException>();
        int steps = 0;
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < 300; i++)
            {
                try
                {
                    model.TrainStep(inputs, targets);
                    Interlocked.Increment(ref steps);
                }
                catch (InvalidOperationException e)
                {
                    lock (refused) refused.Add(e);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Contains("are single-threaded", e.Message));
        Assert.Equal(600, steps + refused.Count);
        Assert.Equal(steps, model.Iterations); // every step that ran took exactly one optimizer step; no refused call changed a thing
    }
}
