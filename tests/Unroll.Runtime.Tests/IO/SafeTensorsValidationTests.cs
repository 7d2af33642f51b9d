using System.Text;
using Xunit;
using static Unroll.Runtime.Tests.IO.SafeTensorsTestFiles;

namespace Unroll.Runtime.Tests.IO;

/// <summary>Every read-side rule of the format, each with a crafted buffer that breaks exactly that rule.</summary>
public class SafeTensorsValidationTests
{
    private const string Source = "crafted.safetensors";

    private static SafeTensorsFormatException AssertInvalid(byte[] file, string? tensor, params string[] facts)
    {
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(file, Source));
        Assert.Contains(Source, e.Message);
        Assert.Equal(Source, e.FileName);
        Assert.Equal(tensor, e.TensorName);
        if (tensor is not null) Assert.Contains($"'{tensor}'", e.Message);
        foreach (string fact in facts) Assert.Contains(fact, e.Message);
        return e;
    }

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void ValidCraftedFileReads()
    {
        // Listed out of offset order and padded with trailing spaces: both are legal.
        string header = "{" + Entry("b", "F32", "[1]", 8, 12) + "," + Entry("a", "F32", "[2]", 0, 8) + ",\"__metadata__\":{\"k\":\"v\"}}" + new string(' ', 13);
        var tensors = SafeTensors.Read(Build(header, F32(1f, 2f, 3f)), Source);
        Assert.Equal(new[] { "a", "b" }, tensors.Keys.ToArray());
        Assert.Equal(new[] { 1f, 2f }, tensors["a"].ToFloat32());
        Assert.Equal(new[] { 3f }, tensors["b"].ToFloat32());
        Assert.Equal(new[] { 2 }, tensors["a"].Shape);
        Assert.Equal("F32", tensors["b"].DType);
    }

    [Fact]
    public void ZeroSizedTensorsAndScalarsAreValid()
    {
        string header = "{" + Entry("e1", "F32", "[0,3]", 0, 0) + "," + Entry("s", "F64", "[]", 0, 8) + "," + Entry("e2", "I64", "[0]", 8, 8) + "}";
        var tensors = SafeTensors.Read(Build(header, BitConverter.GetBytes(2.5)), Source);
        Assert.Empty(tensors["e1"].ToFloat32());
        Assert.Equal(new[] { 0, 3 }, tensors["e1"].Shape);
        Assert.Equal(new[] { 2.5f }, tensors["s"].ToFloat32());
        Assert.Empty(tensors["s"].Shape);
        Assert.Equal(0, tensors["e2"].ElementCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    public void FileShorterThanTheLengthPrefixIsRejected(int length)
    {
        AssertInvalid(new byte[length], null, $"{length} bytes", "8-byte header length prefix");
    }

    [Fact]
    public void HeaderLengthAboveOneHundredMegabytesIsRejected()
    {
        AssertInvalid(Build("{}", Array.Empty<byte>(), declaredLength: 100_000_001), null, "100000001", "at most 100000000");
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRejected()
    {
        AssertInvalid(Build("{}      ", Array.Empty<byte>(), declaredLength: 200), null, "200 bytes", "only 8 bytes follow");
    }

    [Fact]
    public void HeaderThatIsNotJsonIsRejected()
    {
        AssertInvalid(Build("{\"a\": nope}     ", Array.Empty<byte>()), null, "not valid JSON");
    }

    [Fact]
    public void HeaderWithInvalidUtf8IsRejected()
    {
        byte[] header = Encoding.UTF8.GetBytes("{\"a\xff\":{}}   ");
        header[3] = 0xFF; // a lone continuation byte inside the key
        AssertInvalid(Build(header, Array.Empty<byte>()), null, "not valid UTF-8");
    }

    [Theory]
    [InlineData("[1,2]   ", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("42      ", "number")]
    public void HeaderThatIsNotAnObjectIsRejected(string header, string found)
    {
        AssertInvalid(Build(header, Array.Empty<byte>()), null, "must be a JSON object", found);
    }

    [Fact]
    public void HeaderStartingWithAByteOrderMarkIsRejected()
    {
        // serde_json (the reference reader) rejects a BOM; accepting it would make files PyTorch cannot open.
        AssertInvalid(Build(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}', 32, 32, 32 }, Array.Empty<byte>()), null, "byte order mark");
    }

    [Fact]
    public void HeaderWithTrailingGarbageAfterTheObjectIsRejected()
    {
        AssertInvalid(Build("{}  x   ", Array.Empty<byte>()), null, "not valid JSON");
    }

    [Theory]
    [InlineData("F8_E4M3")]
    [InlineData("float32")]
    [InlineData("f32")]
    [InlineData("C64")]
    public void UnknownDtypeIsRejectedNamingIt(string dtype)
    {
        AssertInvalid(Build("{" + Entry("w", dtype, "[1]", 0, 4) + "}", F32(1f)), "w", $"unknown dtype '{dtype}'", "F32", "BF16");
    }

    [Fact]
    public void ByteCountThatDoesNotMatchDtypeAndShapeIsRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F32", "[3]", 0, 8) + "}", F32(1f, 2f)), "w",
            "F32", "[3]", "needs 12 bytes", "[0, 8]", "span 8 bytes");
    }

    [Fact]
    public void WrongElementSizeForTheDtypeIsRejected()
    {
        // 2 x F64 = 16 bytes, not 8.
        AssertInvalid(Build("{" + Entry("d", "F64", "[2]", 0, 8) + "}", F32(1f, 2f)), "d", "needs 16 bytes", "span 8 bytes");
    }

    [Fact]
    public void FirstTensorNotAtOffsetZeroIsRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F32", "[1]", 4, 8) + "}", F32(1f, 2f)), "w", "starts at byte 4", "expected 0");
    }

    [Fact]
    public void HoleBetweenTensorsIsRejected()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[1]", 12, 16) + "}";
        AssertInvalid(Build(header, F32(1f, 2f, 3f, 4f)), "b", "starts at byte 12", "'a' ends at byte 8", "no hole", "4 unused bytes");
    }

    [Fact]
    public void OverlappingTensorsAreRejected()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}";
        AssertInvalid(Build(header, F32(1f, 2f, 3f)), "b", "[4, 12]", "overlap tensor 'a'", "ends at byte 8");
    }

    [Fact]
    public void TwoTensorsSharingTheSameBytesAreRejected()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 0, 8) + "}";
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(Build(header, F32(1f, 2f)), Source));
        Assert.Contains("overlap tensor", e.Message);
        Assert.Contains("[0, 8]", e.Message);
    }

    [Fact]
    public void OffsetsEndingBeforeTheyBeginAreRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F32", "[0]", 8, 4) + "}", F32(1f, 2f)), "w", "[8, 4]", "end before they begin");
    }

    [Theory]
    [InlineData("[0]")]
    [InlineData("[0,4,8]")]
    [InlineData("{\"begin\":0}")]
    public void DataOffsetsThatAreNotAPairAreRejected(string offsets)
    {
        string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + offsets + "}}";
        AssertInvalid(Build(header, F32(1f)), "w", "two integers", offsets);
    }

    [Theory]
    [InlineData("[-4,0]", "data_offsets[0] is -4")]
    [InlineData("[0,4.0]", "data_offsets[1] is 4.0")]
    [InlineData("[0,\"4\"]", "data_offsets[1] is \"4\"")]
    public void DataOffsetsThatAreNotNonNegativeIntegersAreRejected(string offsets, string fact)
    {
        string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + offsets + "}}";
        AssertInvalid(Build(header, F32(1f)), "w", fact, "non-negative integer");
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensorAreRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F32", "[1]", 0, 4) + "}", F32(1f, 2f)), "w", "4 trailing bytes", "ends at byte 4 of 8");
    }

    [Fact]
    public void DataAfterAHeaderWithNoTensorsIsRejected()
    {
        AssertInvalid(Build("{}      ", new byte[3]), null, "no tensors", "3 bytes");
    }

    [Fact]
    public void LastTensorEndingBeyondTheBufferIsRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F32", "[3]", 0, 12) + "}", F32(1f, 2f)), "w", "ends at byte 12", "only 8 bytes", "truncated");
    }

    [Fact]
    public void DuplicateTensorNamesAreRejected()
    {
        string header = "{" + Entry("w", "F32", "[1]", 0, 4) + "," + Entry("w", "F32", "[1]", 4, 8) + "}";
        AssertInvalid(Build(header, F32(1f, 2f)), "w", "more than once");
    }

    [Fact]
    public void DuplicateNamesSpelledWithEscapesAreRejected()
    {
        // "\u0077" is "w": JSON compares decoded names.
        string header = "{" + Entry("w", "F32", "[1]", 0, 4) + "," + Entry("\\u0077", "F32", "[1]", 4, 8) + "}";
        AssertInvalid(Build(header, F32(1f, 2f)), "w", "more than once");
    }

    [Fact]
    public void DuplicateMetadataIsRejected()
    {
        AssertInvalid(Build("{\"__metadata__\":{},\"__metadata__\":{}}", Array.Empty<byte>()), null, "more than one '__metadata__'");
    }

    [Fact]
    public void NegativeDimensionIsRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F32", "[2,-1]", 0, 0) + "}", Array.Empty<byte>()), "w", "dimension 1 is -1", "non-negative");
    }

    [Theory]
    [InlineData("[1.5]", "dimension 0 is 1.5")]
    [InlineData("[\"2\"]", "dimension 0 is \"2\"")]
    [InlineData("[1,null]", "dimension 1 is null")]
    public void NonIntegerDimensionIsRejected(string shape, string fact)
    {
        AssertInvalid(Build("{" + Entry("w", "F32", shape, 0, 4) + "}", F32(1f)), "w", fact);
    }

    [Fact]
    public void DimensionAboveInt32IsRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "U8", "[3000000000]", 0, 4) + "}", F32(1f)), "w", "3000000000", "at most 2147483647");
    }

    [Fact]
    public void ShapeWhoseByteCountOverflowsIsRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F64", "[2147483647,2147483647,2147483647]", 0, 4) + "}", F32(1f)), "w", "overflows");
    }

    [Fact]
    public void ShapeThatIsNotAnArrayIsRejected()
    {
        AssertInvalid(Build("{" + Entry("w", "F32", "4", 0, 4) + "}", F32(1f)), "w", "shape must be an array", "number");
    }

    [Theory]
    [InlineData("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "missing dtype")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "missing shape")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "missing data_offsets")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", "unexpected key 'extra'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "'dtype' appears more than once")]
    [InlineData("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", "dtype must be a string")]
    [InlineData("{\"w\":[1,2]}", "expected an object with dtype, shape and data_offsets")]
    public void MalformedTensorEntryIsRejected(string header, string fact)
    {
        AssertInvalid(Build(header, F32(1f)), "w", fact);
    }

    [Theory]
    [InlineData("{\"__metadata__\":{\"epoch\":3}}", "entry 'epoch' must be a string", "number")]
    [InlineData("{\"__metadata__\":[\"pt\"]}", "must be a JSON object of strings", "array")]
    [InlineData("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", "more than one entry 'k'")]
    public void MalformedMetadataIsRejected(string header, params string[] facts)
    {
        AssertInvalid(Build(header, Array.Empty<byte>()), null, facts);
    }

    [Fact]
    public void ReadMetadataValidatesTheHeaderAgainstTheFileLength()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.safetensors");
        string header = "{\"__metadata__\":{\"format\":\"pt\"}," + Entry("w", "F32", "[2]", 0, 8) + "}";
        File.WriteAllBytes(path, Build(header, F32(1f)));
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadMetadata(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("only 4 bytes", e.Message);

        File.WriteAllBytes(path, Build(header, F32(1f, 2f)));
        Assert.Equal("pt", SafeTensors.ReadMetadata(path)["format"]);
    }

    public static TheoryData<int> CutPoints() => new() { 0, 1, 7, 8, 9, 100, 0x218, 0x219, -100, -56, -4, -1 };

    /// <summary>The Python reference file cut short at points in the prefix, the header and the data (negative = from the end).</summary>
    [Theory]
    [MemberData(nameof(CutPoints))]
    public void TruncatedFilesAreRejected(int cut)
    {
        byte[] whole = File.ReadAllBytes(FixturePath("reference.safetensors"));
        Assert.Equal(0x218, (int)BitConverter.ToUInt64(whole, 0)); // the cut points below assume this header length
        int length = cut >= 0 ? cut : whole.Length + cut;
        Assert.InRange(length, 0, whole.Length - 1);
        byte[] truncated = whole.AsSpan(0, length).ToArray();

        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(truncated, "cut.safetensors"));
        Assert.Contains("cut.safetensors", e.Message);

        using var dir = new TempDirectory();
        string path = dir.File("cut.safetensors");
        File.WriteAllBytes(path, truncated);
        e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadMetadata(path));
        Assert.Contains("truncated", e.Message);
    }
}
