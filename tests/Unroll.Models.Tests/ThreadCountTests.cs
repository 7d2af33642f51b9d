namespace Unroll.Models.Tests;

/// <summary>The benchmark's MLP workload (784 -> 128 -> 64 -> 10, batch 64).</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 64)]
public partial class MlpWorkloadNet
{
    [Input(Features = 784)] public partial Layer Pixels { get; }
    [Dense(Units = 128, Activation = Activation.Relu)] public partial Layer Hidden1 { get; }
    [Dense(Units = 64, Activation = Activation.Relu)] public partial Layer Hidden2 { get; }
    [Dense(Units = 10, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>The lstm-text workload at a shorter length: the recurrent step splits across threads at batch 32.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 32)]
public partial class LstmWorkloadNet
{
    [Input(Length = 20, Vocabulary = 1000)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 64)] public partial Layer Embed { get; }
    [Lstm(Units = 128)] public partial Layer Lstm { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
}

/// <summary>The gru-text workload at a shorter length.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 32)]
public partial class GruWorkloadNet
{
    [Input(Length = 20, Vocabulary = 1000)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 64)] public partial Layer Embed { get; }
    [Gru(Units = 128)] public partial Layer Gru { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
}

/// <summary>The rnn-text workload at a shorter length: a batch of 64 token sequences splits into two parts (BatchSplit).</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 64)]
public partial class TokenSplitNet
{
    [Input(Length = 12, Vocabulary = 3360)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 100)] public partial Layer Embed { get; }
    [SimpleRnn(Units = 50)] public partial Layer Rnn { get; }
    [Dense(Units = 5, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>Training and inference give the same bits on one thread and on several (Parallelism.ThreadCount), and allocate nothing.</summary>
[Collection(ThreadCountCollection.Name)]
public class ThreadCountTests
{
    private static (float[] Parameters, float[] Outputs, float[] Losses) Run(int threads) => Threads.With(threads, () =>
    {
        var random = new SeededRandom(4);
        float[] x = Enumerable.Range(0, 64 * 784).Select(_ => random.NextNormal()).ToArray();
        int[] y = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        var model = new MlpWorkloadNet(seed: 2);
        var losses = new float[10];
        for (int step = 0; step < losses.Length; step++) losses[step] = model.TrainStep(x, y);
        return (model.Parameters.ToArray(), model.Predict(x), losses);
    });

    [Fact]
    public void OneAndTwoThreadsTrainToTheSameBits()
    {
        var one = Run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var many = Run(threads);
            Assert.Equal(one.Losses, many.Losses);
            Assert.True(one.Parameters.AsSpan().SequenceEqual(many.Parameters), $"{threads} threads: the parameters differ from one thread's");
            Assert.True(one.Outputs.AsSpan().SequenceEqual(many.Outputs), $"{threads} threads: the predictions differ from one thread's");
        }
    }

    /// <summary>Three training steps, then predictions of the batch and of its first sample alone (the GEMV path), of a recurrent model.</summary>
    private static (float[] Parameters, float[] Outputs, float[] Single) RunRecurrent(int threads, bool gru) => Threads.With(threads, () =>
    {
        var random = new SeededRandom(6);
        int[] tokens = Enumerable.Range(0, 32 * 20).Select(_ => 1 + random.NextInt(999)).ToArray();
        float[] targets = Enumerable.Range(0, 32).Select(i => (float)(i % 2)).ToArray();
        IModel<int> model = gru ? new GruWorkloadNet(seed: 2) : new LstmWorkloadNet(seed: 2);
        var trainable = (ITrainableModel)model;
        for (int step = 0; step < 3; step++)
        {
            if (gru) ((GruWorkloadNet)model).TrainStep(tokens, targets);
            else ((LstmWorkloadNet)model).TrainStep(tokens, targets);
        }
        return (trainable.Parameters.ToArray(), model.Predict(tokens), model.Predict(tokens.AsSpan(0, 20)));
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RecurrentModelsTrainAndPredictToTheSameBitsOnOneAndTwoThreads(bool gru)
    {
        var one = RunRecurrent(1, gru);
        var two = RunRecurrent(2, gru);
        Assert.True(one.Parameters.AsSpan().SequenceEqual(two.Parameters), "2 threads: the parameters differ from one thread's");
        Assert.True(one.Outputs.AsSpan().SequenceEqual(two.Outputs), "2 threads: the batch's predictions differ from one thread's");
        Assert.True(one.Single.AsSpan().SequenceEqual(two.Single), "2 threads: the single sample's prediction differs from one thread's");
        // The batch of one runs the GEMV, the batch the GEMM: the same value within rounding.
        Assert.Equal(one.Outputs[0], one.Single[0], 1e-5f);
    }

    /// <summary>A batch of 64 runs as two parts of 32 consecutive samples (BatchSplit), on one thread or two: its predictions are those of
    /// its two halves predicted apart, bit for bit, so no part reads or writes another's samples.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ABatchPredictsAsItsHalvesDo(int threads) => Threads.With(threads, () =>
    {
        var random = new SeededRandom(8);
        float[] x = Enumerable.Range(0, 64 * 784).Select(_ => random.NextNormal()).ToArray();
        var model = new MlpWorkloadNet(seed: 4);
        float[] whole = model.Predict(x);
        float[] halves = model.Predict(x.AsSpan(0, 32 * 784)).Concat(model.Predict(x.AsSpan(32 * 784))).ToArray();
        Assert.True(whole.AsSpan().SequenceEqual(halves), $"{threads} thread(s): the batch's predictions differ from its halves'");
    });

    /// <summary>A token model's batch of 64 runs as two parts of 32 sequences: the predictions of its halves, bit for bit, on one thread
    /// or two.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ATokenBatchPredictsAsItsHalvesDo(int threads) => Threads.With(threads, () =>
    {
        Assert.Equal(2, Unroll.Kernels.BatchSplit.Parts(64, TokenSplitNet.ParameterCount));
        var random = new SeededRandom(10);
        int[] tokens = Enumerable.Range(0, 64 * 12).Select(_ => 1 + random.NextInt(3359)).ToArray();
        var model = new TokenSplitNet(seed: 4);
        float[] whole = model.Predict(tokens);
        float[] halves = model.Predict(tokens.AsSpan(0, 32 * 12)).Concat(model.Predict(tokens.AsSpan(32 * 12))).ToArray();
        Assert.True(whole.AsSpan().SequenceEqual(halves), $"{threads} thread(s): the batch's predictions differ from its halves'");
    });

    /// <summary>A bad id in the second part fails before the first part writes anything, and is named by its sample in the batch.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ABadTokenInASplitBatchFailsBeforeAnyOutputIsWritten(int threads) => Threads.With(threads, () =>
    {
        int[] tokens = Enumerable.Range(0, 64 * 12).Select(i => 1 + i % 3000).ToArray();
        tokens[50 * 12 + 7] = 3360; // sample 50, step 7: one past the vocabulary
        var outputs = Enumerable.Repeat(-1f, 64 * 5).ToArray();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenSplitNet(seed: 4).Predict(tokens, outputs));
        Assert.StartsWith("Token id 3360 at sample 50, step 7 is outside the vocabulary of size 3360 (valid ids are 0 to 3359).", e.Message);
        Assert.All(outputs, o => Assert.Equal(-1f, o));
    });

    /// <summary>What the worker pool's helper threads have allocated (internal to the runtime; the process-wide counter also sees the
    /// test runner's threads).</summary>
    private static long HelperAllocatedBytes() =>
        (long)typeof(Parallelism).Assembly.GetType("Unroll.Kernels.WorkerPool")!
            .GetProperty("HelperAllocatedBytes", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;

    [Fact]
    public void ASplitPredictionAllocatesNothingOnEitherThread() => Threads.With(2, () =>
    {
        var random = new SeededRandom(9);
        float[] x = Enumerable.Range(0, 64 * 784).Select(_ => random.NextNormal()).ToArray();
        var outputs = new float[64 * 10];
        var model = new MlpWorkloadNet(seed: 5);
        // A helper makes its inference arena the first time it happens to run a part: warm up until it has, and 50 calls since
        // allocated nothing.
        int quiet = 0;
        for (int i = 0; i < 5000 && quiet < 50; i++)
        {
            long seen = HelperAllocatedBytes();
            model.Predict(x, outputs);
            quiet = HelperAllocatedBytes() == seen ? quiet + 1 : 0;
        }
        long helpers = HelperAllocatedBytes(), caller = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) model.Predict(x, outputs);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        Assert.Equal(0, HelperAllocatedBytes() - helpers);
    });

    [Fact]
    public void ATrainingStepOnTwoThreadsAllocatesNothing() => Threads.With(2, () =>
    {
        var random = new SeededRandom(5);
        float[] x = Enumerable.Range(0, 64 * 784).Select(_ => random.NextNormal()).ToArray();
        int[] y = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        var outputs = new float[64 * 10];
        var model = new MlpWorkloadNet(seed: 3);
        for (int i = 0; i < 3; i++)
        {
            model.TrainStep(x, y);
            model.Predict(x, outputs);
        }
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                model.TrainStep(x, y);
                model.Predict(x, outputs);
            }
        }));
    });

    [Fact]
    public void RecurrentTrainingAndPredictionOnTwoThreadsAllocateNothing() => Threads.With(2, () =>
    {
        var random = new SeededRandom(7);
        int[] tokens = Enumerable.Range(0, 32 * 20).Select(_ => 1 + random.NextInt(999)).ToArray();
        float[] targets = Enumerable.Range(0, 32).Select(i => (float)(i % 2)).ToArray();
        var outputs = new float[32];
        var model = new LstmWorkloadNet(seed: 3);
        void Round()
        {
            model.TrainStep(tokens, targets);
            model.Predict(tokens, outputs);
            model.Predict(tokens.AsSpan(0, 20), outputs.AsSpan(0, 1));
        }
        for (int i = 0; i < 3; i++) Round();
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            for (int i = 0; i < 10; i++) Round();
        }));
    });
}

/// <summary>Tests that change Parallelism.ThreadCount run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "Parallelism.ThreadCount";
}
