using Unroll;
using Unroll.Plots;
using Unroll.Samples.Forecast;

// Monthly CO2 at Mauna Loa (data/SOURCE.md): fills the missing months, holds out the last 24 and prints the one-step-ahead mean
// absolute error of two baselines that need no training, the numbers a learnt forecaster has to beat. Then the LSTM: first on the
// validation folds its settings were chosen on (skip them with --no-validation), then on the held-out months, three seeds each.
string dataDirectory = Path.Combine(AppContext.BaseDirectory, "data");
MonthlySeries series = ForecastExperiment.LoadCo2(dataDirectory);
Console.WriteLine($"{series.Count} months of CO2 (ppm), {series.Month(0):yyyy-MM} to {series.Month(series.Count - 1):yyyy-MM}");
Console.WriteLine($"{series.Interpolated.Count} months had no value and were interpolated linearly between their neighbours: " +
    string.Join(", ", series.Interpolated.Select(m => $"{m:yyyy-MM} ({series.Values[series.IndexOf(m)]:F2})")));

BaselineResult result = ForecastExperiment.EvaluateBaselines(series);
Console.WriteLine($"held out: the last {result.HeldOut} months, {series.Month(series.Count - result.HeldOut):yyyy-MM} to {series.Month(series.Count - 1):yyyy-MM}, each forecast one month ahead");
Console.WriteLine($"  naive (last value), s[t-1]:                           MAE {result.NaiveMae:F4} ppm");
Console.WriteLine($"  seasonal naive with trend, s[t-12] + s[t-1] - s[t-13]: MAE {result.SeasonalNaiveWithTrendMae:F4} ppm");

Console.WriteLine();
Console.WriteLine(new Co2Forecaster().Summary);
Console.WriteLine($"LSTM on the last {ForecastExperiment.Window} monthly changes, each with its calendar month, {ForecastExperiment.Epochs} epochs, three seeds.");
ulong[] seeds = [1, 2, 3];
if (!args.Contains("--no-validation"))
{
    // The settings were chosen on these folds, not on the held-out months (ForecastExperiment.Window lists what was tried).
    Console.WriteLine($"Validation, {ForecastExperiment.ValidationFolds} folds of {ForecastExperiment.HeldOut} months before the held-out ones, each forecast by models trained only on the months before it:");
    var lstmFolds = new List<double>();
    var seasonalFolds = new List<double>();
    var allFolds = seeds.Select(_ => new List<double>()).ToArray(); // each seed's forecasts of every fold's months, in order
    foreach ((int first, int end) in ForecastExperiment.ValidationSpans(series))
    {
        var runs = seeds.Select(seed => ForecastExperiment.TrainLstm(series, seed, first, end)).ToArray();
        double[] fold = runs.Select(r => r.Mae).ToArray();
        for (int i = 0; i < runs.Length; i++) allFolds[i].AddRange(runs[i].Forecasts);
        double baseline = ForecastExperiment.SeasonalNaiveWithTrendMae(series, first, end);
        lstmFolds.Add(fold.Average());
        seasonalFolds.Add(baseline);
        Console.WriteLine($"  {series.Month(first):yyyy-MM} to {series.Month(end - 1):yyyy-MM}: LSTM {fold.Average():F4} ppm (seeds {string.Join(", ", fold.Select(m => m.ToString("F4")))}), seasonal naive with trend {baseline:F4}");
    }
    Console.WriteLine($"  mean over the folds: LSTM {lstmFolds.Average():F4} ppm, seasonal naive with trend {seasonalFolds.Average():F4}");
    // The folds are consecutive, so their months are one span.
    Console.WriteLine("  " + Describe(ForecastExperiment.Compare(series, ForecastExperiment.ValidationSpans(series)[0].First,
        allFolds.Select(f => f.ToArray()).ToArray())));
}
Console.WriteLine("Held-out months, trained on every month before them:");
var firstSeed = new History();
var heldOutForecasts = new List<double[]>();
List<double> maes = OverSeeds((s, seed) =>
{
    (double Mae, double[] Forecasts) run = ForecastExperiment.TrainLstm(s, seed, seed == 1 ? firstSeed.Add : null);
    heldOutForecasts.Add(run.Forecasts);
    return run;
});
double lstmMean = maes.Average();
Console.WriteLine($"  mean MAE over the seeds {lstmMean:F4} ppm: seasonal naive with trend {result.SeasonalNaiveWithTrendMae:F4} " +
    $"({(lstmMean < result.SeasonalNaiveWithTrendMae ? "beaten" : "not beaten")} by {Math.Abs(lstmMean - result.SeasonalNaiveWithTrendMae):F4}), " +
    $"naive {result.NaiveMae:F4} ({(lstmMean < result.NaiveMae ? "beaten" : "not beaten")})");
int heldOutStart = series.Count - result.HeldOut;
Console.WriteLine("  " + Describe(ForecastExperiment.Compare(series, heldOutStart, heldOutForecasts)));
string errors = Path.Combine(AppContext.BaseDirectory, "forecast-errors.png");
double[] lstmErrors = Enumerable.Range(0, result.HeldOut)
    .Select(k => heldOutForecasts.Average(f => f[k]) - series.Values[heldOutStart + k]).ToArray();
double[] seasonalErrors = Enumerable.Range(0, result.HeldOut)
    .Select(k => Baselines.SeasonalNaiveWithTrend(series.Values, heldOutStart + k) - series.Values[heldOutStart + k]).ToArray();
TrainingPlots.Lines(new (string, IReadOnlyList<double>)[] { ("LSTM, mean of the seeds' forecasts", lstmErrors), ("seasonal naive with trend", seasonalErrors) },
    errors, yLabel: "forecast - actual (ppm)", xLabel: $"held-out month (1 = {series.Month(heldOutStart):yyyy-MM})",
    title: "One-month-ahead errors on the held-out months");
Console.WriteLine($"  errors month by month: {errors}");
string curves = Path.Combine(AppContext.BaseDirectory, "lstm-curves.png");
TrainingPlots.Curves(firstSeed, curves, title: "LSTM on monthly CO2 changes and months, seed 1 (training MSE, standardized)");
Console.WriteLine($"  training curve: {curves}");

Console.WriteLine();
Console.WriteLine(new Co2SeasonalForecaster().Summary);
Console.WriteLine("Three inputs and two merges: the LSTM's state and the target's month joined (Concatenate), the output added to last year's change (Add):");
List<double> seasonal = OverSeeds(ForecastExperiment.TrainSeasonal);
Console.WriteLine($"  mean MAE {seasonal.Average():F4} ppm vs seasonal naive with trend {result.SeasonalNaiveWithTrendMae:F4}, the LSTM alone {lstmMean:F4}, naive {result.NaiveMae:F4}");

// One line on a paired comparison with the seasonal naive with trend: what the months can and cannot tell apart.
static string Describe(PairedComparison c) =>
    $"month by month, LSTM minus seasonal naive with trend: {c.Difference:+0.0000;-0.0000} ± {c.StandardError:F4} ppm (standard error over " +
    $"{c.Months} months): {(c.Clear ? $"a clear {(c.Difference < 0 ? "win" : "loss")}" : "within two standard errors, a tie these months cannot break")}";

// Trains one forecaster per seed, printing each one's held-out MAE and its last forecast; returns the MAEs.
List<double> OverSeeds(Func<MonthlySeries, ulong, (double Mae, double[] Forecasts)> train)
{
    var results = new List<double>();
    foreach (ulong seed in seeds)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (double mae, double[] forecasts) = train(series, seed);
        results.Add(mae);
        Console.WriteLine($"  seed {seed}: MAE {mae:F4} ppm ({watch.Elapsed.TotalSeconds:F1} s); last forecast {forecasts[^1]:F2} ppm for {series.Month(series.Count - 1):yyyy-MM} (actual {series.Values[^1]:F2})");
    }
    return results;
}
