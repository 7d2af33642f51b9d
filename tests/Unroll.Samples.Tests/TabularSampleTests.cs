using Unroll.Samples.Tabular;
using Xunit;

namespace Unroll.Samples.Tests;

/// <summary>The main sample's claim: mean held-out accuracy over 10 seeded stratified 80/20 splits of at least 0.95 on each data set
/// (a plain PyTorch MLP averages 0.967, 0.977 and 0.973 on these sets).</summary>
public class TabularSampleTests
{
    private static readonly Lazy<IReadOnlyList<DatasetResult>> Results = new(() =>
        TabularExperiment.RunAll(Path.Combine(AppContext.BaseDirectory, "data")));

    [Theory]
    [InlineData("iris", 150)]
    [InlineData("wine", 178)]
    [InlineData("breast cancer", 569)]
    public void MeanHeldOutAccuracyIsAtLeast95Percent(string name, int samples)
    {
        DatasetResult result = Results.Value.Single(r => r.Name == name);
        Assert.Equal(TabularExperiment.Splits, result.Accuracies.Count);
        Assert.True(result.MeanAccuracy >= 0.95, $"{name}: mean held-out accuracy {result.MeanAccuracy:F4} < 0.95 ({string.Join(", ", result.Accuracies.Select(a => a.ToString("F3")))})");
        // Each split holds out a fifth of the rows (rounded up), so the confusion matrix counts 10 such test sets.
        Assert.Equal(TabularExperiment.Splits * (int)Math.Ceiling(samples * 0.2), result.Confusion.Total);
    }

    [Fact]
    public void ASeedFixesTheWholeRun()
    {
        string iris = Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");
        var first = TabularExperiment.Run("iris", iris, seed => new IrisNet(seed), epochs: 5, batchSize: 16, splits: 2);
        var second = TabularExperiment.Run("iris", iris, seed => new IrisNet(seed), epochs: 5, batchSize: 16, splits: 2);
        Assert.Equal(first.Accuracies, second.Accuracies);
    }
}
