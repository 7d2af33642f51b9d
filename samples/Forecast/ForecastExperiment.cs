namespace Unroll.Samples.Forecast;

/// <summary>The figures of one run: the interpolated months and both baselines' one-step-ahead MAE over the held-out months.</summary>
public sealed record BaselineResult(MonthlySeries Series, int HeldOut, double NaiveMae, double SeasonalNaiveWithTrendMae);

/// <summary>
/// The protocol of the sample: the Mauna Loa monthly CO2 series (data/SOURCE.md) with its missing months interpolated; the last
/// <see cref="HeldOut"/> months are held out and forecast one step ahead, each from all the months before it.
/// </summary>
public static class ForecastExperiment
{
    public const int HeldOut = 24;

    /// <summary>Months of history the LSTM reads: two seasonal cycles.</summary>
    public const int Window = 24;

    /// <summary>Epochs of the LSTM, under a cosine decay of the learning rate (a 5 % linear warm-up, down to a hundredth).</summary>
    public const int Epochs = 200;

    /// <summary>Epochs of the three-input model, at a constant learning rate (more overfit it: 0.42 ppm at 200).</summary>
    public const int SeasonalEpochs = 60;

    public static MonthlySeries LoadCo2(string dataDirectory) =>
        MonthlySeries.LoadCsv(Path.Combine(dataDirectory, "co2-concentration.csv"), "CO2");

    public static BaselineResult EvaluateBaselines(MonthlySeries series) => new(series, HeldOut,
        Baselines.OneStepMae(series.Values, HeldOut, Baselines.Naive),
        Baselines.OneStepMae(series.Values, HeldOut, Baselines.SeasonalNaiveWithTrend));

    /// <summary>Training rows: every target month with a full window before it, up to the held-out months.</summary>
    public static SeriesWindows TrainWindows(MonthlySeries series, int window, bool differences, double offset = 0, double scale = 1) =>
        SeriesWindows.Create(series.Values, window, differences ? window + 1 : window, series.Count - HeldOut, differences, offset, scale);

    /// <summary>Test rows: the <see cref="HeldOut"/> last months, each with the window of (known) months before it.</summary>
    public static SeriesWindows TestWindows(MonthlySeries series, int window, bool differences, double offset = 0, double scale = 1) =>
        SeriesWindows.Create(series.Values, window, series.Count - HeldOut, series.Count, differences, offset, scale);

    /// <summary>
    /// Trains <see cref="Co2Forecaster"/> on windows of month-to-month changes up to the held-out months (standardized by the training
    /// changes' mean and standard deviation, so the test months, which exceed every training level, look like the training data) and
    /// returns its one-step-ahead MAE in ppm over the held-out months, with the model's forecasts.
    /// </summary>
    public static (double Mae, double[] Forecasts) TrainLstm(MonthlySeries series, ulong seed, Action<EpochLog>? onEpoch = null)
    {
        SeriesWindows raw = TrainWindows(series, Window, differences: true);
        float[] changes = raw.Data.Targets!;
        double mean = changes.Average(v => (double)v);
        double std = Math.Sqrt(changes.Average(v => (v - mean) * (v - mean)));
        SeriesWindows train = TrainWindows(series, Window, differences: true, mean, std);
        SeriesWindows test = TestWindows(series, Window, differences: true, mean, std);

        var model = new Co2Forecaster(seed);
        int steps = Epochs * ((train.Data.Count + 31) / 32);
        model.Fit(train.Data, new FitOptions
        {
            Epochs = Epochs, BatchSize = 32, OnEpoch = onEpoch,
            Callbacks = { new CosineDecay(steps, warmupSteps: steps / 20, minimumRate: model.LearningRate / 100) },
        });
        var outputs = new float[test.Data.Count];
        model.Predict(test.Data.Features, outputs);
        double[] forecasts = outputs.Select((o, row) => test.ToLevel(row, o)).ToArray();
        return (test.MeanAbsoluteError(outputs), forecasts);
    }

    /// <summary>The rows of <see cref="Co2SeasonalForecaster"/>'s three inputs for a set of windows (standardized as the LSTM's).</summary>
    public sealed record SeasonalRows(float[] Changes, float[] Month, float[] LastYear, float[] Targets, SeriesWindows Windows);

    /// <summary>Adds to each window the one-hot calendar month of its target and the (scaled) change of the month a year before it.</summary>
    public static SeasonalRows SeasonalInputs(MonthlySeries series, SeriesWindows windows)
    {
        int rows = windows.Data.Count;
        var month = new float[rows * 12];
        var lastYear = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            int t = windows.TargetMonths[r];
            month[r * 12 + series.Month(t).Month - 1] = 1f;
            lastYear[r] = (float)((series.Values[t - 12] - series.Values[t - 13] - windows.Offset) / windows.Scale);
        }
        return new SeasonalRows(windows.Data.Features, month, lastYear, windows.Data.Targets!, windows);
    }

    /// <summary>
    /// Trains <see cref="Co2SeasonalForecaster"/> (three inputs: the changes, the month, last year's change) with its own loop of
    /// <see cref="SeasonalEpochs"/> epochs of shuffled batches of 32 through <c>TrainStep</c>, and returns its one-step-ahead MAE in ppm over
    /// the held-out months with its forecasts.
    /// </summary>
    public static (double Mae, double[] Forecasts) TrainSeasonal(MonthlySeries series, ulong seed)
    {
        SeriesWindows raw = TrainWindows(series, Window, differences: true);
        float[] changes = raw.Data.Targets!;
        double mean = changes.Average(v => (double)v);
        double std = Math.Sqrt(changes.Average(v => (v - mean) * (v - mean)));
        SeasonalRows train = SeasonalInputs(series, TrainWindows(series, Window, differences: true, mean, std));
        SeasonalRows test = SeasonalInputs(series, TestWindows(series, Window, differences: true, mean, std));

        var model = new Co2SeasonalForecaster(seed);
        var random = new SeededRandom(seed + 100);
        int rows = train.Targets.Length;
        int[] order = Enumerable.Range(0, rows).ToArray();
        const int Batch = 32;
        var x = new float[Batch * Window];
        var month = new float[Batch * 12];
        var lastYear = new float[Batch];
        var targets = new float[Batch];
        for (int epoch = 0; epoch < SeasonalEpochs; epoch++)
        {
            random.Shuffle<int>(order);
            for (int start = 0; start < rows; start += Batch)
            {
                int n = Math.Min(Batch, rows - start);
                for (int i = 0; i < n; i++)
                {
                    int r = order[start + i];
                    train.Changes.AsSpan(r * Window, Window).CopyTo(x.AsSpan(i * Window));
                    train.Month.AsSpan(r * 12, 12).CopyTo(month.AsSpan(i * 12));
                    lastYear[i] = train.LastYear[r];
                    targets[i] = train.Targets[r];
                }
                model.TrainStep(x.AsSpan(0, n * Window), month.AsSpan(0, n * 12), lastYear.AsSpan(0, n), targets.AsSpan(0, n));
            }
        }
        var outputs = new float[test.Targets.Length];
        model.Predict(test.Changes, test.Month, test.LastYear, outputs);
        double[] forecasts = outputs.Select((o, row) => test.Windows.ToLevel(row, o)).ToArray();
        return (test.Windows.MeanAbsoluteError(outputs), forecasts);
    }
}
