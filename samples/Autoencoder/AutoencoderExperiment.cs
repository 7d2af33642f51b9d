namespace Unroll.Samples.Autoencoder;

/// <summary>The autoencoder sample's protocol: a plain and a denoising <see cref="ImageAutoencoder"/> trained on the 60,000 training
/// images, and the held-out reconstruction error of each beside a 32-component PCA fitted to the same images.</summary>
public static class AutoencoderExperiment
{
    public const int CodeSize = 32;
    public const int Epochs = 20;
    public const int BatchSize = 256;

    /// <summary>The standard deviation of the Gaussian noise added to the denoiser's inputs (pixels in [0, 1], clipped back into it).</summary>
    public const float Noise = 0.3f;

    /// <summary>Each image plus seeded Gaussian noise, clipped to [0, 1].</summary>
    public static float[] AddNoise(float[] images, ulong seed)
    {
        var noisy = new float[images.Length];
        Images.AddGaussianNoise(images, noisy, Noise, new SeededRandom(seed), PixelRange.ZeroToOne);
        return noisy;
    }

    /// <summary>Trains an autoencoder from <paramref name="inputs"/> to <paramref name="targets"/> (the same images, or clean ones
    /// behind noisy inputs) for <paramref name="epochs"/> epochs.</summary>
    public static ImageAutoencoder Train(float[] inputs, float[] targets, ulong seed, int epochs = Epochs, Action<EpochLog>? onEpoch = null)
    {
        var model = new ImageAutoencoder(seed);
        model.Fit(Dataset.WithTargets(inputs, FashionMnist.Pixels, targets, FashionMnist.Pixels), epochs, BatchSize, onEpoch: onEpoch);
        return model;
    }

    /// <summary>Mean squared error per pixel of the model's reconstructions of <paramref name="inputs"/> against <paramref name="targets"/>.</summary>
    public static double Mse(ImageAutoencoder model, float[] inputs, float[] targets) => Metrics.MeanSquaredError(model.Predict(inputs), targets);
}
