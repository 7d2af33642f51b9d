namespace Unroll.Samples.Forecast;

/// <summary>The figures of one run: the interpolated months and both baselines' one-step-ahead MAE over the held-out months.</summary>
public sealed record BaselineResult(MonthlySeries Series, int HeldOut, double NaiveMae, double SeasonalNaiveWithTrendMae);

/// <summary>
/// One forecaster's mean absolute error minus another's over the same months, month by month (<see cref="ForecastExperiment.Compare"/>):
/// <see cref="Difference"/> is the first one's MAE (averaged over its seeds) minus the second one's, <see cref="StandardError"/> the
/// standard error of that mean over the <see cref="Months"/> monthly differences, treating the months as independent: a rough yardstick
/// of what the months can tell apart, not a test.
/// </summary>
public sealed record PairedComparison(double Difference, double StandardError, int Months)
{
    /// <summary>Whether the difference is more than two standard errors from zero.</summary>
    public bool Clear => Math.Abs(Difference) > 2 * StandardError;
}

/// <summary>
/// The protocol of the sample: the Mauna Loa monthly CO2 series (data/SOURCE.md) with its missing months interpolated; the last
/// <see cref="HeldOut"/> months are held out and forecast one step ahead, each from all the months before it.
/// </summary>
public static class ForecastExperiment
{
    public const int HeldOut = 24;

    /// <summary>
    /// Months of history <see cref="Co2Forecaster"/> reads: one seasonal cycle, each step with its calendar month (see
    /// <see cref="WithMonths"/>). Chosen with <see cref="Epochs"/>, the model's units, loss and learning rate on validation folds, never on
    /// the held-out months. First on four folds (2010-05 to 2018-04): 24 months and no months scored 0.292 there, 24 with months 0.285,
    /// 12 with months 0.283 (6: 0.286, 36: 0.315); 16 or 64 units, a hidden layer, two stacked LSTMs, 100 or 300 epochs, learning rates
    /// 0.001 or 0.01, the Huber or absolute loss, AdamW, recurrent dropout, batches of 64, last year's changes as extra features, a
    /// residual target (the change beyond last year's) and extra outputs for later months all scored the same or worse; so did recency
    /// sample weights (<see cref="Dataset.WithSampleWeights"/>, halving every 5, 10 or 20 years: 0.289, 0.291, 0.289), training only
    /// from 1980, 1985, 1990, 1995 or 2000 (0.290, 0.287, 0.282, 0.284, 0.287), the same month's change 1, 1-2 or 1-3 years back as
    /// extra features of each step (0.295, 0.292, 0.291) and an ensemble of three nets per seed (0.285).
    /// Then on the eight folds of <see cref="ValidationFolds"/> (2002-05 to 2018-04; seasonal naive with trend 0.425), because the four
    /// ranked training from 1990 above all years and the eight below (0.278 against 0.274), all with seeds 1-3: 200 epochs (the
    /// setting above) 0.2737, 150, 250, 300 or 400 epochs 0.2780, 0.2727, 0.2729, 0.2819; from 1990 0.2783; the same month's change 1,
    /// 1-2 or 1-3 years back per step 0.2803, 0.2814, 0.2810, their mean over 2, 3 or 5 years as one feature 0.2801, 0.2792, 0.2784
    /// (3 years with weights halving every 40 years: 0.2804); weights halving every 20 or 40 years 0.2760, 0.2748 (with 300 epochs:
    /// 0.2768); the changes 1-3 years back through a second Input concatenated with the LSTM's state 0.2766; ensembles of 3 or 5 nets per
    /// seed 0.2749, 0.2747; a GRU 0.2832; input dropout 0.1 0.2934; L2 0.01 on the output layer 0.2863; batches of 16 0.2741; learning
    /// rates 0.002 or 0.005 0.2773, 0.2739 (0.005 with 300 epochs: 0.2997); an LSTM on the doubly differenced series d[t] - d[t-12]
    /// over 12 or 24 steps 0.4445, 0.4860; each window's changes and target centred on the window's mean change (reversible instance
    /// normalization, so the model never sees the trend's level) 0.2739. Seeds 4-6 as a check of the closest: 200, 250, 300 epochs
    /// 0.2739, 0.2725, 0.2744, so 250.
    /// The margins are within a seed's noise. In this second round the held-out months were scored once, for the chosen setting: 0.2842
    /// (seeds 0.2771, 0.2780, 0.2975; the first round's 200 epochs: 0.2855), still above the seasonal-naive-with-trend 0.2779, which does
    /// unusually well on those months. The same protocol in PyTorch (tools/reference/forecast_lstm.py; seeds 1-3 on the folds, 1-10
    /// held out) scores 0.2819 on the folds and 0.3024 held out with its own initializers, 0.2754 and 0.2889 with these (Glorot,
    /// orthogonal, forget bias 1).
    /// </summary>
    public const int Window = 12;

    /// <summary>Months of history <see cref="Co2SeasonalForecaster"/> reads: two seasonal cycles.</summary>
    public const int SeasonalWindow = 24;

    /// <summary>Epochs of the LSTM, under a cosine decay of the learning rate (a 5 % linear warm-up, down to a hundredth).</summary>
    public const int Epochs = 250;

    /// <summary>Epochs of the three-input model, at a constant learning rate (more overfit it: 0.42 ppm at 200).</summary>
    public const int SeasonalEpochs = 60;

    /// <summary>
    /// Validation folds: the <see cref="ValidationFolds"/> spans of <see cref="HeldOut"/> months just before the held-out ones (2002-05 to
    /// 2018-04), each forecast one step ahead by a model trained only on the months before it (rolling origin). Eight folds rather than
    /// one because a single span of 24 months ranks settings less than 0.01 ppm apart at random, and rather than four because four
    /// still ranked some settings the other way round (see <see cref="Window"/>).
    /// </summary>
    public const int ValidationFolds = 8;

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
    public static (double Mae, double[] Forecasts) TrainLstm(MonthlySeries series, ulong seed, Action<EpochLog>? onEpoch = null) =>
        TrainLstm(series, seed, series.Count - HeldOut, series.Count, onEpoch);

    /// <summary>
    /// Trains <see cref="Co2Forecaster"/> on every window whose target comes before <paramref name="firstForecast"/> and forecasts the
    /// months <paramref name="firstForecast"/> up to <paramref name="endForecast"/> one step ahead: the held-out months, or a validation
    /// fold with its own model that never sees the fold or anything after it.
    /// </summary>
    public static (double Mae, double[] Forecasts) TrainLstm(MonthlySeries series, ulong seed, int firstForecast, int endForecast,
        Action<EpochLog>? onEpoch = null)
    {
        SeriesWindows raw = SeriesWindows.Create(series.Values, Window, Window + 1, firstForecast, differences: true);
        float[] changes = raw.Data.Targets!;
        double mean = changes.Average(v => (double)v);
        double std = Math.Sqrt(changes.Average(v => (v - mean) * (v - mean)));
        SeriesWindows train = SeriesWindows.Create(series.Values, Window, Window + 1, firstForecast, differences: true, mean, std);
        SeriesWindows test = SeriesWindows.Create(series.Values, Window, firstForecast, endForecast, differences: true, mean, std);

        var model = new Co2Forecaster(seed);
        int steps = Epochs * ((train.Data.Count + 31) / 32);
        model.Fit(WithMonths(series, train), new FitOptions
        {
            Epochs = Epochs, BatchSize = 32, OnEpoch = onEpoch,
            Callbacks = { new CosineDecay(steps, warmupSteps: steps / 20, minimumRate: model.LearningRate / 100) },
        });
        var outputs = new float[test.Data.Count];
        model.Predict(WithMonths(series, test).Features, outputs);
        double[] forecasts = outputs.Select((o, row) => test.ToLevel(row, o)).ToArray();
        return (test.MeanAbsoluteError(outputs), forecasts);
    }

    /// <summary>The validation folds, earliest first: each one's first month and end (exclusive), the held-out months' start the last end.</summary>
    public static IReadOnlyList<(int First, int End)> ValidationSpans(MonthlySeries series) =>
        Enumerable.Range(0, ValidationFolds)
            .Select(k => series.Count - HeldOut * (ValidationFolds + 1 - k))
            .Select(first => (first, first + HeldOut))
            .ToArray();

    /// <summary>
    /// Compares forecasts of the months <paramref name="first"/> onwards (one array per seed, each as long as the others) with the
    /// seasonal-naive-with-trend forecasts of the same months, month by month: the difference of absolute errors, seeds averaged.
    /// </summary>
    /// <exception cref="ArgumentException">No seed, seeds of different lengths, or months outside the series.</exception>
    public static PairedComparison Compare(MonthlySeries series, int first, IReadOnlyList<double[]> forecastsPerSeed)
    {
        ArgumentNullException.ThrowIfNull(forecastsPerSeed);
        if (forecastsPerSeed.Count == 0) throw new ArgumentException("Expected the forecasts of at least one seed, got none.", nameof(forecastsPerSeed));
        int months = forecastsPerSeed[0].Length;
        if (forecastsPerSeed.Any(f => f.Length != months))
            throw new ArgumentException($"Expected every seed to forecast {months} months, got {string.Join(", ", forecastsPerSeed.Select(f => f.Length))}.",
                nameof(forecastsPerSeed));
        if (months < 2 || first < 13 || first + months > series.Count)
            throw new ArgumentException($"Expected at least 2 months from month 13 on within the series' {series.Count}, got {months} from month {first}.",
                nameof(forecastsPerSeed));
        var differences = new double[months];
        for (int k = 0; k < months; k++)
        {
            int t = first + k;
            double actual = series.Values[t];
            double model = forecastsPerSeed.Average(f => Math.Abs(actual - f[k]));
            differences[k] = model - Math.Abs(actual - Baselines.SeasonalNaiveWithTrend(series.Values, t));
        }
        double mean = differences.Average();
        double variance = differences.Sum(d => (d - mean) * (d - mean)) / (months - 1);
        return new PairedComparison(mean, Math.Sqrt(variance / months), months);
    }

    /// <summary>The seasonal-naive-with-trend MAE over the months <paramref name="first"/> up to <paramref name="end"/>, one step ahead.</summary>
    public static double SeasonalNaiveWithTrendMae(MonthlySeries series, int first, int end) =>
        Baselines.OneStepMae(series.Values[..end], end - first, Baselines.SeasonalNaiveWithTrend);

    /// <summary>
    /// The windows' rows as <see cref="Co2Forecaster"/> reads them: three features per step, the (scaled) change into a month and the
    /// sine and cosine of the calendar month after it, so the last step names the month to forecast (December and January sit side
    /// by side on the circle, as they do in the seasonal cycle).
    /// </summary>
    public static Dataset WithMonths(MonthlySeries series, SeriesWindows windows)
    {
        int rows = windows.Data.Count, window = windows.Window;
        var features = new float[rows * window * 3];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> changes = windows.Data.Row(r);
            for (int k = 0; k < window; k++)
            {
                int next = windows.TargetMonths[r] - window + k + 1;
                double angle = 2 * Math.PI * (series.Month(next).Month - 1) / 12;
                int at = (r * window + k) * 3;
                features[at] = changes[k];
                features[at + 1] = (float)Math.Sin(angle);
                features[at + 2] = (float)Math.Cos(angle);
            }
        }
        return Dataset.WithTargets(features, window * 3, windows.Data.Targets!, 1);
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
        SeriesWindows raw = TrainWindows(series, SeasonalWindow, differences: true);
        float[] changes = raw.Data.Targets!;
        double mean = changes.Average(v => (double)v);
        double std = Math.Sqrt(changes.Average(v => (v - mean) * (v - mean)));
        SeasonalRows train = SeasonalInputs(series, TrainWindows(series, SeasonalWindow, differences: true, mean, std));
        SeasonalRows test = SeasonalInputs(series, TestWindows(series, SeasonalWindow, differences: true, mean, std));

        var model = new Co2SeasonalForecaster(seed);
        var random = new SeededRandom(seed + 100);
        int rows = train.Targets.Length;
        int[] order = Enumerable.Range(0, rows).ToArray();
        const int Batch = 32;
        var x = new float[Batch * SeasonalWindow];
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
                    train.Changes.AsSpan(r * SeasonalWindow, SeasonalWindow).CopyTo(x.AsSpan(i * SeasonalWindow));
                    train.Month.AsSpan(r * 12, 12).CopyTo(month.AsSpan(i * 12));
                    lastYear[i] = train.LastYear[r];
                    targets[i] = train.Targets[r];
                }
                model.TrainStep(x.AsSpan(0, n * SeasonalWindow), month.AsSpan(0, n * 12), lastYear.AsSpan(0, n), targets.AsSpan(0, n));
            }
        }
        var outputs = new float[test.Targets.Length];
        model.Predict(test.Changes, test.Month, test.LastYear, outputs);
        double[] forecasts = outputs.Select((o, row) => test.Windows.ToLevel(row, o)).ToArray();
        return (test.Windows.MeanAbsoluteError(outputs), forecasts);
    }
}
