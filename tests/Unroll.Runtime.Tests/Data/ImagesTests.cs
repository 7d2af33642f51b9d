using System.Buffers.Binary;
using System.IO.Compression;
using Unroll.Runtime.Tests.IO;
using Xunit;

namespace Unroll.Runtime.Tests.Data;

/// <summary>Images: pixel scaling to both ranges, seeded noise with clipping, and the PNG grid writer (read back: chunk CRCs, header, inflated scanlines).</summary>
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

    /// <summary>Reads back an 8-bit grayscale PNG: checks the signature, every chunk's CRC and the header, and returns the pixels.</summary>
    private static (int Width, int Height, byte[] Pixels) ReadPng(byte[] file)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, file[..8]);
        int at = 8, width = 0, height = 0;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (at < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            byte[] data = file[(at + 8)..(at + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 8 + length));
            Assert.Equal(Crc32.Of(file.AsSpan(at + 4, 4 + length)), crc);
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
                Assert.Equal(new byte[] { 8, 0, 0, 0, 0 }, data[8..]); // 8-bit grayscale, deflate, no interlace
            }
            if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        Assert.Equal(new[] { "IHDR", "IDAT", "IEND" }, types);
        Assert.Equal(0xAE426082u, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(file.Length - 4))); // IEND's well-known CRC
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        byte[] scanlines = inflated.ToArray();
        Assert.Equal(height * (width + 1), scanlines.Length);
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, scanlines[y * (width + 1)]); // filter: none
            Array.Copy(scanlines, y * (width + 1) + 1, pixels, y * width, width);
        }
        return (width, height, pixels);
    }

    [Fact]
    public void WritesAPngGridWithGaps()
    {
        using var dir = new TempDirectory();
        // Three 2x2 images in two columns: a 5x5 grid (one-pixel gaps), the last cell empty.
        float[] images = { 0f, 1f, 0.5f, 1f, /* 2nd */ 1f, 1f, 1f, 1f, /* 3rd */ -1f, 2f, 0f, 0f };
        string path = dir.File("grid.png");
        Images.WritePngGrid(path, images, count: 3, width: 2, height: 2, columns: 2);
        (int width, int height, byte[] pixels) = ReadPng(File.ReadAllBytes(path));
        Assert.Equal((5, 5), (width, height));
        Assert.Equal(new byte[] { 0, 255, 0, 255, 255 }, pixels[0..5]);
        Assert.Equal(new byte[] { 128, 255, 0, 255, 255 }, pixels[5..10]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, pixels[10..15]);
        Assert.Equal(new byte[] { 0, 255, 0, 0, 0 }, pixels[15..20]);   // clipped: -1 -> 0, 2 -> 255
        Assert.Equal(new[] { "grid.png" }, dir.Entries());              // no temporary file left beside it
    }

    [Fact]
    public void PngGridReadsTheSymmetricRange()
    {
        using var dir = new TempDirectory();
        string path = dir.File("tanh.png");
        Images.WritePngGrid(path, new[] { -1f, 0f, 1f }, count: 1, width: 3, height: 1, columns: 8, PixelRange.MinusOneToOne);
        Assert.Equal(new byte[] { 0, 128, 255 }, ReadPng(File.ReadAllBytes(path)).Pixels);
    }

    [Fact]
    public void PngGridRejectsAWrongImageCount()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => Images.WritePngGrid(dir.File("g.png"), new float[10], 3, 2, 2, 2));
        Assert.StartsWith("images holds 10 floats; 3 images of 2 x 2 pixels need 12.", e.Message);
        Assert.Empty(dir.Entries());
    }
}
