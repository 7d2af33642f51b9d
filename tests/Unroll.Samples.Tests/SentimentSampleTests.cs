using Unroll.Samples.Sentiment;
using Xunit;

namespace Unroll.Samples.Tests;

/// <summary>The sentiment sample's claims: 3,000 balanced sentences, a tokenizer that sees only the training part, and a bag-of-words
/// logistic regression reaching a mean held-out accuracy of at least 0.75 over 3 seeded stratified 80/20 splits (it measures 0.82;
/// scikit-learn's LogisticRegression on 1,999-word binary features averages 0.82 on its own 3 splits).</summary>
public class SentimentSampleTests
{
    private static readonly SentimentExperiment Experiment = SentimentExperiment.Load(Path.Combine(AppContext.BaseDirectory, "data"));

    [Fact]
    public void TheCorpusHas3000BalancedSentences()
    {
        IReadOnlyList<LabelledSentence> sentences = SentimentCorpus.Load(Path.Combine(AppContext.BaseDirectory, "data"));
        Assert.Equal(3000, sentences.Count);
        foreach (string source in SentimentCorpus.Sources)
        {
            Assert.Equal(500, sentences.Count(s => s.Source == source && s.Label == 0));
            Assert.Equal(500, sentences.Count(s => s.Source == source && s.Label == 1));
        }
        Assert.DoesNotContain(sentences, s => s.Text.Length == 0);
    }

    [Fact]
    public void TheSplitIsStratifiedAndTheTokenizerKnowsOnlyTrainingWords()
    {
        SentimentSplit split = Experiment.Split(1);
        Assert.Equal(2400, split.TrainTexts.Count);
        Assert.Equal(600, split.TestTexts.Count);
        Assert.Equal(300, split.TestLabels.Count(l => l == 1));
        Assert.Equal(SentimentExperiment.Vocabulary, split.Tokenizer.VocabularySize);
        var trainWords = split.TrainTexts.SelectMany(t => split.Tokenizer.Cleaner.Tokenize(t)).ToHashSet();
        Assert.All(split.Tokenizer.WordIndex.Keys.Where(w => w != SentimentExperiment.OovToken), w => Assert.Contains(w, trainWords));
        Assert.Contains(split.TestTexts.SelectMany(t => split.Tokenizer.Cleaner.Tokenize(t)), w => !trainWords.Contains(w));
        // The same seed gives the same split.
        Assert.Equal(split.TestTexts, Experiment.Split(1).TestTexts);
        Assert.NotEqual(split.TestTexts, Experiment.Split(2).TestTexts);
    }

    [Fact]
    public void EveryModelLearnsAndTheLstmReachesTheIssuesBar()
    {
        // One run of the sample's protocol: 3 seeded splits, four models. Bars: the issue's 0.74 mean for the LSTM (PyTorch models
        // of the same size average 0.74-0.77), 0.75 for the bag-of-words baseline, 0.70 for the GRU and SimpleRNN shown beside them.
        IReadOnlyList<ModelResult> results = Experiment.Run();
        Assert.Equal(SentimentExperiment.Models.Select(m => m.Name), results.Select(r => r.Name));
        foreach ((string name, double bar) in new[]
        {
            ("bag of words + logistic regression", 0.75), ("embedding + LSTM", 0.74), ("embedding + GRU", 0.70), ("embedding + SimpleRNN", 0.70),
        })
        {
            ModelResult result = results.Single(r => r.Name == name);
            Assert.Equal(3, result.Accuracies.Count);
            Assert.True(result.MeanAccuracy >= bar,
                $"{name}: mean held-out accuracy {result.MeanAccuracy:F4} < {bar} ({string.Join(", ", result.Accuracies.Select(a => a.ToString("F3")))})");
            float[] p = result.Last.PositiveProbability(new[] { "The food was delicious and the staff were friendly.", "Terrible, a waste of money." });
            Assert.True(p[0] > 0.5f && p[1] < 0.5f, $"{name}: P(positive) {p[0]:F3} and {p[1]:F3}");
        }
    }
}
