using System.Runtime.Intrinsics;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

public class GemmTests
{
    // (m, n, k): unit and prime sizes, sizes on and just past the micro-tile (12 x 32) and KC (384) boundaries,
    // edge tiles that fit the 4/8-row and 16-column AVX-512 kernels exactly and ones that overhang them,
    // matrix-vector shapes, 128-multiple widths (padded scratch in the small NT path), blocks larger than NC
    // (480) and MC (1536), and ten to sixteen columns over a short k (the small NT path's one-vector panel: whole groups of
    // eight rows, single rows after them, a full sixteen; and seven rows, which stay with the dot products).
    public static TheoryData<string, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int>();
        int[][] shapes =
        [
            [1, 1, 1], [3, 5, 7], [17, 33, 65], [64, 64, 64], [100, 1, 37], [1, 100, 37], [257, 129, 300],
            [13, 31, 29], [12, 32, 384], [25, 65, 385], [4, 8, 1], [11, 47, 800], [40, 500, 20], [1600, 9, 5],
            [20, 48, 50], [24, 16, 9], [44, 80, 33], [5, 128, 40], [9, 256, 3],
            [64, 10, 64], [21, 12, 33], [7, 11, 100], [16, 16, 128],
        ];
        foreach (string layout in new[] { "NN", "TN", "NT" })
            foreach (int[] s in shapes) data.Add(layout, s[0], s[1], s[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesDoublePrecisionReference(string layout, int m, int n, int k)
    {
        var rng = new Random(m * 1_000_003 + n * 1009 + k);
        float[] a = RandomArray(rng, m * k);
        float[] b = RandomArray(rng, k * n);
        float[] c0 = RandomArray(rng, m * n);
        GemmLayout l = Enum.Parse<GemmLayout>(layout);
        (double[] product, double[] bound) = Reference(l, a, b, m, n, k);

        foreach ((GemmKernel kernel, GemmPath path) in Variants())
        {
            foreach (bool accumulate in new[] { false, true })
            {
                // Without accumulate C starts as NaN: a kernel that reads it leaks NaN into the result.
                float[] c = accumulate ? (float[])c0.Clone() : Filled(m * n, float.NaN);
                GemmDriver.Run(kernel, c, a, b, m, n, k, l, accumulate, path);
                AssertProduct(c, accumulate ? c0 : null, product, bound, k, $"{layout} {m}x{n}x{k} {kernel} {path} acc={accumulate}");
            }
        }
    }

    [Theory]
    [InlineData("NN")]
    [InlineData("TN")]
    [InlineData("NT")]
    public void PublicEntryPointsMatchReference(string layout)
    {
        const int m = 70, n = 90, k = 110;
        var rng = new Random(7);
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c0 = RandomArray(rng, m * n);
        (double[] product, double[] bound) = Reference(Enum.Parse<GemmLayout>(layout), a, b, m, n, k);
        float[] c = (float[])c0.Clone();
        Call(layout, c, a, b, m, n, k, accumulate: true);
        AssertProduct(c, c0, product, bound, k, layout);
        Call(layout, c, a, b, m, n, k, accumulate: false);
        AssertProduct(c, null, product, bound, k, layout);
    }

    [Theory]
    [InlineData("NN")]
    [InlineData("TN")]
    [InlineData("NT")]
    public void KZeroClearsOrKeepsC(string layout)
    {
        float[] c = [1f, 2f, 3f, 4f, 5f, 6f];
        Call(layout, c, [], [], 2, 3, 0, accumulate: true);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], c);
        c = Filled(6, float.NaN);
        Call(layout, c, [], [], 2, 3, 0, accumulate: false);
        Assert.Equal(new float[6], c);
    }

    [Fact]
    public void EmptyOutputsAreNoOps()
    {
        Gemm.NN([], [], new float[15], 0, 3, 5, accumulate: false);
        Gemm.NT([], [], new float[5], 0, 1, 5, accumulate: false);
        Gemm.TN([], new float[5], [], 1, 0, 5, accumulate: false);
    }

    [Theory]
    [InlineData("NN")]
    [InlineData("TN")]
    [InlineData("NT")]
    public void SteadyStateAllocatesNothing(string layout)
    {
        const int size = 256;
        float[] a = RandomArray(new Random(1), size * size), b = RandomArray(new Random(2), size * size);
        float[] c = new float[size * size];
        Call(layout, c, a, b, size, size, size, accumulate: false);
        Assert.Equal(0, Allocations.LeastPerWindow(() => Call(layout, c, a, b, size, size, size, accumulate: true)));
    }

    [Fact]
    public void WrongLengthsThrowNamingExpectedAndActual()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.NN(new float[6], new float[7], new float[12], 2, 3, 4, false));
        Assert.Equal("a", e.ParamName);
        Assert.Contains("Expected length 8", e.Message);
        Assert.Contains("got 7", e.Message);
        e = Assert.Throws<ArgumentException>(() => Gemm.TN(new float[5], new float[8], new float[12], 2, 3, 4, false));
        Assert.Equal("c", e.ParamName);
        Assert.Contains("Expected length 6", e.Message);
        Assert.Contains("got 5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Gemm.NT(new float[6], new float[8], new float[13], 2, 3, 4, false));
        Assert.Equal("b", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.NN([], [], [], -1, 0, 0, false));
    }

    private static IEnumerable<(GemmKernel, GemmPath)> Variants()
    {
        yield return (GemmDriver.DefaultKernel, GemmPath.Auto);
        yield return (GemmDriver.DefaultKernel, GemmPath.Small);
        yield return (GemmKernel.Vector128, GemmPath.Packed);
        if (Vector256.IsHardwareAccelerated) yield return (GemmKernel.Vector256, GemmPath.Packed);
        if (Vector512.IsHardwareAccelerated) yield return (GemmKernel.Vector512, GemmPath.Packed);
    }

    private static void Call(string layout, float[] c, float[] a, float[] b, int m, int n, int k, bool accumulate)
    {
        switch (layout)
        {
            case "NN": Gemm.NN(c, a, b, m, n, k, accumulate); break;
            case "TN": Gemm.TN(c, a, b, m, n, k, accumulate); break;
            default: Gemm.NT(c, a, b, m, n, k, accumulate); break;
        }
    }

    /// <summary>A·B in double, and Σ|a||b| per element, which bounds the float rounding error of any summation order.</summary>
    private static (double[] Product, double[] Bound) Reference(GemmLayout layout, float[] a, float[] b, int m, int n, int k)
    {
        var product = new double[m * n];
        var bound = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, t = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p];
                    double bv = layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                    t += Math.Abs(av * bv);
                }
                product[i * n + j] = s;
                bound[i * n + j] = t;
            }
        return (product, bound);
    }

    private static void AssertProduct(float[] actual, float[]? initial, double[] product, double[] bound, int k, string what)
    {
        // Worst-case float summation error is about k * 2^-24 * Σ|a||b|; random signs keep real errors far below.
        double eps = (k + 2) * Math.Pow(2, -24);
        for (int i = 0; i < actual.Length; i++)
        {
            double expected = product[i] + (initial is null ? 0 : initial[i]);
            double tolerance = eps * (bound[i] + (initial is null ? 0 : Math.Abs(initial[i]))) + 1e-30;
            double diff = Math.Abs(actual[i] - expected);
            if (!(diff <= tolerance))
                Assert.Fail($"{what}: element {i} expected {expected:R}, got {actual[i]:R} (|diff| {diff:E2} > {tolerance:E2})");
        }
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var result = new float[length];
        for (int i = 0; i < length; i++) result[i] = (float)(rng.NextDouble() * 2 - 1);
        return result;
    }

    private static float[] Filled(int length, float value)
    {
        var result = new float[length];
        Array.Fill(result, value);
        return result;
    }
}
