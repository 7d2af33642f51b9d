using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Functional models against PyTorch (tools/reference/functional_models.py): several inputs and outputs, merges, a shared
/// layer, fan-out, reshaping, each loss and the weighted total, every parameter gradient, the gradients of float inputs, backward
/// from given output gradients, and a generator trained through a frozen discriminator.</summary>
public class GoldenFunctionalTests
{
    private static JsonElement Case(string name) => ModelGoldens.Case("functional.json", name);

    [Fact]
    public void TwoInputsTwoOutputsMatchPyTorch()
    {
        JsonElement c = Case("two_inputs_two_outputs");
        var model = new GoldenFunctional();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        int[] words = c.GetProperty("words").Ints();
        float[] stats = c.GetProperty("stats").Floats();
        int[] labels = c.GetProperty("labels").Ints();
        float[] targets = c.GetProperty("targets").Floats();
        int batch = labels.Length;

        GoldenFunctional.Outputs outputs = model.Forward(words, stats);
        Golden.AssertClose(c.GetProperty("kind").Floats(), outputs.Kind, "Kind");
        Golden.AssertClose(c.GetProperty("value").Floats(), outputs.Value, "Value");
        float[] statsGradient = new float[stats.Length];
        float loss = model.Backward(labels, targets, statsGradient);
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), loss, "weighted total loss");
        Golden.AssertClose(c.GetProperty("kind_loss").GetSingle(), model.OutputLosses[0], "Kind loss");
        Golden.AssertClose(c.GetProperty("value_loss").GetSingle(), model.OutputLosses[1], "Value loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");
        Golden.AssertClose(c.GetProperty("stats_gradient").Floats(), statsGradient, "gradient of Stats");

        float[] kind = new float[batch * GoldenFunctional.KindSize], value = new float[batch * GoldenFunctional.ValueSize];
        model.Predict(words, stats, kind, value);
        Golden.AssertClose(c.GetProperty("kind").Floats(), kind, "predicted Kind");
        Golden.AssertClose(c.GetProperty("value").Floats(), value, "predicted Value");

        float[] stepLosses = c.GetProperty("step_losses").Floats();
        for (int step = 0; step < stepLosses.Length; step++)
            Golden.AssertClose(stepLosses[step], model.TrainStep(words, stats, labels, targets), $"loss of step {step + 1}");
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_steps"), "after 3 Adam steps");
    }

    [Fact]
    public void BackwardFromGivenOutputGradientsMatchesPyTorch()
    {
        JsonElement c = Case("two_inputs_two_outputs");
        var model = new GoldenFunctional();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] stats = c.GetProperty("stats").Floats();
        model.Forward(c.GetProperty("words").Ints(), stats);
        float[] statsGradient = new float[stats.Length];

        model.BackwardFrom(c.GetProperty("kind_gradient").Floats(), c.GetProperty("value_gradient").Floats(), statsGradient);

        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("seeded_gradients"), "gradient");
        Golden.AssertClose(c.GetProperty("seeded_stats_gradient").Floats(), statsGradient, "gradient of Stats");
    }

    [Fact]
    public void GeneratorTrainedThroughAFrozenDiscriminatorMatchesPyTorch()
    {
        JsonElement c = Case("gan");
        var generator = new GoldenGenerator();
        var discriminator = new GoldenDiscriminator();
        ModelGoldens.SetParameters(generator.Tensors, generator.Parameters, c.GetProperty("generator"));
        ModelGoldens.SetParameters(discriminator.Tensors, discriminator.Parameters, c.GetProperty("discriminator"));
        foreach (Layer layer in discriminator.Layers) layer.Frozen = true;
        float[] before = discriminator.Parameters.ToArray();
        float[] noise = c.GetProperty("noise").Floats();
        int batch = noise.Length / GoldenGenerator.InputSize;
        float[] real = Enumerable.Repeat(1f, batch).ToArray();

        ReadOnlySpan<float> samples = generator.Forward(noise);
        Golden.AssertClose(c.GetProperty("samples").Floats(), samples, "samples");
        Golden.AssertClose(c.GetProperty("realness").Floats(), discriminator.Forward(samples), "realness");
        float[] samplesGradient = new float[samples.Length];
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), discriminator.Backward(real, samplesGradient), "generator's loss");
        Golden.AssertClose(c.GetProperty("samples_gradient").Floats(), samplesGradient, "gradient of the samples");
        generator.BackwardFrom(samplesGradient);
        ModelGoldens.AssertTensors(generator.Tensors, generator.Gradients, c.GetProperty("gradients"), "generator gradient");

        generator.ApplyGradients();
        discriminator.ApplyGradients();
        ModelGoldens.AssertTensors(generator.Tensors, generator.Parameters, c.GetProperty("after_step"), "generator after one Adam step");
        Assert.Equal(before, discriminator.Parameters.ToArray());
    }

    [Fact]
    public void MergesDotPermuteAndMaskedMaxPoolingMatchPyTorch()
    {
        JsonElement c = Case("merges");
        var model = new GoldenMerges();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] a = c.GetProperty("a").Floats(), b = c.GetProperty("b").Floats(), targets = c.GetProperty("targets").Floats();
        int[] words = c.GetProperty("words").Ints();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(a, b, words), "outputs");
        float[] aGradient = new float[a.Length], bGradient = new float[b.Length];
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(targets, aGradient, bGradient), "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");
        Golden.AssertClose(c.GetProperty("a_gradient").Floats(), aGradient, "gradient of A");
        Golden.AssertClose(c.GetProperty("b_gradient").Floats(), bGradient, "gradient of B");

        float[] predicted = new float[targets.Length];
        model.Predict(a, b, words, predicted);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), predicted, "predicted");

        model.ApplyGradients();
        ModelGoldens.AssertTensors(model.Tensors, model.Parameters, c.GetProperty("after_step"), "after one SGD step");
    }

    [Fact]
    public void MasksOfMergedSequencesCombineAsKerasDoes()
    {
        JsonElement c = Case("masked_merge");
        var model = new GoldenMaskedMerge();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        int[] first = c.GetProperty("first").Ints(), second = c.GetProperty("second").Ints();
        float[] targets = c.GetProperty("targets").Floats();

        Golden.AssertClose(c.GetProperty("outputs").Floats(), model.Forward(first, second), "outputs");
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), model.Backward(targets), "loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");
        float[] predicted = new float[targets.Length];
        model.Predict(first, second, predicted);
        Golden.AssertClose(c.GetProperty("outputs").Floats(), predicted, "predicted");
    }
    [Fact]
    public void OutputsSharingFloatsWithAnotherOutputOrTheInputEachAddTheirGradient()
    {
        JsonElement c = Case("overlapping_outputs");
        var model = new GoldenOverlappingOutputs();
        ModelGoldens.SetParameters(model.Tensors, model.Parameters, c.GetProperty("parameters"));
        float[] x = c.GetProperty("x").Floats();
        JsonElement targets = c.GetProperty("targets"), expected = c.GetProperty("outputs"), losses = c.GetProperty("losses");

        GoldenOverlappingOutputs.Outputs outputs = model.Forward(x);
        Golden.AssertClose(expected.GetProperty("logits").Floats(), outputs.Logits, "Logits");
        Golden.AssertClose(expected.GetProperty("grid").Floats(), outputs.Grid, "Grid");
        Golden.AssertClose(expected.GetProperty("score").Floats(), outputs.Score, "Score");
        Golden.AssertClose(expected.GetProperty("probs").Floats(), outputs.Probs, "Probs");
        Golden.AssertClose(expected.GetProperty("echo").Floats(), outputs.Echo, "Echo");
        float[] xGradient = new float[x.Length];
        float loss = model.Backward(targets.GetProperty("logits").Floats(), targets.GetProperty("grid").Floats(), targets.GetProperty("score").Floats(),
            targets.GetProperty("probs").Floats(), targets.GetProperty("echo").Floats(), xGradient);
        Golden.AssertClose(c.GetProperty("loss").GetSingle(), loss, "weighted total loss");
        string[] names = ["logits", "grid", "score", "probs", "echo"];
        for (int i = 0; i < names.Length; i++)
            Golden.AssertClose(losses.GetProperty(names[i]).GetSingle(), model.OutputLosses[i], names[i] + " loss");
        ModelGoldens.AssertTensors(model.Tensors, model.Gradients, c.GetProperty("gradients"), "gradient");
        Golden.AssertClose(c.GetProperty("x_gradient").Floats(), xGradient, "gradient of X");

        float[] logits = new float[6 * 3], grid = new float[6 * 3], score = new float[3 * 3], probs = new float[3 * 3], echo = new float[4 * 3];
        model.Predict(x, logits, grid, score, probs, echo);
        Golden.AssertClose(expected.GetProperty("grid").Floats(), grid, "predicted Grid");
        Golden.AssertClose(expected.GetProperty("probs").Floats(), probs, "predicted Probs");
        Golden.AssertClose(expected.GetProperty("echo").Floats(), echo, "predicted Echo");
    }
}
