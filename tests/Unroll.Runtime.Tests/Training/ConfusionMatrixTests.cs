using Xunit;

namespace Unroll.Runtime.Tests.Training;

public class ConfusionMatrixTests
{
    private static ConfusionMatrix Sample()
    {
        var m = new ConfusionMatrix(3);
        for (int i = 0; i < 10; i++) m.Add(0, 0);
        for (int i = 0; i < 9; i++) m.Add(1, 1);
        m.Add(1, 2);
        for (int i = 0; i < 2; i++) m.Add(2, 1);
        for (int i = 0; i < 8; i++) m.Add(2, 2);
        return m;
    }

    [Fact]
    public void AddingAnotherMatrixSumsEveryCellAndRejectsOtherClassCounts()
    {
        var sum = new ConfusionMatrix(3);
        sum.Add(0, 0);
        sum.Add(2, 1);
        var other = new ConfusionMatrix(3);
        other.Add(2, 1);
        other.Add(1, 1);
        other.Add(0, 2);
        sum.Add(other);
        Assert.Equal(5, sum.Total);
        Assert.Equal(2, sum[2, 1]);
        Assert.Equal(1, sum[1, 1]);
        Assert.Equal(1, sum[0, 2]);
        Assert.Equal(1, sum[0, 0]);
        Assert.Equal(3, other.Total); // the added matrix is unchanged
        var ex = Assert.Throws<ArgumentException>(() => sum.Add(new ConfusionMatrix(2)));
        Assert.Contains("2-class", ex.Message);
        Assert.Contains("3-class", ex.Message);
    }

    [Fact]
    public void CountsPairsWithActualAsRow()
    {
        ConfusionMatrix m = Sample();
        Assert.Equal(30, m.Total);
        Assert.Equal(10, m[0, 0]);
        Assert.Equal(1, m[1, 2]);
        Assert.Equal(0, m[2, 1 - 1]);
        Assert.Equal(2, m[2, 1]);
        Assert.Equal(27.0 / 30, m.Accuracy, 12);
        Assert.Equal(9.0 / 10, m.Recall(1), 12);
        Assert.Equal(9.0 / 11, m.Precision(1), 12);
        m.Clear();
        Assert.Equal(0, m.Total);
        Assert.Equal(0, m[0, 0]);
        Assert.True(double.IsNaN(m.Accuracy));
        Assert.True(double.IsNaN(m.Recall(0)));
    }

    [Fact]
    public void RejectsClassesOutOfRange()
    {
        var m = new ConfusionMatrix(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(0));
    }

    [Fact]
    public void FormatsAnAlignedTableWithClassNames()
    {
        string expected =
            "actual \\ predicted  setosa  versicolor  virginica\n" +
            "setosa                  10           0          0\n" +
            "versicolor               0           9          1\n" +
            "virginica                0           2          8\n";
        Assert.Equal(expected, Sample().ToString(new[] { "setosa", "versicolor", "virginica" }));
    }

    [Fact]
    public void FormatsWithIndicesWithoutNames()
    {
        var m = new ConfusionMatrix(2);
        for (int i = 0; i < 123; i++) m.Add(1, 0);
        m.Add(0, 0);
        string expected =
            "actual \\ predicted    0  1\n" +
            "0                     1  0\n" +
            "1                   123  0\n";
        Assert.Equal(expected, m.ToString());
        Assert.Throws<ArgumentException>(() => m.ToString(new[] { "only one" }));
    }
}
