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

// The recurrent models share one shape: word ids -> a learned 32-float vector per word (padding id 0 masked, so every
// sentence is read for exactly its own words) -> one recurrent layer of 32 units -> P(positive).

/// <summary>Embedding(2000, 32, mask zero) -> LSTM(32) -> sigmoid.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.003f, MaxBatch = 32)]
public partial class LstmSentimentNet
{
    [Input(Length = SentimentExperiment.SentenceLength, Vocabulary = SentimentExperiment.Vocabulary)] public partial Layer Words { get; }
    [Embedding(Dimension = 32, MaskZero = true)] public partial Layer Embed { get; }
    [Lstm(Units = 32)] public partial Layer Reader { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Positive { get; }
}

/// <summary>Embedding(2000, 32, mask zero) -> GRU(32) -> sigmoid.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.003f, MaxBatch = 32)]
public partial class GruSentimentNet
{
    [Input(Length = SentimentExperiment.SentenceLength, Vocabulary = SentimentExperiment.Vocabulary)] public partial Layer Words { get; }
    [Embedding(Dimension = 32, MaskZero = true)] public partial Layer Embed { get; }
    [Gru(Units = 32)] public partial Layer Reader { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Positive { get; }
}

/// <summary>Embedding(2000, 32, mask zero) -> SimpleRNN(32, tanh) -> sigmoid.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.003f, MaxBatch = 32)]
public partial class SimpleRnnSentimentNet
{
    [Input(Length = SentimentExperiment.SentenceLength, Vocabulary = SentimentExperiment.Vocabulary)] public partial Layer Words { get; }
    [Embedding(Dimension = 32, MaskZero = true)] public partial Layer Embed { get; }
    [SimpleRnn(Units = 32)] public partial Layer Reader { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Positive { get; }
}
