using System.Diagnostics;
using Unroll;
using Unroll.Plots;
using Unroll.Samples;
using Unroll.Samples.Gan;

// A dense GAN on Fashion-MNIST (samples/fetch-data.sh fetches it): the generator learns to draw clothes only through the gradient the
// discriminator gives back for its images. Then a classifier trained on the real images labels 1,000 generated ones: the share it
// labels with confidence >= 0.9, and how those labels spread over the 10 classes, say whether the images look like clothes and
// whether the generator draws all of them. Usage: dotnet run --project samples/Gan -c Release [epochs]
int epochs = args.Length > 0 ? int.Parse(args[0]) : 10;
var total = Stopwatch.StartNew();
string data = SampleData.Directory("fashion-mnist");
FashionMnist train = FashionMnist.Load(data, train: true, PixelRange.MinusOneToOne);
FashionMnist test = FashionMnist.Load(data, train: false, PixelRange.MinusOneToOne);
Console.WriteLine($"Fashion-MNIST: {train.Count} training and {test.Count} test images, pixels scaled to [-1, 1] ({total.Elapsed.TotalSeconds:F1} s to read)");

var classifier = new FashionClassifier(seed: 5);
var watch = Stopwatch.StartNew();
classifier.Fit(Dataset.WithLabels(train.Images, FashionMnist.Pixels, train.Labels, FashionMnist.Classes), epochs: 5, batchSize: 128);
Evaluation judged = classifier.Evaluate(Dataset.WithLabels(test.Images, FashionMnist.Pixels, test.Labels, FashionMnist.Classes));
Console.WriteLine($"classifier (784 -> 256 ReLU -> 10): test accuracy {judged.Accuracy:F4} after 5 epochs ({watch.Elapsed.TotalSeconds:F1} s)");
Console.WriteLine();

var gan = new GanTrainer(seed: 1);
Console.WriteLine(gan.Generator.Summary);
Console.WriteLine(gan.Discriminator.Summary);
Console.WriteLine($"Adam (lr 2e-4, beta1 0.5), batch {GanTrainer.BatchSize} real + {GanTrainer.BatchSize} generated, {epochs} epochs:");
var dLosses = new List<double>();
var gLosses = new List<double>();
for (int epoch = 1; epoch <= epochs; epoch++)
{
    watch.Restart();
    (double d, double g) = gan.TrainEpoch(train);
    dLosses.Add(d);
    gLosses.Add(g);
    Console.WriteLine($"  epoch {epoch,2}: D loss {d:F4}  G loss {g:F4}  ({watch.Elapsed.TotalSeconds:F1} s)");
}

const int Judged = 1000;
float[] generated = gan.Generate(Judged, seed: 2026);
GeneratedVerdict verdict = GeneratedVerdict.Judge(classifier, generated);
Console.WriteLine();
Console.WriteLine($"{Judged} generated images labelled by the classifier: {verdict.ConfidentShare:F3} with confidence >= 0.9");
for (int c = 0; c < FashionMnist.Classes; c++)
    Console.WriteLine($"  {FashionMnist.ClassNames[c],-12} {verdict.Histogram[c],4}  {new string('#', verdict.Histogram[c] / 5)}");
Console.WriteLine($"  {verdict.ClassesAbove(0.02)} of 10 classes hold at least 2 % of the images");
string grid = Path.Combine(AppContext.BaseDirectory, "gan-samples.png");
Images.WritePngGrid(grid, generated.AsSpan(0, 64 * FashionMnist.Pixels), 64, FashionMnist.Side, FashionMnist.Side, columns: 8, PixelRange.MinusOneToOne);
Console.WriteLine($"64 generated images: {grid}");
string losses = Path.Combine(AppContext.BaseDirectory, "gan-losses.png");
TrainingPlots.Lines(new (string, IReadOnlyList<double>)[] { ("discriminator", dLosses), ("generator", gLosses) }, losses, title: "GAN losses per epoch");
Console.WriteLine($"losses per epoch: {losses}");
Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");
