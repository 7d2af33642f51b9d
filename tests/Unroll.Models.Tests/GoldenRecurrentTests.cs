using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Whole generated sequence models against PyTorch (tools/reference/rnn_models.py): outputs, loss, the gradient of every
/// tensor (embedding, both directions, a state handed over between layers) and the parameters after three optimizer steps.</summary>
public class GoldenRecurrentTests
{
    private static JsonElement Case(string name) => ModelGoldens.Case("rnn_models.json", name);

    [Fact]
    public void MaskedBidirectionalLstmThenGruMatchesPyTorch()
    {
        JsonElement c = Case("bilstm_gru_bce_adam");
        var model = new GoldenBiLstmGru();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        int[] tokens = c.GetProperty("tokens").Ints();
        float[] targets = c.GetProperty("targets").Floats();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(tokens), "outputs");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(targets), "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] predicted = new float[4];
        model.Predict(tokens, predicted);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), predicted, "predicted");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(tokens, targets), $"loss of step {step + 1}");
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 Adam steps");
    }

    [Fact]
    public void StackedSimpleRnnWithStateHandoverMatchesPyTorch()
    {
        JsonElement c = Case("td_dense_stacked_simple_rnn_handover_sparse_momentum");
        var model = new GoldenStackedSimpleRnn();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = c.GetProperty("inputs").Floats();
        int[] labels = c.GetProperty("labels").Ints();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(inputs), "outputs");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(labels), "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(inputs, labels), $"loss of step {step + 1}");
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 momentum steps");
    }

    [Fact]
    public void LstmStateHandoverIntoBidirectionalGruMatchesPyTorch()
    {
        JsonElement c = Case("lstm_handover_bigru_average_mse_rmsprop");
        var model = new GoldenLstmHandoverBiGru();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = c.GetProperty("inputs").Floats();
        float[] targets = c.GetProperty("targets").Floats();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(inputs), "outputs");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(targets), "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] predicted = new float[inputs.Length / 22 * 2];
        model.Predict(inputs, predicted);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), predicted, "predicted");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(inputs, targets), $"loss of step {step + 1}");
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 RMSprop steps");
    }

    [Fact]
    public void MaskedBidirectionalSimpleRnnMergedByProductMatchesPyTorch()
    {
        JsonElement c = Case("masked_bidirectional_simple_rnn_multiply_sparse_adagrad");
        var model = new GoldenBiSimpleRnn();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        int[] tokens = c.GetProperty("tokens").Ints();
        int[] labels = c.GetProperty("labels").Ints();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(tokens), "outputs");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(labels), "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(tokens, labels), $"loss of step {step + 1}");
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 Adagrad steps");
    }
}

/// <summary>The seed notes' worked numbers for the news-title model.</summary>
public class SeedRecurrentExampleTests
{
    [Fact]
    public void NewsTitleClassifierHasTheKerasParameterCount()
    {
        Assert.Equal(343_805, NewsTitleClassifier.ParameterCount);
        var model = new NewsTitleClassifier(seed: 56);
        Assert.Equal(new[] { 336_000, 7_550, 255 }, model.Layers.Skip(1).Select(l => l.ParameterCount).ToArray());
    }

    [Fact]
    public void NewsTitleClassifierSummaryHasTheRowsOfTheKerasSummary()
    {
        string[] lines = new NewsTitleClassifier().Summary.Split('\n');
        // Keras (seed notes): embedding (Embedding) (None, None, 100) 336000 / simple_rnn (SimpleRNN) (None, 50) 7550 /
        // dense (Dense) (None, 5) 255 / Total params: 343,805.
        Assert.Contains(lines, l => Fields(l) is ["Embed", "(Embedding)", "(None,", "None,", "100)", "336000"]);
        Assert.Contains(lines, l => Fields(l) is ["Rnn", "(SimpleRNN)", "(None,", "50)", "7550"]);
        Assert.Contains(lines, l => Fields(l) is ["Output", "(Dense)", "(None,", "5)", "255"]);
        Assert.Contains(lines, l => l.StartsWith("Total params: 343805", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Trainable params: 343805", StringComparison.Ordinal));
    }

    private static string[] Fields(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
