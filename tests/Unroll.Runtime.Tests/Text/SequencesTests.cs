using Unroll.Text;
using Xunit;

namespace Unroll.Runtime.Tests.Text;

public class SequencesTests
{
    private static readonly int[][] Ragged = { new[] { 1, 2, 3, 4, 5 }, new[] { 6, 7 }, Array.Empty<int>(), new[] { 8, 9, 10 } };

    [Theory]
    [InlineData(Padding.Pre, Truncating.Pre, new[] { 3, 4, 5, 0, 6, 7, 0, 0, 0, 8, 9, 10 })]
    [InlineData(Padding.Post, Truncating.Pre, new[] { 3, 4, 5, 6, 7, 0, 0, 0, 0, 8, 9, 10 })]
    [InlineData(Padding.Pre, Truncating.Post, new[] { 1, 2, 3, 0, 6, 7, 0, 0, 0, 8, 9, 10 })]
    [InlineData(Padding.Post, Truncating.Post, new[] { 1, 2, 3, 6, 7, 0, 0, 0, 0, 8, 9, 10 })]
    public void PadFillsAndCutsTheChosenEnds(Padding padding, Truncating truncating, int[] expected)
    {
        Assert.Equal(expected, Sequences.Pad(Ragged, 3, padding, truncating));
    }

    [Fact]
    public void PadDefaultsToKerasPreAndPreAndTakesAFillValue()
    {
        Assert.Equal(new[] { 3, 4, 5, 0, 6, 7, 0, 0, 0, 8, 9, 10 }, Sequences.Pad(Ragged, 3));
        Assert.Equal(new[] { -1, 1, 2, 3, 4, 5, -1, -1, -1, -1, 6, 7 }, Sequences.Pad(Ragged[..2], 6, value: -1));
        Assert.Empty(Sequences.Pad(Array.Empty<int[]>(), 4));
        // The input is not changed.
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, Ragged[0]);
    }

    [Fact]
    public void PadRejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.Pad(Ragged, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.Pad(Ragged, 3, (Padding)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.Pad(Ragged, 3, truncating: (Truncating)7));
        var nullRow = Assert.Throws<ArgumentNullException>(() => Sequences.Pad(new[] { new[] { 1 }, null! }, 3));
        Assert.Contains("sequences[1] is null", nullRow.Message);
        Assert.Throws<ArgumentNullException>(() => Sequences.Pad(null!, 3));
    }

    [Fact]
    public void ToMultiHotMarksEachIdOnceAndIgnoresPadding()
    {
        float[] matrix = Sequences.ToMultiHot(new[] { new[] { 2, 2, 3 }, new[] { 0, 1 }, Array.Empty<int>() }, 4);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0 }, matrix);
    }

    [Fact]
    public void ToMultiHotRejectsIdsOutsideTheWidth()
    {
        var error = Assert.Throws<ArgumentException>(() => Sequences.ToMultiHot(new[] { new[] { 1 }, new[] { 3, 4 } }, 4));
        Assert.Contains("sequences[1][1] is 4", error.Message);
        Assert.Contains("[0, 4)", error.Message);
        Assert.Throws<ArgumentException>(() => Sequences.ToMultiHot(new[] { new[] { -1 } }, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.ToMultiHot(new[] { new[] { 1 } }, 0));
    }
}
