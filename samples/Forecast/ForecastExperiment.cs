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
}
