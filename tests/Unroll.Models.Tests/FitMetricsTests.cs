namespace Unroll.Models.Tests;

/// <summary>Metrics chosen per Fit call (FitOptions.Metrics): logged per epoch on the training outputs and the validation data, printed,
/// written by CsvLogger, monitored by callbacks.</summary>
public class FitMetricsTests
{
    private static Dataset Data(int rows, ulong seed)
    {
        var random = new SeededRandom(seed);
        float[] x = Enumerable.Range(0, rows * 6).Select(_ => random.NextNormal()).ToArray();
        // Learnable labels: the class is where the first three features peak.
        int[] labels = Enumerable.Range(0, rows).Select(r => Metrics.ArgMax(x.AsSpan(r * 6, 3))).ToArray();
        return Dataset.WithLabels(x, 6, labels, 3);
    }

    [Fact]
    public void TheLastEpochsValidationMetricsEqualEvaluateAfterFit()
    {
        Dataset train = Data(120, 1), validation = Data(50, 2);
        var model = new LargeBatchNet(seed: 1);
        History history = model.Fit(train, new FitOptions
        {
            Epochs = 3, BatchSize = 16, Validation = validation,
            Metrics = { Metric.F1(), Metric.Precision(MetricAverage.Weighted), Metric.TopKAccuracy(2) },
        });
        EpochLog last = history.Epochs[^1];
        Evaluation after = model.Evaluate(validation);

        Assert.Equal(["f1_macro", "precision_weighted", "top_2_accuracy", "val_f1_macro", "val_precision_weighted", "val_top_2_accuracy"],
            last.Metrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(after.Confusion!.Macro.F1, last.Value("val_f1_macro"));
        Assert.Equal(after.Confusion.Weighted.Precision, last.Value("val_precision_weighted"));
        Assert.Equal(after.TopKAccuracy(2), last.Value("val_top_2_accuracy"));
        Assert.Equal(after.Score(Metric.F1()), last.Value("val_f1_macro"));
        Assert.Contains("val_f1_macro: ", last.ToString());
    }

    [Fact]
    public void TrainingMetricsAreScoredOnTheOutputsOfEveryRowOfTheEpoch()
    {
        // Frozen layers: no update, no dropout, so each batch's training outputs are the model's predictions and the epoch's training
        // metric must equal the metric of Evaluate on the training set.
        Dataset train = Data(100, 3);
        var model = new LargeBatchNet(seed: 2);
        model.Hidden.Frozen = true;
        model.Class.Frozen = true;
        History history = model.Fit(train, new FitOptions { Epochs = 1, BatchSize = 16, Metrics = { Metric.F1(MetricAverage.Macro), Metric.TopKAccuracy(2) } });
        Evaluation seen = model.Evaluate(train);
        Assert.Equal(seen.Confusion!.Macro.F1, history.Epochs[0].Value("f1_macro")!.Value, 12);
        Assert.Equal(seen.TopKAccuracy(2), history.Epochs[0].Value("top_2_accuracy")!.Value, 12);
        Assert.Equal(seen.Accuracy, history.Epochs[0].Accuracy, 12);
    }

    [Fact]
    public void RegressionMetricsMatchEvaluate()
    {
        var random = new SeededRandom(4);
        float[] x = Enumerable.Range(0, 60 * 3).Select(_ => random.NextNormal()).ToArray();
        float[] y = Enumerable.Range(0, 60).SelectMany(r => new[] { x[3 * r] - x[3 * r + 1], 0.5f * x[3 * r + 2] }).ToArray();
        Dataset data = Dataset.WithTargets(x, 3, y, 2);
        var model = new GoldenRegressionMlp(seed: 3);
        History history = model.Fit(data, new FitOptions
        {
            Epochs = 2, BatchSize = 8, ValidationSplit = 0.25,
            Metrics = { Metric.MeanAbsoluteError, Metric.RootMeanSquaredError, Metric.R2 },
        });
        Evaluation validation = model.Evaluate(data.SplitTail(0.25).Validation);
        EpochLog last = history.Epochs[^1];
        Assert.Equal(validation.MeanAbsoluteError, last.Value("val_mae"));
        Assert.Equal(validation.RootMeanSquaredError, last.Value("val_rmse"));
        Assert.Equal(validation.R2, last.Value("val_r2"));
        Assert.NotNull(last.Value("mae"));
    }

    [Fact]
    public void CallbacksMonitorAMetricInTheDirectionOfItsName()
    {
        Dataset train = Data(90, 5), validation = Data(30, 6);
        var stopping = new EarlyStopping { Monitor = "val_f1_macro", Patience = 1 };
        var model = new LargeBatchNet(seed: 4);
        History history = model.Fit(train, new FitOptions { Epochs = 6, BatchSize = 16, Validation = validation, Metrics = { Metric.F1() }, Callbacks = { stopping } });
        // Auto mode maximises an F1: the best epoch is the one with the highest value.
        double best = history.Epochs.Max(e => e.Value("val_f1_macro")!.Value);
        Assert.Equal(best, stopping.Best);

        var missing = new EarlyStopping { Monitor = "val_auc" };
        var e = Assert.Throws<InvalidOperationException>(() => new LargeBatchNet(seed: 5).Fit(train, new FitOptions { Epochs = 1, Validation = validation, Callbacks = { missing } }));
        Assert.Contains("monitors 'val_auc', which is not in the log of epoch 0: add a metric of that name to FitOptions.Metrics", e.Message);
        Assert.Throws<ArgumentException>(() => new EarlyStopping { Monitor = "val-F1" });
    }

    [Fact]
    public void CsvLoggerWritesAColumnPerMetric()
    {
        string path = Path.Combine(Path.GetTempPath(), $"unroll-metrics-{Guid.NewGuid():N}.csv");
        try
        {
            var model = new LargeBatchNet(seed: 6);
            model.Fit(Data(40, 7), new FitOptions { Epochs = 2, BatchSize = 16, ValidationSplit = 0.25, Metrics = { Metric.F1() }, Callbacks = { new CsvLogger(path) } });
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(CsvLogger.Header + ",f1_macro,val_f1_macro", lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.Equal(9, lines[1].Split(',').Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MetricNamesAreCheckedBeforeTraining()
    {
        var model = new LargeBatchNet(seed: 7);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(Data(20, 8), new FitOptions { Metrics = { Metric.F1(), Metric.F1() } }));
        Assert.Contains("two metrics named 'f1_macro'", e.Message);
        Assert.Equal(0, model.Iterations);
        Assert.Throws<ArgumentException>(() => new Metric("val_f1", _ => 0, higherIsBetter: true));
        Assert.Throws<ArgumentException>(() => new Metric("F1", _ => 0, higherIsBetter: true));
        var custom = new Metric("error_rate", ev => 1 - ev.Accuracy, higherIsBetter: false);
        History history = model.Fit(Data(20, 9), new FitOptions { Epochs = 1, BatchSize = 10, Metrics = { custom } });
        Assert.Equal(1 - history.Epochs[0].Accuracy, history.Epochs[0].Value("error_rate")!.Value, 12);
    }

    [Fact]
    public void MetricsAllocateNothingPerBatch()
    {
        // The least any of epochs 3-6 allocated: an allocation of the runtime's own that lands in one epoch (the tiered JIT restarting its
        // background worker) does not count, while one per batch would show in every epoch.
        long PerEpoch(int rows)
        {
            var model = new LargeBatchNet(seed: 8);
            var marks = new List<long>(8);
            var probe = new Probe(marks);
            model.Fit(Data(rows, 10), new FitOptions { Epochs = 6, BatchSize = 16, Metrics = { Metric.F1(), Metric.TopKAccuracy(2) }, Callbacks = { probe } });
            return Enumerable.Range(2, 4).Min(e => marks[e] - marks[e - 1]);
        }
        Assert.Equal(PerEpoch(64), PerEpoch(640)); // 4 batches vs 40
    }

    private sealed class Probe(List<long> marks) : ICallback
    {
        public void OnTrainBegin(ITrainableModel model) { }
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            marks.Add(GC.GetAllocatedBytesForCurrentThread());
            return false;
        }
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }
}
