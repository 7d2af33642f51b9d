namespace Unroll.Samples.Autoencoder;

/// <summary>A dense autoencoder: 784 pixels in [0, 1] squeezed through a code of 32 ReLU units and drawn back (sigmoid). Trained with
/// the image as its own target (mean squared error); the denoising one is the same network trained from noisy images to clean ones.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, MaxBatch = 256)]
public partial class ImageAutoencoder
{
    [Input(Features = FashionMnist.Pixels)] public partial Layer Image { get; }
    [Dense(Units = AutoencoderExperiment.CodeSize, Activation = Activation.Relu)] public partial Layer Code { get; }
    [Dense(Units = FashionMnist.Pixels, Activation = Activation.Sigmoid)] public partial Layer Reconstruction { get; }
}
