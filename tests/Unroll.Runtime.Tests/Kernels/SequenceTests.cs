using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Sequence transposes, Bidirectional merges and recurrent input dropout (Sequence.cs), by hand values and
/// by adjoint identities (⟨T x, y⟩ = ⟨x, Tᵀ y⟩) that fail on any misplaced element.</summary>
public class SequenceTests
{
    private const int Batch = 2, Steps = 3, Features = 2;

    // x[b, t, f] = 100 b + 10 t + f, so every value says where it came from.
    private static float[] BatchMajor()
    {
        var x = new float[Batch * Steps * Features];
        for (int b = 0; b < Batch; b++)
            for (int t = 0; t < Steps; t++)
                for (int f = 0; f < Features; f++)
                    x[(b * Steps + t) * Features + f] = 100 * b + 10 * t + f;
        return x;
    }

    [Fact]
    public void ToTimeMajorPutsStepsFirst()
    {
        var y = new float[Batch * Steps * Features];
        Layers.Sequence_ToTimeMajor(y, BatchMajor(), Batch, Steps, Features);
        Assert.Equal([0f, 1, 100, 101, 10, 11, 110, 111, 20, 21, 120, 121], y);
    }

    [Fact]
    public void ToBatchMajorInvertsToTimeMajor()
    {
        float[] x = BatchMajor();
        var timeMajor = new float[x.Length];
        var back = new float[x.Length];
        Layers.Sequence_ToTimeMajor(timeMajor, x, Batch, Steps, Features);
        Layers.Sequence_ToBatchMajor(back, timeMajor, Batch, Steps, Features);
        Assert.Equal(x, back);
    }

    [Fact]
    public void BackwardsAreTheAccumulatingAdjoints()
    {
        const int N = Batch * Steps * Features;
        var rng = new SeededRandom(3);
        float[] x = Normal(rng, N), dy = Normal(rng, N), y = new float[N];

        // ToTimeMajor: <T x, dy> = <x, dx> with dx = Tᵀ dy, and it accumulates onto what dx held.
        Layers.Sequence_ToTimeMajor(y, x, Batch, Steps, Features);
        float[] dx = Enumerable.Repeat(1f, N).ToArray();
        Layers.Sequence_ToTimeMajorBackward(dx, dy, Batch, Steps, Features);
        Assert.Equal(Dot(y, dy), Dot(x, dx.Select(v => v - 1f).ToArray()), 4);
        var dyBatchMajor = new float[N];
        Layers.Sequence_ToBatchMajor(dyBatchMajor, dy, Batch, Steps, Features);
        Assert.Equal(dyBatchMajor.Select(v => v + 1f).ToArray(), dx);

        Layers.Sequence_ToBatchMajor(y, x, Batch, Steps, Features);
        dx = Enumerable.Repeat(1f, N).ToArray();
        Layers.Sequence_ToBatchMajorBackward(dx, dy, Batch, Steps, Features);
        var dyTimeMajor = new float[N];
        Layers.Sequence_ToTimeMajor(dyTimeMajor, dy, Batch, Steps, Features);
        Assert.Equal(dyTimeMajor.Select(v => v + 1f).ToArray(), dx);
    }

    [Theory]
    [InlineData(MergeMode.Concat, new float[] { 1, 2, 10, 20, 3, 4, 30, 40 })]
    [InlineData(MergeMode.Sum, new float[] { 11, 22, 33, 44 })]
    [InlineData(MergeMode.Average, new float[] { 5.5f, 11, 16.5f, 22 })]
    [InlineData(MergeMode.Multiply, new float[] { 10, 40, 90, 160 })]
    public void MergeForwardHandValues(MergeMode mode, float[] expected)
    {
        float[] a = [1, 2, 3, 4], b = [10, 20, 30, 40];
        var y = new float[expected.Length];
        Array.Fill(y, float.NaN);
        Layers.Merge_Forward(y, a, b, 2, 2, mode);
        Assert.Equal(expected, y);
    }

    [Theory]
    [InlineData(MergeMode.Concat)]
    [InlineData(MergeMode.Sum)]
    [InlineData(MergeMode.Average)]
    [InlineData(MergeMode.Multiply)]
    public void MergeBackwardMatchesFiniteDifferences(MergeMode mode)
    {
        const int rows = 3, units = 4;
        var rng = new SeededRandom((ulong)mode + 10);
        float[] a = Normal(rng, rows * units), b = Normal(rng, rows * units);
        int outLength = rows * units * (mode == MergeMode.Concat ? 2 : 1);
        float[] dy = Normal(rng, outLength), y = new float[outLength];
        float[] da = Enumerable.Repeat(0.25f, a.Length).ToArray(), db = Enumerable.Repeat(-0.5f, b.Length).ToArray();
        Layers.Merge_Backward(da, db, dy, a, b, rows, units, mode);

        double Loss()
        {
            Layers.Merge_Forward(y, a, b, rows, units, mode);
            return Dot(y, dy);
        }

        // Every mode is at most bilinear, so the central difference is exact up to float rounding.
        for (int which = 0; which < 2; which++)
        {
            float[] p = which == 0 ? a : b, grad = which == 0 ? da : db;
            float offset = which == 0 ? 0.25f : -0.5f;
            for (int i = 0; i < p.Length; i++)
            {
                float saved = p[i];
                p[i] = saved + 0.5f;
                double plus = Loss();
                p[i] = saved - 0.5f;
                double minus = Loss();
                p[i] = saved;
                Golden.AssertClose(plus - minus, grad[i] - offset, $"{mode} d{(which == 0 ? "a" : "b")}[{i}]", abs: 1e-4);
            }
        }
    }

    [Fact]
    public void MergeBackwardSkipsEmptyGradientsAndNeedsNoInputsExceptForMultiply()
    {
        float[] dy = [1, 2, 3, 4], da = new float[4];
        Layers.Merge_Backward(da, [], dy, [], [], 2, 2, MergeMode.Average);
        Assert.Equal([0.5f, 1, 1.5f, 2], da);
        var e = Assert.Throws<ArgumentException>(() => Layers.Merge_Backward(da, [], dy, [], [], 2, 2, MergeMode.Multiply));
        Assert.Equal("a", e.ParamName);
    }

    [Fact]
    public void MergeWrongLengthsThrowNamingExpectedAndActual()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Layers.Merge_Forward(new float[4], new float[4], new float[4], 2, 2, MergeMode.Concat));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("8", e.Message);
        Assert.Contains("4", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Layers.Merge_Forward(new float[4], new float[4], new float[3], 2, 2, MergeMode.Sum));
        Assert.Equal("b", e.ParamName);
        e = Assert.Throws<ArgumentException>(() =>
            Layers.Sequence_ToTimeMajor(new float[12], new float[11], Batch, Steps, Features));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("11", e.Message);
        Assert.Contains("12", e.Message);
    }

    [Fact]
    public void DropoutMaskDrawsLikeDropoutForward()
    {
        const int n = 64;
        var mask = new float[n];
        Layers.Dropout_Mask(mask, 0.3f, new SeededRandom(42));
        var expected = new float[n];
        Layers.Dropout_Forward(new float[n], expected, new float[n], 0.3f, new SeededRandom(42));
        Assert.Equal(expected, mask);
        Assert.Contains(0f, mask);
        Assert.Contains(1f / 0.7f, mask);
    }

    [Fact]
    public void SequenceDropoutUsesOneMaskForEveryStep()
    {
        const int steps = 5, batch = 3, features = 4, row = batch * features;
        var rng = new SeededRandom(8);
        float[] x = Normal(rng, steps * row), y = new float[steps * row], mask = new float[row];
        Layers.Dropout_ForwardSequence(y, mask, x, 0.5f, steps, batch, features, new SeededRandom(9));
        var expectedMask = new float[row];
        Layers.Dropout_Mask(expectedMask, 0.5f, new SeededRandom(9));
        Assert.Equal(expectedMask, mask);
        for (int t = 0; t < steps; t++)
            for (int i = 0; i < row; i++)
                Assert.Equal(x[t * row + i] * mask[i], y[t * row + i]);

        float[] dy = Normal(rng, steps * row), dx = Enumerable.Repeat(1f, steps * row).ToArray();
        Layers.Dropout_BackwardSequence(dx, dy, mask, steps, batch, features);
        for (int t = 0; t < steps; t++)
            for (int i = 0; i < row; i++)
                Assert.Equal(1f + dy[t * row + i] * mask[i], dx[t * row + i], 6);

        var e = Assert.Throws<ArgumentException>(() =>
            Layers.Dropout_ForwardSequence(y, new float[row + 1], x, 0.5f, steps, batch, features, new SeededRandom(1)));
        Assert.Equal("mask", e.ParamName);
        Assert.Contains("12", e.Message);
        Assert.Contains("13", e.Message);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        float[] x = BatchMajor(), y = new float[x.Length], dx = new float[x.Length], mask = new float[Batch * Features];
        float[] merged = new float[2 * x.Length], da = new float[x.Length], db = new float[x.Length];
        var random = new SeededRandom(1);
        void Run()
        {
            Layers.Sequence_ToTimeMajor(y, x, Batch, Steps, Features);
            Layers.Sequence_ToBatchMajor(y, x, Batch, Steps, Features);
            Layers.Sequence_ToTimeMajorBackward(dx, y, Batch, Steps, Features);
            Layers.Sequence_ToBatchMajorBackward(dx, y, Batch, Steps, Features);
            Layers.Merge_Forward(merged, x, y, Batch * Steps, Features, MergeMode.Concat);
            Layers.Merge_Backward(da, db, merged, x, y, Batch * Steps, Features, MergeMode.Concat);
            Layers.Dropout_ForwardSequence(y, mask, x, 0.2f, Steps, Batch, Features, random);
            Layers.Dropout_BackwardSequence(dx, y, mask, Steps, Batch, Features);
        }
        Run();
        Assert.Equal(0, Allocations.LeastPerWindow(Run));
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    private static float[] Normal(SeededRandom rng, int length)
    {
        var result = new float[length];
        for (int i = 0; i < length; i++) result[i] = rng.NextNormal();
        return result;
    }
}
