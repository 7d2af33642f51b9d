namespace Unroll.Samples.Gan;

/// <summary>
/// Trains <see cref="ImageGenerator"/> against <see cref="ImageDiscriminator"/> as PyTorch's DCGAN tutorial does, one batch at a time:
/// <list type="number">
/// <item>the discriminator's step: a batch of real images labelled 1 and as many generated ones labelled 0, in one batch of twice the
/// size (so its loss is the mean of the two halves' binary cross-entropies), then its Adam step;</item>
/// <item>the generator's step: fresh noise, its images labelled real, through the discriminator, which computes the gradient of the
/// generated pixels (<c>Backward(targets, inputGradient)</c>) and is not stepped: it stays frozen; the generator takes that gradient
/// back through itself (<c>BackwardFrom</c>), then its own Adam step.</item>
/// </list>
/// Every buffer is allocated once here; a step allocates nothing.
/// </summary>
public sealed class GanTrainer
{
    public const int NoiseSize = 100;
    public const int BatchSize = 64;

    private readonly SeededRandom _random;
    private readonly float[] _noise = new float[BatchSize * NoiseSize];
    private readonly float[] _mixed = new float[2 * BatchSize * FashionMnist.Pixels];
    private readonly float[] _mixedLabels = new float[2 * BatchSize];
    private readonly float[] _realLabels = new float[BatchSize];
    private readonly float[] _samplesGradient = new float[BatchSize * FashionMnist.Pixels];
    private int[] _order = Array.Empty<int>();

    public GanTrainer(ulong seed)
    {
        Generator = new ImageGenerator(seed);
        Discriminator = new ImageDiscriminator(seed + 1);
        _random = new SeededRandom(seed + 2);
        _mixedLabels.AsSpan(0, BatchSize).Fill(1f);
        _realLabels.AsSpan().Fill(1f);
    }

    public ImageGenerator Generator { get; }

    public ImageDiscriminator Discriminator { get; }

    /// <summary>One discriminator step and one generator step on <paramref name="realBatch"/> (<see cref="BatchSize"/> images in [-1, 1]).</summary>
    /// <returns>The discriminator's loss (real and generated halves) and the generator's loss (its images labelled real).</returns>
    public (float Discriminator, float Generator) Step(ReadOnlySpan<float> realBatch)
    {
        // The discriminator's step: real images, then the generator's (inference only: the generator does not learn here).
        realBatch.CopyTo(_mixed);
        FillNoise();
        Generator.Predict(_noise, _mixed.AsSpan(BatchSize * FashionMnist.Pixels));
        Discriminator.Forward(_mixed);
        float dLoss = Checked(Discriminator.Backward(_mixedLabels), "discriminator");
        Discriminator.ApplyGradients();

        // The generator's step through the frozen discriminator: its gradients are computed and never applied.
        FillNoise();
        ReadOnlySpan<float> samples = Generator.Forward(_noise);
        Discriminator.Forward(samples);
        float gLoss = Checked(Discriminator.Backward(_realLabels, _samplesGradient), "generator");
        Generator.BackwardFrom(_samplesGradient);
        Generator.ApplyGradients();
        return (dLoss, gLoss);
    }

    /// <summary>One pass over <paramref name="real"/> in a seeded random order, in full batches (the last partial batch is dropped, as
    /// PyTorch's <c>drop_last=True</c>).</summary>
    /// <returns>The mean losses over the epoch's steps.</returns>
    public (double Discriminator, double Generator) TrainEpoch(FashionMnist real)
    {
        if (_order.Length != real.Count)
            _order = Enumerable.Range(0, real.Count).ToArray();
        _random.Shuffle(_order.AsSpan());
        var batch = new float[BatchSize * FashionMnist.Pixels];
        double dSum = 0, gSum = 0;
        int steps = real.Count / BatchSize;
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < BatchSize; i++)
                real.Image(_order[s * BatchSize + i]).CopyTo(batch.AsSpan(i * FashionMnist.Pixels));
            (float d, float g) = Step(batch);
            dSum += d;
            gSum += g;
        }
        return (dSum / steps, gSum / steps);
    }

    /// <summary><paramref name="count"/> images from the generator, for noise drawn from <paramref name="seed"/>.</summary>
    public float[] Generate(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var images = new float[count * FashionMnist.Pixels];
        var noise = new float[BatchSize * NoiseSize];
        for (int start = 0; start < count; start += BatchSize)
        {
            int n = Math.Min(BatchSize, count - start);
            for (int i = 0; i < n * NoiseSize; i++) noise[i] = random.NextNormal();
            Generator.Predict(noise.AsSpan(0, n * NoiseSize), images.AsSpan(start * FashionMnist.Pixels, n * FashionMnist.Pixels));
        }
        return images;
    }

    private void FillNoise()
    {
        for (int i = 0; i < _noise.Length; i++) _noise[i] = _random.NextNormal();
    }

    private static float Checked(float loss, string which) =>
        float.IsFinite(loss) ? loss : throw new InvalidOperationException($"The {which}'s loss is {loss}; training diverged.");
}
