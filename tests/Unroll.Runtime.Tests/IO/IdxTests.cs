using System.Buffers.Binary;
using System.IO.Compression;
using Xunit;

namespace Unroll.Runtime.Tests.IO;

/// <summary>Idx.Read: MNIST's format read plain and gzipped, and every malformed file rejected with a message that says what was expected.</summary>
public class IdxTests
{
    /// <summary>An IDX file as the format's description lays it out: 0, 0, type, rank, big-endian sizes, big-endian data.</summary>
    private static byte[] IdxBytes(byte typeCode, int[] shape, byte[] data)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), shape[d]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    /// <summary>Two 2x3 "images" with pixels 0..11, scaled by 20 so 0 and 220 both appear.</summary>
    private static byte[] TwoImages() => IdxBytes(0x08, new[] { 2, 2, 3 }, Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray());

    private static IdxTensor ReadBytes(byte[] bytes, string name = "test.idx") => Idx.Read(new MemoryStream(bytes), name);

    private static IdxFormatException Rejects(byte[] bytes, string name = "bad.idx") =>
        Assert.Throws<IdxFormatException>(() => ReadBytes(bytes, name));

    [Fact]
    public void ReadsUnsignedByteImagesWithTheirShape()
    {
        IdxTensor t = ReadBytes(TwoImages());
        Assert.Equal(IdxDataType.UnsignedByte, t.DataType);
        Assert.Equal(new[] { 2, 2, 3 }, t.Shape);
        Assert.Equal(12, t.ElementCount);
        Assert.Equal(2, t.Count);
        Assert.Equal(6, t.ItemSize);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray(), t.Bytes.ToArray());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)(i * 20)).ToArray(), t.ToSingles());
    }

    [Fact]
    public void GzipAndPlainFilesReadTheSame()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("plain-idx3-ubyte"), TwoImages());
        File.WriteAllBytes(dir.File("packed-idx3-ubyte.gz"), Gzip(TwoImages()));
        IdxTensor plain = Idx.Read(dir.File("plain-idx3-ubyte"));
        IdxTensor packed = Idx.Read(dir.File("packed-idx3-ubyte.gz"));
        Assert.Equal(plain.Shape, packed.Shape);
        Assert.Equal(plain.Bytes.ToArray(), packed.Bytes.ToArray());
        Assert.Equal(dir.File("packed-idx3-ubyte.gz"), packed.Source);
    }

    [Fact]
    public void ReadsEveryElementTypeBigEndian()
    {
        var int16 = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(int16, -300);
        BinaryPrimitives.WriteInt16BigEndian(int16.AsSpan(2), 7);
        Assert.Equal(new[] { -300, 7 }, ReadBytes(IdxBytes(0x0B, new[] { 2 }, int16)).ToInt32());

        var int32 = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(int32, -70000);
        BinaryPrimitives.WriteInt32BigEndian(int32.AsSpan(4), 123456789);
        Assert.Equal(new[] { -70000, 123456789 }, ReadBytes(IdxBytes(0x0C, new[] { 2, 1 }, int32)).ToInt32());

        var single = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(single, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(single.AsSpan(4), -0.25f);
        Assert.Equal(new[] { 1.5f, -0.25f }, ReadBytes(IdxBytes(0x0D, new[] { 2 }, single)).ToSingles());

        var dbl = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(dbl, 3.0e-3);
        Assert.Equal(new[] { 3.0e-3f }, ReadBytes(IdxBytes(0x0E, new[] { 1 }, dbl)).ToSingles());

        Assert.Equal(new[] { -1, 127 }, ReadBytes(IdxBytes(0x09, new[] { 2 }, new byte[] { 0xFF, 0x7F })).ToInt32());
        Assert.Equal(new[] { 255, 127 }, ReadBytes(IdxBytes(0x08, new[] { 2 }, new byte[] { 0xFF, 0x7F })).ToInt32());
    }

    [Fact]
    public void FloatTensorsRefuseIntegerAndByteViews()
    {
        IdxTensor t = ReadBytes(IdxBytes(0x0D, new[] { 1 }, new byte[4]));
        Assert.Contains("float32", Assert.Throws<InvalidOperationException>(() => t.ToInt32()).Message);
        Assert.Contains("Bytes is for ubyte", Assert.Throws<InvalidOperationException>(() => t.Bytes.ToArray()).Message);
    }

    [Fact]
    public void TruncatedDataNamesBothByteCounts()
    {
        byte[] whole = TwoImages();
        var e = Rejects(whole[..^5], "train-images-idx3-ubyte");
        Assert.Equal("Invalid IDX file 'train-images-idx3-ubyte': the header declares (2, 2, 3) ubyte elements, 12 bytes of data, but the file ends after 7 of them (truncated).", e.Message);
        Assert.Equal("train-images-idx3-ubyte", e.FileName);
    }

    [Fact]
    public void TruncatedGzipIsRejectedNotShortened()
    {
        // A gzip stream cut short either fails to inflate or inflates to too few bytes: both are errors, never a smaller tensor.
        byte[] packed = Gzip(IdxBytes(0x08, new[] { 100, 28, 28 }, Enumerable.Range(0, 78400).Select(i => (byte)(i * 7 % 251)).ToArray()));
        for (int cut = 0; cut < packed.Length; cut++)
        {
            var e = Record.Exception(() => ReadBytes(packed[..cut], "t10k.gz")) as IdxFormatException;
            Assert.True(e is not null, $"cut at {cut} of {packed.Length}");
            Assert.StartsWith("Invalid IDX file 't10k.gz': ", e!.Message);
        }
    }

    [Fact]
    public void GzipTrailerMismatchIsRejected()
    {
        byte[] packed = Gzip(TwoImages());
        packed[^8] ^= 0x01; // the CRC-32's low byte
        var e = Rejects(packed, "images.gz");
        Assert.StartsWith("Invalid IDX file 'images.gz': ", e.Message);
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void CorruptGzipIsRejected()
    {
        byte[] packed = Gzip(TwoImages());
        packed[12] ^= 0xFF; // inside the deflate data
        packed[13] ^= 0x5A;
        var e = Rejects(packed, "labels.gz");
        Assert.StartsWith("Invalid IDX file 'labels.gz': ", e.Message);
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        byte[] extra = [.. TwoImages(), 0];
        Assert.Equal(
            "Invalid IDX file 'bad.idx': the header declares (2, 2, 3) ubyte elements, 12 bytes of data, but more bytes follow them.",
            Rejects(extra).Message);
    }

    [Fact]
    public void BadMagicTypeAndRankAreRejected()
    {
        Assert.Equal(
            "Invalid IDX file 'bad.idx': the magic number starts with bytes 0x50 0x4B; an IDX file starts with 0x00 0x00 (and a gzip file with 0x1F 0x8B).",
            Rejects(new byte[] { 0x50, 0x4B, 3, 4, 0, 0 }).Message);
        Assert.Equal(
            "Invalid IDX file 'bad.idx': the type code is 0x0A; expected one of 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64).",
            Rejects(IdxBytes(0x0A, new[] { 1 }, new byte[1])).Message);
        Assert.Equal(
            "Invalid IDX file 'bad.idx': the header declares 0 dimensions; an IDX tensor has at least 1.",
            Rejects(new byte[] { 0, 0, 8, 0 }).Message);
    }

    [Fact]
    public void ShortHeadersAreRejected()
    {
        Assert.Equal(
            "Invalid IDX file 'bad.idx': the file holds 3 bytes; an IDX header needs at least 4 (two zero bytes, a type code, a dimension count).",
            Rejects(new byte[] { 0, 0, 8 }).Message);
        Assert.Equal(
            "Invalid IDX file 'bad.idx': the header declares 3 dimensions, so it needs 16 bytes; the file ends after 10.",
            Rejects(TwoImages()[..10]).Message);
    }

    [Fact]
    public void NegativeAndOversizedShapesAreRejectedBeforeAllocating()
    {
        Assert.Equal(
            "Invalid IDX file 'bad.idx': dimension 1 has size -5; sizes are at least 0.",
            Rejects(IdxBytes(0x08, new[] { 2, -5 }, Array.Empty<byte>())).Message);
        var e = Rejects(IdxBytes(0x0E, new[] { int.MaxValue, int.MaxValue, int.MaxValue }, Array.Empty<byte>()));
        Assert.Contains("one tensor can have at most", e.Message);
    }

    [Fact]
    public void ZeroSizedTensorsAreValid()
    {
        IdxTensor t = ReadBytes(IdxBytes(0x08, new[] { 0, 28, 28 }, Array.Empty<byte>()));
        Assert.Equal(0, t.Count);
        Assert.Equal(0, t.ItemSize);
        Assert.Empty(t.ToSingles());
    }
}
