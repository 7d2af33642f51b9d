using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>Whole GAN iterations against PyTorch (tools/reference/gan_training.py), taken as samples/Gan takes them: the discriminator's
/// step on real and generated samples in one batch, then the generator's step through the discriminator, which computes its gradients
/// but is not stepped. Three iterations of Adam (lr 2e-4, beta1 0.5) on both.</summary>
public class GoldenGanTests
{
    [Fact]
    public void AlternatingStepsMatchPyTorch()
    {
        JsonElement golden = Golden.Load("gan.json");
        var generator = new GanStepGenerator();
        var discriminator = new GanStepDiscriminator();
        ModelGoldens.SetParameters(generator.Tensors, generator.Parameters, golden.GetProperty("generator"));
        ModelGoldens.SetParameters(discriminator.Tensors, discriminator.Parameters, golden.GetProperty("discriminator"));
        const int Batch = 4;
        var both = new float[2 * Batch * GanStepDiscriminator.InputSize];
        var labels = new float[2 * Batch];
        labels.AsSpan(0, Batch).Fill(1f);
        var real = new float[Batch];
        real.AsSpan().Fill(1f);
        var samplesGradient = new float[Batch * GanStepGenerator.OutputSize];

        int i = 0;
        foreach (JsonElement it in golden.GetProperty("iterations").EnumerateArray())
        {
            i++;
            // The discriminator's step: real samples, then generated ones, in one batch labelled 1 then 0.
            it.GetProperty("real").Floats().CopyTo(both, 0);
            generator.Predict(it.GetProperty("d_noise").Floats(), both.AsSpan(Batch * GanStepDiscriminator.InputSize));
            discriminator.Forward(both);
            Golden.AssertClose(it.GetProperty("d_loss").GetSingle(), discriminator.Backward(labels), $"iteration {i}: discriminator's loss");
            ModelGoldens.AssertTensors(discriminator.Tensors, discriminator.Gradients, it.GetProperty("d_gradients"), $"iteration {i}: discriminator gradient");
            discriminator.ApplyGradients();

            // The generator's step through the discriminator, whose gradients are computed and not applied.
            ReadOnlySpan<float> samples = generator.Forward(it.GetProperty("g_noise").Floats());
            discriminator.Forward(samples);
            Golden.AssertClose(it.GetProperty("g_loss").GetSingle(), discriminator.Backward(real, samplesGradient), $"iteration {i}: generator's loss");
            Golden.AssertClose(it.GetProperty("samples_gradient").Floats(), samplesGradient, $"iteration {i}: gradient of the samples");
            generator.BackwardFrom(samplesGradient);
            ModelGoldens.AssertTensors(generator.Tensors, generator.Gradients, it.GetProperty("g_gradients"), $"iteration {i}: generator gradient");
            generator.ApplyGradients();
        }
        Assert.Equal(3, i);
        ModelGoldens.AssertTensors(generator.Tensors, generator.Parameters, golden.GetProperty("generator_after"), "generator after 3 iterations");
        ModelGoldens.AssertTensors(discriminator.Tensors, discriminator.Parameters, golden.GetProperty("discriminator_after"), "discriminator after 3 iterations");
    }
}
