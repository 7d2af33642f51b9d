namespace Unroll.Samples.Tabular;

// One small MLP per data set: widths are compile-time constants, so each data set gets its own class.

/// <summary>Iris: 4 measurements -> 3 species.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 16)]
public partial class IrisNet
{
    [Input(Features = 4)] public partial Layer Measurements { get; }
    [Dense(Units = 16, Activation = Activation.Tanh)] public partial Layer Hidden { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Species { get; }
}

/// <summary>Wine: 13 chemical measurements -> 3 cultivars.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 16)]
public partial class WineNet
{
    [Input(Features = 13)] public partial Layer Chemistry { get; }
    [Dense(Units = 16, Activation = Activation.Relu)] public partial Layer Hidden { get; }
    [Dropout(0.2f)] public partial Layer Drop { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Cultivar { get; }
}

/// <summary>Breast cancer: 30 cell-nucleus features -> malignant (0) or benign (1), one sigmoid unit.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 32)]
public partial class CancerNet
{
    [Input(Features = 30)] public partial Layer Nuclei { get; }
    [Dense(Units = 16, Activation = Activation.Relu, L2 = 0.001f)] public partial Layer Hidden { get; }
    [Dropout(0.2f)] public partial Layer Drop { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Benign { get; }
}
