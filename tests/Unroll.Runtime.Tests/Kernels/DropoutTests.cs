using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

public class DropoutTests
{
    private static float[] Inputs(int n, ulong seed)
    {
        var random = new SeededRandom(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = random.NextNormal();
        return x;
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.3f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void DropsTheRateAndScalesTheSurvivors(float rate)
    {
        const int n = 200_000;
        float[] x = Inputs(n, 1);
        var y = new float[n];
        var mask = new float[n];
        Layers.Dropout_Forward(y, mask, x, rate, new SeededRandom(99));
        float kept = 1f / (1f - rate);
        int dropped = 0;
        for (int i = 0; i < n; i++)
        {
            if (mask[i] == 0f) dropped++;
            else Assert.Equal(kept, mask[i]);
            Assert.Equal(x[i] * mask[i], y[i]);
        }
        // 5 standard deviations of a binomial proportion at n = 200,000 is at most 0.0056.
        Assert.InRange(dropped / (double)n, rate - 0.0056, rate + 0.0056);
    }

    [Fact]
    public void KeepsTheExpectedValue()
    {
        const int n = 200_000;
        float[] x = Enumerable.Repeat(2f, n).ToArray();
        var y = new float[n];
        Layers.Dropout_Forward(y, new float[n], x, 0.4f, new SeededRandom(5));
        Assert.InRange(y.Average(), 1.97, 2.03);
    }

    [Fact]
    public void BackwardAccumulatesThroughTheMask()
    {
        const int n = 1000;
        float[] x = Inputs(n, 2), dy = Inputs(n, 3);
        var y = new float[n];
        var mask = new float[n];
        Layers.Dropout_Forward(y, mask, x, 0.25f, new SeededRandom(4));
        float[] dx = Enumerable.Repeat(0.5f, n).ToArray();
        Layers.Dropout_Backward(dx, dy, mask);
        for (int i = 0; i < n; i++)
            Assert.Equal(0.5f + dy[i] * mask[i], dx[i]);
        Assert.Contains(0f, mask);
    }

    [Fact]
    public void RateZeroIsIdentityAndRateOneDropsEverything()
    {
        float[] x = Inputs(257, 6);
        var y = new float[x.Length];
        var mask = new float[x.Length];
        var random = new SeededRandom(7);
        Layers.Dropout_Forward(y, mask, x, 0f, random);
        Assert.Equal(x, y);
        Assert.All(mask, m => Assert.Equal(1f, m));
        Assert.Equal(new SeededRandom(7).NextUInt64(), random.NextUInt64()); // rate 0 draws nothing

        Layers.Dropout_Forward(y, mask, x, 1f, random);
        Assert.All(mask, m => Assert.Equal(0f, m));
        Assert.All(y, v => Assert.Equal(0f, Math.Abs(v)));
    }

    [Fact]
    public void SameSeedGivesSameMask()
    {
        float[] x = Inputs(500, 8);
        float[] m1 = new float[500], m2 = new float[500], m3 = new float[500];
        var y = new float[500];
        Layers.Dropout_Forward(y, m1, x, 0.5f, new SeededRandom(10));
        Layers.Dropout_Forward(y, m2, x, 0.5f, new SeededRandom(10));
        Layers.Dropout_Forward(y, m3, x, 0.5f, new SeededRandom(11));
        Assert.Equal(m1, m2);
        Assert.NotEqual(m1, m3);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var random = new SeededRandom(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Layers.Dropout_Forward(new float[3], new float[3], new float[3], -0.1f, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => Layers.Dropout_Forward(new float[3], new float[3], new float[3], 1.5f, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => Layers.Dropout_Forward(new float[3], new float[3], new float[3], float.NaN, random));
        var e = Assert.Throws<ArgumentException>(() => Layers.Dropout_Forward(new float[3], new float[2], new float[3], 0.5f, random));
        Assert.Contains("2", e.Message);
        Assert.Contains("3", e.Message);
        e = Assert.Throws<ArgumentException>(() => Layers.Dropout_Backward(new float[3], new float[4], new float[3]));
        Assert.Contains("4", e.Message);
        Assert.Contains("3", e.Message);
    }
}
