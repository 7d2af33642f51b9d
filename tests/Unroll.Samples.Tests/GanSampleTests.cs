using Unroll.Samples.Gan;
using Xunit;

namespace Unroll.Samples.Tests;

/// <summary>The GAN sample's training loop without its data (Fashion-MNIST is fetched, not shipped, so CI runs it on synthetic images):
/// whole GAN iterations allocate nothing and step each model once, generated images are seeded tanh pixels, and the verdict counts what it should.
/// The step's arithmetic is checked against PyTorch in Unroll.Models.Tests' GoldenGanTests.</summary>
public class GanSampleTests
{
    private static float[] SyntheticBatch(ulong seed)
    {
        var random = new SeededRandom(seed);
        var batch = new float[GanTrainer.BatchSize * FashionMnist.Pixels];
        for (int i = 0; i < batch.Length; i++) batch[i] = random.NextFloat() * 2 - 1;
        return batch;
    }

    [Fact]
    public void SteadyStateGanIterationsAllocateNothing()
    {
        var gan = new GanTrainer(seed: 3);
        float[] real = SyntheticBatch(4);
        gan.Step(real);
        gan.Step(real);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) gan.Step(real);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // One optimizer step each per iteration: the discriminator's gradients from the generator's step are never applied.
        Assert.Equal(22, gan.Generator.Iterations);
        Assert.Equal(22, gan.Discriminator.Iterations);
    }

    [Fact]
    public void SteadyStateClassifierStepsAndPredictionsAllocateNothing()
    {
        var classifier = new FashionClassifier(seed: 2);
        var random = new SeededRandom(8);
        var images = new float[FashionClassifier.MaxBatch * FashionMnist.Pixels];
        for (int i = 0; i < images.Length; i++) images[i] = random.NextFloat() * 2 - 1;
        int[] labels = Enumerable.Range(0, FashionClassifier.MaxBatch).Select(i => i % FashionMnist.Classes).ToArray();
        var probabilities = new float[FashionClassifier.MaxBatch * FashionMnist.Classes];
        classifier.TrainStep(images, labels);
        classifier.Predict(images, probabilities);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) classifier.TrainStep(images, labels);
        for (int i = 0; i < 10; i++) classifier.Predict(images, probabilities);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void GeneratedImagesAreTanhPixelsAndSeeded()
    {
        var gan = new GanTrainer(seed: 7);
        float[] a = gan.Generate(70, seed: 1), b = gan.Generate(70, seed: 1), c = gan.Generate(70, seed: 2);
        Assert.Equal(70 * FashionMnist.Pixels, a.Length);
        Assert.All(a, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TheVerdictCountsConfidentLabelsAndClasses()
    {
        // A classifier whose output layer is pinned: every image is labelled Bag with probability e^8 / (e^8 + 9) = 0.997.
        var classifier = new FashionClassifier(seed: 1);
        classifier.Class.Parameters.Clear();
        classifier.Class.Parameters[^FashionMnist.Classes..][8] = 8f;
        GeneratedVerdict verdict = GeneratedVerdict.Judge(classifier, new float[200 * FashionMnist.Pixels]);
        Assert.Equal(1.0, verdict.ConfidentShare);
        Assert.Equal(200, verdict.Histogram[8]);
        Assert.Equal(200, verdict.Count);
        Assert.Equal(1, verdict.ClassesAbove(0.02));

        classifier.Class.Parameters[^FashionMnist.Classes..][8] = 2f; // e^2 / (e^2 + 9) = 0.45: labelled, not confidently
        verdict = GeneratedVerdict.Judge(classifier, new float[200 * FashionMnist.Pixels]);
        Assert.Equal(0.0, verdict.ConfidentShare);
        Assert.Equal(200, verdict.Histogram[8]);
    }
}
