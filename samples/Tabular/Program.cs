using System.Diagnostics;
using Unroll;
using Unroll.Plots;
using Unroll.Samples.Tabular;

// Trains a small MLP on each of three real tabular data sets (scikit-learn's copies of the UCI sets, see data/SOURCE.md)
// and reports the mean held-out accuracy over 10 seeded, stratified 80/20 splits, with a confusion matrix.
string dataDirectory = Path.Combine(AppContext.BaseDirectory, "data");
var total = Stopwatch.StartNew();

Console.WriteLine(new IrisNet().Summary);
Console.WriteLine();

IReadOnlyList<DatasetResult> results = TabularExperiment.RunAll(dataDirectory, Console.WriteLine);

Console.WriteLine();
foreach (DatasetResult result in results)
{
    Console.WriteLine($"{result.Name}: mean held-out accuracy {result.MeanAccuracy:F4} over {result.Accuracies.Count} stratified 80/20 splits " +
        $"(min {result.Accuracies.Min():F4}, max {result.Accuracies.Max():F4})");
    Console.WriteLine("confusion matrix over all held-out samples (rows: actual, columns: predicted):");
    Console.WriteLine(result.Confusion.ToString(result.ClassNames));
    string stem = Path.Combine(AppContext.BaseDirectory, result.Name.Replace(' ', '-'));
    TrainingPlots.ConfusionMatrix(result.Confusion, stem + "-confusion.png", result.ClassNames, title: result.Name + ": all held-out samples");
    TrainingPlots.Curves(result.FirstSplit, stem + "-curves.png", title: result.Name + ": first split");
    Console.WriteLine($"plots: {stem}-confusion.png, {stem}-curves.png");
    Console.WriteLine();
}
Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");
