using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Generated Save/Load: PyTorch-compatible safetensors, bit-exact round trips, and nothing lost on a bad file.</summary>
public class SaveLoadTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "unroll-saveload-" + Guid.NewGuid().ToString("N"));

    public SaveLoadTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static GoldenSoftmaxMlp Trained(ulong seed)
    {
        var model = new GoldenSoftmaxMlp(seed);
        var r = new SeededRandom(seed + 100);
        float[] inputs = Enumerable.Range(0, 8 * 5).Select(_ => r.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, 8).Select(i => i % 4).ToArray();
        for (int i = 0; i < 3; i++) model.TrainStep(inputs, labels);
        return model;
    }

    private static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Fact]
    public void AFileWrittenFromPyTorchTensorsReproducesPyTorchsOutputs()
    {
        JsonElement c = GoldenMlpTests.Case("tanh_relu_softmax_sparse_adam");
        float[] inputs = c.GetProperty("inputs").Floats();
        float[] expected = c.GetProperty("outputs").Floats();

        var model = new GoldenSoftmaxMlp(seed: 3);
        model.Load(Path.Combine(AppContext.BaseDirectory, "Goldens", "torch_mlp.safetensors"));
        float[] outputs = new float[expected.Length];
        model.Predict(inputs, outputs);
        Golden.AssertClose(expected, outputs, "outputs after loading PyTorch's weights");
    }

    [Fact]
    public void SaveThenLoadIsBitExact()
    {
        GoldenSoftmaxMlp original = Trained(1);
        string path = Path.Combine(_directory, "model.safetensors");
        original.Save(path);

        var copy = new GoldenSoftmaxMlp(seed: 2);
        Assert.NotEqual(Bits(original.Parameters), Bits(copy.Parameters));
        copy.Load(path);
        Assert.Equal(Bits(original.Parameters), Bits(copy.Parameters));

        float[] inputs = Enumerable.Range(0, 10).Select(i => i * 0.1f).ToArray();
        float[] a = new float[8], b = new float[8];
        original.Predict(inputs, a);
        copy.Predict(inputs, b);
        Assert.Equal(Bits(a), Bits(b));
        Assert.Equal(new[] { "hidden1.bias", "hidden1.weight", "hidden2.bias", "hidden2.weight", "output.bias", "output.weight" },
            SafeTensors.Read(path).Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void TruncatedOrCorruptedFilesThrowAndLeaveTheModelUnchanged()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        Trained(1).Save(path);
        byte[] bytes = File.ReadAllBytes(path);

        var model = Trained(2);
        uint[] before = Bits(model.Parameters);

        string truncated = Path.Combine(_directory, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 7)]);
        var truncatedError = Assert.ThrowsAny<IOException>(() => model.Load(truncated));
        Assert.Contains("truncated.safetensors", truncatedError.Message);
        Assert.Equal(before, Bits(model.Parameters));

        string corrupted = Path.Combine(_directory, "corrupted.safetensors");
        byte[] bad = (byte[])bytes.Clone();
        bad[10] = (byte)'#'; // inside the JSON header
        File.WriteAllBytes(corrupted, bad);
        Assert.ThrowsAny<IOException>(() => model.Load(corrupted));
        Assert.Equal(before, Bits(model.Parameters));
    }

    [Fact]
    public void AFileOfAnotherModelIsRejectedWithTheMismatchNamed()
    {
        string path = Path.Combine(_directory, "regression.safetensors");
        new GoldenRegressionMlp(seed: 1).Save(path);
        var model = new GoldenSoftmaxMlp(seed: 1);
        uint[] before = Bits(model.Parameters);
        var ex = Assert.ThrowsAny<IOException>(() => model.Load(path));
        Assert.Contains("hidden1.weight", ex.Message);
        Assert.Contains("7", ex.Message);
        Assert.Equal(before, Bits(model.Parameters));
    }
}
