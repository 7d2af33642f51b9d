using System.Globalization;

namespace Unroll.Models.Tests;

/// <summary>Each callback and schedule against its rule: the step decay's boundaries, the cosine warm-up's shape, the plateau's
/// cooldown as Keras counts it, best-only and periodic checkpoints, the CSV log, TerminateOnNaN, cancellation and the hooks' order.</summary>
public class CallbackTests
{
    private static Dataset Data(int rows, ulong seed = 1)
    {
        var random = new SeededRandom(seed);
        float[] features = Enumerable.Range(0, rows * 6).Select(_ => random.NextNormal()).ToArray();
        return Dataset.WithLabels(features, 6, Enumerable.Range(0, rows).Select(_ => random.NextInt(3)).ToArray(), 3);
    }

    /// <summary>Records the learning rate each batch trains with (it runs after the schedules, which set it in OnBatchBegin).</summary>
    private sealed class RateProbe : ICallback
    {
        public List<float> Rates { get; } = new();
        public List<string> Events { get; } = new();
        public void OnTrainBegin(ITrainableModel model) => Events.Add("train");
        public void OnEpochBegin(ITrainableModel model, int epoch) => Events.Add("epoch " + epoch);
        public void OnBatchBegin(ITrainableModel model, int batch)
        {
            Rates.Add(model.LearningRate);
            Events.Add("batch " + batch);
        }
        public void OnBatchEnd(ITrainableModel model, int batch, double loss) => Events.Add("end " + batch);
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            Events.Add("epoch end " + log.Epoch);
            return false;
        }
        public void OnTrainEnd(ITrainableModel model, History history) => Events.Add("train end");
    }

    [Fact]
    public void HooksRunInKerasOrder()
    {
        var probe = new RateProbe();
        new SmallBatchNet(seed: 1).Fit(Data(40), new FitOptions { Epochs = 2, BatchSize = 32, Callbacks = { probe } });
        Assert.Equal(new[] { "train", "epoch 0", "batch 0", "end 0", "batch 1", "end 1", "epoch end 0", "epoch 1", "batch 0", "end 0", "batch 1", "end 1", "epoch end 1", "train end" },
            probe.Events);
    }

    [Fact]
    public void StepDecayDropsAtEveryStepSizeEpochs()
    {
        var model = new SmallBatchNet(seed: 1); // SGD, learning rate 0.1
        History history = model.Fit(Data(64), new FitOptions { Epochs = 5, BatchSize = 32, Callbacks = { new StepDecay(stepSize: 2, gamma: 0.5) } });
        Assert.Equal(new[] { 0.1, 0.1, 0.05, 0.05, 0.025 }, history.Epochs.Select(e => Math.Round(e.LearningRate, 7)));
    }

    [Fact]
    public void ExponentialDecayMultipliesEveryEpoch()
    {
        var model = new SmallBatchNet(seed: 1);
        History history = model.Fit(Data(32), new FitOptions { Epochs = 3, BatchSize = 32, Callbacks = { new ExponentialDecay(0.9) { BaseRate = 0.2f } } });
        Assert.Equal(new[] { 0.2, 0.18, 0.162 }, history.Epochs.Select(e => Math.Round(e.LearningRate, 6)));
    }

    [Fact]
    public void CosineDecayWarmsUpLinearlyThenFollowsAHalfCosine()
    {
        var schedule = new CosineDecay(totalSteps: 20, warmupSteps: 4, minimumRate: 0.01) { BaseRate = 0.1f };
        var probe = new RateProbe();
        var model = new SmallBatchNet(seed: 2);
        model.Fit(Data(8 * 25), new FitOptions { Epochs = 1, BatchSize = 8, Callbacks = { schedule, probe } });
        Assert.Equal(25, probe.Rates.Count);
        double[] expected =
        {
            0, 0.025, 0.05, 0.075,                                           // warm-up: base * step / 4
            0.1,                                                             // the peak at the end of the warm-up
        };
        for (int s = 0; s < expected.Length; s++) Assert.Equal(expected[s], probe.Rates[s], 6);
        Assert.Equal(0.01 + 0.09 * 0.5 * (1 + Math.Cos(Math.PI * 3 / 16)), probe.Rates[7], 6);
        Assert.Equal(0.055, probe.Rates[12], 6);                              // half way down: (base + min) / 2
        Assert.All(probe.Rates.Skip(20), r => Assert.Equal(0.01f, r, 6));    // at and after the end: the minimum
        Assert.True(probe.Rates.Skip(4).Take(16).Zip(probe.Rates.Skip(5)).All(p => p.First >= p.Second), "the decay only goes down");
    }

    [Fact]
    public void ReduceLROnPlateauCountsPatienceAndCooldownAsKerasDoes()
    {
        var model = new SmallBatchNet(seed: 3);
        var plateau = new ReduceLROnPlateau { Monitor = "loss", Patience = 2, Cooldown = 1, Factor = 0.5, MinDelta = 0 };
        plateau.OnTrainBegin(model);
        double[] losses = { 1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5 };
        var rates = new List<double>();
        for (int e = 0; e < losses.Length; e++)
        {
            plateau.OnEpochEnd(model, new EpochLog { Epoch = e, Loss = losses[e] });
            rates.Add(Math.Round(model.LearningRate, 7));
        }
        // Keras: a drop when the wait reaches 2; the epoch that ends the 1-epoch cooldown already counts 1; an improvement resets.
        Assert.Equal(new[] { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125 }, rates);
        Assert.Equal(3, plateau.Reductions);
    }

    [Fact]
    public void CheckpointsSaveTheBestOnlyOrEveryNEpochs()
    {
        string dir = Path.Combine(Path.GetTempPath(), "unroll-checkpoint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var model = new SmallBatchNet(seed: 4);
            var best = new ModelCheckpoint(Path.Combine(dir, "best.safetensors")) { BestOnly = true };
            var periodic = new ModelCheckpoint(Path.Combine(dir, "every-{epoch}.safetensors")) { Every = 2 };
            best.OnTrainBegin(model);
            periodic.OnTrainBegin(model);
            double[] validation = { 3, 2, 2.5, 1, 1 };
            var weightsAt = new List<float[]>();
            for (int e = 0; e < validation.Length; e++)
            {
                model.Parameters.Fill(e + 0.5f); // distinct weights per epoch
                weightsAt.Add(model.Parameters.ToArray());
                var log = new EpochLog { Epoch = e, Loss = 1, ValidationLoss = validation[e] };
                best.OnEpochEnd(model, log);
                periodic.OnEpochEnd(model, log);
            }
            Assert.Equal(new[] { 0, 1, 3 }, best.SavedEpochs); // 2.5 and the repeated 1 are no improvement
            Assert.Equal(new[] { 1, 3 }, periodic.SavedEpochs);
            Assert.Equal(new[] { "best.safetensors", "every-02.safetensors", "every-04.safetensors" }, Directory.GetFiles(dir).Select(Path.GetFileName).Order());

            var check = new SmallBatchNet();
            check.Load(Path.Combine(dir, "best.safetensors"));
            Assert.Equal(weightsAt[3], check.Parameters.ToArray());
            check.Load(Path.Combine(dir, "every-02.safetensors"));
            Assert.Equal(weightsAt[1], check.Parameters.ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CsvLoggerWritesOneLinePerEpoch()
    {
        string path = Path.Combine(Path.GetTempPath(), "unroll-log-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            var model = new SmallBatchNet(seed: 5);
            History history = model.Fit(Data(50), new FitOptions { Epochs = 3, BatchSize = 16, ValidationSplit = 0.2, Callbacks = { new CsvLogger(path) } });
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(CsvLogger.Header, lines[0]);
            Assert.Equal(4, lines.Length);
            for (int e = 0; e < 3; e++)
            {
                string[] cells = lines[e + 1].Split(',');
                Assert.Equal(7, cells.Length);
                Assert.Equal(e.ToString(CultureInfo.InvariantCulture), cells[0]);
                Assert.Equal(history.Loss[e], double.Parse(cells[1], CultureInfo.InvariantCulture));
                Assert.Equal(history.ValidationLoss[e], double.Parse(cells[3], CultureInfo.InvariantCulture));
                Assert.Equal(0.1, double.Parse(cells[5], CultureInfo.InvariantCulture), 6);
            }
            model.Fit(Data(50), new FitOptions { Epochs = 1, BatchSize = 16, Callbacks = { new CsvLogger(path) { Append = true } } });
            Assert.Equal(5, File.ReadAllLines(path).Length); // appended, no second header
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TerminateOnNaNEndsTrainingQuietlyWithTheLastGoodWeights()
    {
        // Targets that overflow the squared error in the third batch.
        float[] features = Enumerable.Range(0, 48 * 3).Select(i => (i % 5) * 0.1f).ToArray();
        float[] targets = Enumerable.Range(0, 48 * 2).Select(i => i >= 64 ? 3e38f : 0.5f).ToArray();
        var data = Dataset.WithTargets(features, 3, targets, 2);
        var plain = new GoldenRegressionMlp(seed: 1);
        Assert.Throws<NonFiniteLossException>(() => plain.Fit(data, new FitOptions { Epochs = 2, BatchSize = 8, Shuffle = false }));

        var model = new GoldenRegressionMlp(seed: 1);
        var terminate = new TerminateOnNaN();
        History history = model.Fit(data, new FitOptions { Epochs = 2, BatchSize = 8, Shuffle = false, Callbacks = { terminate } });
        Assert.Equal((0, 4), terminate.StoppedAt);  // rows 32..39 hold the first overflowing target pair
        Assert.Equal(0, history.StoppedEpoch);
        Assert.Equal(4, model.Iterations);           // the four good steps, not the bad one
        Assert.NotNull(terminate.Cause);
    }

    [Fact]
    public void ACancelledFitStopsBetweenSteps()
    {
        using var cancel = new CancellationTokenSource();
        var stopper = new CancelAfter(cancel, batches: 3);
        var model = new SmallBatchNet(seed: 6);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            model.Fit(Data(200), new FitOptions { Epochs = 5, BatchSize = 16, Callbacks = { stopper }, CancellationToken = cancel.Token }));
        Assert.Equal(3, model.Iterations);
    }

    private sealed class CancelAfter(CancellationTokenSource source, int batches) : ICallback
    {
        private int _seen;
        public void OnTrainBegin(ITrainableModel model) { }
        public void OnBatchEnd(ITrainableModel model, int batch, double loss)
        {
            if (++_seen == batches) source.Cancel();
        }
        public bool OnEpochEnd(ITrainableModel model, EpochLog log) => false;
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }
}
