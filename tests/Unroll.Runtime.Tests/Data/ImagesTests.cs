using Unroll.Runtime.Tests.IO;
using Xunit;

namespace Unroll.Runtime.Tests.Data;

/// <summary>Images: pixel scaling to both ranges, seeded noise with clipping, and the PGM grid writer.</summary>
public class ImagesTests
{
    [Fact]
    public void ScalesEndpointsExactly()
    {
        byte[] pixels = { 0, 51, 255, 128 };
        var unit = new float[4];
        Images.Scale(pixels, unit, PixelRange.ZeroToOne);
        Assert.Equal(new[] { 0f, 0.2f, 1f, 128f / 255f }, unit);
        var symmetric = new float[4];
        Images.Scale(pixels, symmetric, PixelRange.MinusOneToOne);
        Assert.Equal(new[] { -1f, 51f / 127.5f - 1f, 1f, 128f / 127.5f - 1f }, symmetric);
    }

    [Fact]
    public void ScaleRejectsMismatchedLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Images.Scale(new byte[4], new float[3]));
        Assert.StartsWith("destination holds 3 floats for 4 pixels", e.Message);
    }

    [Fact]
    public void NoiseHasTheRequestedSpreadAndIsSeeded()
    {
        var clean = new float[20000];
        Array.Fill(clean, 0.5f);
        var a = new float[clean.Length];
        var b = new float[clean.Length];
        Images.AddGaussianNoise(clean, a, 0.1f, new SeededRandom(3));
        Images.AddGaussianNoise(clean, b, 0.1f, new SeededRandom(3));
        Assert.Equal(a, b);
        double mean = a.Average(v => (double)v);
        double std = Math.Sqrt(a.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 0.497, 0.503);
        Assert.InRange(std, 0.097, 0.103);
    }

    [Fact]
    public void NoiseClipsToTheRangeWhenAsked()
    {
        var clean = new float[5000];
        Array.Fill(clean, 0.9f);
        var noisy = new float[clean.Length];
        Images.AddGaussianNoise(clean, noisy, 0.5f, new SeededRandom(1), PixelRange.ZeroToOne);
        Assert.All(noisy, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(noisy, v => v == 1f);
        Assert.Contains(noisy, v => v == 0f);
        Images.AddGaussianNoise(clean, noisy, 0.5f, new SeededRandom(1), PixelRange.MinusOneToOne);
        Assert.Contains(noisy, v => v < 0f);
        Assert.All(noisy, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void NoiseRejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Images.AddGaussianNoise(new float[2], new float[2], float.NaN, new SeededRandom(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Images.AddGaussianNoise(new float[2], new float[2], -0.1f, new SeededRandom(1)));
        Assert.Throws<ArgumentException>(() => Images.AddGaussianNoise(new float[2], new float[3], 0.1f, new SeededRandom(1)));
    }

    [Fact]
    public void WritesAPgmGridWithGaps()
    {
        using var dir = new TempDirectory();
        // Three 2x2 images in two columns: a 5x5 grid (one-pixel gaps), the last cell empty.
        float[] images = { 0f, 1f, 0.5f, 1f, /* 2nd */ 1f, 1f, 1f, 1f, /* 3rd */ -1f, 2f, 0f, 0f };
        string path = dir.File("grid.pgm");
        Images.WritePgmGrid(path, images, count: 3, width: 2, height: 2, columns: 2);
        byte[] file = File.ReadAllBytes(path);
        byte[] header = "P5\n5 5\n255\n"u8.ToArray();
        Assert.Equal(header, file[..header.Length]);
        byte[] pixels = file[header.Length..];
        Assert.Equal(25, pixels.Length);
        Assert.Equal(new byte[] { 0, 255, 0, 255, 255 }, pixels[0..5]);
        Assert.Equal(new byte[] { 128, 255, 0, 255, 255 }, pixels[5..10]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, pixels[10..15]);
        Assert.Equal(new byte[] { 0, 255, 0, 0, 0 }, pixels[15..20]);   // clipped: -1 -> 0, 2 -> 255
        Assert.Equal(new[] { "grid.pgm" }, dir.Entries());              // no temporary file left beside it
    }

    [Fact]
    public void PgmGridRejectsAWrongImageCount()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => Images.WritePgmGrid(dir.File("g.pgm"), new float[10], 3, 2, 2, 2));
        Assert.StartsWith("images holds 10 floats; 3 images of 2 x 2 pixels need 12.", e.Message);
        Assert.Empty(dir.Entries());
    }
}
