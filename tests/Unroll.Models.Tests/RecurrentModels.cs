namespace Unroll.Models.Tests;

// Sequence models the end-to-end tests train; the golden ones match tools/reference/rnn_models.py case by case.

/// <summary>The seed notes' news-title classifier: Embedding(3360, 100) -> SimpleRNN(50) -> Dense(5) softmax, 343,805 parameters in Keras.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 64)]
public partial class NewsTitleClassifier
{
    [Input(Length = 30, Vocabulary = 3360)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 100, MaskZero = true)] public partial Layer Embed { get; }
    [SimpleRnn(Units = 50)] public partial Layer Rnn { get; }
    [Dense(Units = 5, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>Matches case "bilstm_gru_bce_adam".</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 8)]
public partial class GoldenBiLstmGru
{
    [Input(Length = 12, Vocabulary = 20)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 6, MaskZero = true)] public partial Layer Embed { get; }
    [Bidirectional, Lstm(Units = 5, ReturnSequences = true)] public partial Layer Encoder { get; }
    [Gru(Units = 4)] public partial Layer Pool { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
}

/// <summary>Matches case "td_dense_stacked_simple_rnn_handover_sparse_momentum".</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Momentum, LearningRate = 0.1f, MaxBatch = 8)]
public partial class GoldenStackedSimpleRnn
{
    [Input(Length = 10, Features = 3)] public partial Layer Values { get; }
    [TimeDistributed, Dense(Units = 6, Activation = Activation.Tanh)] public partial Layer Project { get; }
    [SimpleRnn(Units = 4, ReturnSequences = true, ReturnState = true)] public partial Layer First { get; }
    [SimpleRnn(Units = 4, Activation = Activation.Relu, GoBackwards = true, InitialState = nameof(First))] public partial Layer Second { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>Matches case "lstm_handover_bigru_average_mse_rmsprop".</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, MaxBatch = 8)]
public partial class GoldenLstmHandoverBiGru
{
    [Input(Length = 11, Features = 2)] public partial Layer Values { get; }
    [Lstm(Units = 5, ReturnSequences = true, ReturnState = true)] public partial Layer A { get; }
    [Lstm(Units = 5, ReturnSequences = true, InitialState = nameof(A))] public partial Layer B { get; }
    [Bidirectional(MergeMode.Average), Gru(Units = 4)] public partial Layer C { get; }
    [Dense(Units = 2)] public partial Layer Output { get; }
}

/// <summary>Workload lstm-text of WORKLOADS.md: Embedding(10000, 128) -> LSTM(128) -> Dense(1) sigmoid, binary cross-entropy, batch 32 of 80 tokens;
/// with MaskZero on, so the allocation test covers the masked paths too (the benchmark's copy has none, as the PyTorch peer).</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 32)]
public partial class LstmTextWorkload
{
    [Input(Length = 80, Vocabulary = 10000)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 128, MaskZero = true)] public partial Layer Embed { get; }
    [Lstm(Units = 128)] public partial Layer Lstm { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
}

/// <summary>Workload gru-text of WORKLOADS.md: Embedding(10000, 128) -> GRU(128, reset_after) -> Dense(1) sigmoid, binary cross-entropy, batch 32 of 80 tokens;
/// with MaskZero on, as <see cref="LstmTextWorkload"/>.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 32)]
public partial class GruTextWorkload
{
    [Input(Length = 80, Vocabulary = 10000)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 128, MaskZero = true)] public partial Layer Embed { get; }
    [Gru(Units = 128)] public partial Layer Gru { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
}

/// <summary>Every recurrent option that draws random numbers or keeps extra buffers: input and recurrent dropout, a bidirectional
/// layer merged by product, a state handover, a TimeDistributed dense layer, clipping by global norm.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.AdamW, ClipNorm = 1f, MaxBatch = 16)]
public partial class RecurrentDropoutClassifier
{
    [Input(Length = 20, Vocabulary = 50)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 8, MaskZero = true)] public partial Layer Embed { get; }
    [TimeDistributed, Dense(Units = 8, Activation = Activation.Relu)] public partial Layer Project { get; }
    [Bidirectional(MergeMode.Multiply), Gru(Units = 6, ReturnSequences = true, Dropout = 0.2f, RecurrentDropout = 0.3f)] public partial Layer Both { get; }
    [Gru(Units = 6, ReturnSequences = true, ReturnState = true, Dropout = 0.1f)] public partial Layer First { get; }
    [SimpleRnn(Units = 6, RecurrentDropout = 0.25f, InitialState = nameof(First), From = nameof(Both))] public partial Layer Second { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>Matches case "tbptt_lstm_sparse_adam": a class per step, truncated BPTT in windows of 5 of the 12 steps.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 4, BpttWindow = 5)]
public partial class GoldenTbpttLstm
{
    [Input(Length = 12, Features = 2)] public partial Layer Values { get; }
    [Lstm(Units = 5, ReturnSequences = true)] public partial Layer Memory { get; }
    [TimeDistributed, Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Tag { get; }
}

/// <summary>Matches case "tbptt_masked_gru_bce_rmsprop": a 0/1 target per step, padded steps left out, windows of 4 of the 10 steps.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, LearningRate = 0.01f, MaxBatch = 4, BpttWindow = 4)]
public partial class GoldenTbpttMaskedGru
{
    [Input(Length = 10, Vocabulary = 15)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 4, MaskZero = true)] public partial Layer Embed { get; }
    [Gru(Units = 5, ReturnSequences = true)] public partial Layer Memory { get; }
    [TimeDistributed, Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Tag { get; }
}

/// <summary>The seed notes' truncated BPTT: 80 steps in windows of 20 give 4 updates per training step.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, MaxBatch = 2, BpttWindow = 20)]
public partial class SeedTruncatedBptt
{
    [Input(Length = 80, Features = 1)] public partial Layer Signal { get; }
    [SimpleRnn(Units = 8, ReturnSequences = true)] public partial Layer Memory { get; }
    [TimeDistributed, Dense(Units = 1)] public partial Layer Next { get; }
}

/// <summary>Matches case "masked_bidirectional_simple_rnn_multiply_sparse_adagrad".</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adagrad, LearningRate = 0.05f, MaxBatch = 4)]
public partial class GoldenBiSimpleRnn
{
    [Input(Length = 11, Vocabulary = 12)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 5, MaskZero = true)] public partial Layer Embed { get; }
    [Bidirectional(MergeMode.Multiply), SimpleRnn(Units = 4, Activation = Activation.Relu, ReturnSequences = true)] public partial Layer Both { get; }
    [SimpleRnn(Units = 3)] public partial Layer Top { get; }
    [Dense(Units = 2, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>Matches case "tbptt_stacked_simple_rnn_mse_sgd": a value per step, windows of 4 of the 10 steps.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.05f, MaxBatch = 4, BpttWindow = 4)]
public partial class GoldenTbpttStackedSimpleRnn
{
    [Input(Length = 10, Features = 2)] public partial Layer Values { get; }
    [SimpleRnn(Units = 4, ReturnSequences = true)] public partial Layer Lower { get; }
    [SimpleRnn(Units = 3, Activation = Activation.Relu, ReturnSequences = true)] public partial Layer Upper { get; }
    [TimeDistributed, Dense(Units = 1)] public partial Layer Next { get; }
}
