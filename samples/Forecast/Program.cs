using Unroll.Samples.Forecast;

// Monthly CO2 at Mauna Loa (data/SOURCE.md): fills the missing months, holds out the last 24 and prints the one-step-ahead mean
// absolute error of two baselines that need no training, the numbers a learnt forecaster has to beat.
string dataDirectory = Path.Combine(AppContext.BaseDirectory, "data");
MonthlySeries series = ForecastExperiment.LoadCo2(dataDirectory);
Console.WriteLine($"{series.Count} months of CO2 (ppm), {series.Month(0):yyyy-MM} to {series.Month(series.Count - 1):yyyy-MM}");
Console.WriteLine($"{series.Interpolated.Count} months had no value and were interpolated linearly between their neighbours: " +
    string.Join(", ", series.Interpolated.Select(m => $"{m:yyyy-MM} ({series.Values[series.IndexOf(m)]:F2})")));

BaselineResult result = ForecastExperiment.EvaluateBaselines(series);
Console.WriteLine($"held out: the last {result.HeldOut} months, {series.Month(series.Count - result.HeldOut):yyyy-MM} to {series.Month(series.Count - 1):yyyy-MM}, each forecast one month ahead");
Console.WriteLine($"  naive (last value), s[t-1]:                           MAE {result.NaiveMae:F4} ppm");
Console.WriteLine($"  seasonal naive with trend, s[t-12] + s[t-1] - s[t-13]: MAE {result.SeasonalNaiveWithTrendMae:F4} ppm");

SeriesWindows train = ForecastExperiment.TrainWindows(series, window: 24, differences: true);
SeriesWindows test = ForecastExperiment.TestWindows(series, window: 24, differences: true);
Console.WriteLine($"windows of 24 monthly differences for a learnt model: {train.Data.Count} training rows, {test.Data.Count} held-out rows");
