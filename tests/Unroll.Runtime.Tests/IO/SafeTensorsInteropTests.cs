using System.Security.Cryptography;
using System.Text.Json;
using Xunit;
using static Unroll.Runtime.Tests.IO.SafeTensorsTestFiles;

namespace Unroll.Runtime.Tests.IO;

/// <summary>
/// Interoperability with PyTorch through the fixtures of tools/reference/safetensors_interop.py:
/// our writer's bytes equal the reference layout, torch-written files read back as the JSON dump says,
/// and the committed C#-written file is the one the script verified with torch.
/// </summary>
public class SafeTensorsInteropTests
{
    private static (List<(string Name, int[] Shape, ReadOnlyMemory<float> Data)> Tensors, Dictionary<string, string> Metadata) ReferenceSet()
    {
        JsonElement doc = FixtureJson("reference.json");
        var tensors = new List<(string, int[], ReadOnlyMemory<float>)>();
        foreach (JsonElement t in doc.GetProperty("tensors").EnumerateArray())
        {
            float[] values = t.GetProperty("bits").EnumerateArray().Select(b => BitConverter.UInt32BitsToSingle(b.GetUInt32())).ToArray();
            tensors.Add((t.GetProperty("name").GetString()!, t.GetProperty("shape").Ints(), values));
        }
        var metadata = doc.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return (tensors, metadata);
    }

    [Theory]
    [InlineData("reference.safetensors", true)]
    [InlineData("reference_nometa.safetensors", false)]
    public void WriteIsByteIdenticalToThePythonReference(string fixture, bool withMetadata)
    {
        var (tensors, metadata) = ReferenceSet();
        using var dir = new TempDirectory();
        string path = dir.File("ours.safetensors");
        SafeTensors.Write(path, tensors, withMetadata ? metadata : null);

        byte[] ours = File.ReadAllBytes(path), reference = File.ReadAllBytes(FixturePath(fixture));
        long at = FirstDifference(ours, reference);
        Assert.True(at < 0, $"our bytes differ from {fixture} at byte {at} (ours {ours.Length} bytes, reference {reference.Length})");
    }

    [Fact]
    public void ReadsThePythonReferenceBitExact()
    {
        var (tensors, metadata) = ReferenceSet();
        string path = FixturePath("reference.safetensors");
        var read = SafeTensors.Read(path);
        Assert.Equal(tensors.Count, read.Count);
        foreach (var (name, shape, data) in tensors)
        {
            SafeTensor t = read[name];
            Assert.Equal("F32", t.DType);
            Assert.Equal(shape, t.Shape);
            AssertSameBits(data.Span, t.ToFloat32(), name);
        }
        Assert.Equal(metadata, SafeTensors.ReadMetadata(path));
        Assert.Empty(SafeTensors.ReadMetadata(FixturePath("reference_nometa.safetensors")));
    }

    [Fact]
    public void TorchWrittenFileReadsBackEqualToItsJsonDump()
    {
        JsonElement doc = FixtureJson("torch_written.json");
        string path = FixturePath("torch_written.safetensors");
        var read = SafeTensors.Read(path);
        var expectedNames = doc.GetProperty("tensors").EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(expectedNames, read.Keys.OrderBy(n => n, StringComparer.Ordinal));
        foreach (JsonProperty p in doc.GetProperty("tensors").EnumerateObject())
        {
            SafeTensor t = read[p.Name];
            Assert.Equal(p.Value.GetProperty("dtype").GetString(), t.DType);
            Assert.Equal(p.Value.GetProperty("shape").Ints(), t.Shape);
            // JSON holds every value exactly as a double; F32/F16/BF16 widen exactly, F64 rounds like (float).
            float[] expected = p.Value.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            AssertSameBits(expected, t.ToFloat32(), p.Name);
        }
        Assert.Equal("pt", SafeTensors.ReadMetadata(path)["format"]);
        Assert.Contains(read.Values, t => t.DType == "F64");
        Assert.Contains(read.Values, t => t.DType == "F16");
    }

    private static readonly ParameterTensor[] MlpLayout =
    {
        new("weight", "hidden.weight", 0, 3, 4),
        new("bias", "hidden.bias", 12, 3),
        new("weight", "output.weight", 15, 2, 3),
        new("bias", "output.bias", 21, 2),
    };

    private static float[] MlpParameters()
    {
        JsonElement tensors = FixtureJson("torch_written.json").GetProperty("tensors");
        var parameters = new float[23];
        foreach (ParameterTensor t in MlpLayout)
            tensors.GetProperty(t.FullName).GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray().CopyTo(parameters, t.Offset);
        return parameters;
    }

    [Fact]
    public void ModelFileLoadsTheTorchStateDict()
    {
        string path = FixturePath("torch_written.safetensors");
        var parameters = new float[23];
        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, parameters, MlpLayout));
        Assert.Contains("unexpected tensor 'extra.f64' (F64, shape [2, 3])", e.Message);
        Assert.Contains("unexpected tensor 'extra.f16'", e.Message);
        Assert.All(parameters, v => Assert.Equal(0f, v));

        ModelFile.Load(path, parameters, MlpLayout, allowExtraTensors: true);
        AssertSameBits(MlpParameters(), parameters, "parameters");
    }

    /// <summary>
    /// The C# side of the interop round trip: ModelFile.Save of the torch MLP weights plus the awkward values
    /// must equal the committed unroll_written.safetensors, which tools/reference/safetensors_interop.py loads
    /// with torch. When the writer changes on purpose, this test writes the new file next to the fixture as
    /// unroll_written.received.safetensors; accept it with
    /// <c>mv tests/Unroll.Runtime.Tests/Goldens/safetensors/unroll_written{.received,}.safetensors &amp;&amp; /usr/bin/python3 tools/reference/safetensors_interop.py</c>.
    /// </summary>
    [Fact]
    public void UnrollWrittenFixtureMatchesModelFileSave()
    {
        var (reference, _) = ReferenceSet();
        var special = reference.Single(t => t.Name == "special.values");
        ParameterTensor[] layout = MlpLayout.Append(new ParameterTensor("values", "special.values", 23, special.Shape)).ToArray();
        float[] parameters = MlpParameters().Concat(special.Data.ToArray()).ToArray();

        using var dir = new TempDirectory();
        string path = dir.File("unroll_written.safetensors");
        ModelFile.Save(path, parameters, layout, "TinyMlp");
        byte[] ours = File.ReadAllBytes(path);

        string committed = FixturePath("unroll_written.safetensors");
        byte[]? fixture = File.Exists(committed) ? File.ReadAllBytes(committed) : null;
        if (fixture is not null && FirstDifference(ours, fixture) < 0)
            return;
        string received = Path.Combine(Directory.Exists(SourceFixtureFolder()) ? SourceFixtureFolder() : dir.Path, "unroll_written.received.safetensors");
        File.WriteAllBytes(received, ours);
        Assert.Fail(fixture is null
            ? $"unroll_written.safetensors is not committed; wrote {received}. Review, rename it to unroll_written.safetensors and run /usr/bin/python3 tools/reference/safetensors_interop.py."
            : $"ModelFile.Save output differs from unroll_written.safetensors at byte {FirstDifference(ours, fixture)}; wrote {received}.");
    }

    [Fact]
    public void TheTorchCheckCoversTheCommittedUnrollWrittenFile()
    {
        string report = File.ReadAllText(FixturePath("interop_check.txt"));
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(FixturePath("unroll_written.safetensors"))));
        Assert.Contains($"sha256 {sha}", report);
        foreach (string name in new[] { "hidden.weight", "hidden.bias", "output.weight", "output.bias", "special.values" })
            Assert.Contains($"OK {name} float32", report);
        Assert.Contains("forward identical", report);
        Assert.EndsWith("\nOK\n", report.ReplaceLineEndings("\n"));
    }
}
