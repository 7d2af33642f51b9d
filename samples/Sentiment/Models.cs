namespace Unroll.Samples.Sentiment;

// The models of the experiment, side by side; each gets a method in SentimentExperiment.

/// <summary>The baseline: logistic regression on a bag of words, i.e. which of the <see cref="SentimentExperiment.Vocabulary"/> word
/// ids occur in the sentence (multi-hot), into one sigmoid unit.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 32)]
public partial class BagOfWordsNet
{
    [Input(Features = SentimentExperiment.Vocabulary)] public partial Layer Words { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Positive { get; }
}
