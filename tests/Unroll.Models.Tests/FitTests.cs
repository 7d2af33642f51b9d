namespace Unroll.Models.Tests;

/// <summary>The generated Fit/Evaluate over the runtime's training loop.</summary>
public class FitTests
{
    /// <summary>Two Gaussian blobs per class in 4-D, three classes: learnable, not trivially separable.</summary>
    private static Dataset Blobs(int count, ulong seed)
    {
        var r = new SeededRandom(seed);
        var features = new float[count * 4];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % 3;
            labels[i] = c;
            for (int f = 0; f < 4; f++)
                features[i * 4 + f] = r.NextNormal() * 0.7f + (f == c ? 2f : 0f);
        }
        return Dataset.WithLabels(features, 4, labels, 3);
    }

    [Fact]
    public void FitLearnsAndEvaluateReportsAccuracyAndConfusion()
    {
        var model = new DropoutClassifier(seed: 4);
        Dataset train = Blobs(300, 1), test = Blobs(90, 2);
        double before = model.Evaluate(test).Loss;
        var epochs = new List<EpochLog>();
        History history = model.Fit(train, epochs: 15, batchSize: 32, validation: test, onEpoch: epochs.Add);

        Assert.Equal(15, history.Epochs.Count);
        Assert.Equal(15, epochs.Count);
        Assert.True(history.Loss[^1] < history.Loss[0], $"loss went from {history.Loss[0]} to {history.Loss[^1]}");
        Evaluation evaluation = model.Evaluate(test);
        Assert.True(evaluation.Loss < before, $"held-out loss {before} -> {evaluation.Loss}");
        Assert.True(evaluation.Accuracy > 0.85, $"held-out accuracy {evaluation.Accuracy}");
        Assert.Equal(90, evaluation.Confusion!.Total);
        Assert.Equal(history.ValidationAccuracy[^1], evaluation.Accuracy, 6);
        Assert.Equal(15 * (int)Math.Ceiling(300 / 32.0), model.Iterations);
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresTheBestWeights()
    {
        var model = new DropoutClassifier(seed: 4);
        Dataset train = Blobs(120, 3);
        var stopper = new EarlyStopping { Monitor = "val_loss", Patience = 2, MinDelta = 10, RestoreBestWeights = true };
        History history = model.Fit(train, epochs: 50, batchSize: 16, validationSplit: 0.25, callbacks: stopper);

        // With a min delta of 10 no epoch counts as an improvement over the first, so training stops after 1 + patience epochs.
        Assert.Equal(3, history.Epochs.Count);
        Assert.NotNull(history.StoppedEpoch);
        Assert.Equal(0, stopper.BestEpoch);
    }

    [Fact]
    public void LogitModelsThresholdAccuracyAtZero()
    {
        var model = new LogitClassifier(seed: 2);
        var r = new SeededRandom(8);
        int n = 200;
        var features = new float[n * 2];
        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            features[2 * i] = r.NextNormal();
            features[2 * i + 1] = r.NextNormal();
            targets[i] = features[2 * i] + features[2 * i + 1] > 0 ? 1f : 0f;
        }
        Dataset data = Dataset.WithTargets(features, 2, targets, 1);
        model.Fit(data, epochs: 30, batchSize: 16);
        Assert.True(model.Evaluate(data).Accuracy > 0.9, $"accuracy {model.Evaluate(data).Accuracy}");
    }
}
