using System.Diagnostics;
using Unroll;
using Unroll.Plots;
using Unroll.Samples;
using Unroll.Samples.Autoencoder;

// Dense autoencoders on Fashion-MNIST (samples/fetch-data.sh fetches it): one learns to squeeze each image through 32 numbers and
// draw it back; a denoising one learns to draw the clean image from a noisy one. Their held-out mean squared error per pixel is
// printed beside PCA with 32 components (the best any linear code of that size can do on the training images).
var total = Stopwatch.StartNew();
string data = SampleData.Directory("fashion-mnist");
FashionMnist train = FashionMnist.Load(data, train: true, PixelRange.ZeroToOne);
FashionMnist test = FashionMnist.Load(data, train: false, PixelRange.ZeroToOne);
Console.WriteLine($"Fashion-MNIST: {train.Count} training and {test.Count} held-out images, pixels scaled to [0, 1]");

var watch = Stopwatch.StartNew();
Pca pca = Pca.Fit(train.Images, FashionMnist.Pixels, AutoencoderExperiment.CodeSize);
Console.WriteLine($"PCA, {pca.Components} components: {pca.CapturedVariance / pca.TotalVariance:P1} of the training variance " +
    $"({pca.Iterations} orthogonal iterations, {watch.Elapsed.TotalSeconds:F1} s)");

Console.WriteLine(new ImageAutoencoder().Summary);
watch.Restart();
var plainHistory = new History();
ImageAutoencoder plain = AutoencoderExperiment.Train(train.Images, train.Images, seed: 1, onEpoch: log =>
{
    plainHistory.Add(log);
    if ((log.Epoch + 1) % 5 == 0) Console.WriteLine($"  autoencoder epoch {log.Epoch + 1,2}: training MSE {log.Loss:F5}");
});
Console.WriteLine($"autoencoder: {AutoencoderExperiment.Epochs} epochs in {watch.Elapsed.TotalSeconds:F1} s");

float[] noisyTrain = AutoencoderExperiment.AddNoise(train.Images, seed: 10);
float[] noisyTest = AutoencoderExperiment.AddNoise(test.Images, seed: 11);
watch.Restart();
ImageAutoencoder denoiser = AutoencoderExperiment.Train(noisyTrain, train.Images, seed: 2,
    onEpoch: log => { if ((log.Epoch + 1) % 5 == 0) Console.WriteLine($"  denoiser epoch {log.Epoch + 1,2}: training MSE {log.Loss:F5}"); });
Console.WriteLine($"denoising autoencoder (Gaussian noise, sd {AutoencoderExperiment.Noise}, clipped to [0, 1]): {watch.Elapsed.TotalSeconds:F1} s");

Console.WriteLine();
Console.WriteLine("Held-out mean squared error per pixel (10,000 test images):");
Console.WriteLine("  clean images in, the same images out:");
Console.WriteLine($"    PCA, 32 components        {pca.ReconstructionMse(test.Images, test.Images):F5}");
Console.WriteLine($"    autoencoder 784-32-784    {AutoencoderExperiment.Mse(plain, test.Images, test.Images):F5}");
Console.WriteLine($"  noisy images in, clean images out:");
Console.WriteLine($"    the noisy input itself    {Metrics.MeanSquaredError(noisyTest, test.Images):F5}");
Console.WriteLine($"    PCA, 32 components        {pca.ReconstructionMse(noisyTest, test.Images):F5}");
Console.WriteLine($"    autoencoder               {AutoencoderExperiment.Mse(plain, noisyTest, test.Images):F5}");
Console.WriteLine($"    denoising autoencoder     {AutoencoderExperiment.Mse(denoiser, noisyTest, test.Images):F5}");

// Rows: originals, the autoencoder's reconstructions, noisy inputs, the denoiser's outputs; ten test images each.
const int Shown = 10;
var grid = new float[4 * Shown * FashionMnist.Pixels];
int block = Shown * FashionMnist.Pixels;
test.Images.AsSpan(0, block).CopyTo(grid);
plain.Predict(test.Images.AsSpan(0, block), grid.AsSpan(block, block));
noisyTest.AsSpan(0, block).CopyTo(grid.AsSpan(2 * block));
denoiser.Predict(noisyTest.AsSpan(0, block), grid.AsSpan(3 * block, block));
string path = Path.Combine(AppContext.BaseDirectory, "autoencoder-reconstructions.png");
Images.WritePngGrid(path, grid, 4 * Shown, FashionMnist.Side, FashionMnist.Side, columns: Shown);
Console.WriteLine($"originals, reconstructions, noisy inputs and denoised outputs: {path}");
string curves = Path.Combine(AppContext.BaseDirectory, "autoencoder-curves.png");
TrainingPlots.Curves(plainHistory, curves, title: "784-32-784 autoencoder: training MSE per epoch");
Console.WriteLine($"training curve: {curves}");
Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");
