using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Whole generated models against PyTorch (tools/reference/mlp.py): outputs, loss, every gradient, three optimizer steps.</summary>
public class GoldenMlpTests
{
    private const double Abs = 1e-5, Rel = 1e-4;

    private static JsonElement Case(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Goldens", "mlp.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - (double)expected[i]);
            Assert.True(diff <= Abs + Rel * Math.Abs(expected[i]), $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private static void SetParameters(IReadOnlyList<ParameterTensor> tensors, Span<float> parameters, JsonElement values)
    {
        foreach (ParameterTensor t in tensors)
            Floats(values.GetProperty(t.FullName)).CopyTo(parameters.Slice(t.Offset, t.Length));
    }

    private static void AssertTensors(IReadOnlyList<ParameterTensor> tensors, ReadOnlySpan<float> actual, JsonElement expected, string what)
    {
        int seen = 0;
        foreach (JsonProperty p in expected.EnumerateObject())
        {
            ParameterTensor t = tensors.Single(x => x.FullName == p.Name);
            AssertClose(Floats(p.Value), actual.Slice(t.Offset, t.Length), what + " " + p.Name);
            seen++;
        }
        Assert.Equal(tensors.Count, seen);
    }

    [Fact]
    public void SoftmaxClassifierMatchesPyTorch()
    {
        JsonElement c = Case("tanh_relu_softmax_sparse_adam");
        var model = new GoldenSoftmaxMlp(seed: 99);
        SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = Floats(c.GetProperty("inputs"));
        int[] labels = c.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();

        AssertClose(Floats(c.GetProperty("outputs")), model.Forward(inputs), "outputs");
        float loss = model.Backward(labels);
        AssertClose(new[] { c.GetProperty("loss").GetSingle() }, new[] { loss }, "loss");
        AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] predicted = new float[inputs.Length / 5 * 4];
        model.Predict(inputs, predicted);
        AssertClose(Floats(c.GetProperty("outputs")), predicted, "predicted");

        float[] stepLosses = Floats(c.GetProperty("step_losses"));
        for (int step = 0; step < stepLosses.Length; step++)
            AssertClose(new[] { stepLosses[step] }, new[] { model.TrainStep(inputs, labels) }, $"loss of step {step + 1}");
        AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 Adam steps");
    }

    [Fact]
    public void RegressionMlpMatchesPyTorch()
    {
        JsonElement c = Case("elu_sigmoid_linear_mse_sgd");
        var model = new GoldenRegressionMlp(seed: 5);
        SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = Floats(c.GetProperty("inputs"));
        float[] targets = Floats(c.GetProperty("targets"));

        AssertClose(Floats(c.GetProperty("outputs")), model.Forward(inputs), "outputs");
        AssertClose(new[] { c.GetProperty("loss").GetSingle() }, new[] { model.Backward(targets) }, "loss");
        AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] stepLosses = Floats(c.GetProperty("step_losses"));
        for (int step = 0; step < stepLosses.Length; step++)
            AssertClose(new[] { stepLosses[step] }, new[] { model.TrainStep(inputs, targets) }, $"loss of step {step + 1}");
        AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 momentum steps");
    }
}
