namespace Unroll.Models.Tests;

/// <summary>Takes 32 samples at a time.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, MaxBatch = 32)]
public partial class SmallBatchNet
{
    [Input(Features = 6)] public partial Layer Features { get; }
    [Dense(Units = 16, Activation = Activation.Tanh, L2 = 0.01f)] public partial Layer Hidden { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Class { get; }
}

/// <summary>The same network, taking 128 at a time.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, MaxBatch = 128)]
public partial class LargeBatchNet
{
    [Input(Features = 6)] public partial Layer Features { get; }
    [Dense(Units = 16, Activation = Activation.Tanh, L2 = 0.01f)] public partial Layer Hidden { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Class { get; }
}

/// <summary>Fit with a batch above MaxBatch: micro-batches whose gradients add up to the gradient of one big batch, one update per
/// batch, and nothing allocated per batch.</summary>
public class BigBatchTests
{
    private static Dataset Data(int rows, ulong seed)
    {
        var random = new SeededRandom(seed);
        float[] features = Enumerable.Range(0, rows * 6).Select(_ => random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(_ => random.NextInt(3)).ToArray();
        return Dataset.WithLabels(features, 6, labels, 3);
    }

    [Fact]
    public void ABatchOf128OnMaxBatch32GivesTheGradientOfOneBatchOf128()
    {
        Dataset data = Data(128, 1);
        var small = new SmallBatchNet(seed: 5);
        var large = new LargeBatchNet(seed: 5);
        Assert.Equal(large.Parameters.ToArray(), small.Parameters.ToArray());

        History history = small.Fit(data, new FitOptions { Epochs = 1, BatchSize = 128, Shuffle = false });
        large.Forward(data.Features);
        float loss = large.Backward(data.Labels!);

        Assert.Equal(1, small.Iterations); // one update for the four micro-batches
        Golden.AssertClose(large.Gradients.ToArray(), small.Gradients.ToArray(), "accumulated gradient", abs: 1e-6, rel: 0);
        Golden.AssertClose(loss, history.Loss[0], "loss of the batch", abs: 1e-6, rel: 0);
        large.ApplyGradients();
        Golden.AssertClose(large.Parameters.ToArray(), small.Parameters.ToArray(), "weights after the step", abs: 1e-6, rel: 0);
    }

    [Fact]
    public void ALastBatchThatIsNotWholeIsWeightedByItsSamples()
    {
        // 100 rows in batches of 64: the second batch holds 36 samples, in micro-batches of 32 and 4.
        Dataset data = Data(100, 2);
        var small = new SmallBatchNet(seed: 6);
        var large = new LargeBatchNet(seed: 6);
        small.Fit(data, new FitOptions { Epochs = 1, BatchSize = 64, Shuffle = false });
        large.Fit(data, new FitOptions { Epochs = 1, BatchSize = 64, Shuffle = false });
        Assert.Equal(2, small.Iterations);
        Golden.AssertClose(large.Parameters.ToArray(), small.Parameters.ToArray(), "weights after two steps", abs: 1e-6, rel: 0);
    }

    [Fact]
    public void FitAllocatesNothingPerBatchAfterTheFirstEpoch()
    {
        // What one epoch allocates (its log, the history's entry) must not grow with the number of batches. The least of the last three epochs, as
        // Allocations.LeastPerWindow: 8 KB appeared on the thread in one epoch of one full suite run (never when run alone); an
        // allocation per batch shows in every epoch.
        long PerEpoch(int rows, int batchSize)
        {
            var model = new SmallBatchNet(seed: 7);
            var probe = new AllocationProbe();
            model.Fit(Data(rows, 3), new FitOptions { Epochs = 6, BatchSize = batchSize, Callbacks = { probe } });
            return Enumerable.Range(2, 3).Min(e => probe.Marks[e + 1] - probe.Marks[e]);
        }
        Assert.Equal(PerEpoch(64, 16), PerEpoch(640, 16));     // 4 batches vs 40
        Assert.Equal(PerEpoch(128, 128), PerEpoch(1280, 128)); // 1 accumulated batch vs 10
    }

    private sealed class AllocationProbe : ICallback
    {
        public List<long> Marks { get; } = new(8);
        public void OnTrainBegin(ITrainableModel model) { }
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            Marks.Add(GC.GetAllocatedBytesForCurrentThread());
            return false;
        }
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }

    [Fact]
    public void TruncatedBpttModelsRefuseBatchesAboveMaxBatch()
    {
        var model = new SeedTruncatedBptt(seed: 1);
        var data = Dataset.WithTargets(new float[4 * 80], 80, new float[4 * 80], 80);
        var e = Assert.Throws<NotSupportedException>(() => model.Fit(data, new FitOptions { Epochs = 1, BatchSize = 4 }));
        Assert.StartsWith("Under truncated BPTT a training step updates the weights after every window", e.Message);
        Assert.Equal(0, model.Iterations);
    }
}
