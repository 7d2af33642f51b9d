using SkiaSharp;
using Unroll.Plots;
using Xunit;

namespace Unroll.Plots.Tests;

/// <summary>The plots are PNG files of the asked size whose plot area is drawn on (not blank), written with no temporary file left.</summary>
public class TrainingPlotsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "unroll-plots-" + Guid.NewGuid().ToString("N"));

    public TrainingPlotsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static History SomeHistory(bool accuracy)
    {
        var history = new History();
        for (int e = 0; e < 12; e++)
            history.Add(new EpochLog
            {
                Epoch = e, EpochCount = 12, Loss = 1.0 / (e + 1), ValidationLoss = 1.2 / (e + 1) + 0.05,
                Accuracy = accuracy ? 1 - 0.5 / (e + 1) : double.NaN, ValidationAccuracy = accuracy ? 0.95 - 0.5 / (e + 1) : null,
            });
        return history;
    }

    /// <summary>Decodes the PNG, checks its size, and returns how many distinct colours the middle half of the picture holds and what
    /// share of its pixels are not white.</summary>
    private static (int Colours, double Inked) Inspect(string path, int width, int height)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not a PNG that decodes");
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        var colours = new HashSet<uint>();
        int inked = 0, total = 0;
        for (int y = height / 4; y < 3 * height / 4; y++)
            for (int x = width / 4; x < 3 * width / 4; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                total++;
                if (c.Red < 235 || c.Green < 235 || c.Blue < 235) inked++;
            }
        return (colours.Count, (double)inked / total);
    }

    [Fact]
    public void TrainingCurvesAreAPngWithLinesInThePlotArea()
    {
        string path = Path.Combine(_dir, "curves.png");
        TrainingPlots.Curves(SomeHistory(accuracy: true), path, 800, 500, "test");
        (int colours, double inked) = Inspect(path, 800, 500);
        Assert.True(colours >= 4, $"only {colours} colours in the plot area: the four curves are missing");
        Assert.InRange(inked, 0.002, 0.5); // lines, not a blank or a filled area
        Assert.Equal(new[] { "curves.png" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void ACurveWithoutAccuracyOrValidationStillDraws()
    {
        var history = new History();
        history.Add(new EpochLog { Epoch = 0, EpochCount = 2, Loss = 0.7 });
        history.Add(new EpochLog { Epoch = 1, EpochCount = 2, Loss = 0.5 });
        string path = Path.Combine(_dir, "loss.png");
        TrainingPlots.Curves(history, path, 400, 300);
        Assert.True(Inspect(path, 400, 300).Inked > 0.001);
        Assert.Throws<ArgumentException>(() => TrainingPlots.Curves(new History(), path));
    }

    [Fact]
    public void LabelledPointsAreDrawnPerGroup()
    {
        string path = Path.Combine(_dir, "words.png");
        var points = new (string, string, double, double)[]
        {
            ("months", "january", 0.1, 0.2), ("months", "february", 0.15, 0.25), ("numbers", "two", -0.4, 0.1), ("numbers", "three", -0.35, 0.05),
        };
        TrainingPlots.Points(points, path, "PC 1", "PC 2", 700, 500, "words");
        (int colours, double inked) = Inspect(path, 700, 500);
        Assert.True(colours >= 3 && inked > 0.002, $"{colours} colours, {inked:P1} inked");
        var e = Assert.Throws<ArgumentException>(() => TrainingPlots.Points([("g", "nan", double.NaN, 0)], path));
        Assert.Contains("'nan'", e.Message);
    }

    [Fact]
    public void NamedSeriesAreDrawnInTheirOwnColours()
    {
        string path = Path.Combine(_dir, "gan.png");
        TrainingPlots.Lines(new (string, IReadOnlyList<double>)[] { ("discriminator", new[] { 0.4, 0.45, 0.5 }), ("generator", new[] { 1.7, 1.5, 1.3 }) }, path, width: 600, height: 400);
        (int colours, double inked) = Inspect(path, 600, 400);
        Assert.True(colours >= 3 && inked > 0.002, $"{colours} colours, {inked:P1} inked");
        Assert.Throws<ArgumentException>(() => TrainingPlots.Lines(Array.Empty<(string, IReadOnlyList<double>)>(), path));
    }

    [Fact]
    public void AConfusionMatrixIsAFilledHeatMap()
    {
        var matrix = new ConfusionMatrix(3);
        int[,] counts = { { 40, 3, 0 }, { 5, 30, 6 }, { 0, 2, 44 } };
        for (int a = 0; a < 3; a++)
            for (int p = 0; p < 3; p++)
                for (int k = 0; k < counts[a, p]; k++) matrix.Add(a, p);
        string path = Path.Combine(_dir, "confusion.png");
        TrainingPlots.ConfusionMatrix(matrix, path, new[] { "setosa", "versicolor", "virginica" }, size: 500);
        (int colours, double inked) = Inspect(path, 620, 500);
        Assert.True(inked > 0.3, $"only {inked:P0} of the heat map's middle is coloured");
        Assert.True(colours >= 5, $"only {colours} colours: the cells should range from light to dark blue");
        // Orientation and scale: the first actual class is the top row; its 40 (left) is dark, its 0 (right) is white.
        using SKBitmap bitmap = SKBitmap.Decode(path);
        static int Brightness(SKColor c) => c.Red + c.Green + c.Blue;
        int topLeft = Brightness(bitmap.GetPixel((int)(0.29 * 620), (int)(0.20 * 500)));
        int topRight = Brightness(bitmap.GetPixel((int)(0.73 * 620), (int)(0.20 * 500)));
        int bottomLeft = Brightness(bitmap.GetPixel((int)(0.29 * 620), (int)(0.80 * 500)));
        Assert.True(topLeft < 300, $"the cell of 40 has brightness {topLeft} of 765: not dark");
        Assert.True(topRight > 700 && bottomLeft > 700, $"the cells of 0 have brightness {topRight} and {bottomLeft}: not white");
        Assert.Throws<ArgumentException>(() => TrainingPlots.ConfusionMatrix(matrix, path, new[] { "one" }));
    }
}
