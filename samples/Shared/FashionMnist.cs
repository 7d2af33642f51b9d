namespace Unroll.Samples;

/// <summary>Fashion-MNIST (Zalando Research, MIT): 60,000 training and 10,000 test images of 28x28 gray pixels in 10 classes,
/// read from the IDX files samples/fetch-data.sh fetches.</summary>
public sealed class FashionMnist
{
    public const int Side = 28;
    public const int Pixels = Side * Side;
    public const int Classes = 10;

    public static readonly string[] ClassNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    private FashionMnist(float[] images, int[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>Pixels, <see cref="Pixels"/> floats per image, scaled to the range the set was loaded with.</summary>
    public float[] Images { get; }

    /// <summary>Class ids 0..9, one per image.</summary>
    public int[] Labels { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Image(int i) => Images.AsSpan(i * Pixels, Pixels);

    /// <summary>Reads the training (<paramref name="train"/>) or test set from <paramref name="directory"/>, checking that the images are
    /// 28x28 and that there is one label in 0..9 per image.</summary>
    public static FashionMnist Load(string directory, bool train, PixelRange range)
    {
        string prefix = train ? "train" : "t10k";
        IdxTensor images = Idx.Read(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"));
        IdxTensor labels = Idx.Read(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"));
        if (images.Shape.Count != 3 || images.Shape[1] != Side || images.Shape[2] != Side)
            throw new InvalidDataException($"'{images.Source}' holds images of shape ({string.Join(", ", images.Shape)}); (N, 28, 28) was expected.");
        if (labels.Shape.Count != 1 || labels.Count != images.Count)
            throw new InvalidDataException($"'{labels.Source}' holds labels of shape ({string.Join(", ", labels.Shape)}); ({images.Count}) was expected, one per image.");
        int[] ids = labels.ToInt32();
        int bad = Array.FindIndex(ids, id => id is < 0 or >= Classes);
        if (bad >= 0)
            throw new InvalidDataException($"'{labels.Source}' label {bad} is {ids[bad]}; class ids are 0..9.");
        return new FashionMnist(Unroll.Images.Scale(images, range), ids);
    }
}
