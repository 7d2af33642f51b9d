namespace Unroll.Samples.Gan;

/// <summary>What a classifier trained on real images says about generated ones: the share it labels with confidence at least 0.9
/// (images that look like one kind of clothing) and the histogram of its labels (whether the generator draws every kind).</summary>
public sealed class GeneratedVerdict
{
    private GeneratedVerdict(double confidentShare, int[] histogram)
    {
        ConfidentShare = confidentShare;
        Histogram = histogram;
    }

    public double ConfidentShare { get; }

    /// <summary>How many images get each class as the classifier's most likely label.</summary>
    public int[] Histogram { get; }

    public int Count => Histogram.Sum();

    /// <summary>The number of classes holding at least <paramref name="share"/> of the images.</summary>
    public int ClassesAbove(double share) => Histogram.Count(n => n >= share * Count);

    public static GeneratedVerdict Judge(FashionClassifier classifier, float[] images)
    {
        int count = images.Length / FashionMnist.Pixels;
        float[] probabilities = classifier.Predict(images);
        var histogram = new int[FashionMnist.Classes];
        int confident = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> p = probabilities.AsSpan(i * FashionMnist.Classes, FashionMnist.Classes);
            int best = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p);
            histogram[best]++;
            if (p[best] >= 0.9f) confident++;
        }
        return new GeneratedVerdict((double)confident / count, histogram);
    }
}
