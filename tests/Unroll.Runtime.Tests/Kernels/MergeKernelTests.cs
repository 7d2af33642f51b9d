using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>The merge, reshaping and pooling kernels in their general forms against PyTorch (tools/reference/merging.py), and the
/// conventions every backward kernel keeps: it adds to what the gradient held, and an empty input gradient is skipped.</summary>
public class MergeKernelTests
{
    private static JsonElement Case(string name) =>
        Golden.Load("merging.json").GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [InlineData("dot_last_axis", 3, 1, 5, 1, 4)]   // (3, 4) . (5, 4) over the last axis: (3, 5)
    [InlineData("dot_first_axis", 1, 3, 1, 2, 4)]  // (4, 3) . (4, 2) over the first axis: (3, 2)
    public void DotContractsAnInnerAxisAsPyTorchsEinsum(string name, int beforeA, int afterA, int beforeB, int afterB, int size)
    {
        JsonElement c = Case(name);
        float[] a = c.GetProperty("a").Floats(), b = c.GetProperty("b").Floats(), dy = c.GetProperty("dy").Floats();
        var y = new float[c.GetProperty("y").GetArrayLength()];
        Layers.Dot_Forward(y, a, b, 2, beforeA, afterA, beforeB, afterB, size);
        Golden.AssertClose(c.GetProperty("y").Floats(), y, "y");
        float[] da = Enumerable.Repeat(1f, a.Length).ToArray(), db = new float[b.Length];
        Layers.Dot_Backward(da, db, dy, a, b, 2, beforeA, afterA, beforeB, afterB, size);
        Golden.AssertClose(c.GetProperty("da").Floats().Select(v => v + 1f).ToArray(), da, "da (added to ones)");
        Golden.AssertClose(c.GetProperty("db").Floats(), db, "db");
        var onlyA = new float[a.Length];
        Layers.Dot_Backward(onlyA, default, dy, a, b, 2, beforeA, afterA, beforeB, afterB, size);
        Golden.AssertClose(c.GetProperty("da").Floats(), onlyA, "da without db");
    }

    [Fact]
    public void L2NormalizeAlongAMiddleAxisMatchesPyTorch()
    {
        JsonElement c = Case("l2_normalize_middle");
        float[] x = c.GetProperty("x").Floats(), dy = c.GetProperty("dy").Floats();
        var y = new float[x.Length];
        var norms = new float[3 * 2];
        Layers.L2Normalize_Forward(y, norms, x, 3, 4, 2);
        Golden.AssertClose(c.GetProperty("y").Floats(), y, "y");
        var dx = new float[x.Length];
        Layers.L2Normalize_Backward(dx, dy, y, norms, 3, 4, 2);
        Golden.AssertClose(c.GetProperty("dx").Floats(), dx, "dx");
    }

    [Fact]
    public void ConcatenateAlongTheLastOfTwoAxesMatchesTorchCat()
    {
        JsonElement c = Case("concatenate_inner");
        float[] a = c.GetProperty("a").Floats(), b = c.GetProperty("b").Floats(), dy = c.GetProperty("dy").Floats();
        var y = new float[a.Length + b.Length];
        // Samples (2, 3) and (2, 1), batch 2: outer = 2 x 2 rows of 3 and 1 columns, 4 in all.
        Layers.Concatenate_Forward(y, a, 4, 3, 0, 4);
        Layers.Concatenate_Forward(y, b, 4, 1, 3, 4);
        Golden.AssertClose(c.GetProperty("y").Floats(), y, "y");
        float[] da = new float[a.Length], db = new float[b.Length];
        Layers.Concatenate_Backward(da, dy, 4, 3, 0, 4);
        Layers.Concatenate_Backward(db, dy, 4, 1, 3, 4);
        Golden.AssertClose(c.GetProperty("da").Floats(), da, "da");
        Golden.AssertClose(c.GetProperty("db").Floats(), db, "db");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Layers.Concatenate_Forward(y, b, 4, 1, 4, 4));
        Assert.Contains("Columns [4, 5) do not fit in 4", error.Message);
    }

    [Fact]
    public void PermuteMovesATimeMajorAxisIntoABatchMajorSample()
    {
        JsonElement c = Case("permute_time_to_middle");
        float[] x = c.GetProperty("x_time_major").Floats(), dy = c.GetProperty("dy").Floats();
        var y = new float[x.Length];
        ReadOnlySpan<int> dims = [3, 4, 5], permutation = [2, 0, 1];
        Layers.Permute_Forward(y, x, 2, dims, permutation, inputTimeMajor: true, outputTimeMajor: false);
        Golden.AssertClose(c.GetProperty("y").Floats(), y, "y");
        var dx = new float[x.Length];
        Layers.Permute_Backward(dx, dy, 2, dims, permutation, inputTimeMajor: true, outputTimeMajor: false);
        Golden.AssertClose(c.GetProperty("dx_time_major").Floats(), dx, "dx");
        var error = Assert.Throws<ArgumentException>(() => Layers.Permute_Forward(y, x, 2, [3, 4, 5], [0, 0, 1], true, false));
        Assert.Contains("permutation must hold each axis 0..2 once, but axis 1 is 0", error.Message);
    }

    [Fact]
    public void MaskedPoolingLeavesPaddingOutAndSendsTheMaximumsGradientToItsFirstStep()
    {
        JsonElement c = Case("masked_pooling");
        float[] x = c.GetProperty("x").Floats(), mask = c.GetProperty("mask").Floats();
        var mean = new float[6];
        Layers.GlobalAveragePooling1D_Forward(mean, x, mask, 4, 3, 2);
        Golden.AssertClose(c.GetProperty("mean").Floats(), mean, "mean");
        var dx = new float[x.Length];
        Layers.GlobalAveragePooling1D_Backward(dx, c.GetProperty("dmean").Floats(), mask, 4, 3, 2);
        Golden.AssertClose(c.GetProperty("dx_mean").Floats(), dx, "dx of the mean");

        var peak = new float[6];
        var index = new float[6];
        Layers.GlobalMaxPooling1D_Forward(peak, index, x, mask, 4, 3, 2);
        Golden.AssertClose(c.GetProperty("peak").Floats(), peak, "peak");
        Assert.Equal(1f, index[0]); // the tie at steps 1 and 2 goes to step 1
        Assert.Equal(-1f, index[4]); // the sample of padding only
        Array.Clear(dx);
        Layers.GlobalMaxPooling1D_Backward(dx, c.GetProperty("dpeak").Floats(), index, 4, 3, 2);
        Golden.AssertClose(c.GetProperty("dx_peak").Floats(), dx, "dx of the peak");
    }

    [Fact]
    public void ElementwiseMergesAddTheirGradientsAndSkipEmptyOnes()
    {
        float[] a = [1f, -2f, 3f], b = [4f, 5f, -6f], c = [0.5f, 7f, 2f], dy = [1f, 10f, 100f];
        var y = new float[3];
        Layers.Subtract_Forward(y, a, b);
        Assert.Equal([-3f, -7f, 9f], y);
        float[] db = [1f, 1f, 1f];
        Layers.Subtract_Backward(db, dy);
        Assert.Equal([0f, -9f, -99f], db);

        a.CopyTo(y);
        var index = new float[3];
        Layers.Maximum_Forward(y, index, b, 1);
        Layers.Maximum_Forward(y, index, c, 2);
        Assert.Equal([4f, 7f, 3f], y);
        Assert.Equal([1f, 2f, 0f], index);
        float[] dc = new float[3];
        Layers.Selected_Backward(dc, dy, index, 2);
        Assert.Equal([0f, 10f, 0f], dc);

        a.CopyTo(y);
        Layers.Minimum_Forward(y, default, b, 1);
        Assert.Equal([1f, -2f, -6f], y);

        float[] dx = [1f, 1f, 1f];
        Layers.Average_Backward(dx, dy, 4);
        Assert.Equal([1.25f, 3.5f, 26f], dx);
        Layers.Multiply_Backward(dx, dy, c);
        Assert.Equal([1.75f, 73.5f, 226f], dx);

        // A model input whose gradient nobody asked for passes an empty span: every backward leaves it alone.
        Layers.Add_Backward(default, dy);
        Layers.Subtract_Backward(default, dy);
        Layers.Average_Backward(default, dy, 2);
        Layers.Multiply_Backward(default, dy, c);
        Layers.Selected_Backward(default, dy, index, 0);
        Layers.RepeatVector_Backward(default, new float[6], 1, 2, 3);
        Layers.Concatenate_Backward(default, dy, 1, 1, 0, 3);
    }

    [Fact]
    public void RepeatVectorRepeatsEachSampleAtEveryStepAndSumsTheGradientBack()
    {
        float[] x = [1f, 2f, 3f, 4f]; // batch 2 of 2 features
        var y = new float[3 * 4];
        Layers.RepeatVector_Forward(y, x, 2, 3, 2);
        Assert.Equal([1f, 2f, 3f, 4f, 1f, 2f, 3f, 4f, 1f, 2f, 3f, 4f], y);
        float[] dy = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        var dx = new float[4];
        Layers.RepeatVector_Backward(dx, dy, 2, 3, 2);
        Assert.Equal([12f, 15f, 18f, 21f], dx);
    }
}
