namespace Unroll.Generator.Tests;

/// <summary>Representative model declarations used by the snapshot and compile-and-run tests.</summary>
internal static class Models
{
    public const string IrisClassifier = """
        using Unroll;

        namespace Demo;

        [Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 16)]
        public partial class IrisClassifier
        {
            [Input(Features = 4)] public partial Layer Measurements { get; }
            [Dense(Units = 8, Activation = Activation.Relu)] public partial Layer Hidden { get; }
            [Dropout(0.1f)] public partial Layer Drop { get; }
            [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Output { get; }
        }
        """;

    public const string Regressor = """
        using Unroll;

        namespace Demo.Regression
        {
            public static partial class Outer
            {
                [Model(Loss = Loss.Huber, HuberDelta = 0.5f, Optimizer = Optimizer.Nesterov, LearningRate = 0.05f, Momentum = 0.8f, MaxBatch = 8, ClipNorm = 1f)]
                internal partial class Regressor
                {
                    [Input(Features = 3)] internal partial Layer Inputs { get; }
                    [Dense(Units = 5, Activation = Activation.Tanh, UseBias = false, KernelInitializer = Initializer.HeNormal, L2 = 0.01f)] internal partial Layer Hidden { get; }
                    [Dense(Units = 2, Activation = Activation.Elu, ActivationAlpha = 0.5f, L1 = 0.001f)] internal partial Layer Second { get; }
                    [Dense(Units = 1, BiasInitializer = Initializer.Constant, BiasScale = 2.5f)] internal partial Layer Output { get; }
                }
            }
        }
        """;

    public const string BinaryClassifier = """
        using Unroll;

        [Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, ClipValue = 0.5f, MaxBatch = 4)]
        public partial class BinaryClassifier
        {
            [Input(Features = 6)] public partial Layer Features { get; }
            [Dense(Units = 4, Activation = Activation.PRelu, Trainable = false)] public partial Layer Frozen { get; }
            [Activation(Activation.LeakyRelu, Alpha = 0.1f)] public partial Layer Leaky { get; }
            [Dense(Units = 4, Activation = Activation.Gelu, From = nameof(Leaky))] public partial Layer Smooth { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
        }
        """;

    /// <summary>A sentiment classifier: padded word ids, masked, into an LSTM.</summary>
    public const string SentimentLstm = """
        using Unroll;

        namespace Demo.Text;

        [Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.003f, MaxBatch = 32)]
        public partial class SentimentLstm
        {
            [Input(Length = 40, Vocabulary = 2000)] public partial Layer Words { get; }
            [Embedding(Dimension = 32, MaskZero = true)] public partial Layer Embed { get; }
            [Lstm(Units = 32)] public partial Layer Reader { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Positive { get; }
        }
        """;

    /// <summary>A stacked bidirectional model on float sequences: two merge modes, dropout, a TimeDistributed dense layer.</summary>
    public const string StackedBidirectional = """
        using Unroll;

        [Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.RmsProp, ClipNorm = 1f, MaxBatch = 16)]
        public partial class StackedBidirectional
        {
            [Input(Length = 12, Features = 3)] public partial Layer Readings { get; }
            [TimeDistributed, Dense(Units = 8, Activation = Activation.Relu)] public partial Layer Project { get; }
            [Bidirectional, Gru(Units = 6, ReturnSequences = true, Dropout = 0.2f)] public partial Layer Lower { get; }
            [Bidirectional(MergeMode.Sum), Lstm(Units = 5, RecurrentDropout = 0.1f)] public partial Layer Upper { get; }
            [Dense(Units = 4, Activation = Activation.Softmax)] public partial Layer Label { get; }
        }
        """;

    /// <summary>A tagger with a class per step, trained by truncated BPTT over padded token windows.</summary>
    public const string TruncatedTagger = """
        using Unroll;

        [Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 8, BpttWindow = 20)]
        public partial class TruncatedTagger
        {
            [Input(Length = 80, Vocabulary = 500)] public partial Layer Words { get; }
            [Embedding(Dimension = 16, MaskZero = true)] public partial Layer Embed { get; }
            [Lstm(Units = 24, ReturnSequences = true)] public partial Layer Reader { get; }
            [TimeDistributed, Dense(Units = 6, Activation = Activation.Softmax)] public partial Layer Tag { get; }
        }
        """;

    /// <summary>DESIGN.md's functional example: two token inputs, an LSTM and a masked mean joined by Concatenate, two outputs
    /// with their own losses and weights.</summary>
    public const string TicketRouter = """
        using Unroll;

        namespace Support
        {
            [Model(Optimizer = Optimizer.Adam, MaxBatch = 32)]
            public partial class TicketRouter
            {
                [Input(Length = 20, Vocabulary = 5000)] public partial Layer Title { get; }
                [Input(Length = 200, Vocabulary = 5000)] public partial Layer Body { get; }
                [Embedding(Dimension = 64, From = nameof(Title))] public partial Layer TitleEmbed { get; }
                [Lstm(Units = 32)] public partial Layer TitleState { get; }
                [Embedding(Dimension = 64, MaskZero = true, From = nameof(Body))] public partial Layer BodyEmbed { get; }
                [GlobalAveragePooling1D] public partial Layer BodyMean { get; }
                [Concatenate(nameof(TitleState), nameof(BodyMean))] public partial Layer Joined { get; }
                [Dense(Units = 4, Activation = Activation.Softmax)]
                [Output(Loss = Loss.SparseCategoricalCrossEntropy)] public partial Layer Team { get; }
                [Dense(Units = 1, Activation = Activation.Sigmoid, From = nameof(Joined))]
                [Output(Loss = Loss.BinaryCrossEntropy, Weight = 0.2f)] public partial Layer Urgent { get; }
            }
        }
        """;

    /// <summary>Siamese towers: one Dense shared by two inputs, their cosine similarity, a residual Add and a Flatten view.</summary>
    public const string Siamese = """
        using Unroll;

        [Model(Loss = Loss.BinaryCrossEntropy, MaxBatch = 16)]
        public partial class Siamese
        {
            [Input(Shape = new[] { 4, 2 })] public partial Layer Left { get; }
            [Input(Shape = new[] { 4, 2 })] public partial Layer Right { get; }
            [Flatten(From = nameof(Left))] public partial Layer LeftFlat { get; }
            [Dense(Units = 8, Activation = Activation.Tanh)] public partial Layer Tower { get; }
            [Flatten(From = nameof(Right))] public partial Layer RightFlat { get; }
            [Shared(nameof(Tower))] public partial Layer RightTower { get; }
            [Add(nameof(Tower), nameof(LeftFlat))] public partial Layer LeftResidual { get; }
            [Add(nameof(RightTower), nameof(RightFlat))] public partial Layer RightResidual { get; }
            [Dot(nameof(LeftResidual), nameof(RightResidual), Normalize = true)] public partial Layer Cosine { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Same { get; }
        }
        """;
}
