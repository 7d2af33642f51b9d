using System.Diagnostics;
using Unroll.Plots;
using Unroll.Samples;
using Unroll.Samples.Words;
using Unroll.Text;

// Word vectors from the State of the Union addresses (samples/fetch-data.sh fetches them): skip-gram with negative sampling as a
// two-input model (word, context -> two embeddings -> Dot -> sigmoid). Prints nearest neighbours, the seed's analogy query, and how
// many month names each month finds among its ten nearest neighbours, beside the same figure for the untrained vectors.
// Usage: dotnet run --project samples/WordVectors -c Release [epochs]
int epochs = args.Length > 0 ? int.Parse(args[0]) : 1;
var total = Stopwatch.StartNew();
WordVectorExperiment experiment = WordVectorExperiment.Load(SampleData.Directory("sotu"));
Console.WriteLine($"{experiment.Addresses} addresses, {experiment.Tokens:N0} tokens of {experiment.Tokenizer.VocabularySize - 1:N0} words seen at least {WordVectorExperiment.MinCount} times");
Console.WriteLine(new SkipGram().Summary);

double untrained = WordVectorExperiment.MonthShare(experiment.Vectors(new SkipGram(seed: 1)));
Console.WriteLine($"skip-gram: window up to 5, 5 noise words per pair, subsampling 1e-3, batches of {WordVectorExperiment.BatchSize} pairs, Adam {WordVectorExperiment.LearningRate}");
var stepLosses = new List<float>();
SkipGram model = experiment.Train(seed: 1, epochs, (epoch, loss, time) =>
    Console.WriteLine($"epoch {epoch}: mean loss {loss:F4} ({time.TotalSeconds:F1} s)"), stepLosses.Add);
WordVectors vectors = experiment.Vectors(model);

Console.WriteLine();
foreach (string word in new[] { "war", "peace", "congress", "economy", "tax", "army", "president", "january" })
    Console.WriteLine($"{word,-10} " + string.Join(", ", vectors.Nearest(word, 8).Select(n => $"{n.Word} {n.Similarity:F2}")));

// The seed's analogy, printed as it comes out: on 1.8 million words of speeches, "king" and "queen" are rare, so it may well miss.
Console.WriteLine();
Console.WriteLine("analogies a - b + c, the five nearest (the query words left out), with how often each query word occurs:");
foreach ((string a, string b, string c) in new[] { ("king", "man", "woman"), ("paris", "france", "england"), ("january", "february", "march") })
{
    string answer = !vectors.Contains(a) || !vectors.Contains(b) || !vectors.Contains(c)
        ? "(a word is not in the vocabulary)"
        : string.Join(", ", vectors.Analogy(a, b, c, 5).Select(n => $"{n.Word} {n.Similarity:F2}"));
    Console.WriteLine($"  {a} ({Count(a)}) - {b} ({Count(b)}) + {c} ({Count(c)}) = {answer}");
}

double trained = WordVectorExperiment.MonthShare(vectors);
Console.WriteLine();
Console.WriteLine($"month names among each month's 10 nearest neighbours (mean over the 12): {trained:F3} trained, {untrained:F3} untrained");

// The loss in means over 20 steps, and a 2-D map of four groups of words (PCA of their vectors), written beside the binary.
const int Window = 20;
double[] smoothed = stepLosses.Chunk(Window).Select(c => c.Average(v => (double)v)).ToArray();
string stem = Path.Combine(AppContext.BaseDirectory, "word-vectors");
TrainingPlots.Lines(new (string, IReadOnlyList<double>)[] { ("loss, mean of 20 steps", smoothed) }, stem + "-loss.png",
    title: $"skip-gram on the State of the Union addresses: {stepLosses.Count} steps of {WordVectorExperiment.BatchSize} pairs", xLabel: $"steps (x {Window})");
TrainingPlots.Points(WordVectorExperiment.Map(vectors), stem + "-map.png", "principal component 1", "principal component 2",
    title: "word vectors of four groups, projected on their two principal components");
Console.WriteLine($"plots: {stem}-loss.png, {stem}-map.png");
Console.WriteLine($"total time {total.Elapsed.TotalSeconds:F1} s");

int Count(string word) => experiment.Tokenizer.WordCounts.TryGetValue(word, out int n) ? n : 0;
