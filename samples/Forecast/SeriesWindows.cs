namespace Unroll.Samples.Forecast;

/// <summary>
/// Supervised rows cut from a series for one-step-ahead forecasting: each row's features are the <see cref="Window"/> values before
/// a target month, its target the value of that month, as Keras' <c>timeseries_dataset_from_array</c> with <c>sequence_length =
/// window</c> and targets shifted by one. With <see cref="Differences"/>, values are month-to-month changes <c>s[i] - s[i-1]</c>
/// (so the features and target are changes, and a forecast level is <see cref="LastLevels"/>[row] plus the predicted change).
/// Features and targets are stored as <c>(x - Offset) / Scale</c>; <see cref="ToLevel"/> undoes both transforms.
/// <see cref="Data"/> has <c>Window</c> features per row, to be read as <c>Window</c> steps of one feature by a recurrent model
/// (<c>[Input(Length = Window, Features = 1)]</c>).
/// </summary>
public sealed class SeriesWindows
{
    private SeriesWindows(Dataset data, int[] targetMonths, double[] lastLevels, double[] actualLevels, int window, bool differences,
        double offset, double scale)
    {
        Data = data;
        TargetMonths = targetMonths;
        LastLevels = lastLevels;
        ActualLevels = actualLevels;
        Window = window;
        Differences = differences;
        Offset = offset;
        Scale = scale;
    }

    /// <summary>One row per target month: <see cref="Window"/> features, one target, both scaled.</summary>
    public Dataset Data { get; }

    /// <summary>The series index each row forecasts.</summary>
    public int[] TargetMonths { get; }

    /// <summary>The level of the month before each target, <c>s[t-1]</c>.</summary>
    public double[] LastLevels { get; }

    /// <summary>The level each row forecasts, <c>s[t]</c>.</summary>
    public double[] ActualLevels { get; }

    public int Window { get; }
    public bool Differences { get; }
    public double Offset { get; }
    public double Scale { get; }

    /// <summary>
    /// Rows whose targets are the months <paramref name="firstTarget"/> up to (not including) <paramref name="endTarget"/>.
    /// The first possible target is <c>window</c> for levels and <c>window + 1</c> for differences.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive, the scale not positive, or the targets reach
    /// outside the series or before the first full window.</exception>
    public static SeriesWindows Create(IReadOnlyList<double> series, int window, int firstTarget, int endTarget, bool differences = false,
        double offset = 0, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least 1 month.");
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive.");
        int earliest = differences ? window + 1 : window;
        if (firstTarget < earliest || endTarget > series.Count || endTarget <= firstTarget)
            throw new ArgumentOutOfRangeException(nameof(firstTarget), firstTarget,
                $"Targets [{firstTarget}, {endTarget}) must lie within [{earliest}, {series.Count}] and hold at least one month " +
                $"(a window of {window}{(differences ? " differences" : "")} needs {earliest} earlier months).");

        double Value(int i) => differences ? series[i] - series[i - 1] : series[i];
        int rows = endTarget - firstTarget;
        var features = new float[rows * window];
        var targets = new float[rows];
        var months = new int[rows];
        var last = new double[rows];
        var actual = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            int t = firstTarget + r;
            for (int k = 0; k < window; k++) features[r * window + k] = (float)((Value(t - window + k) - offset) / scale);
            targets[r] = (float)((Value(t) - offset) / scale);
            months[r] = t;
            last[r] = series[t - 1];
            actual[r] = series[t];
        }
        return new SeriesWindows(Dataset.WithTargets(features, window, targets, 1), months, last, actual, window, differences, offset, scale);
    }

    /// <summary>The forecast level of row <paramref name="row"/> from a model output in the scaled units of <see cref="Data"/>.</summary>
    public double ToLevel(int row, float output)
    {
        double value = output * Scale + Offset;
        return Differences ? LastLevels[row] + value : value;
    }

    /// <summary>Mean absolute error, in the series' units, of one model output per row.</summary>
    public double MeanAbsoluteError(ReadOnlySpan<float> outputs)
    {
        if (outputs.Length != TargetMonths.Length)
            throw new ArgumentException($"Expected one output per row ({TargetMonths.Length}), got {outputs.Length}.", nameof(outputs));
        double sum = 0;
        for (int r = 0; r < outputs.Length; r++) sum += Math.Abs(ActualLevels[r] - ToLevel(r, outputs[r]));
        return sum / outputs.Length;
    }
}
