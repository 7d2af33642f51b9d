using System.Text.Json;
using Unroll.Runtime.Tests.Training;
using Xunit;

namespace Unroll.Runtime.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void WithLabelsRejectsWrongLengthsAndNamesTheOffendingRow()
    {
        var lengths = Assert.Throws<ArgumentException>(() => Dataset.WithLabels(new float[7], 2, new int[4], 3));
        Assert.Contains("4 rows x 2 features = 8", lengths.Message);
        Assert.Contains("got 7", lengths.Message);

        var label = Assert.Throws<ArgumentException>(() => Dataset.WithLabels(new float[8], 2, new[] { 0, 2, 3, 1 }, 3));
        Assert.Contains("row 2", label.Message);
        Assert.Contains("is 3", label.Message);
        Assert.Contains("[0, 3)", label.Message);
        Assert.Throws<ArgumentException>(() => Dataset.WithLabels(new float[2], 2, new[] { -1 }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.WithLabels(new float[2], 0, new[] { 0 }, 3));
    }

    [Fact]
    public void WithTargetsRejectsWrongLengths()
    {
        var width = Assert.Throws<ArgumentException>(() => Dataset.WithTargets(new float[6], 2, new float[5], 2));
        Assert.Contains("target width 2", width.Message);
        Assert.Contains("got 5", width.Message);
        var features = Assert.Throws<ArgumentException>(() => Dataset.WithTargets(new float[5], 2, new float[6], 2));
        Assert.Contains("3 rows x 2 features = 6", features.Message);

        var data = Dataset.WithTargets(new float[6], 2, new float[6], 2);
        Assert.Equal(3, data.Count);
        Assert.Equal(0, data.ClassCount);
        Assert.Equal(2, data.TargetWidth);
        Assert.Null(data.Labels);
        Assert.False(data.HasLabels);
    }

    [Fact]
    public void SubsetCopiesTheRowsInTheGivenOrder()
    {
        var data = Dataset.WithTargets(new float[] { 0, 1, 10, 11, 20, 21 }, 2, new float[] { 5, 6, 7 }, 1);
        Dataset subset = data.Subset(new[] { 2, 0, 2 });
        Assert.Equal(new float[] { 20, 21, 0, 1, 20, 21 }, subset.Features);
        Assert.Equal(new float[] { 7, 5, 7 }, subset.Targets);
        data.Features[0] = 99;
        Assert.Equal(0, subset.Features[2]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset(new[] { 1, 3 }));
        Assert.Contains("rows[1] is 3", error.Message);
    }

    [Theory]
    [InlineData(10, 0.2, 8)]
    [InlineData(10, 0.3, 7)] // floor(10 * 0.7) = floor(7.000000000000001), as Keras computes it
    [InlineData(150, 0.1, 135)]
    [InlineData(7, 0.5, 3)]
    public void SplitTailHoldsOutTheLastRowsUnshuffled(int n, double fraction, int expectedTrain)
    {
        Dataset data = ScriptedModel.Rows(n);
        (Dataset train, Dataset validation) = data.SplitTail(fraction);
        Assert.Equal(expectedTrain, train.Count);
        Assert.Equal(n - expectedTrain, validation.Count);
        for (int i = 0; i < train.Count; i++) Assert.Equal(i, train.Features[i]);
        for (int i = 0; i < validation.Count; i++) Assert.Equal(expectedTrain + i, validation.Features[i]);
    }

    [Fact]
    public void SplitTailRejectsSplitsThatLeaveAPartEmpty()
    {
        var noTrain = Assert.Throws<ArgumentException>(() => ScriptedModel.Rows(1).SplitTail(0.5));
        Assert.Contains("training part would have 0 rows", noTrain.Message);
        var noValidation = Assert.Throws<ArgumentException>(() => ScriptedModel.Rows(10).SplitTail(1e-17)); // 1 - 1e-17 == 1
        Assert.Contains("validation part 0", noValidation.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScriptedModel.Rows(10).SplitTail(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScriptedModel.Rows(10).SplitTail(1));
    }

    [Fact]
    public void StratifiedSplitIsAPartitionWithProportionalClasses()
    {
        // 100 rows: 50 of class 0, 30 of class 1, 20 of class 2; feature = row index, so rows can be identified.
        var labels = new int[100];
        for (int i = 0; i < 100; i++) labels[i] = i < 50 ? 0 : i < 80 ? 1 : 2;
        var x = new float[100];
        for (int i = 0; i < 100; i++) x[i] = i;
        Dataset data = Dataset.WithLabels(x, 1, labels, 3);

        (Dataset train, Dataset test) = data.StratifiedSplit(0.25, new SeededRandom(3));

        // ceil(0.25 * 100) = 25 test rows: shares 12.5, 7.5, 5 -> 12, 7, 5 and the one missing row to the first
        // of the tied largest remainders (class 0).
        Assert.Equal(new[] { 13, 7, 5 }, ClassCounts(test));
        Assert.Equal(new[] { 37, 23, 15 }, ClassCounts(train));
        var seen = new HashSet<int>();
        foreach (Dataset part in new[] { train, test })
        {
            for (int i = 0; i < part.Count; i++)
            {
                int row = (int)part.Features[i];
                Assert.True(seen.Add(row), $"row {row} is in both parts or twice");
                Assert.Equal(labels[row], part.Labels![i]);
            }
        }
        Assert.Equal(100, seen.Count);
        Assert.False(IsSorted(test), "the test part should be shuffled, not grouped by class");
    }

    [Fact]
    public void StratifiedSplitIsDeterministicPerSeed()
    {
        Dataset data = TabularCsv.LoadSklearn(TabularFiles.Iris);
        (Dataset trainA, Dataset testA) = data.StratifiedSplit(0.2, new SeededRandom(11));
        (Dataset trainB, Dataset testB) = data.StratifiedSplit(0.2, new SeededRandom(11));
        (_, Dataset testC) = data.StratifiedSplit(0.2, new SeededRandom(12));
        Assert.Equal(trainA.Features, trainB.Features);
        Assert.Equal(testA.Features, testB.Features);
        Assert.Equal(testA.Labels, testB.Labels);
        Assert.NotEqual(testA.Features, testC.Features);
    }

    public static TheoryData<int> SklearnSplitCases()
    {
        var cases = new TheoryData<int>();
        int count = Golden.Load("tabular.json").GetProperty("stratified_splits").GetArrayLength();
        for (int i = 0; i < count; i++) cases.Add(i);
        return cases;
    }

    [Theory]
    [MemberData(nameof(SklearnSplitCases))]
    public void StratifiedSplitTakesAsManyRowsPerClassAsSklearn(int index)
    {
        JsonElement expected = Golden.Load("tabular.json").GetProperty("stratified_splits")[index];
        string file = expected.GetProperty("file").GetString()!;
        double fraction = expected.GetProperty("test_fraction").GetDouble();
        Dataset data = TabularCsv.LoadSklearn(TabularFiles.Sample(file));

        (Dataset train, Dataset test) = data.StratifiedSplit(fraction, new SeededRandom(1));

        Assert.Equal(expected.GetProperty("train_per_class").Ints(), ClassCounts(train));
        Assert.Equal(expected.GetProperty("test_per_class").Ints(), ClassCounts(test));
    }

    [Fact]
    public void StratifiedSplitRejectsWhatSklearnRejects()
    {
        Assert.Throws<InvalidOperationException>(() => ScriptedModel.Rows(10).StratifiedSplit(0.2, new SeededRandom(1)));
        var single = Assert.Throws<ArgumentException>(() =>
            Dataset.WithLabels(new float[5], 1, new[] { 0, 0, 1, 0, 0 }, 2).StratifiedSplit(0.4, new SeededRandom(1)));
        Assert.Contains("Class 1 has only 1 row", single.Message);
        var few = Assert.Throws<ArgumentException>(() =>
            Dataset.WithLabels(new float[6], 1, new[] { 0, 0, 1, 1, 2, 2 }, 3).StratifiedSplit(0.2, new SeededRandom(1)));
        Assert.Contains("4 train and 2 test rows", few.Message); // ceil(0.2 * 6) = 2 test rows for 3 classes
        Assert.Throws<ArgumentOutOfRangeException>(() => ScriptedModel.Rows(10, TargetKind.ClassLabels).StratifiedSplit(1.0, new SeededRandom(1)));
    }

    [Fact]
    public void OneHotAndBinaryTargetsComeFromTheLabels()
    {
        Dataset data = Dataset.WithLabels(new float[] { 1, 2, 3 }, 1, new[] { 2, 0, 1 }, 3);
        Dataset oneHot = data.ToOneHot();
        Assert.Equal(3, oneHot.TargetWidth);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 0, 1, 0 }, oneHot.Targets);
        Assert.Equal(data.Features, oneHot.Features);
        Assert.Throws<InvalidOperationException>(() => data.ToBinaryTargets());

        Dataset binary = Dataset.WithLabels(new float[] { 1, 2 }, 1, new[] { 1, 0 }, 2).ToBinaryTargets();
        Assert.Equal(new float[] { 1, 0 }, binary.Targets);
        Assert.Equal(1, binary.TargetWidth);
    }

    private static int[] ClassCounts(Dataset data)
    {
        var counts = new int[data.ClassCount];
        foreach (int label in data.Labels!) counts[label]++;
        return counts;
    }

    private static bool IsSorted(Dataset data)
    {
        for (int i = 1; i < data.Count; i++)
        {
            if (data.Labels![i] < data.Labels[i - 1]) return false;
        }
        return true;
    }
}

/// <summary>Data sets of token ids: kept as integers, validated, carried through subsets and splits.</summary>
public class TokenDatasetTests
{
    [Fact]
    public void TokenIdsAreKeptAsIntegersAndAsExactFloats()
    {
        int[] ids = [1, 2, 3, 0, 16_777_215, 7];
        Dataset data = Dataset.WithTokenIds(ids, 3, [0, 1], 2);
        Assert.True(data.HasTokenIds);
        Assert.Same(ids, data.TokenIds);
        Assert.Equal([0, 16_777_215, 7], data.TokenRow(1).ToArray());
        Assert.Equal(ids.Select(i => (float)i), data.Features);
        Assert.Equal(16_777_215, (int)data.Features[4]);
        Assert.Equal(2, data.Count);
        Assert.Equal(3, data.FeatureCount);
    }

    [Fact]
    public void SubsetsSplitsAndConversionsCarryTheIds()
    {
        int[] ids = Enumerable.Range(0, 40).ToArray();
        int[] labels = Enumerable.Range(0, 10).Select(i => i % 2).ToArray();
        Dataset data = Dataset.WithTokenIds(ids, 4, labels, 2).WithSampleWeights(Enumerable.Repeat(2f, 10).ToArray());
        Assert.Equal([20, 21, 22, 23, 4, 5, 6, 7], data.Subset([5, 1]).TokenIds!);
        (Dataset train, Dataset validation) = data.SplitTail(0.2);
        Assert.Equal(ids[..32], train.TokenIds!);
        Assert.Equal(ids[32..], validation.TokenIds!);
        (Dataset a, Dataset b) = data.StratifiedSplit(0.5, new SeededRandom(1));
        foreach (Dataset part in new[] { a, b })
            for (int r = 0; r < part.Count; r++)
                Assert.Equal(part.Row(r).ToArray().Select(f => (int)f), part.TokenRow(r).ToArray());
        Assert.Equal(ids, data.ToBinaryTargets().TokenIds!);
        Assert.True(data.WithSampleWeights(new float[10]).HasTokenIds);
        Dataset targets = Dataset.WithTokenIds(ids, 4, labels.Select(l => (float)l).ToArray(), 1);
        Assert.Equal(ids, targets.TokenIds!);
        Assert.Equal(1, targets.TargetWidth);
    }

    [Fact]
    public void BadIdsAndLengthsNameTheirRow()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.WithTokenIds([1, 2, 3, -4], 2, [0, 1], 2));
        Assert.Contains("row 1, position 1 is -4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Dataset.WithTokenIds([1, 2, 1 << 24, 4], 2, [0, 1], 2));
        Assert.Contains("row 1, position 0 is 16777216; ids must be in [0, 16777216)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Dataset.WithTokenIds([1, 2, 3], 2, [0, 1], 2));
        Assert.Contains("Expected 2 rows x 2 tokens = 4 token ids", e.Message);
        e = Assert.Throws<ArgumentException>(() => Dataset.WithTokenIds([1, 2, 3, 4], 2, [0, 2], 2));
        Assert.Contains("row 1 is 2", e.Message);
        var floats = Dataset.WithLabels([1, 2], 1, [0, 1], 2);
        Assert.False(floats.HasTokenIds);
        Assert.Throws<InvalidOperationException>(() => floats.TokenRow(0));
    }
}
