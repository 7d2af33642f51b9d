using Unroll.Runtime.Tests.Training;
using Xunit;

namespace Unroll.Runtime.Tests.Data;

public class TabularCsvTests
{
    [Fact]
    public void LoadsIrisAsSklearnDoes()
    {
        Dataset iris = TabularCsv.LoadSklearn(TabularFiles.Iris);
        Assert.Equal(150, iris.Count);
        Assert.Equal(4, iris.FeatureCount);
        Assert.Equal(3, iris.ClassCount);
        Assert.Equal(new[] { 5.1f, 3.5f, 1.4f, 0.2f }, iris.Row(0).ToArray());
        Assert.Equal(new[] { 5.9f, 3.0f, 5.1f, 1.8f }, iris.Row(149).ToArray());
        Assert.Equal(0, iris.Labels![0]);
        Assert.Equal(2, iris.Labels[149]);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, TabularCsv.ClassNames(TabularFiles.Iris));
    }

    [Theory]
    [InlineData("iris.csv", 150, 4, new[] { 50, 50, 50 })]
    [InlineData("wine_data.csv", 178, 13, new[] { 59, 71, 48 })]
    [InlineData("breast_cancer.csv", 569, 30, new[] { 212, 357 })]
    public void LoadsEverySampleFile(string file, int rows, int features, int[] perClass)
    {
        // Class counts as sklearn's dataset descriptions (descr/*.rst) state them.
        Dataset data = TabularCsv.LoadSklearn(TabularFiles.Sample(file));
        Assert.Equal(rows, data.Count);
        Assert.Equal(features, data.FeatureCount);
        var counts = new int[data.ClassCount];
        foreach (int label in data.Labels!) counts[label]++;
        Assert.Equal(perClass, counts);
    }

    [Fact]
    public void SampleIrisAndTestIrisAreTheSameFile()
    {
        Assert.Equal(File.ReadAllBytes(TabularFiles.Sample("iris.csv")), File.ReadAllBytes(TabularFiles.Iris));
    }

    [Theory]
    [InlineData("2,2,a,b\n1,2,0\n1,x,1\n", "line 3, column 2", "'x' is not a finite number")]
    [InlineData("2,2,a,b\n1,2,0\n1,NaN,1\n", "line 3, column 2", "'NaN' is not a finite number")]
    [InlineData("2,2,a,b\n1,2,0\n1,2\n", "line 3, column 3", "expected 3 columns (2 features and the label), found 2")]
    [InlineData("2,2,a,b\n1,2,0,5\n1,2,1\n", "line 2, column 4", "expected 3 columns (2 features and the label), found 4")]
    [InlineData("2,2,a,b\n1,2,0\n1,2,2\n", "line 3, column 3", "the label 2 is outside [0, 2)")]
    [InlineData("2,2,a,b\n1,2,0.5\n", "line 2, column 3", "the label '0.5' is not an integer")]
    [InlineData("2,2,a,b\n1,2,0\n1,2,1\n3,4,1\n", "line 4, column 1", "more than the 2 data rows the header (line 1, column 1) declares")]
    [InlineData("3,2,a,b\n1,2,0\n\n1,2,1\n", "line 5, column 1", "the file ends after 2 data rows; the header (line 1, column 1) declares 3")]
    [InlineData("x,2,a,b\n", "line 1, column 1", "row count 'x'")]
    [InlineData("2,0,a,b\n", "line 1, column 2", "feature count '0'")]
    [InlineData("2,2\n", "line 1, column 3", "at least one class name")]
    [InlineData("", "line 1, column 1", "the file is empty")]
    public void BadInputReportsSourceLineAndColumn(string text, string where, string what)
    {
        var error = Assert.Throws<FormatException>(() => TabularCsv.ReadSklearn(new StringReader(text), "bad.csv"));
        Assert.StartsWith($"bad.csv, {where}: ", error.Message);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void LoadSklearnNamesTheFileInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"unroll-tabular-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "1,2,a\n1,2,0\n2,3,0\n");
        try
        {
            var error = Assert.Throws<FormatException>(() => TabularCsv.LoadSklearn(path));
            Assert.StartsWith($"{path}, line 3, column 1: ", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AcceptsCrLfAndBlankLines()
    {
        Dataset data = TabularCsv.ReadSklearn(new StringReader("\r\n2,1,a,b\r\n1.5,1\r\n\r\n-2e-3,0\r\n\r\n"), "ok.csv");
        Assert.Equal(new[] { 1.5f, -2e-3f }, data.Features);
        Assert.Equal(new[] { 1, 0 }, data.Labels);
    }
}
