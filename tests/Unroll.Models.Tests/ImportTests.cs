using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Loading PyTorch state_dicts (tools/reference/rnn_import.py) into generated recurrent models: PyTorch's names are mapped,
/// its two LSTM / RNN biases summed, and every file that cannot be mapped is rejected with the model unchanged.</summary>
public class ImportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "unroll-import-" + Guid.NewGuid().ToString("N"));

    public ImportTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JsonElement Case(string name) => Golden.Load("rnn_import.json").GetProperty(name);

    private static string TorchFile(string name) => Path.Combine(AppContext.BaseDirectory, "Goldens", name);

    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Fact]
    public void APyTorchEmbeddingBiLstmGruStateDictReproducesPyTorchsOutputs()
    {
        JsonElement c = Case("text");
        var model = new ImportedTextModel(seed: 1);
        model.Load(TorchFile(c.GetProperty("file").GetString()!));

        int[] tokens = c.GetProperty("tokens").Ints();
        Assert.DoesNotContain(0, tokens);
        float[] outputs = new float[tokens.Length / 7 * 3];
        model.Predict(tokens, outputs);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), outputs, "outputs after loading PyTorch's state_dict");
    }

    [Fact]
    public void APyTorchRnnStateDictReproducesPyTorchsOutputs()
    {
        JsonElement c = Case("series");
        var model = new ImportedSeriesModel(seed: 1);
        model.Load(TorchFile(c.GetProperty("file").GetString()!));

        float[] inputs = c.GetProperty("inputs").Floats();
        float[] outputs = new float[inputs.Length / (6 * 3) * 2];
        model.Predict(inputs, outputs);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), outputs, "outputs after loading PyTorch's state_dict");
    }

    [Fact]
    public void TheOneLstmBiasIsTheSumOfPyTorchsTwoAndTheGruKeepsBoth()
    {
        var file = SafeTensors.Read(TorchFile("torch_text.safetensors"));
        var model = new ImportedTextModel(seed: 1);
        model.Load(TorchFile("torch_text.safetensors"));

        float[] Sum(string a, string b) => file[a].ToFloat32().Zip(file[b].ToFloat32(), (x, y) => x + y).ToArray();
        Assert.Equal(Bits(Sum("encoder.bias_ih_l0", "encoder.bias_hh_l0")), Bits(model.Encoder["bias"]));
        Assert.Equal(Bits(Sum("encoder.bias_ih_l0_reverse", "encoder.bias_hh_l0_reverse")), Bits(model.Encoder["bias_reverse"]));
        Assert.Equal(Bits(file["encoder.weight_hh_l0_reverse"].ToFloat32()), Bits(model.Encoder["weight_hh_reverse"]));
        Assert.Equal(Bits(file["pool.bias_hh_l0"].ToFloat32()), Bits(model.Pool["bias_hh"]));
        Assert.Equal(Bits(file["embed.weight"].ToFloat32()), Bits(model.Embed.Weight));
    }

    [Fact]
    public void SaveWritesUnrollNamesAndPyTorchNamesGivesTheMapping()
    {
        var model = new ImportedTextModel(seed: 1);
        model.Load(TorchFile("torch_text.safetensors"));
        string path = Path.Combine(_directory, "saved.safetensors");
        model.Save(path);
        Assert.Equal(model.Tensors.Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal),
            SafeTensors.Read(path).Keys.OrderBy(n => n, StringComparer.Ordinal));

        var copy = new ImportedTextModel(seed: 2);
        copy.Load(path);
        Assert.Equal(Bits(model.Parameters), Bits(copy.Parameters));

        var names = ModelFile.PyTorchNames(model.Tensors);
        Assert.Equal(new[] { "encoder.bias_ih_l0", "encoder.bias_hh_l0" }, names["encoder.bias"]);
        Assert.Equal(new[] { "encoder.weight_ih_l0_reverse" }, names["encoder.weight_ih_reverse"]);
        Assert.Equal(new[] { "pool.bias_hh_l0" }, names["pool.bias_hh"]);
        Assert.False(names.ContainsKey("embed.weight"));
        Assert.False(names.ContainsKey("output.bias"));
        Assert.Equal(10, names.Count); // 4 per LSTM direction, 4 for the GRU
        // Every PyTorch key of the torch file is named by the table, or is PyTorch's name already.
        var pyTorchKeys = names.Values.SelectMany(v => v).Concat(model.Tensors.Select(t => t.FullName).Where(n => !names.ContainsKey(n)));
        Assert.Equal(Case("text").GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).OrderBy(n => n, StringComparer.Ordinal),
            pyTorchKeys.OrderBy(n => n, StringComparer.Ordinal));
    }

    /// <summary>The torch file with some tensors removed, replaced or added, written to the test's directory.</summary>
    private string Edited(string name, Func<Dictionary<string, (int[] Shape, float[] Data)>, Dictionary<string, (int[] Shape, float[] Data)>> edit)
    {
        var tensors = SafeTensors.Read(TorchFile("torch_text.safetensors"))
            .ToDictionary(p => p.Key, p => (p.Value.Shape.ToArray(), p.Value.ToFloat32()), StringComparer.Ordinal);
        string path = Path.Combine(_directory, name + ".safetensors");
        SafeTensors.Write(path, edit(tensors).Select(p => (p.Key, p.Value.Shape, (ReadOnlyMemory<float>)p.Value.Data)));
        return path;
    }

    private static ModelFileMismatchException FailsLeavingTheModelUnchanged(string path, bool allowExtraTensors = false)
    {
        var model = new ImportedTextModel(seed: 5);
        uint[] before = Bits(model.Parameters);
        var e = Assert.Throws<ModelFileMismatchException>(() => ModelFile.Load(path, model.Parameters, model.Tensors, allowExtraTensors));
        Assert.Contains(path, e.Message);
        Assert.Equal(before, Bits(model.Parameters));
        return e;
    }

    [Fact]
    public void OneOfTheTwoLstmBiasesAloneIsAnErrorNamingBoth()
    {
        string path = Edited("no_bias_hh", t => { t.Remove("encoder.bias_hh_l0"); return t; });
        var e = FailsLeavingTheModelUnchanged(path);
        Assert.Equal("tensor 'encoder.bias' is the sum of PyTorch's 'encoder.bias_ih_l0' + 'encoder.bias_hh_l0', " +
                     "but the file has 'encoder.bias_ih_l0' without 'encoder.bias_hh_l0'", Assert.Single(e.Problems));

        path = Edited("no_bias_ih_reverse", t => { t.Remove("encoder.bias_ih_l0_reverse"); return t; });
        e = FailsLeavingTheModelUnchanged(path, allowExtraTensors: true);
        Assert.Contains("the file has 'encoder.bias_hh_l0_reverse' without 'encoder.bias_ih_l0_reverse'", Assert.Single(e.Problems));
    }

    [Fact]
    public void ATensorUnderBothItsOwnAndPyTorchsNameIsAmbiguous()
    {
        string path = Edited("both", t => { t["encoder.weight_ih"] = t["encoder.weight_ih_l0"]; t["encoder.bias"] = (new[] { 20 }, new float[20]); return t; });
        var e = FailsLeavingTheModelUnchanged(path, allowExtraTensors: true);
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("tensor 'encoder.weight_ih' is in the file twice, under its own name and as PyTorch's 'encoder.weight_ih_l0'; keep one", e.Problems);
        Assert.Contains("tensor 'encoder.bias' is in the file twice, under its own name and as PyTorch's 'encoder.bias_ih_l0' + 'encoder.bias_hh_l0'; keep one", e.Problems);
    }

    [Fact]
    public void AStackedPyTorchLstmIsRejectedEvenWhenExtraTensorsAreAllowed()
    {
        string path = Edited("stacked", t =>
        {
            foreach (string suffix in new[] { "", "_reverse" })
            {
                t["encoder.weight_ih_l1" + suffix] = (new[] { 20, 10 }, new float[200]);
                t["encoder.weight_hh_l1" + suffix] = (new[] { 20, 5 }, new float[100]);
                t["encoder.bias_ih_l1" + suffix] = (new[] { 20 }, new float[20]);
                t["encoder.bias_hh_l1" + suffix] = (new[] { 20 }, new float[20]);
            }
            return t;
        });
        foreach (bool allowExtraTensors in new[] { false, true })
        {
            var e = FailsLeavingTheModelUnchanged(path, allowExtraTensors);
            string problem = Assert.Single(e.Problems);
            Assert.StartsWith("'encoder' is stacked in PyTorch (the file has 'encoder.bias_hh_l1': num_layers=2)", problem);
            Assert.Contains("Unroll declares one recurrent layer per member", problem);
        }
    }

    [Fact]
    public void WrongShapesOfPyTorchTensorsNameBothNamesAndBothShapes()
    {
        string path = Edited("shapes", t =>
        {
            t["pool.weight_hh_l0"] = (new[] { 4, 12 }, t["pool.weight_hh_l0"].Data);
            t["encoder.bias_hh_l0_reverse"] = (new[] { 10 }, new float[10]);
            t["encoder.weight_ih_l0"] = (new[] { 20, 6 }, new float[120]); // replaced with the right shape: no problem
            return t;
        });
        var e = FailsLeavingTheModelUnchanged(path);
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("tensor 'pool.weight_hh' (PyTorch's 'pool.weight_hh_l0') has shape [4, 12], expected [12, 4]", e.Problems);
        Assert.Contains("tensor 'encoder.bias_reverse' (PyTorch's 'encoder.bias_hh_l0_reverse') has shape [10], expected [20]", e.Problems);
    }

    [Fact]
    public void AMissingRecurrentTensorSaysWhichPyTorchNamesWouldDo()
    {
        string path = Edited("missing", t =>
        {
            t.Remove("encoder.weight_ih_l0");
            t.Remove("encoder.bias_ih_l0");
            t.Remove("encoder.bias_hh_l0");
            t["encoder.weight_ih_l7"] = (new[] { 20, 6 }, new float[120]); // a typo'd layer number is stacking, not the missing tensor
            return t;
        });
        var e = FailsLeavingTheModelUnchanged(path);
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains("tensor 'encoder.weight_ih' is missing (expected shape [20, 6], or PyTorch's 'encoder.weight_ih_l0')", e.Problems);
        Assert.Contains("tensor 'encoder.bias' is missing (expected shape [20], or the sum of PyTorch's 'encoder.bias_ih_l0' + 'encoder.bias_hh_l0')", e.Problems);
        Assert.Contains(e.Problems, p => p.StartsWith("'encoder' is stacked in PyTorch (the file has 'encoder.weight_ih_l7': num_layers=8)", StringComparison.Ordinal));
    }

    [Fact]
    public void APretrainedEmbeddingTableLoadsIntoTheLayerWithItsLengthChecked()
    {
        var model = new ImportedTextModel(seed: 1);
        float[] table = Enumerable.Range(0, 16 * 6).Select(i => i * 0.01f - 0.3f).ToArray();
        uint[] before = Bits(model.Parameters);

        var e = Assert.Throws<ArgumentException>(() => model.Embed.Load("weight", table.AsSpan(0, 15 * 6)));
        Assert.StartsWith("Layer 'Embed' (Embedding) tensor 'weight' has shape [16, 6] = 96 values, but 90 were given.", e.Message);
        Assert.Throws<ArgumentException>(() => model.Embed.Load("weight", table.Append(1f).ToArray()));
        Assert.Throws<KeyNotFoundException>(() => model.Embed.Load("bias", table));
        Assert.Equal(before, Bits(model.Parameters));

        model.Embed.Load("weight", table);
        Assert.Equal(Bits(table), Bits(model.Embed.Weight));
        Assert.Equal(table.Length, model.Embed.ParameterCount);

        // Frozen, as nn.Embedding.from_pretrained(freeze=True): training leaves the table as loaded.
        model.Embed.Frozen = true;
        int[] tokens = Enumerable.Range(0, 4 * 7).Select(i => 1 + i % 15).ToArray();
        float[] targets = Enumerable.Range(0, 4 * 3).Select(i => (i % 3) - 1f).ToArray();
        float[] outputBefore = model.Output.Weight.ToArray();
        model.TrainStep(tokens, targets);
        Assert.Equal(Bits(table), Bits(model.Embed.Weight));
        Assert.NotEqual(Bits(outputBefore), Bits(model.Output.Weight));
    }
}
