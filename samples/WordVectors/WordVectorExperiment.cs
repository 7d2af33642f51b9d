using System.Diagnostics;
using Unroll.Text;

namespace Unroll.Samples.Words;

/// <summary>The word-vector sample's protocol: the State of the Union addresses tokenized (words seen at least 5 times, as word2vec's
/// <c>-min-count 5</c>), skip-gram pairs drawn as word2vec draws them (<see cref="SkipGramSampler"/>), <see cref="SkipGram"/> trained on
/// them, and the month-name figure: for each of the twelve months, the share of the other months among its ten nearest neighbours.</summary>
public sealed class WordVectorExperiment
{
    public const int Vocabulary = 12_288;
    public const int Dimension = 100;
    public const int BatchSize = 16384;
    public const float LearningRate = 2e-3f;
    public const int MinCount = 5;

    public static readonly string[] Months =
        { "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december" };

    private WordVectorExperiment(Tokenizer tokenizer, int[][] documents, int addresses)
    {
        Tokenizer = tokenizer;
        Documents = documents;
        Addresses = addresses;
    }

    public Tokenizer Tokenizer { get; }

    /// <summary>Each address as token ids; words rarer than <see cref="MinCount"/> are left out.</summary>
    public int[][] Documents { get; }

    public int Addresses { get; }

    public long Tokens => Documents.Sum(d => (long)d.Length);

    /// <summary>Reads every address (<c>*.txt</c>, in name order) under <paramref name="directory"/> and tokenizes them.</summary>
    public static WordVectorExperiment Load(string directory)
    {
        string[] files = Directory.GetFiles(directory, "*.txt").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new FileNotFoundException($"No address (*.txt) in '{directory}'. Fetch them once with: samples/fetch-data.sh sotu");
        string[] texts = files.Select(File.ReadAllText).ToArray();
        var tokenizer = new Tokenizer { MinCount = MinCount }.Fit(texts);
        if (tokenizer.VocabularySize > Vocabulary)
            throw new InvalidDataException($"The addresses have {tokenizer.VocabularySize - 1} words seen at least {MinCount} times; the model's embeddings hold {Vocabulary - 1}.");
        return new WordVectorExperiment(tokenizer, tokenizer.TextsToSequences(texts), files.Length);
    }

    /// <summary>Trains a <see cref="SkipGram"/> for <paramref name="epochs"/> passes over the pairs the sampler draws; <paramref name="onStep"/>
    /// sees every step's loss.</summary>
    public SkipGram Train(ulong seed, int epochs, Action<int, double, TimeSpan>? onEpoch = null, Action<float>? onStep = null)
    {
        var model = new SkipGram(seed);
        var sampler = new SkipGramSampler(Documents, Vocabulary, new SkipGramOptions { Seed = seed });
        var words = new int[BatchSize];
        var contexts = new int[BatchSize];
        var labels = new float[BatchSize];
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            double lossSum = 0;
            int steps = 0, n;
            while ((n = sampler.NextBatch(words, contexts, labels)) > 0)
            {
                float loss = model.TrainStep(words.AsSpan(0, n), contexts.AsSpan(0, n), labels.AsSpan(0, n));
                onStep?.Invoke(loss);
                lossSum += loss;
                steps++;
            }
            sampler.StartEpoch();
            onEpoch?.Invoke(epoch, lossSum / steps, watch.Elapsed);
        }
        return model;
    }

    /// <summary>Word groups for the 2-D map of the vectors: words that should gather with their own kind.</summary>
    public static readonly (string Group, string[] Words)[] MapGroups =
    {
        ("months", Months),
        ("numbers", new[] { "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten" }),
        ("military", new[] { "army", "navy", "troops", "military", "soldiers", "forces", "war" }),
        ("money", new[] { "tax", "taxes", "revenue", "debt", "budget", "dollars", "deficit" }),
    };

    /// <summary>The words of <see cref="MapGroups"/> in the vocabulary, placed on the plane of the two principal components of their unit
    /// vectors (a PCA fitted to these words only), as the TensorFlow embedding projector shows them.</summary>
    public static IReadOnlyList<(string Group, string Label, double X, double Y)> Map(WordVectors vectors)
    {
        var words = MapGroups.SelectMany(g => g.Words.Where(vectors.Contains).Select(w => (g.Group, Word: w))).ToArray();
        float[] rows = words.SelectMany(w => vectors.Vector(w.Word).ToArray()).ToArray();
        Pca pca = Pca.Fit(rows, vectors.Dimension, k: 2);
        return words.Select(w =>
        {
            float[] xy = pca.Project(vectors.Vector(w.Word));
            return (w.Group, w.Word, (double)xy[0], (double)xy[1]);
        }).ToArray();
    }

    /// <summary>The word vectors (the <c>WordVector</c> embedding's rows) of <paramref name="model"/>, by the tokenizer's words.</summary>
    public WordVectors Vectors(SkipGram model) =>
        WordVectors.FromTokenizer(model.WordVector.Parameters, Dimension, Vocabulary, Tokenizer);

    /// <summary>For each month name, the share of the other eleven among its ten nearest neighbours; the mean over the twelve.</summary>
    public static double MonthShare(WordVectors vectors)
    {
        var months = new HashSet<string>(Months);
        return Months.Average(m => vectors.Nearest(m, 10).Count(n => months.Contains(n.Word)) / 10.0);
    }
}
