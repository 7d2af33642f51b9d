using Xunit;

namespace Unroll.Runtime.Tests.Training;

/// <summary>EarlyStopping driven directly with scripted epoch logs; expected epochs follow Keras 3's on_epoch_end step by step.</summary>
public class EarlyStoppingTests
{
    /// <summary>Feeds one log per value (Parameters[0] = 100 + epoch during each epoch); returns the epoch it stopped at.</summary>
    private static int? Run(EarlyStopping callback, ScriptedModel model, string monitor, params double[] values)
    {
        callback.OnTrainBegin(model);
        int? stopped = null;
        for (int epoch = 0; epoch < values.Length; epoch++)
        {
            model.Parameters[0] = 100 + epoch;
            var log = monitor switch
            {
                "loss" => new EpochLog { Epoch = epoch, Loss = values[epoch] },
                "val_loss" => new EpochLog { Epoch = epoch, Loss = 1, ValidationLoss = values[epoch] },
                "accuracy" => new EpochLog { Epoch = epoch, Loss = 1, Accuracy = values[epoch] },
                _ => new EpochLog { Epoch = epoch, Loss = 1, ValidationLoss = 1, ValidationAccuracy = values[epoch] },
            };
            if (callback.OnEpochEnd(model, log))
            {
                stopped = epoch;
                break;
            }
        }
        callback.OnTrainEnd(model, new History());
        return stopped;
    }

    private static ScriptedModel Model() => new(batchCapacity: 8, seed: 1);

    [Fact]
    public void StopsAfterPatienceEpochsWithoutImprovement()
    {
        var callback = new EarlyStopping { Monitor = "loss", Patience = 2 };
        // best 0.9 at epoch 1; epochs 2 and 3 do not improve -> wait reaches 2 at epoch 3.
        Assert.Equal(3, Run(callback, Model(), "loss", 1.0, 0.9, 0.95, 0.91, 0.5, 0.4));
        Assert.Equal(3, callback.StoppedEpoch);
        Assert.Equal(1, callback.BestEpoch);
        Assert.Equal(0.9, callback.Best);
    }

    [Fact]
    public void RunsToTheEndWhileImproving()
    {
        var callback = new EarlyStopping { Patience = 2 };
        Assert.Null(Run(callback, Model(), "val_loss", 5, 4, 3, 3.5, 2, 1));
        Assert.Null(callback.StoppedEpoch);
        Assert.Equal(5, callback.BestEpoch);
    }

    [Fact]
    public void PatienceZeroStopsAtTheFirstEpochWithoutImprovementButNeverAtEpochZero()
    {
        Assert.Equal(2, Run(new EarlyStopping { Monitor = "loss" }, Model(), "loss", 1.0, 0.5, 0.5));
        // Epoch 0 always improves on +infinity; an epoch-0 NaN does not, and Keras still waits for epoch > 0.
        Assert.Equal(1, Run(new EarlyStopping { Monitor = "loss" }, Model(), "loss", double.NaN, double.NaN));
    }

    [Fact]
    public void MinDeltaIsTheMarginAnImprovementMustExceed()
    {
        // 0.9 beats 1.0 by 0.1 > 0.05; 0.87 beats 0.9 by only 0.03 -> no improvement, patience 1 -> stop at epoch 2.
        Assert.Equal(2, Run(new EarlyStopping { Monitor = "loss", Patience = 1, MinDelta = 0.05 }, Model(), "loss", 1.0, 0.9, 0.87, 0.8));
        Assert.Equal(2, Run(new EarlyStopping { Monitor = "loss", Patience = 1, MinDelta = -0.05 }, Model(), "loss", 1.0, 0.9, 0.87, 0.8));
        Assert.Null(Run(new EarlyStopping { Monitor = "loss", Patience = 1 }, Model(), "loss", 1.0, 0.9, 0.87, 0.8));
    }

    [Fact]
    public void AccuracyIsMaximized()
    {
        var callback = new EarlyStopping { Monitor = "val_accuracy", Patience = 2 };
        // 0.6 at epoch 1 is the best; an equal 0.6 is not an improvement.
        Assert.Equal(3, Run(callback, Model(), "val_accuracy", 0.5, 0.6, 0.6, 0.55, 0.9));
        Assert.Equal(0.6, callback.Best);
        Assert.Equal(1, callback.BestEpoch);

        Assert.Equal(2, Run(new EarlyStopping { Monitor = "accuracy", Patience = 1, MinDelta = 0.05 }, Model(), "accuracy", 0.5, 0.6, 0.62, 0.7));
        // An explicit Min mode turns it around: the rising accuracy never "improves" after epoch 0.
        Assert.Equal(1, Run(new EarlyStopping { Monitor = "accuracy", Mode = MonitorMode.Min }, Model(), "accuracy", 0.5, 0.6));
    }

    [Fact]
    public void BaselineKeepsTheWaitCountingUntilBeaten()
    {
        // Epoch 0 improves on +infinity but not on the baseline 0.5, so the wait is not reset: 2 at epoch 1.
        Assert.Equal(1, Run(new EarlyStopping { Monitor = "loss", Patience = 2, Baseline = 0.5 }, Model(), "loss", 0.9, 0.95, 0.96));
        Assert.Equal(2, Run(new EarlyStopping { Monitor = "loss", Patience = 2 }, Model(), "loss", 0.9, 0.95, 0.96));
    }

    [Fact]
    public void StartFromEpochIgnoresTheWarmUp()
    {
        Assert.Equal(1, Run(new EarlyStopping { Monitor = "loss", Patience = 1 }, Model(), "loss", 1, 2, 3, 3.5, 4));
        Assert.Equal(3, Run(new EarlyStopping { Monitor = "loss", StartFromEpoch = 2, Patience = 1 }, Model(), "loss", 1, 2, 3, 3.5, 4));
    }

    [Fact]
    public void RestoresTheWeightsOfTheBestEpoch()
    {
        ScriptedModel model = Model();
        var callback = new EarlyStopping { Monitor = "loss", Patience = 2, RestoreBestWeights = true };
        Assert.Equal(4, Run(callback, model, "loss", 1.0, 0.8, 0.7, 0.75, 0.71));
        Assert.Equal(102f, model.Parameters[0]);
    }

    [Fact]
    public void RestoresAtTheEndEvenWithoutStopping()
    {
        // Keras 3 restores in on_train_end whenever best weights were saved.
        ScriptedModel model = Model();
        Assert.Null(Run(new EarlyStopping { Monitor = "loss", Patience = 5, RestoreBestWeights = true }, model, "loss", 1.0, 0.5, 0.6));
        Assert.Equal(101f, model.Parameters[0]);
    }

    [Fact]
    public void WithoutAnyImprovementTheFirstMonitoredEpochIsRestored()
    {
        ScriptedModel model = Model();
        Assert.Equal(1, Run(new EarlyStopping { Monitor = "loss", Patience = 2, RestoreBestWeights = true }, model, "loss", double.NaN, double.NaN, 1.0));
        Assert.Equal(100f, model.Parameters[0]);
    }

    [Fact]
    public void LeavesTheWeightsAloneWithoutRestoreBestWeights()
    {
        ScriptedModel model = Model();
        Assert.Equal(2, Run(new EarlyStopping { Monitor = "loss", Patience = 1 }, model, "loss", 1.0, 0.5, 0.6, 0.7));
        Assert.Equal(102f, model.Parameters[0]);
    }

    [Fact]
    public void SavingTheBestWeightsAllocatesNothingPerEpoch()
    {
        ScriptedModel model = Model();
        var callback = new EarlyStopping { Monitor = "loss", Patience = 1000, RestoreBestWeights = true };
        var logs = new EpochLog[1000];
        for (int i = 0; i < logs.Length; i++) logs[i] = new EpochLog { Epoch = i + 1, Loss = i % 3 == 0 ? 2.0 : 1.0 / (i + 2) };
        callback.OnTrainBegin(model);
        callback.OnEpochEnd(model, new EpochLog { Epoch = 0, Loss = 1 });
        var history = new History();
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (EpochLog log in logs) callback.OnEpochEnd(model, log);
        callback.OnTrainEnd(model, history);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void MissingMonitoredValueIsAnError()
    {
        var callback = new EarlyStopping(); // val_loss
        callback.OnTrainBegin(Model());
        var error = Assert.Throws<InvalidOperationException>(() => callback.OnEpochEnd(Model(), new EpochLog { Epoch = 0, Loss = 1 }));
        Assert.Contains("val_loss", error.Message);
        var accuracy = new EarlyStopping { Monitor = "accuracy" };
        accuracy.OnTrainBegin(Model());
        Assert.Throws<InvalidOperationException>(() => accuracy.OnEpochEnd(Model(), new EpochLog { Epoch = 0, Loss = 1 }));
        // Any metric name may be monitored (FitOptions.Metrics); one the log lacks fails at the first epoch's end, naming where it comes from.
        var typo = new EarlyStopping { Monitor = "val_acc" };
        typo.OnTrainBegin(Model());
        error = Assert.Throws<InvalidOperationException>(() => typo.OnEpochEnd(Model(), new EpochLog { Epoch = 0, Loss = 1, ValidationLoss = 1 }));
        Assert.Contains("monitors 'val_acc', which is not in the log of epoch 0: add a metric of that name to FitOptions.Metrics", error.Message);
        Assert.Throws<ArgumentException>(() => new EarlyStopping { Monitor = "val acc" });
        Assert.Throws<ArgumentException>(() => new EarlyStopping { Monitor = "Loss" });
    }

    [Theory]
    [InlineData(double.NaN, null, 0, "EarlyStopping.MinDelta is NaN; it must be finite")]
    [InlineData(0.0, double.PositiveInfinity, 0, "EarlyStopping.Baseline is ∞; it must be finite")]
    [InlineData(0.0, null, -1, "EarlyStopping.StartFromEpoch is -1; it cannot be negative.")]
    public void OutOfRangeSettingsThrowWhenTrainingBegins(double minDelta, double? baseline, int startFromEpoch, string message)
    {
        var callback = new EarlyStopping { MinDelta = minDelta, Baseline = baseline, StartFromEpoch = startFromEpoch };
        var e = Assert.Throws<InvalidOperationException>(() => callback.OnTrainBegin(Model()));
        Assert.StartsWith(message.Replace("∞", double.PositiveInfinity.ToString()), e.Message);
    }
}
