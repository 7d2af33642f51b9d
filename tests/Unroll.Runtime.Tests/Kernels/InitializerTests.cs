using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

public class InitializerTests
{
    private const int SampleSize = 200_000;
    private const int FanIn = 300, FanOut = 200;

    private readonly record struct Moments(double Mean, double Std, double MaxAbs)
    {
        public static Moments Of(ReadOnlySpan<float> w)
        {
            double sum = 0, sum2 = 0, maxAbs = 0;
            foreach (float x in w) { sum += x; sum2 += (double)x * x; maxAbs = Math.Max(maxAbs, Math.Abs(x)); }
            double mean = sum / w.Length;
            return new Moments(mean, Math.Sqrt(sum2 / w.Length - mean * mean), maxAbs);
        }
    }

    private static double FractionBeyond(ReadOnlySpan<float> w, double threshold)
    {
        int count = 0;
        foreach (float x in w) if (Math.Abs(x) > threshold) count++;
        return (double)count / w.Length;
    }

    /// <summary>Simpson's rule for the integral of f over [a, b], accurate far beyond what these tests need.</summary>
    private static double Integrate(Func<double, double> f, double a, double b, int intervals = 2000)
    {
        double h = (b - a) / intervals, sum = f(a) + f(b);
        for (int i = 1; i < intervals; i++) sum += f(a + i * h) * (i % 2 == 1 ? 4 : 2);
        return sum * h / 3;
    }

    private static double StandardNormalDensity(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    private static void AssertUniform(ReadOnlySpan<float> w, double limit)
    {
        Moments m = Moments.Of(w);
        Assert.True(m.MaxAbs <= limit, $"a value {m.MaxAbs:R} exceeds the limit {limit:R}");
        Assert.True(m.MaxAbs > 0.999 * limit, $"largest |w| {m.MaxAbs:R} is well inside the limit {limit:R}");
        Assert.InRange(m.Mean, -0.01 * limit, 0.01 * limit);
        // Var U(-l, l) = l^2 / 3; the std of the sample variance here is about 0.3 %.
        Assert.InRange(m.Std * m.Std, 0.98 * limit * limit / 3, 1.02 * limit * limit / 3);
    }

    /// <summary>Checks a Keras truncated normal whose target (post-truncation) stddev is <paramref name="target"/>.</summary>
    private static void AssertTruncatedNormal(ReadOnlySpan<float> w, double target)
    {
        // The untruncated sigma Keras draws with, and the variance of N(0, 1) restricted to [-2, 2].
        double sigma = target / 0.87962566103423978;
        double mass = Integrate(StandardNormalDensity, -2, 2);
        double truncatedVariance = Integrate(x => x * x * StandardNormalDensity(x), -2, 2) / mass;
        Assert.InRange(Math.Sqrt(truncatedVariance), 0.8796256, 0.8796257);
        double expectedStd = sigma * Math.Sqrt(truncatedVariance);
        double expectedBeyondOneSigma = 1 - Integrate(StandardNormalDensity, -1, 1) / mass;

        Moments m = Moments.Of(w);
        float cut = 2f * (float)sigma;
        Assert.True(m.MaxAbs <= cut, $"a value {m.MaxAbs:R} lies beyond 2 sigma = {cut:R}");
        Assert.True(m.MaxAbs > 0.99 * cut, $"largest |w| {m.MaxAbs:R} is well inside 2 sigma = {cut:R}: cut too early?");
        Assert.InRange(m.Mean, -0.01 * target, 0.01 * target);
        Assert.InRange(m.Std, 0.98 * expectedStd, 1.02 * expectedStd);
        // The shape of the truncated distribution, not only its width: about 28.5 % of the mass lies beyond 1 sigma.
        Assert.InRange(FractionBeyond(w, sigma), expectedBeyondOneSigma - 0.01, expectedBeyondOneSigma + 0.01);
    }

    [Fact]
    public void GlorotUniformStaysWithinItsLimitWithVarianceLimitSquaredOverThree()
    {
        var w = new float[SampleSize];
        Initializers.GlorotUniform(w, FanIn, FanOut, new SeededRandom(1));
        AssertUniform(w, (float)Math.Sqrt(6.0 / (FanIn + FanOut)));
    }

    [Fact]
    public void HeUniformStaysWithinItsLimitWithVarianceLimitSquaredOverThree()
    {
        var w = new float[SampleSize];
        Initializers.HeUniform(w, FanIn, new SeededRandom(2));
        AssertUniform(w, (float)Math.Sqrt(6.0 / FanIn));
    }

    [Fact]
    public void UniformStaysWithinItsLimitWithVarianceLimitSquaredOverThree()
    {
        var w = new float[SampleSize];
        Initializers.Uniform(w, 0.05f, new SeededRandom(3));
        AssertUniform(w, 0.05f);
    }

    [Fact]
    public void GlorotNormalIsTruncatedAtTwoSigmaWithTheGlorotStddev()
    {
        var w = new float[SampleSize];
        Initializers.GlorotNormal(w, FanIn, FanOut, new SeededRandom(4));
        AssertTruncatedNormal(w, Math.Sqrt(2.0 / (FanIn + FanOut)));
    }

    [Fact]
    public void HeNormalIsTruncatedAtTwoSigmaWithTheHeStddev()
    {
        var w = new float[SampleSize];
        Initializers.HeNormal(w, FanIn, new SeededRandom(5));
        AssertTruncatedNormal(w, Math.Sqrt(2.0 / FanIn));
    }

    [Fact]
    public void NormalIsNotTruncated()
    {
        const double stddev = 0.05;
        var w = new float[SampleSize];
        Initializers.Normal(w, (float)stddev, new SeededRandom(6));
        Moments m = Moments.Of(w);
        Assert.InRange(m.Mean, -0.01 * stddev, 0.01 * stddev);
        Assert.InRange(m.Std, 0.98 * stddev, 1.02 * stddev);
        // 4.55 % of a normal lies beyond 2 sigma (the truncated kinds have none there).
        double beyondTwoSigma = 1 - Integrate(StandardNormalDensity, -2, 2);
        Assert.InRange(FractionBeyond(w, 2 * stddev), beyondTwoSigma - 0.003, beyondTwoSigma + 0.003);
        Assert.True(m.MaxAbs > 3.5 * stddev, $"largest |w| {m.MaxAbs:R} is below 3.5 sigma in {SampleSize} samples");
    }

    [Theory]
    [InlineData(Initializer.GlorotUniform)]
    [InlineData(Initializer.GlorotNormal)]
    [InlineData(Initializer.HeUniform)]
    [InlineData(Initializer.HeNormal)]
    [InlineData(Initializer.Uniform)]
    [InlineData(Initializer.Normal)]
    public void SameSeedGivesSameValuesAndAnotherSeedDiffers(Initializer kind)
    {
        float[] a = new float[1000], b = new float[1000], c = new float[1000];
        Initializers.Fill(a, kind, 30, 20, 0.05f, new SeededRandom(42));
        Initializers.Fill(b, kind, 30, 20, 0.05f, new SeededRandom(42));
        Initializers.Fill(c, kind, 30, 20, 0.05f, new SeededRandom(43));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void FillDispatchesEachKindToItsInitializer()
    {
        const int fanIn = 17, fanOut = 9, n = fanIn * fanOut; // Orthogonal fills a fanOut x fanIn matrix
        const float scale = 0.3f;
        var actions = new (Initializer Kind, Action<float[], SeededRandom> Direct)[]
        {
            (Initializer.GlorotUniform, (w, r) => Initializers.GlorotUniform(w, fanIn, fanOut, r)),
            (Initializer.GlorotNormal, (w, r) => Initializers.GlorotNormal(w, fanIn, fanOut, r)),
            (Initializer.HeUniform, (w, r) => Initializers.HeUniform(w, fanIn, r)),
            (Initializer.HeNormal, (w, r) => Initializers.HeNormal(w, fanIn, r)),
            (Initializer.Uniform, (w, r) => Initializers.Uniform(w, scale, r)),
            (Initializer.Normal, (w, r) => Initializers.Normal(w, scale, r)),
            (Initializer.Zeros, (w, r) => Array.Fill(w, 0f)),
            (Initializer.Ones, (w, r) => Array.Fill(w, 1f)),
            (Initializer.Constant, (w, r) => Array.Fill(w, scale)),
            (Initializer.Orthogonal, (w, r) => Initializers.Orthogonal(w, fanOut, fanIn, scale, r)),
        };
        Assert.Equal(Enum.GetValues<Initializer>().Length, actions.Length);
        foreach (var (kind, direct) in actions)
        {
            float[] viaFill = new float[n], expected = new float[n];
            Array.Fill(viaFill, float.NaN);
            Array.Fill(expected, float.NaN);
            Initializers.Fill(viaFill, kind, fanIn, fanOut, scale, new SeededRandom(9));
            direct(expected, new SeededRandom(9));
            Assert.Equal(expected, viaFill);
        }
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Initializers.Fill(new float[4], (Initializer)999, fanIn, fanOut, scale, new SeededRandom(9)));
    }

    [Fact]
    public void FanInMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.HeNormal(new float[4], 0, new SeededRandom(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.GlorotUniform(new float[4], 3, 0, new SeededRandom(1)));
    }

    [Theory]
    [InlineData(5, 12, 1.0f)]
    [InlineData(12, 5, 1.0f)]
    [InlineData(16, 16, 1.0f)]
    [InlineData(32, 128, 2.0f)]
    [InlineData(128, 32, 0.5f)]
    public void OrthogonalHasOrthonormalRowsOrColumnsTimesGain(int rows, int cols, float gain)
    {
        var w = new float[rows * cols];
        Initializers.Orthogonal(w, rows, cols, gain, new SeededRandom(7));
        // Gram matrix of the shorter side: W W^T (k = rows) when rows <= cols, W^T W (k = cols) otherwise.
        bool byRows = rows <= cols;
        int k = Math.Min(rows, cols), n = Math.Max(rows, cols);
        float At(int i, int j) => byRows ? w[i * cols + j] : w[j * cols + i];   // i < k, j < n
        var gram = new float[k * k];
        var identity = new float[k * k];
        for (int i = 0; i < k; i++)
        {
            identity[i * k + i] = gain * gain;
            for (int j = 0; j < k; j++)
            {
                double dot = 0;
                for (int t = 0; t < n; t++) dot += (double)At(i, t) * At(j, t);
                gram[i * k + j] = (float)dot;
            }
        }
        Golden.AssertClose(identity, gram, $"Gram matrix of a {rows}x{cols} orthogonal init");
    }

    [Theory]
    [InlineData(9, 4)]
    [InlineData(4, 9)]
    [InlineData(6, 6)]
    public void OrthogonalIsTheSignCorrectedQFactorOfTheNormalDraws(int rows, int cols)
    {
        var w = new float[rows * cols];
        Initializers.Orthogonal(w, rows, cols, 1f, new SeededRandom(8));

        // Replay the documented draws: an n x k standard normal matrix A, column by column.
        int n = Math.Max(rows, cols), k = Math.Min(rows, cols);
        var a = new double[n, k];
        var random = new SeededRandom(8);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < n; i++)
                a[i, j] = random.NextNormal();
        double Q(int i, int j) => rows >= cols ? w[i * cols + j] : w[j * cols + i];   // Q is n x k

        // A = Q R with R = Q^T A upper triangular and, after the sign correction, a positive diagonal.
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                double r = 0;
                for (int t = 0; t < n; t++) r += Q(t, i) * a[t, j];
                if (i > j) Assert.True(Math.Abs(r) < 1e-5, $"R[{i},{j}] = {r:R} should be 0");
                if (i == j) Assert.True(r > 0.01, $"R[{i},{i}] = {r:R} should be positive");
            }
        // And Q R reproduces A (Q spans exactly the draws, not some other orthogonal basis).
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
            {
                double qr = 0;
                for (int c = 0; c <= j; c++)
                {
                    double r = 0;
                    for (int t = 0; t < n; t++) r += Q(t, c) * a[t, j];
                    qr += Q(i, c) * r;
                }
                Golden.AssertClose(a[i, j], qr, $"(QR)[{i},{j}]");
            }
    }

    [Fact]
    public void OrthogonalRejectsAWrongLength()
    {
        var e = Assert.Throws<ArgumentException>(() => Initializers.Orthogonal(new float[11], 3, 4, 1f, new SeededRandom(1)));
        Assert.Contains("11", e.Message);
        Assert.Contains("12", e.Message);
    }
}
