using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Whole generated models against PyTorch (tools/reference/mlp.py): outputs, loss, every gradient, three optimizer steps.</summary>
public class GoldenMlpTests
{
    internal static JsonElement Case(string name) => ModelGoldens.Case("mlp.json", name);

    [Fact]
    public void SoftmaxClassifierMatchesPyTorch()
    {
        JsonElement c = Case("tanh_relu_softmax_sparse_adam");
        var model = new GoldenSoftmaxMlp(seed: 99);
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = c.GetProperty("inputs").Floats();
        int[] labels = c.GetProperty("labels").Ints();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(inputs), "outputs");
        float loss = model.Backward(labels);
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), loss, "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] predicted = new float[inputs.Length / 5 * 4];
        model.Predict(inputs, predicted);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), predicted, "predicted");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(inputs, labels), $"loss of step {step + 1}");
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 Adam steps");
    }

    [Fact]
    public void RegressionMlpMatchesPyTorch()
    {
        JsonElement c = Case("elu_sigmoid_linear_mse_sgd");
        var model = new GoldenRegressionMlp(seed: 5);
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = c.GetProperty("inputs").Floats();
        float[] targets = c.GetProperty("targets").Floats();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(inputs), "outputs");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(targets), "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(inputs, targets), $"loss of step {step + 1}");
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 momentum steps");
    }
}
