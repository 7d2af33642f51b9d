using Unroll.Samples.Words;
using Unroll.Text;
using Xunit;

namespace Unroll.Samples.Tests;

/// <summary>The word-vector sample's parts without its data (the addresses are fetched, not shipped): the skip-gram model's step allocates
/// nothing and learns to tell seen pairs from noise, and the month figure counts what it should.</summary>
public class WordVectorsSampleTests
{
    [Fact]
    public void SteadyStateSkipGramStepsAllocateNothing()
    {
        var random = new SeededRandom(1);
        int[][] docs = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 5000).Select(_ => 1 + random.NextInt(2000)).ToArray()).ToArray();
        var sampler = new SkipGramSampler(docs, WordVectorExperiment.Vocabulary);
        var model = new SkipGram(seed: 1);
        var words = new int[1024];
        var contexts = new int[1024];
        var labels = new float[1024];
        var outputs = new float[1024];
        sampler.NextBatch(words, contexts, labels);
        model.TrainStep(words, contexts, labels);
        model.Predict(words, contexts, outputs);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            sampler.NextBatch(words, contexts, labels);
            model.TrainStep(words, contexts, labels);
            model.Predict(words, contexts, outputs);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheModelLearnsWhichWordsGoTogether()
    {
        // Two "topics": documents of ids 1..50 and documents of ids 51..100. After training, a word's nearest neighbours are from its
        // own topic, and a pair from one topic scores above a pair across topics.
        var random = new SeededRandom(2);
        int[][] docs = Enumerable.Range(0, 40).Select(d => Enumerable.Range(0, 500).Select(_ => 1 + d % 2 * 50 + random.NextInt(50)).ToArray()).ToArray();
        var sampler = new SkipGramSampler(docs, WordVectorExperiment.Vocabulary, new SkipGramOptions { Subsample = 0, Seed = 3 });
        var model = new SkipGram(seed: 4);
        model.LearningRate = 0.02f;
        var words = new int[4096];
        var contexts = new int[4096];
        var labels = new float[4096];
        for (int epoch = 0; epoch < 3; epoch++)
        {
            int n;
            while ((n = sampler.NextBatch(words, contexts, labels)) > 0)
                model.TrainStep(words.AsSpan(0, n), contexts.AsSpan(0, n), labels.AsSpan(0, n));
            sampler.StartEpoch();
        }
        var names = new string?[WordVectorExperiment.Vocabulary];
        for (int id = 1; id <= 100; id++) names[id] = "w" + id;
        var vectors = new WordVectors(model.WordVector.Parameters, WordVectorExperiment.Dimension, names);
        foreach (string word in new[] { "w3", "w40", "w60", "w99" })
        {
            bool low = int.Parse(word[1..]) <= 50;
            Assert.All(vectors.Nearest(word, 10), n => Assert.Equal(low, int.Parse(n.Word[1..]) <= 50));
        }
        var p = new float[2];
        model.Predict(new[] { 3, 3 }, new[] { 7, 77 }, p);
        Assert.True(p[0] > p[1], $"P(seen) {p[0]:F3} within a topic, {p[1]:F3} across");
    }

    [Fact]
    public void MonthShareCountsOtherMonthsAmongTheTenNearest()
    {
        // The twelve months clustered on one axis, twenty other words on another: each month's ten nearest are ten other months.
        string[] others = Enumerable.Range(0, 20).Select(i => "word" + i).ToArray();
        string?[] words = WordVectorExperiment.Months.Concat(others).ToArray();
        var table = new float[words.Length * 2];
        for (int i = 0; i < 12; i++) { table[2 * i] = 1; table[2 * i + 1] = 0.01f * i; }
        for (int i = 12; i < words.Length; i++) { table[2 * i] = 0.01f * i; table[2 * i + 1] = 1; }
        Assert.Equal(1.0, WordVectorExperiment.MonthShare(new WordVectors(table, 2, words)));

        // Swap the axes of half the months: each month then has five of its own cluster, and the rest are other words.
        for (int i = 0; i < 6; i++) (table[2 * i], table[2 * i + 1]) = (table[2 * i + 1], table[2 * i]);
        double share = WordVectorExperiment.MonthShare(new WordVectors(table, 2, words));
        Assert.InRange(share, 0.49, 0.51);
    }
}
