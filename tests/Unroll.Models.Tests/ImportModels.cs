namespace Unroll.Models.Tests;

// Twins of the PyTorch modules of tools/reference/rnn_import.py, loaded from their state_dicts under PyTorch's own names.

/// <summary>TextModel: nn.Embedding(16, 6) -> nn.LSTM(6, 5, bidirectional=True), every step -> nn.GRU(10, 4), last step -> nn.Linear(4, 3).</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, MaxBatch = 4)]
public partial class ImportedTextModel
{
    [Input(Length = 7, Vocabulary = 16)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 6)] public partial Layer Embed { get; }
    [Bidirectional, Lstm(Units = 5, ReturnSequences = true)] public partial Layer Encoder { get; }
    [Gru(Units = 4)] public partial Layer Pool { get; }
    [Dense(Units = 3)] public partial Layer Output { get; }
}

/// <summary>SeriesModel: nn.RNN(3, 5, tanh), last step -> nn.Linear(5, 2), on 6 steps of 3 floats.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, MaxBatch = 4)]
public partial class ImportedSeriesModel
{
    [Input(Length = 6, Features = 3)] public partial Layer Values { get; }
    [SimpleRnn(Units = 5)] public partial Layer Rnn { get; }
    [Dense(Units = 2)] public partial Layer Output { get; }
}
