using Xunit;
using static Unroll.Runtime.Tests.IO.SafeTensorsTestFiles;

namespace Unroll.Runtime.Tests.IO;

/// <summary>ModelFile.Save/Load: bit-exact round trips, and loads that fail validation leave the model untouched.</summary>
public class ModelFileTests
{
    // hidden: Dense 4 -> 3, output: Dense 3 -> 2, PReLU-like alpha: 23 parameters in all.
    private static readonly ParameterTensor[] Layout =
    {
        new("weight", "hidden.weight", 0, 3, 4),
        new("bias", "hidden.bias", 12, 3),
        new("weight", "output.weight", 15, 2, 3),
        new("bias", "output.bias", 21, 2),
    };

    private static float[] AwkwardParameters()
    {
        var rng = new SeededRandom(7);
        var p = new float[23];
        for (int i = 0; i < p.Length; i++) p[i] = (float)(rng.NextUInt64() % 2001) / 1000f - 1f;
        p[0] = float.NaN;
        p[1] = BitConverter.UInt32BitsToSingle(0x7FA00001); // signalling NaN with a payload
        p[2] = BitConverter.UInt32BitsToSingle(0xFFC00123); // negative quiet NaN with a payload
        p[3] = -0f;
        p[4] = float.Epsilon;                                // smallest subnormal
        p[5] = BitConverter.UInt32BitsToSingle(0x807FFFFF); // largest negative subnormal
        p[12] = float.PositiveInfinity;
        p[13] = float.MinValue;
        p[22] = -0f;
        return p;
    }

    private static float[] Filled(int n, float value) => Enumerable.Repeat(value, n).ToArray();

    [Fact]
    public void SaveThenLoadIsBitExact()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        float[] saved = AwkwardParameters();
        ModelFile.Save(path, saved, Layout, "TinyMlp");

        float[] loaded = Filled(23, 7f);
        ModelFile.Load(path, loaded, Layout, allowNonFinite: true); // the awkward values include NaNs and infinities
        AssertSameBits(saved, loaded, "parameters");
    }

    [Fact]
    public void NonFiniteWeightsAreRejectedUnlessAllowed()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        float[] saved = Enumerable.Range(0, 23).Select(i => i * 0.1f).ToArray();
        saved[13] = float.NaN;         // hidden.bias[1]
        saved[20] = float.NegativeInfinity; // output.weight[5]
        saved[19] = float.PositiveInfinity; // output.weight[4]
        ModelFile.Save(path, saved, Layout, "TinyMlp");

        float[] destination = Filled(23, 1f);
        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, destination, Layout));
        Assert.EndsWith("does not match the model (2 problems): tensor 'hidden.bias' holds NaN at index 1; pass allowNonFinite: true to load non-finite weights anyway; " +
            "tensor 'output.weight' holds Infinity at index 4 and 1 more non-finite values; pass allowNonFinite: true to load non-finite weights anyway.", e.Message);
        Assert.All(destination, v => Assert.Equal(1f, v));

        ModelFile.Load(path, destination, Layout, allowNonFinite: true);
        AssertSameBits(saved, destination, "parameters");
    }

    [Fact]
    public void SaveAndLoadThroughStreams()
    {
        float[] saved = Enumerable.Range(0, 23).Select(i => i * 0.5f - 3f).ToArray();
        using var stream = new MemoryStream();
        stream.WriteByte(42); // the file need not start the stream
        ModelFile.Save(stream, saved, Layout, "TinyMlp");
        using var dir = new TempDirectory();
        ModelFile.Save(dir.File("m.safetensors"), saved, Layout, "TinyMlp");
        Assert.Equal(File.ReadAllBytes(dir.File("m.safetensors")), stream.ToArray()[1..]);

        stream.Position = 1;
        float[] loaded = Filled(23, 0f);
        ModelFile.Load(stream, loaded, Layout);
        Assert.Equal(saved, loaded);

        // A stream that cannot seek (a network response) loads too.
        float[] again = Filled(23, 0f);
        ModelFile.Load(new ForwardOnlyStream(stream.ToArray()[1..]), again, Layout, sourceName: "response");
        Assert.Equal(saved, again);
        var e = Assert.Throws<SafeTensorsFormatException>(() => ModelFile.Load(new ForwardOnlyStream(stream.ToArray()[1..^4]), again, Layout, sourceName: "response"));
        Assert.StartsWith("Invalid safetensors file 'response'", e.Message);
    }

    [Fact]
    public void AHugeUnexpectedTensorFailsFromTheHeaderWithoutBeingRead()
    {
        // The header declares a 2 GB tensor; the file holds only its first bytes. The mismatch is found from the header alone:
        // reading the tensor would fail as truncated instead, and allocate 2 GB first.
        using var dir = new TempDirectory();
        string path = dir.File("huge.safetensors");
        const long Huge = 512L * 1024 * 1024; // floats: 2 GB
        string json = "{\"hidden.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},\"junk\":{\"dtype\":\"F32\",\"shape\":[" + Huge
            + "],\"data_offsets\":[48," + (48 + 4 * Huge) + "]}}";
        byte[] header = System.Text.Encoding.UTF8.GetBytes(json);
        using (var f = File.Create(path))
        {
            f.Write(BitConverter.GetBytes((ulong)header.Length));
            f.Write(header);
            f.SetLength(8 + header.Length + 48 + 4 * Huge); // sparse: the declared length, no data written
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, new float[23], Layout));
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 50_000_000, "the load read the unexpected tensor");
        Assert.Contains($"unexpected tensor 'junk' (F32, shape [{Huge}]) that the model does not have", e.Message);
        Assert.Contains("tensor 'hidden.bias' is missing", e.Message);
    }

    [Fact]
    public void AMessageListsAFewProblemsAndCountsTheRest()
    {
        using var dir = new TempDirectory();
        string path = dir.File("many.safetensors");
        var items = Layout.Select(t => (t.FullName, t.Shape.ToArray(), (ReadOnlyMemory<float>)new float[t.Length])).ToList();
        for (int i = 0; i < 5000; i++) items.Add(("extra_" + new string('x', 200) + i, new[] { 1 }, new float[1]));
        SafeTensors.Write(path, items);
        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, new float[23], Layout));
        Assert.Equal(5000, e.ProblemCount);
        Assert.Equal(ModelFileMismatchException.MaxListed, e.Problems.Count);
        Assert.EndsWith("; and 4992 more.", e.Message);
        Assert.True(e.Message.Length < 3000, $"the message has {e.Message.Length} characters");
        Assert.Matches(@"extra_x{94}… \(20\d characters\)", e.Message); // long names are cut
    }

    [Fact]
    public void SaveWritesAStateDictWithShapesAndMetadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, AwkwardParameters(), Layout, "TinyMlp");

        var tensors = SafeTensors.Read(path);
        Assert.Equal(new[] { "hidden.bias", "hidden.weight", "output.bias", "output.weight" }, tensors.Keys.ToArray());
        Assert.Equal(new[] { 3, 4 }, tensors["hidden.weight"].Shape);
        Assert.Equal(new[] { 2 }, tensors["output.bias"].Shape);
        Assert.All(tensors.Values, t => Assert.Equal("F32", t.DType));
        var metadata = SafeTensors.ReadMetadata(path);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("Unroll", metadata["producer"]);
        Assert.Equal("TinyMlp", metadata["model"]);
        Assert.Equal(3, metadata.Count);
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
    }

    private static (string Path, float[] Destination, float[] Before) SavedFileAndDestination(TempDirectory dir)
    {
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, Filled(23, 0.5f), Layout, "TinyMlp");
        float[] destination = AwkwardParameters();
        return (path, destination, (float[])destination.Clone());
    }

    [Fact]
    public void WrongShapeThrowsAndLeavesParametersUnchanged()
    {
        using var dir = new TempDirectory();
        var (path, destination, before) = SavedFileAndDestination(dir);
        ParameterTensor[] transposed = Layout.ToArray();
        transposed[0] = new ParameterTensor("weight", "hidden.weight", 0, 4, 3); // same length, other shape

        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, destination, transposed));
        Assert.Contains("'hidden.weight' has shape [3, 4], expected [4, 3]", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Single(e.Problems);
        AssertSameBits(before, destination, "parameters after a failed load");
    }

    [Fact]
    public void MissingTensorThrowsAndLeavesParametersUnchanged()
    {
        using var dir = new TempDirectory();
        var (path, _, _) = SavedFileAndDestination(dir);
        ParameterTensor[] withAlpha = Layout.Append(new ParameterTensor("alpha", "act.alpha", 23, 1)).ToArray();
        float[] destination = AwkwardParameters().Append(9f).ToArray();
        float[] before = (float[])destination.Clone();

        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, destination, withAlpha));
        Assert.Contains("'act.alpha' is missing (expected shape [1])", e.Message);
        AssertSameBits(before, destination, "parameters after a failed load");
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        SafeTensors.Write(path, new (string, int[], ReadOnlyMemory<float>)[]
        {
            ("hidden.weight", new[] { 12 }, new float[12]),
            ("hidden.bias", new[] { 3 }, new float[3]),
            ("output.weight", new[] { 2, 3 }, new float[6]),
            ("stray", new[] { 1 }, new float[1]),
        });
        float[] destination = AwkwardParameters(), before = (float[])destination.Clone();

        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, destination, Layout));
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains("'hidden.weight' has shape [12], expected [3, 4]", e.Message);
        Assert.Contains("'output.bias' is missing (expected shape [2])", e.Message);
        Assert.Contains("unexpected tensor 'stray' (F32, shape [1])", e.Message);
        AssertSameBits(before, destination, "parameters after a failed load");
    }

    [Fact]
    public void ExtraTensorsAreRejectedUnlessAllowed()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        float[] saved = AwkwardParameters();
        ParameterTensor[] withExtra = Layout.Append(new ParameterTensor("alpha", "act.alpha", 23, 1)).ToArray();
        ModelFile.Save(path, saved.Append(3f).ToArray(), withExtra, "Bigger");

        float[] destination = Filled(23, 1f);
        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, destination, Layout));
        Assert.Contains("unexpected tensor 'act.alpha'", e.Message);
        Assert.All(destination, v => Assert.Equal(1f, v));

        ModelFile.Load(path, destination, Layout, allowExtraTensors: true, allowNonFinite: true);
        AssertSameBits(saved, destination, "parameters");
    }

    [Fact]
    public void IntegerTensorIsRejectedNamingTheDtype()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        string header = "{\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        File.WriteAllBytes(path, Build(header, new byte[8]));
        float[] destination = { 5f, 6f };

        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, destination, new[] { new ParameterTensor("bias", "b", 0, 2) }));
        Assert.Contains("'b' has dtype I32", e.Message);
        Assert.Equal(new[] { 5f, 6f }, destination);
    }

    [Fact]
    public void HalfPrecisionFilesLoadByWidening()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        string header = "{\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        File.WriteAllBytes(path, Build(header, new byte[] { 0x00, 0x3C, 0x00, 0xC2 })); // 1.0, -3.0
        float[] destination = new float[3];
        ModelFile.Load(path, destination, new[] { new ParameterTensor("bias", "b", 1, 2) });
        Assert.Equal(new[] { 0f, 1f, -3f }, destination);
    }

    [Fact]
    public void CorruptFileThrowsFormatErrorAndLeavesParametersUnchanged()
    {
        using var dir = new TempDirectory();
        var (path, destination, before) = SavedFileAndDestination(dir);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole.AsSpan(0, whole.Length - 3).ToArray());

        var e = Assert.Throws<SafeTensorsFormatException>(() => ModelFile.Load(path, destination, Layout));
        Assert.Contains("truncated", e.Message);
        AssertSameBits(before, destination, "parameters after a failed load");
    }

    [Fact]
    public void LayoutOutsideTheSpanOrWithDuplicateNamesIsAnArgumentError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        var e = Assert.Throws<ArgumentException>(() => ModelFile.Save(path, new float[22], Layout, "TooSmall"));
        Assert.Contains("'output.bias' covers parameters [21, 23) but the span has 22 values", e.Message);
        Assert.Empty(dir.Entries());

        ParameterTensor[] duplicated = { Layout[0], new("weight", "hidden.weight", 12, 3) };
        e = Assert.Throws<ArgumentException>(() => ModelFile.Save(path, new float[23], duplicated, "Dup"));
        Assert.Contains("'hidden.weight'", e.Message);
        Assert.Empty(dir.Entries());

        ModelFile.Save(path, new float[23], Layout, "Ok");
        Assert.Throws<ArgumentException>(() => ModelFile.Load(path, new float[22], Layout));
    }

    [Fact]
    public void FailedSaveKeepsThePreviousFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, AwkwardParameters(), Layout, "TinyMlp");
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => ModelFile.Save(path, new float[5], Layout, "TinyMlp"));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "m.safetensors" }, dir.Entries());
    }
    // A SimpleRnn "rnn" (2 units, 3 inputs) and a Dense "out" (2 units): PyTorch names only apply to the recurrent layer.
    private static readonly ParameterTensor[] RecurrentLayout =
    {
        new("weight_ih", "rnn.weight_ih", 0, 2, 3),
        new("weight_hh", "rnn.weight_hh", 6, 2, 2),
        new("bias", "rnn.bias", 10, 2),
        new("weight", "out.weight", 12, 2, 2),
        new("bias", "out.bias", 16, 2),
    };

    [Fact]
    public void PyTorchRecurrentNamesLoadWithTheTwoBiasesSummedButOnlyForRecurrentLayers()
    {
        using var dir = new TempDirectory();
        string path = dir.File("torch.safetensors");
        var file = new (string, int[], ReadOnlyMemory<float>)[]
        {
            ("rnn.weight_ih_l0", new[] { 2, 3 }, new[] { 1f, 2, 3, 4, 5, 6 }),
            ("rnn.weight_hh_l0", new[] { 2, 2 }, new[] { 7f, 8, 9, 10 }),
            ("rnn.bias_ih_l0", new[] { 2 }, new[] { 0.5f, -1f }),
            ("rnn.bias_hh_l0", new[] { 2 }, new[] { 0.25f, 3f }),
            ("out.weight", new[] { 2, 2 }, new[] { 11f, 12, 13, 14 }),
            ("out.bias", new[] { 2 }, new[] { 15f, 16 }),
        };
        SafeTensors.Write(path, file);
        float[] destination = Filled(18, 9f);
        ModelFile.Load(path, destination, RecurrentLayout);
        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.75f, 2f, 11, 12, 13, 14, 15, 16 }, destination);
        Assert.Equal(new[] { "rnn.weight_ih", "rnn.weight_hh", "rnn.bias" }, ModelFile.PyTorchNames(RecurrentLayout).Keys);

        // A Dense layer's bias is never taken from PyTorch's recurrent names.
        file[5] = ("out.bias_ih_l0", new[] { 2 }, new[] { 15f, 16 });
        SafeTensors.Write(path, file);
        float[] before = (float[])destination.Clone();
        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, destination, RecurrentLayout));
        Assert.Equal(new[] { "tensor 'out.bias' is missing (expected shape [2])", "unexpected tensor 'out.bias_ih_l0' (F32, shape [2]) that the model does not have" },
            e.Problems);
        AssertSameBits(before, destination, "parameters after a failed load");
    }
}

/// <summary>A read-only stream that cannot seek, as a network response.</summary>
internal sealed class ForwardOnlyStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
