using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>The recurrent cells' tanh and sigmoid against double precision, and the same bits in vectors and in scalar tails.</summary>
public class RationalTanhTests
{
    /// <summary>Every float step of 2^-12 over [-12, 12], plus the clamp and tiny-argument edges.</summary>
    private static float[] Grid()
    {
        var values = new List<float>();
        for (int i = -12 * 4096; i <= 12 * 4096; i++) values.Add(i / 4096f);
        values.AddRange([7.9053f, -7.9053f, 7.90531f, 0.00039f, -0.00039f, 0.0004f, 1e-20f, -1e-30f, 40f, -88f, float.MaxValue, float.MinValue]);
        while (values.Count % 16 != 0) values.Add(0.5f);
        return values.ToArray();
    }

    [Fact]
    public void TanhIsWithin3e7OfDoublePrecision()
    {
        float[] x = Grid();
        var y = new float[x.Length];
        RationalTanh.Tanh(x, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - Math.Tanh(x[i])));
        Assert.True(worst <= 3e-7, $"largest |error| {worst:E2}"); // 2.5e-7 measured; MathF.Tanh 9.3e-8
        Assert.All(y, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void SigmoidIsWithin2e7OfDoublePrecision()
    {
        float[] x = Grid();
        var y = new float[x.Length];
        RationalTanh.Sigmoid(x, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - 1 / (1 + Math.Exp(-(double)x[i]))));
        Assert.True(worst <= 2e-7, $"largest |error| {worst:E2}"); // 1.5e-7 measured
    }

    [Fact]
    public void VectorsAndScalarTailsGiveTheSameBits()
    {
        float[] x = Grid();
        var vector = new float[x.Length];
        RationalTanh.Tanh(x, vector);
        for (int i = 0; i < x.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(RationalTanh.Tanh(x[i])), BitConverter.SingleToInt32Bits(vector[i]));
        RationalTanh.Sigmoid(x, vector);
        for (int i = 0; i < x.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(RationalTanh.Sigmoid(x[i])), BitConverter.SingleToInt32Bits(vector[i]));
    }

    [Fact]
    public void NaNStaysNaN()
    {
        Assert.True(float.IsNaN(RationalTanh.Tanh(float.NaN)));
        var y = new float[16];
        RationalTanh.Tanh(Enumerable.Repeat(float.NaN, 16).ToArray(), y);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
    }
}
