namespace Unroll.Samples.Forecast;

/// <summary>One-step-ahead forecasts that need no training, the yardsticks a learnt model has to beat.</summary>
public static class Baselines
{
    /// <summary>Naive (persistence): next month equals this month, <c>s[t-1]</c>.</summary>
    public static double Naive(IReadOnlyList<double> s, int t) => s[t - 1];

    /// <summary>Seasonal naive with trend: the same month a year ago plus the last twelve months' rise,
    /// <c>s[t-12] + (s[t-1] - s[t-13])</c>.</summary>
    public static double SeasonalNaiveWithTrend(IReadOnlyList<double> s, int t) => s[t - 12] + (s[t - 1] - s[t - 13]);

    /// <summary>Mean absolute error of <paramref name="forecast"/> over the last <paramref name="horizon"/> values of the series, each
    /// forecast from everything before it (one step ahead).</summary>
    public static double OneStepMae(IReadOnlyList<double> s, int horizon, Func<IReadOnlyList<double>, int, double> forecast)
    {
        if (horizon < 1 || horizon > s.Count) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"Expected 1 to {s.Count} months.");
        double sum = 0;
        for (int t = s.Count - horizon; t < s.Count; t++) sum += Math.Abs(s[t] - forecast(s, t));
        return sum / horizon;
    }
}
