namespace Unroll.Models.Tests;

// Functional models (several inputs and outputs, merges, shared layers, reshaping); the golden ones match
// tools/reference/functional_models.py case by case.

/// <summary>Matches case "two_inputs_two_outputs": token ids and float features in; a class and two values out. Between them:
/// a masked GlobalAveragePooling1D, a shared Dense (applied to the features and to the pooled words), Add, Concatenate, fan-out
/// (Mean and Joined each feed two layers), Reshape and Flatten, and RepeatVector into an LSTM.</summary>
[Model(Optimizer = Optimizer.Adam, LearningRate = 0.01f, MaxBatch = 8)]
public partial class GoldenFunctional
{
    [Input(Length = 6, Vocabulary = 12)] public partial Layer Words { get; }
    [Input(Features = 4)] public partial Layer Stats { get; }
    [Embedding(Dimension = 4, MaskZero = true, From = nameof(Words))] public partial Layer Embed { get; }
    [GlobalAveragePooling1D] public partial Layer Mean { get; }
    [Dense(Units = 4, Activation = Activation.Tanh, From = nameof(Stats))] public partial Layer StatsCode { get; }
    [Shared(nameof(StatsCode), From = nameof(Mean))] public partial Layer MeanCode { get; }
    [Add(nameof(StatsCode), nameof(MeanCode))] public partial Layer Sum { get; }
    [Concatenate(nameof(Sum), nameof(Mean))] public partial Layer Joined { get; }
    [Reshape(2, 4)] public partial Layer Grid { get; }
    [Flatten] public partial Layer Flat { get; }
    [Dense(Units = 3, Activation = Activation.Softmax)]
    [Output(Loss = Loss.SparseCategoricalCrossEntropy)] public partial Layer Kind { get; }
    [RepeatVector(3, From = nameof(Joined))] public partial Layer Repeated { get; }
    [Lstm(Units = 5)] public partial Layer Decoder { get; }
    [Dense(Units = 2)]
    [Output(Loss = Loss.MeanSquaredError, Weight = 0.5f)] public partial Layer Value { get; }
}

/// <summary>Matches case "gan": the generator of a GAN pair, trained through <see cref="GoldenDiscriminator"/>.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.0002f, Beta1 = 0.5f, MaxBatch = 8)]
public partial class GoldenGenerator
{
    [Input(Features = 3)] public partial Layer Noise { get; }
    [Dense(Units = 6, Activation = Activation.LeakyRelu)] public partial Layer Hidden { get; }
    [Dense(Units = 4, Activation = Activation.Tanh)] public partial Layer Sample { get; }
}

/// <summary>Matches case "gan": the discriminator, frozen while the generator trains through it.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.0002f, Beta1 = 0.5f, MaxBatch = 8)]
public partial class GoldenDiscriminator
{
    [Input(Features = 4)] public partial Layer Image { get; }
    [Dense(Units = 5, Activation = Activation.LeakyRelu)] public partial Layer Hidden { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Real { get; }
}

/// <summary>Matches gan.json (tools/reference/gan_training.py): samples/Gan's generator, smaller: leaky ReLU 0.2 twice, tanh out.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.0002f, Beta1 = 0.5f, MaxBatch = 4)]
public partial class GanStepGenerator
{
    [Input(Features = 5)] public partial Layer Noise { get; }
    [Dense(Units = 7, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden1 { get; }
    [Dense(Units = 9, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden2 { get; }
    [Dense(Units = 6, Activation = Activation.Tanh)] public partial Layer Output { get; }
}

/// <summary>Matches gan.json: samples/Gan's discriminator, smaller; its batch holds the real and the generated samples together.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.0002f, Beta1 = 0.5f, MaxBatch = 8)]
public partial class GanStepDiscriminator
{
    [Input(Features = 6)] public partial Layer Image { get; }
    [Dense(Units = 8, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden1 { get; }
    [Dense(Units = 4, Activation = Activation.LeakyRelu, ActivationAlpha = 0.2f)] public partial Layer Hidden2 { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
}

/// <summary>Matches case "merges": every elementwise merge, Dot with Normalize, Permute and GlobalMaxPooling1D over a masked sequence.</summary>
[Model(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1f, MaxBatch = 8)]
public partial class GoldenMerges
{
    [Input(Features = 4)] public partial Layer A { get; }
    [Input(Features = 4)] public partial Layer B { get; }
    [Input(Length = 5, Vocabulary = 9)] public partial Layer Words { get; }
    [Dense(Units = 4, Activation = Activation.Tanh, From = nameof(A))] public partial Layer C { get; }
    [Subtract(nameof(A), nameof(B))] public partial Layer Difference { get; }
    [Multiply(nameof(A), nameof(B), nameof(C))] public partial Layer Product { get; }
    [Average(nameof(Difference), nameof(Product))] public partial Layer Mean { get; }
    [Maximum(nameof(A), nameof(C), nameof(Mean))] public partial Layer Largest { get; }
    [Minimum(nameof(B), nameof(Largest))] public partial Layer Smallest { get; }
    [Dot(nameof(Smallest), nameof(C), Normalize = true)] public partial Layer Cosine { get; }
    [Dot(nameof(Largest), nameof(B))] public partial Layer Inner { get; }
    [Embedding(Dimension = 3, MaskZero = true, From = nameof(Words))] public partial Layer Embed { get; }
    [Permute(1, 2)] public partial Layer Same { get; }
    [GlobalMaxPooling1D] public partial Layer Peak { get; }
    [Reshape(3, 1)] public partial Layer Column { get; }
    [Permute(2, 1)] public partial Layer Row { get; }
    [Flatten] public partial Layer RowFlat { get; }
    [Concatenate(nameof(Cosine), nameof(Inner), nameof(RowFlat), nameof(Smallest))] public partial Layer Joined { get; }
    [Dense(Units = 2)] public partial Layer Out { get; }
}

/// <summary>Matches case "masked_merge": two masked token sequences added, the combined mask steering a SimpleRNN.</summary>
[Model(Loss = Loss.MeanSquaredError, MaxBatch = 4)]
public partial class GoldenMaskedMerge
{
    [Input(Length = 5, Vocabulary = 10)] public partial Layer First { get; }
    [Input(Length = 5, Vocabulary = 10)] public partial Layer Second { get; }
    [Embedding(Dimension = 4, MaskZero = true, From = nameof(First))] public partial Layer FirstEmbed { get; }
    [Embedding(Dimension = 4, MaskZero = true, From = nameof(Second))] public partial Layer SecondEmbed { get; }
    [Add(nameof(FirstEmbed), nameof(SecondEmbed))] public partial Layer Sum { get; }
    [SimpleRnn(Units = 3)] public partial Layer Rnn { get; }
    [Dense(Units = 1)] public partial Layer Out { get; }
}

/// <summary>Matches case "overlapping_outputs": outputs that share floats or gradients with another output or the input (a Reshape
/// of an output, a softmax layer over an output, a Flatten of the input); each loss's gradient must add to what it shares.</summary>
[Model(Optimizer = Optimizer.Sgd, LearningRate = 0.1f, MaxBatch = 4)]
public partial class GoldenOverlappingOutputs
{
    [Input(Features = 4)] public partial Layer X { get; }
    [Dense(Units = 6)]
    [Output(Loss = Loss.MeanSquaredError, Weight = 0.5f)] public partial Layer Logits { get; }
    [Reshape(2, 3)]
    [Output(Loss = Loss.MeanSquaredError)] public partial Layer Grid { get; }
    [Dense(Units = 3, From = nameof(X))]
    [Output(Loss = Loss.MeanSquaredError)] public partial Layer Score { get; }
    [Activation(Activation.Softmax)]
    [Output(Loss = Loss.CategoricalCrossEntropy)] public partial Layer Probs { get; }
    [Flatten(From = nameof(X))]
    [Output(Loss = Loss.MeanSquaredError, Weight = 2f)] public partial Layer Echo { get; }
}
