using System.Diagnostics;
using Unroll.Plots;
using Unroll.Samples.Sentiment;

// Sentiment of short review sentences (UCI Sentiment Labelled Sentences, see data/SOURCE.md): each model of
// SentimentExperiment.Models is trained on three seeded, stratified 80/20 splits, with a tokenizer fitted on the training part only,
// and its mean held-out accuracy is printed; then the last trained models score a few new sentences.
string dataDirectory = Path.Combine(AppContext.BaseDirectory, "data");
var total = Stopwatch.StartNew();

SentimentExperiment experiment = SentimentExperiment.Load(dataDirectory);
Console.WriteLine($"{experiment.SentenceCount} labelled sentences (imdb, yelp, amazon)");
Console.WriteLine(new BagOfWordsNet().Summary);
Console.WriteLine(new LstmSentimentNet().Summary);
Console.WriteLine();

IReadOnlyList<ModelResult> results = experiment.Run(log: Console.WriteLine);

Console.WriteLine();
foreach (ModelResult result in results)
{
    Console.WriteLine($"{result.Name}: mean held-out accuracy {result.MeanAccuracy:F4} over {result.Accuracies.Count} stratified 80/20 splits " +
        $"({string.Join(", ", result.Accuracies.Select(a => a.ToString("F4")))})");
    // The last split's model: its curves (the held-out sentences as validation data, watched, not tuned on) and confusion matrix.
    string stem = Path.Combine(AppContext.BaseDirectory, "sentiment-" + string.Concat(result.Name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)));
    TrainingPlots.Curves(result.Last.History, stem + "-curves.png", title: result.Name + ": last split, held-out 20 % as validation");
    TrainingPlots.ConfusionMatrix(result.Last.Confusion, stem + "-confusion.png", ["negative", "positive"], title: result.Name + ": last split, held out");
    Console.WriteLine($"  plots: {stem}-curves.png, {stem}-confusion.png");
}

string[] newSentences =
{
    "The food was delicious and the staff were friendly.",
    "What a waste of money, it broke after two days.",
    "I would not recommend this movie to anyone.",
    "Great phone, the battery lasts forever.",
    "The plot was boring and the acting was terrible.",
};
Console.WriteLine();
foreach (ModelResult result in results)
{
    Console.WriteLine($"P(positive) from the {result.Name} model of the last split:");
    float[] probabilities = result.Last.PositiveProbability(newSentences);
    for (int i = 0; i < newSentences.Length; i++)
        Console.WriteLine($"  {probabilities[i]:F3}  {newSentences[i]}");
}
Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");
