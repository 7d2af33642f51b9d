using System.Diagnostics;
using Unroll;
using Unroll.Samples.Tabular;

// Trains a small MLP on each of three real tabular data sets (scikit-learn's copies of the UCI sets, see data/SOURCE.md)
// and reports the mean held-out accuracy over 10 seeded, stratified 80/20 splits, with a confusion matrix.
string dataDirectory = Path.Combine(AppContext.BaseDirectory, "data");
var total = Stopwatch.StartNew();

Console.WriteLine(new IrisNet().Summary);
Console.WriteLine();

var results = new List<DatasetResult>
{
    TabularExperiment.Run("iris", Path.Combine(dataDirectory, "iris.csv"), seed => new IrisNet(seed), epochs: 100, batchSize: 16, log: Console.WriteLine),
    TabularExperiment.Run("wine", Path.Combine(dataDirectory, "wine_data.csv"), seed => new WineNet(seed), epochs: 60, batchSize: 16, log: Console.WriteLine),
    TabularExperiment.Run("breast cancer", Path.Combine(dataDirectory, "breast_cancer.csv"), seed => new CancerNet(seed), epochs: 40, batchSize: 32, log: Console.WriteLine),
};

Console.WriteLine();
foreach (DatasetResult result in results)
{
    Console.WriteLine($"{result.Name}: mean held-out accuracy {result.MeanAccuracy:F4} over {result.Accuracies.Count} stratified 80/20 splits " +
        $"(min {result.Accuracies.Min():F4}, max {result.Accuracies.Max():F4})");
    Console.WriteLine("confusion matrix over all held-out samples (rows: actual, columns: predicted):");
    Console.WriteLine(result.Confusion.ToString(result.ClassNames));
    Console.WriteLine();
}
Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");
