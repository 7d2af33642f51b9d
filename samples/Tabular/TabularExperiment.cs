namespace Unroll.Samples.Tabular;

/// <summary>The result of one data set: accuracy on each held-out split, and the confusion matrix summed over all of them.</summary>
public sealed record DatasetResult(string Name, IReadOnlyList<double> Accuracies, ConfusionMatrix Confusion, IReadOnlyList<string> ClassNames, History FirstSplit)
{
    public double MeanAccuracy => Accuracies.Average();
}

/// <summary>
/// The evaluation protocol of the sample: seeded stratified 80/20 splits; features standardized with the training
/// part's statistics; a fresh model per split trained with <c>Fit</c>; accuracy on the held-out 20%.
/// </summary>
public static class TabularExperiment
{
    public const int Splits = 10;

    /// <summary>The three data sets of the sample with the settings the README reports.</summary>
    public static IReadOnlyList<DatasetResult> RunAll(string dataDirectory, Action<string>? log = null) => new[]
    {
        Run("iris", Path.Combine(dataDirectory, "iris.csv"), seed => new IrisNet(seed), epochs: 60, batchSize: 16, log),
        Run("wine", Path.Combine(dataDirectory, "wine_data.csv"), seed => new WineNet(seed), epochs: 60, batchSize: 16, log),
        Run("breast cancer", Path.Combine(dataDirectory, "breast_cancer.csv"), seed => new CancerNet(seed), epochs: 40, batchSize: 32, log),
    };

    public static DatasetResult Run<TModel>(string name, string csvPath, Func<ulong, TModel> create, int epochs, int batchSize,
        Action<string>? log = null, int splits = Splits)
        where TModel : IModel<float>
    {
        Dataset data = TabularCsv.LoadSklearn(csvPath);
        string[] classNames = TabularCsv.ClassNames(csvPath);
        // One output unit means a sigmoid over 0/1 targets rather than softmax over class labels.
        bool binary = create(0).OutputSize == 1;
        var confusion = new ConfusionMatrix(classNames.Length);
        var accuracies = new List<double>();
        History? firstSplit = null;
        for (int split = 0; split < splits; split++)
        {
            var (train, test) = data.StratifiedSplit(0.2, new SeededRandom((ulong)(1000 + split)));
            Standardizer scaler = Standardizer.Fit(train);
            train = scaler.Transform(train);
            test = scaler.Transform(test);
            if (binary)
            {
                train = train.ToBinaryTargets();
                test = test.ToBinaryTargets();
            }

            TModel model = create((ulong)split);
            var options = new FitOptions { Epochs = epochs, BatchSize = batchSize };
            if (split == 0 && log is not null)
                options.OnEpoch = e => { if ((e.Epoch + 1) % 10 == 0) log($"  {name} split 1  {e}"); }; // every 10th epoch: a readable amount
            History history = model.Fit(train, options);
            firstSplit ??= history;

            Evaluation evaluation = model.Evaluate(test);
            accuracies.Add(evaluation.Accuracy);
            if (evaluation.Confusion is { } c) confusion.Add(c);
            log?.Invoke($"  {name} split {split + 1,2}: held-out accuracy {evaluation.Accuracy:F4} ({evaluation.Count} samples, loss {evaluation.Loss:F4})");
        }
        return new DatasetResult(name, accuracies, confusion, classNames, firstSplit!);
    }
}
