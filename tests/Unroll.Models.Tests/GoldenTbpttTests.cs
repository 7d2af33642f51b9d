using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Sequence outputs (a loss at every step, padding left out) and truncated backpropagation through time against PyTorch
/// (tools/reference/rnn_models.py, tbptt.json): the full-sequence outputs, loss and gradients, then two training steps whose windows
/// each update the weights while the state carries over without gradient.</summary>
public class GoldenTbpttTests
{
    private static JsonElement Case(string name) => ModelGoldens.Case("tbptt.json", name);

    [Fact]
    public void LstmWithAClassPerStepMatchesPyTorchWithAndWithoutTruncation()
    {
        JsonElement c = Case("tbptt_lstm_sparse_adam");
        var model = new GoldenTbpttLstm();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = c.GetProperty("inputs").Floats();
        int[] labels = c.GetProperty("labels").Ints();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(inputs), "outputs (B, steps, classes)");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(labels), "loss over every step");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");
        float[] predicted = new float[3 * 12 * 3];
        model.Predict(inputs, predicted);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), predicted, "predicted");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(inputs, labels), $"mean window loss of training step {step + 1}");
        Assert.Equal(2 * 3, model.Iterations); // windows [0, 5), [5, 10), [10, 12): three updates per step
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 2 truncated-BPTT steps");
    }

    [Fact]
    public void MaskedGruWithATargetPerStepMatchesPyTorchWithAndWithoutTruncation()
    {
        JsonElement c = Case("tbptt_masked_gru_bce_rmsprop");
        var model = new GoldenTbpttMaskedGru();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        int[] tokens = c.GetProperty("tokens").Ints();
        float[] targets = c.GetProperty("targets").Floats();

        // Forward returns every step, padded ones included (they hold the dense layer's output of a zero state).
        float[] outputs = model.Forward(tokens).ToArray();
        float[] expected = c.GetProperty("outputs").Floats();
        for (int i = 0; i < tokens.Length; i++)
            if (tokens[i] != 0) Golden.AssertClose(expected[i], outputs[i], $"output of sample {i / 10}, step {i % 10}");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(targets), "loss over the steps that are not padding");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(tokens, targets), $"mean window loss of training step {step + 1}");
        Assert.Equal(2 * 3, model.Iterations);
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 2 truncated-BPTT steps");
    }

    [Fact]
    public void StackedSimpleRnnWithAValuePerStepMatchesPyTorchWithAndWithoutTruncation()
    {
        JsonElement c = Case("tbptt_stacked_simple_rnn_mse_sgd");
        var model = new GoldenTbpttStackedSimpleRnn();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] inputs = c.GetProperty("inputs").Floats();
        float[] targets = c.GetProperty("targets").Floats();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(inputs), "outputs (B, steps, 1)");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(targets), "loss over every step");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(inputs, targets), $"mean window loss of training step {step + 1}");
        Assert.Equal(2 * 3, model.Iterations); // windows [0, 4), [4, 8), [8, 10)
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 2 truncated-BPTT steps");
    }

    [Fact]
    public void EightyStepsInWindowsOfTwentyGiveFourUpdates()
    {
        var model = new SeedTruncatedBptt(seed: 3);
        float[] signal = Enumerable.Range(0, 2 * 80).Select(i => MathF.Sin(i * 0.3f)).ToArray();
        float[] next = Enumerable.Range(1, 2 * 80).Select(i => MathF.Sin(i * 0.3f)).ToArray();
        float first = model.TrainStep(signal, next);
        Assert.Equal(4, model.Iterations);
        float later = first;
        for (int i = 0; i < 30; i++) later = model.TrainStep(signal, next);
        Assert.Equal(4 * 31, model.Iterations);
        Assert.True(later < first / 2, $"the loss fell from {first} only to {later}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.TrainStep(signal, next);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
