namespace Unroll.Samples.Gan;

/// <summary>The generator: 100 noise values through 256 and 512 units (leaky ReLU 0.2) to 784 pixels in [-1, 1] (tanh).
/// It has no loss of its own: it learns only through <see cref="ImageDiscriminator"/>, by <c>BackwardFrom</c> with the gradient
/// the discriminator hands back for its samples.</summary>
[Model(Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, MaxBatch = GanTrainer.BatchSize)]
public partial class ImageGenerator
{
    [Input(Features = GanTrainer.NoiseSize)] public partial Layer Noise { get; }
    [Dense(Units = 256, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden1 { get; }
    [Dense(Units = 512, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden2 { get; }
    [Dense(Units = FashionMnist.Pixels, Activation = Activation.Tanh)] public partial Layer Image { get; }
}

/// <summary>The discriminator: 784 pixels through 512 and 256 units (leaky ReLU 0.2) to the probability that the image is real.
/// Its batch holds a real half and a generated half, so MaxBatch is twice the GAN's batch.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 2e-4f, Beta1 = 0.5f, MaxBatch = 2 * GanTrainer.BatchSize)]
public partial class ImageDiscriminator
{
    [Input(Features = FashionMnist.Pixels)] public partial Layer Image { get; }
    [Dense(Units = 512, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden1 { get; }
    [Dense(Units = 256, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden2 { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Real { get; }
}

/// <summary>The judge of the generated images, trained on real ones: 784 pixels in [-1, 1] through 256 ReLU units to 10 classes.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, MaxBatch = 128)]
public partial class FashionClassifier
{
    [Input(Features = FashionMnist.Pixels)] public partial Layer Image { get; }
    [Dense(Units = 256, Activation = Activation.Relu)] public partial Layer Hidden { get; }
    [Dropout(0.2f)] public partial Layer Drop { get; }
    [Dense(Units = FashionMnist.Classes, Activation = Activation.Softmax)] public partial Layer Class { get; }
}
