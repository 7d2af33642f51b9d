namespace Unroll.Samples.Words;

/// <summary>
/// Skip-gram with negative sampling as a two-input model: a word and a context word, each looked up in its own embedding (the word
/// vectors and the context vectors, as word2vec's syn0 and syn1neg), their dot product through a sigmoid: the probability that the
/// context was seen near the word rather than drawn as noise. Binary cross-entropy against 1 for seen pairs, 0 for noise.
/// </summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = WordVectorExperiment.LearningRate, MaxBatch = WordVectorExperiment.BatchSize)]
public partial class SkipGram
{
    [Input(Length = 1, Vocabulary = WordVectorExperiment.Vocabulary)] public partial Layer Word { get; }
    [Input(Length = 1, Vocabulary = WordVectorExperiment.Vocabulary)] public partial Layer Context { get; }
    [Embedding(Dimension = WordVectorExperiment.Dimension, From = nameof(Word))] public partial Layer WordVector { get; }
    [Flatten] public partial Layer WordFlat { get; }
    [Embedding(Dimension = WordVectorExperiment.Dimension, From = nameof(Context))] public partial Layer ContextVector { get; }
    [Flatten] public partial Layer ContextFlat { get; }
    [Dot(nameof(WordFlat), nameof(ContextFlat))] public partial Layer Score { get; }
    [Activation(Activation.Sigmoid)] public partial Layer Seen { get; }
}
