using System.Runtime.Intrinsics;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>
/// A narrow packed product reads the full 12-row panels of a row-major A in place (GemmMicroKernels.Kernel12x32InPlace) and packs only a
/// last, shorter panel; a wide one packs them all. Both must give every element the same bits: the columns of a narrow product are
/// compared with the same columns of a wide product whose other columns come from another B.
/// </summary>
public class GemmInPlaceTests
{
    // Wide enough that even a four-way column split leaves each part above GemmDriver.InPlaceColumns: the wide product packs A.
    private const int Extra = 1200;

    [Theory]
    [InlineData("NN", 64, 128, 784)] // the mlp workload's first layer: five panels in place, four rows packed
    [InlineData("NT", 64, 128, 784)]
    [InlineData("NN", 37, 200, 300)] // a column edge (200 = 6 x 32 + 8) and a one-row packed panel
    [InlineData("NT", 36, 256, 1000)] // only full panels, k over three KC blocks
    [InlineData("NT", 12, 40, 5000)] // one panel, an edge tile, many KC blocks
    public void PanelsReadInPlaceGiveTheBitsOfPackedPanels(string layout, int m, int n, int k)
    {
        GemmLayout l = Enum.Parse<GemmLayout>(layout);
        if (Vector512.IsHardwareAccelerated) Assert.True(GemmDriver.AInPlace(GemmDriver.DefaultKernel, n, k, 1));
        Assert.False(GemmDriver.AInPlace(GemmDriver.DefaultKernel, (n + Extra) / 4, k, 1));
        var random = new SeededRandom((ulong)(m * 7919 + n * 31 + k));
        float[] a = Values(random, m * k), b = Values(random, k * n), other = Values(random, k * Extra);
        int wide = n + Extra;
        // The wide B: B's columns first, then the other's (NN: k rows of n + Extra; NT: n + Extra rows of k).
        var bWide = new float[k * wide];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < wide; j++)
            {
                float value = j < n ? (l == GemmLayout.NN ? b[p * n + j] : b[j * k + p]) : (l == GemmLayout.NN ? other[p * Extra + j - n] : other[(j - n) * k + p]);
                if (l == GemmLayout.NN) bWide[p * wide + j] = value;
                else bWide[j * k + p] = value;
            }
        foreach (bool accumulate in new[] { false, true })
        {
            float[] c0 = Values(random, m * n);
            float[] narrow = (float[])c0.Clone();
            var wideC = new float[m * wide];
            for (int i = 0; i < m; i++) Array.Copy(c0, i * n, wideC, i * wide, n);
            GemmDriver.Run(GemmDriver.DefaultKernel, narrow, a, b, m, n, k, l, accumulate, GemmPath.Packed);
            GemmDriver.Run(GemmDriver.DefaultKernel, wideC, a, bWide, m, wide, k, l, accumulate, GemmPath.Packed);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    Assert.True(BitConverter.SingleToInt32Bits(narrow[i * n + j]) == BitConverter.SingleToInt32Bits(wideC[i * wide + j]),
                        $"{layout} {m}x{n}x{k} accumulate={accumulate}: element ({i}, {j}) is {narrow[i * n + j]} read in place, {wideC[i * wide + j]} packed");
        }
    }

    [Fact]
    public void RowsOfAMultipleOf1024FloatsAreStillPacked()
    {
        Assert.False(GemmDriver.AInPlace(GemmKernel.Vector512, 64, 1024, 1));
        Assert.False(GemmDriver.AInPlace(GemmKernel.Vector512, 64, 2048, 1));
        Assert.False(GemmDriver.AInPlace(GemmKernel.Vector512, 64, 1, 300)); // A stored transposed (TN)
        Assert.False(GemmDriver.AInPlace(GemmKernel.Vector256, 64, 300, 1));
        Assert.True(GemmDriver.AInPlace(GemmKernel.Vector512, 64, 1000, 1));
    }

    private static float[] Values(SeededRandom random, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = random.NextNormal();
        return values;
    }
}
