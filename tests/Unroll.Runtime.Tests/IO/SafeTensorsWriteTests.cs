using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Xunit;
using static Unroll.Runtime.Tests.IO.SafeTensorsTestFiles;

namespace Unroll.Runtime.Tests.IO;

/// <summary>Writer layout (order, padding, metadata) and crash safety: failed writes leave nothing behind.</summary>
public class SafeTensorsWriteTests
{
    private static (string Name, int[] Shape, ReadOnlyMemory<float> Data) T(string name, int[] shape, params float[] data) => (name, shape, data);

    private static (string Header, byte[] File) WriteAndReadBack(TempDirectory dir, IReadOnlyDictionary<string, string>? metadata,
        params (string Name, int[] Shape, ReadOnlyMemory<float> Data)[] tensors)
    {
        string path = dir.File("t.safetensors");
        SafeTensors.Write(path, tensors, metadata);
        byte[] file = File.ReadAllBytes(path);
        int n = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        return (Encoding.UTF8.GetString(file, 8, n), file);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void HeaderIsSpacePaddedToAMultipleOfEightBytes(int nameLength)
    {
        using var dir = new TempDirectory();
        (string header, byte[] file) = WriteAndReadBack(dir, null, T(new string('x', nameLength), new[] { 1 }, 1f));
        Assert.Equal(0, header.Length % 8);
        string json = header.TrimEnd(' ');
        Assert.True(header.Length - json.Length < 8, $"{header.Length - json.Length} padding bytes");
        Assert.EndsWith("}}", json);
        Assert.Equal($"{{\"{new string('x', nameLength)}\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}}}", json);
        Assert.Equal(8 + header.Length + 4, file.Length);
        Assert.Equal(F32(1f), file[^4..]);
    }

    [Fact]
    public void TensorsAreWrittenSortedByNameWithContiguousOffsets()
    {
        using var dir = new TempDirectory();
        (string header, byte[] file) = WriteAndReadBack(dir, null,
            T("output.weight", new[] { 1, 2 }, 5f, 6f), T("Hidden.b", new[] { 1 }, 1f), T("hidden.weight", new[] { 2 }, 3f, 4f), T("hidden.bias", new[] { 1 }, 2f));
        using JsonDocument doc = JsonDocument.Parse(header);
        string[] order = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(new[] { "Hidden.b", "hidden.bias", "hidden.weight", "output.weight" }, order); // ordinal: 'H' < 'h'
        long[][] offsets = doc.RootElement.EnumerateObject()
            .Select(p => p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray();
        Assert.Equal(new long[] { 0, 4 }, offsets[0]);
        Assert.Equal(new long[] { 4, 8 }, offsets[1]);
        Assert.Equal(new long[] { 8, 16 }, offsets[2]);
        Assert.Equal(new long[] { 16, 24 }, offsets[3]);
        Assert.Equal(F32(1f, 2f, 3f, 4f, 5f, 6f), file[^24..]);
    }

    [Fact]
    public void MetadataComesFirstWithSortedKeysAndReadsBack()
    {
        using var dir = new TempDirectory();
        var metadata = new Dictionary<string, string> { ["zeta"] = "1", ["alpha"] = "q\"uote", ["mid"] = "\u00e9" };
        (string header, _) = WriteAndReadBack(dir, metadata, T("w", new[] { 1 }, 1f));
        Assert.StartsWith("{\"__metadata__\":{\"alpha\":\"q\\\"uote\",\"mid\":\"\u00e9\",\"zeta\":\"1\"},\"w\":", header);
        var back = SafeTensors.ReadMetadata(dir.File("t.safetensors"));
        Assert.Equal(3, back.Count);
        Assert.Equal("q\"uote", back["alpha"]);
        Assert.Equal("\u00e9", back["mid"]);
    }

    [Fact]
    public void NullMetadataOmitsTheKeyAndEmptyMetadataWritesAnEmptyObject()
    {
        using var dir = new TempDirectory();
        (string withoutMetadata, _) = WriteAndReadBack(dir, null, T("w", new[] { 1 }, 1f));
        Assert.DoesNotContain("__metadata__", withoutMetadata);
        Assert.Empty(SafeTensors.ReadMetadata(dir.File("t.safetensors")));
        (string empty, _) = WriteAndReadBack(dir, new Dictionary<string, string>(), T("w", new[] { 1 }, 1f));
        Assert.StartsWith("{\"__metadata__\":{},\"w\":", empty);
    }

    [Fact]
    public void NoTensorsGivesTheLibrarysEmptyFile()
    {
        // safetensors/src/tensor.rs test_empty: serialize(&{}, &None) == 8,0,0,0,0,0,0,0,'{','}',6 spaces.
        using var dir = new TempDirectory();
        (_, byte[] file) = WriteAndReadBack(dir, null);
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }, file);
        Assert.Empty(SafeTensors.Read(dir.File("t.safetensors")));
    }

    [Fact]
    public void MatchesTheRustLibrarysSerializationTestBytes()
    {
        // safetensors/src/tensor.rs test_serialization: "attn.0", F32, shape [1,2,3], values 0..5.
        using var dir = new TempDirectory();
        (_, byte[] file) = WriteAndReadBack(dir, null, T("attn.0", new[] { 1, 2, 3 }, 0f, 1f, 2f, 3f, 4f, 5f));
        byte[] expected =
        {
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
        };
        Assert.Equal(expected, file);
    }

    [Fact]
    public void WritingOverAnExistingFileReplacesItAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        File.WriteAllText(path, "old contents");
        SafeTensors.Write(path, new[] { T("w", new[] { 2 }, 1f, 2f) });
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
        Assert.Equal(new[] { 1f, 2f }, SafeTensors.Read(path)["w"].ToFloat32());
    }

    [Fact]
    public void MissingTargetDirectoryThrowsAndCreatesNothing()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "missing", "m.safetensors");
        Assert.Throws<DirectoryNotFoundException>(() => SafeTensors.Write(path, new[] { T("w", new[] { 1 }, 1f) }));
        Assert.Empty(dir.Entries());
    }

    public static TheoryData<string, string> InvalidTensorLists() => new()
    {
        { "duplicate", "'w' appears more than once" },
        { "shape", "shape [2, 2] (4 values) but 3 values" },
        { "negative", "dimensions must be non-negative" },
        { "reserved", "'__metadata__'" },
        { "surrogate", "lone surrogate" },
    };

    private static (string, int[], ReadOnlyMemory<float>)[] InvalidList(string kind) => kind switch
    {
        "duplicate" => new[] { T("w", new[] { 1 }, 1f), T("v", new[] { 1 }, 2f), T("w", new[] { 1 }, 3f) },
        "shape" => new[] { T("v", new[] { 1 }, 2f), T("w", new[] { 2, 2 }, 1f, 2f, 3f) },
        "negative" => new[] { T("w", new[] { 2, -1 }) },
        "reserved" => new[] { T("__metadata__", new[] { 1 }, 1f) },
        "surrogate" => new[] { T("w\ud800", new[] { 1 }, 1f) },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(InvalidTensorLists))]
    public void InvalidTensorListThrowsAndLeavesTheExistingFileIntact(string kind, string fact)
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        SafeTensors.Write(path, new[] { T("kept", new[] { 1 }, 42f) });
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, InvalidList(kind)));
        Assert.Contains(fact, e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());

        File.Delete(path);
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, InvalidList(kind)));
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void FailureAfterTheTemporaryFileIsWrittenDeletesIt()
    {
        // The target is a non-empty directory, so the final move fails after the temporary file is complete.
        using var dir = new TempDirectory();
        string target = dir.File("m.safetensors");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "keep");

        Exception e = Record.Exception(() => SafeTensors.Write(target, new[] { T("w", new[] { 1 }, 1f) }));
        Assert.True(e is IOException or UnauthorizedAccessException, $"unexpected {e?.GetType().Name}: {e?.Message}");
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
        Assert.Equal("keep", File.ReadAllText(Path.Combine(target, "keep.txt")));
    }

    /// <summary>Memory whose contents cannot be read: the write fails halfway through the data, like a full disk.</summary>
    private sealed class UnreadableMemory : System.Buffers.MemoryManager<float>
    {
        public Memory<float> Create(int length) => CreateMemory(length);
        public override Span<float> GetSpan() => throw new IOException("simulated failure while writing tensor data");
        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("This test memory cannot be pinned.");
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }

    [Fact]
    public void FailureWhileWritingDataKeepsTheExistingFileAndDeletesTheTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        SafeTensors.Write(path, new[] { T("kept", new[] { 1 }, 42f) });
        byte[] before = File.ReadAllBytes(path);

        var tensors = new[] { T("a", new[] { 2 }, 1f, 2f), ("b", new[] { 3 }, (ReadOnlyMemory<float>)new UnreadableMemory().Create(3)) };
        var e = Assert.Throws<IOException>(() => SafeTensors.Write(path, tensors));
        Assert.Contains("simulated failure", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
    }

    [Fact]
    public void TensorSequenceThatThrowsWritesNothing()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        File.WriteAllText(path, "original");
        static IEnumerable<(string, int[], ReadOnlyMemory<float>)> Failing()
        {
            yield return T("a", new[] { 1 }, 1f);
            throw new InvalidOperationException("source failed");
        }
        Assert.Throws<InvalidOperationException>(() => SafeTensors.Write(path, Failing()));
        Assert.Equal("original", File.ReadAllText(path));
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
    }
}
