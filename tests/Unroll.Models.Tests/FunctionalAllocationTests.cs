namespace Unroll.Models.Tests;

/// <summary>Functional models allocate nothing per steady-state step: two inputs and two outputs, and a GAN step that chains a
/// generator into a frozen discriminator through input gradients.</summary>
public class FunctionalAllocationTests
{
    private static float[] Random(int count, int seed)
    {
        var r = new SeededRandom((ulong)seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = r.NextNormal();
        return values;
    }

    [Fact]
    public void TrainStepAndPredictOfATwoInputTwoOutputModelAllocateNothing()
    {
        const int batch = 8;
        var model = new GoldenFunctional(seed: 1);
        int[] words = Enumerable.Range(0, batch * GoldenFunctional.WordsSize).Select(i => i % 5 == 4 ? 0 : 1 + i % 11).ToArray();
        float[] stats = Random(batch * GoldenFunctional.StatsSize, 2);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 3).ToArray();
        float[] targets = Random(batch * GoldenFunctional.ValueSize, 3);
        float[] kind = new float[batch * GoldenFunctional.KindSize], value = new float[batch * GoldenFunctional.ValueSize];
        float[] statsGradient = new float[stats.Length];
        model.TrainStep(words, stats, labels, targets);
        model.Predict(words, stats, kind, value);
        model.Forward(words, stats);
        model.Backward(labels, targets, statsGradient);

        // Three windows of 500 calls each; the least any window allocated (an allocation per call shows in all three).
        Assert.Equal(0, Allocations.LeastPerWindow(() => { for (int i = 0; i < 500; i++) model.TrainStep(words, stats, labels, targets); }));
        Assert.Equal(0, Allocations.LeastPerWindow(() => { for (int i = 0; i < 500; i++) model.Predict(words, stats, kind, value); }));
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                model.Forward(words, stats);
                model.Backward(labels, targets, statsGradient);
            }
        }));
        Assert.Equal(1501, model.Iterations);
    }

    [Fact]
    public void AGanStepThroughAFrozenDiscriminatorAllocatesNothing()
    {
        const int batch = 8;
        var generator = new GoldenGenerator(seed: 1);
        var discriminator = new GoldenDiscriminator(seed: 2);
        float[] noise = Random(batch * GoldenGenerator.InputSize, 3);
        float[] images = Random(batch * GoldenDiscriminator.InputSize, 4);
        float[] real = Enumerable.Repeat(1f, batch).ToArray(), fake = new float[batch];
        float[] samples = new float[batch * GoldenGenerator.OutputSize], samplesGradient = new float[samples.Length];

        void Step()
        {
            // The discriminator learns real from generated samples...
            generator.Predict(noise, samples);
            discriminator.TrainStep(images, real);
            discriminator.TrainStep(samples, fake);
            // ...then the generator learns through it, frozen.
            for (int i = 0; i < discriminator.Layers.Count; i++) discriminator.Layers[i].Frozen = true;
            discriminator.Forward(generator.Forward(noise));
            discriminator.Backward(real, samplesGradient);
            generator.BackwardFrom(samplesGradient);
            generator.ApplyGradients();
            for (int i = 0; i < discriminator.Layers.Count; i++) discriminator.Layers[i].Frozen = false;
        }

        Step();
        Assert.Equal(0, Allocations.LeastPerWindow(() => { for (int i = 0; i < 500; i++) Step(); })); // the least of three windows
        Assert.Equal(1501, generator.Iterations);
    }
}
