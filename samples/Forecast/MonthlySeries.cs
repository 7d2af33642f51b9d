using System.Globalization;

namespace Unroll.Samples.Forecast;

/// <summary>A gap-free monthly series: <see cref="Values"/>[i] belongs to the month <see cref="Start"/> + i; the months listed in
/// <see cref="Interpolated"/> had no value in the file and were filled linearly from their neighbours.</summary>
public sealed record MonthlySeries(DateOnly Start, double[] Values, IReadOnlyList<DateOnly> Interpolated)
{
    public int Count => Values.Length;

    /// <summary>The first day of month <paramref name="index"/>.</summary>
    public DateOnly Month(int index) => Start.AddMonths(index);

    /// <summary>The index of the month that <paramref name="date"/> falls in (negative before <see cref="Start"/>).</summary>
    public int IndexOf(DateOnly date) => (date.Year - Start.Year) * 12 + date.Month - Start.Month;

    /// <summary>
    /// Reads a <c>Date,value,...</c> CSV with one row per month (dates <c>yyyy-MM-01</c>, ascending), takes column
    /// <paramref name="column"/>, and fills every missing month, whether its row is absent or its value empty or NaN, by linear
    /// interpolation between the nearest months that have values (pandas <c>resample("MS").interpolate()</c>).
    /// </summary>
    /// <exception cref="FormatException">A malformed line, a date that is not the first of a month or not after the previous one, or
    /// a missing value at either end of the series (nothing to interpolate from); the message names the file and line.</exception>
    public static MonthlySeries LoadCsv(string path, string column)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length < 2) throw new FormatException($"{path}: expected a header and at least one row.");
        int columnIndex = Array.IndexOf(lines[0].Split(','), column);
        if (columnIndex < 1) throw new FormatException($"{path}, line 1: no column '{column}' after the date in '{lines[0]}'.");

        DateOnly? start = null;
        var values = new List<double>();
        for (int line = 1; line < lines.Length; line++)
        {
            if (lines[line].Length == 0) continue;
            string[] fields = lines[line].Split(',');
            string where = $"{path}, line {line + 1}";
            if (fields.Length <= columnIndex) throw new FormatException($"{where}: expected at least {columnIndex + 1} fields, got {fields.Length}.");
            if (!DateOnly.TryParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date) || date.Day != 1)
                throw new FormatException($"{where}: '{fields[0]}' is not the first day of a month as yyyy-MM-dd.");
            start ??= date;
            int month = (date.Year - start.Value.Year) * 12 + date.Month - start.Value.Month;
            if (month < values.Count) throw new FormatException($"{where}: {fields[0]} does not come after the previous row's month.");
            while (values.Count < month) values.Add(double.NaN); // an absent row
            string field = fields[columnIndex].Trim();
            if (field.Length == 0) values.Add(double.NaN);
            else if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) values.Add(value);
            else throw new FormatException($"{where}: '{field}' is not a number.");
        }
        if (start is null) throw new FormatException($"{path}: no rows.");

        double[] series = values.ToArray();
        var interpolated = new List<DateOnly>();
        for (int i = 0; i < series.Length; i++)
        {
            if (!double.IsNaN(series[i])) continue;
            int before = i - 1, after = i + 1;
            while (after < series.Length && double.IsNaN(series[after])) after++;
            if (before < 0 || after == series.Length)
                throw new FormatException($"{path}: {start.Value.AddMonths(i):yyyy-MM} has no value and lies at an end of the series, so it cannot be interpolated.");
            for (int j = i; j < after; j++)
            {
                series[j] = series[before] + (series[after] - series[before]) * (j - before) / (after - before);
                interpolated.Add(start.Value.AddMonths(j));
            }
            i = after;
        }
        return new MonthlySeries(start.Value, series, interpolated);
    }
}
