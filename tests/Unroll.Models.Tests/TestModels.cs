namespace Unroll.Models.Tests;

// The models the end-to-end tests train. The generator runs in the real build (an Analyzer project reference).

/// <summary>The seed notes' 4-3-2-1 network: 4*3+3 + 3*2+2 + 2*1+1 = 26 parameters.</summary>
[Model(Loss = Loss.MeanSquaredError)]
public partial class SeedMlp
{
    [Input(Features = 4)] public partial Layer Inputs { get; }
    [Dense(Units = 3, Activation = Activation.Sigmoid)] public partial Layer Hidden1 { get; }
    [Dense(Units = 2, Activation = Activation.Sigmoid)] public partial Layer Hidden2 { get; }
    [Dense(Units = 1)] public partial Layer Output { get; }
}

/// <summary>The seed notes' hand-worked 2-2-1 linear network: every weight 1, every bias 0, MSE.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.01f, MaxBatch = 1)]
public partial class SeedLinearNetwork
{
    [Input(Features = 2)] public partial Layer Inputs { get; }
    [Dense(Units = 2, KernelInitializer = Initializer.Ones)] public partial Layer Hidden { get; }
    [Dense(Units = 1, KernelInitializer = Initializer.Ones)] public partial Layer Output { get; }
}

/// <summary>Matches case "tanh_relu_softmax_sparse_adam" of tools/reference/mlp.py.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 8)]
public partial class GoldenSoftmaxMlp
{
    [Input(Features = 5)] public partial Layer Inputs { get; }
    [Dense(Units = 7, Activation = Activation.Tanh)] public partial Layer Hidden1 { get; }
    [Dense(Units = 6, Activation = Activation.Relu)] public partial Layer Hidden2 { get; }
    [Dense(Units = 4, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>Matches case "elu_sigmoid_linear_mse_sgd" of tools/reference/mlp.py.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Momentum, LearningRate = 0.1f, Momentum = 0.9f, MaxBatch = 8)]
public partial class GoldenRegressionMlp
{
    [Input(Features = 3)] public partial Layer Inputs { get; }
    [Dense(Units = 8, Activation = Activation.Elu)] public partial Layer Hidden1 { get; }
    [Dense(Units = 5, Activation = Activation.Sigmoid)] public partial Layer Hidden2 { get; }
    [Dense(Units = 2)] public partial Layer Output { get; }
}

/// <summary>A classifier with dropout, for allocation and training tests.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 32)]
public partial class DropoutClassifier
{
    [Input(Features = 4)] public partial Layer Features { get; }
    [Dense(Units = 32, Activation = Activation.Relu)] public partial Layer Hidden { get; }
    [Dropout(0.2f)] public partial Layer Drop { get; }
    [Dense(Units = 16, Activation = Activation.Gelu)] public partial Layer Hidden2 { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>A regressor with clipping, penalties and momentum, for allocation tests.</summary>
[Model(Loss = Loss.Huber, Optimizer = Optimizer.Nesterov, ClipNorm = 1f, ClipValue = 0.5f, MaxBatch = 16)]
public partial class ClippedRegressor
{
    [Input(Features = 6)] public partial Layer Features { get; }
    [Dense(Units = 12, Activation = Activation.PRelu, L1 = 0.001f, L2 = 0.01f)] public partial Layer Hidden { get; }
    [Activation(Activation.LeakyRelu)] public partial Layer Leaky { get; }
    [Dense(Units = 2)] public partial Layer Output { get; }
}

/// <summary>Binary classification on logits.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, FromLogits = true, Optimizer = Optimizer.RmsProp, MaxBatch = 16)]
public partial class LogitClassifier
{
    [Input(Features = 2)] public partial Layer Features { get; }
    [Dense(Units = 8, Activation = Activation.Selu)] public partial Layer Hidden { get; }
    [Dense(Units = 1)] public partial Layer Logit { get; }
}

/// <summary>Activation and dropout layers in every position the inference path treats differently:
/// straight after the input (not writable in place), between dense layers, and after the last dense layer.</summary>
[Model(Loss = Loss.CategoricalCrossEntropy, MaxBatch = 8)]
public partial class LayerPositions
{
    [Input(Features = 5)] public partial Layer Features { get; }
    [Activation(Activation.Tanh)] public partial Layer Squash { get; }
    [Dropout(0.3f)] public partial Layer Drop1 { get; }
    [Dense(Units = 6)] public partial Layer Linear1 { get; }
    [Activation(Activation.PRelu)] public partial Layer Slopes { get; }
    [Dense(Units = 7, Activation = Activation.Elu)] public partial Layer Hidden { get; }
    [Dense(Units = 4)] public partial Layer Logits { get; }
    [Dropout(0.2f)] public partial Layer Drop2 { get; }
    [Activation(Activation.Softmax)] public partial Layer Probabilities { get; }
}
