using Unroll.Samples.Autoencoder;
using Xunit;

namespace Unroll.Samples.Tests;

/// <summary>The autoencoder sample's parts without its data (Fashion-MNIST is fetched, not shipped): its PCA baseline recovers known
/// components and their exact error, the error measures agree with a direct sum, and a training step allocates nothing.</summary>
public class AutoencoderSampleTests
{
    [Fact]
    public void PcaFindsThePlantedComponentsAndTheirError()
    {
        // 4,000 points in 12 dimensions: variances 9, 4 and 1 along three orthonormal directions, 0.01 along every other one.
        const int D = 12, N = 4000;
        var random = new SeededRandom(2);
        var directions = new float[3 * D];
        directions[0] = 1f;                                                // e0
        directions[D + 1] = directions[D + 2] = MathF.Sqrt(0.5f);          // (e1 + e2) / sqrt 2
        directions[2 * D + 1] = MathF.Sqrt(0.5f); directions[2 * D + 2] = -MathF.Sqrt(0.5f);
        float[] sd = { 3f, 2f, 1f };
        var data = new float[N * D];
        for (int r = 0; r < N; r++)
        {
            for (int j = 0; j < D; j++) data[r * D + j] = 5f + 0.1f * random.NextNormal();
            for (int c = 0; c < 3; c++)
            {
                float s = sd[c] * random.NextNormal();
                for (int j = 0; j < D; j++) data[r * D + j] += s * directions[c * D + j];
            }
        }
        Pca pca = Pca.Fit(data, D, k: 3);
        for (int c = 0; c < 3; c++)
        {
            float cosine = System.Numerics.Tensors.TensorPrimitives.Dot(pca.Component(c), directions.AsSpan(c * D, D));
            Assert.InRange(MathF.Abs(cosine), 0.999f, 1.0001f);
        }
        // Left out: about 0.01 in each of the other 9 directions (mean per value: 0.09 / 12).
        double mse = pca.ReconstructionMse(data, data);
        Assert.InRange(mse, 0.0070, 0.0080);
        Assert.Equal((pca.TotalVariance - pca.CapturedVariance) / D, mse, 1e-4);
    }

    [Fact]
    public void ErrorMeasuresAgreeWithADirectSum()
    {
        var model = new ImageAutoencoder(seed: 1);
        var random = new SeededRandom(3);
        var images = new float[300 * FashionMnist.Pixels]; // more than one MaxBatch
        for (int i = 0; i < images.Length; i++) images[i] = random.NextFloat();
        var predicted = new float[images.Length];
        for (int start = 0; start < 300; start += 100)
            model.Predict(images.AsSpan(start * FashionMnist.Pixels, 100 * FashionMnist.Pixels), predicted.AsSpan(start * FashionMnist.Pixels, 100 * FashionMnist.Pixels));
        double expected = predicted.Zip(images, (p, t) => (double)(p - t) * (p - t)).Average();
        Assert.Equal(expected, AutoencoderExperiment.Mse(model, images, images), 1e-9);

        float[] noisy = AutoencoderExperiment.AddNoise(images, seed: 4);
        Assert.All(noisy, v => Assert.InRange(v, 0f, 1f));
        double identity = Metrics.MeanSquaredError(noisy, images); // what doing nothing scores
        Assert.Equal(noisy.Zip(images, (a, b) => (double)(a - b) * (a - b)).Average(), identity, 1e-12);
        Assert.InRange(identity, 0.03, 0.09); // sd 0.3, less where clipping pulls values back
    }

    [Fact]
    public void SteadyStateTrainingStepsAndPredictionsAllocateNothing()
    {
        var model = new ImageAutoencoder(seed: 2);
        var random = new SeededRandom(5);
        var batch = new float[ImageAutoencoder.MaxBatch * FashionMnist.Pixels];
        for (int i = 0; i < batch.Length; i++) batch[i] = random.NextFloat();
        var output = new float[batch.Length];
        model.TrainStep(batch, batch);
        model.Predict(batch, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) model.TrainStep(batch, batch);
        for (int i = 0; i < 10; i++) model.Predict(batch, output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
