using Microsoft.CodeAnalysis;
using Unroll.Generator.Diagnostics;

namespace Unroll.Generator.Tests;

/// <summary>One test per diagnostic: the analyzer must report exactly the marked IDs at exactly the marked spans.</summary>
public class DiagnosticTests
{
    internal static Task VerifyAsync(string markup, params string[] messageFragments) => AnalyzerVerifier.VerifyAsync(markup, messageFragments);

    internal const string Head = "using Unroll;\n";

    [Fact]
    public Task UNR0001_ModelClassNotPartial() => VerifyAsync(Head + """
        [Model] public class {|UNR0001:Net|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "'Net'");

    [Fact]
    public Task UNR0002_ContainingTypeNotPartial() => VerifyAsync(Head + """
        public class {|UNR0002:Outer|}
        {
            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
        }
        """, "'Outer'");

    [Fact]
    public Task UNR0003_NoInput() => VerifyAsync(Head + """
        [Model] public partial class {|UNR0003:Net|}
        {
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Model 'Net' has no [Input] layer");

    [Fact]
    public Task UNR0004_LayerBeforeInput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [{|UNR0004:Dense(Units = 3)|}] public partial Layer Early { get; }
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "'Early' is declared before the [Input] layer 'In'");

    [Fact]
    public Task UNR0005_LayerMemberNotPartialLayerProperty() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public Layer {|UNR0005:NotPartial|} => null!;
            [Dense(Units = 1)] public partial int {|UNR0005:WrongType|} { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        public partial class Net { public partial int WrongType { get => 0; } }
        """, "'NotPartial'", "'WrongType'");

    [Fact]
    public Task UNR0006_FromNamesSomethingThatIsNotALayer() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, {|UNR0006:From = nameof(Helper)|})] public partial Layer Hidden { get; }
            public int Helper => 0;
        }
        """, "names 'Helper', which is not a layer of model 'Net'");

    [Fact]
    public Task UNR0007_FromCreatesACycle() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, {|UNR0007:From = nameof(B)|})] public partial Layer A { get; }
            [Dense(Units = 3)] public partial Layer B { get; }
        }
        """, "A -> B -> A");

    [Fact]
    public Task UNR0008_NonPositiveUnitsAndFeatures() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input({|UNR0008:Features = 0|})] public partial Layer In { get; }
            [Dense({|UNR0008:Units = -2|})] public partial Layer Out { get; }
        }
        """, "Features of layer 'In' must be at least 1, but is 0", "Units of layer 'Out' must be at least 1, but is -2");

    [Fact]
    public Task UNR0009_DropoutRateOutOfRange() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dropout({|UNR0009:1f|})] public partial Layer Drop { get; }
            [Dropout({|UNR0009:-0.1f|})] public partial Layer Drop2 { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "must be in [0, 1), but is 1", "but is -0.1");

    [Fact]
    public Task UNR0010_SparseCrossEntropyWithOneUnit() => VerifyAsync(Head + """
        [Model({|UNR0010:Loss = Loss.SparseCategoricalCrossEntropy|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1, Activation = Activation.Softmax)] public partial Layer Out { get; }
        }
        """, "SparseCategoricalCrossEntropy does not fit the output layer 'Out' (1 unit, softmax)");

    [Fact]
    public Task UNR0010_BinaryCrossEntropyWithSoftmax() => VerifyAsync(Head + """
        [Model({|UNR0010:Loss = Loss.BinaryCrossEntropy|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Out { get; }
        }
        """, "use a sigmoid");

    [Fact]
    public Task UNR0011_CrossEntropyOnLinearOutputWithoutFromLogits() => VerifyAsync(Head + """
        [Model({|UNR0011:Loss = Loss.CategoricalCrossEntropy|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer Out { get; }
        }
        [Model(Loss = Loss.CategoricalCrossEntropy, FromLogits = true)] public partial class Fine
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer Out { get; }
        }
        """, "add a softmax activation, or set FromLogits = true");

    [Fact]
    public Task UNR0012_SoftmaxOnHiddenLayer() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, {|UNR0012:Activation = Activation.Softmax|})] public partial Layer Hidden { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Layer 'Hidden' applies softmax but is not the output layer");

    [Fact]
    public Task UNR0013_MaxBatchNotPositive() => VerifyAsync(Head + """
        [Model({|UNR0013:MaxBatch = 0|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "MaxBatch of model 'Net' must be at least 1, but is 0");

    [Fact]
    public Task UNR0015_LayerNotOnThePathToTheOutput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer {|UNR0015:Branch|} { get; }
            [Dense(Units = 1, From = nameof(In))] public partial Layer Out { get; }
        }
        """, "Layer 'Branch' does not feed any output ('Out'), so it is never computed");

    [Fact]
    public Task UNR0016_HyperparameterOutOfRange() => VerifyAsync(Head + """
        [Model({|UNR0016:LearningRate = 0f|}, {|UNR0016:Beta2 = 1f|}, {|UNR0016:ClipNorm = -1f|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1, {|UNR0016:L2 = -0.5f|})] public partial Layer Out { get; }
        }
        """, "LearningRate must be greater than 0, but is 0", "Beta2 must be in [0, 1), but is 1", "L2 of layer 'Out' must be at least 0, but is -0.5");

    [Fact]
    public Task UNR0017_NothingAfterTheInput() => VerifyAsync(Head + """
        [Model] public partial class {|UNR0017:Net|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
        }
        """, "has no layer after its [Input] layer 'In'");

    [Fact]
    public Task UNR0018_FromOnTheInput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2, {|UNR0018:From = nameof(Out)|})] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "[Input] layer 'In' takes no input");

    [Fact]
    public Task UNR0019_ModelTooLargeForAnArray() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 100000)] public partial Layer In { get; }
            [{|UNR0019:Dense(Units = 30000)|}] public partial Layer Out { get; }
        }
        [Model] public partial class {|UNR0019:Deep|}
        {
            [Input(Features = 40000)] public partial Layer In { get; }
            [Dense(Units = 40000)] public partial Layer Hidden { get; }
            [Dense(Units = 20000)] public partial Layer Out { get; }
        }
        [Model(MaxBatch = 100000)] public partial class {|UNR0019:Wide|}
        {
            [Input(Features = 30000)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Model 'Net' needs 3,000,000,000 floats for its tensor out.weight (30000, 100000)", "Model 'Deep' needs 2,400,060,000 floats for its parameters",
        "Model 'Wide' needs 3,000,100,000 floats for its training activations at MaxBatch 100000");

    [Fact]
    public Task UNR0020_GenericOrStaticModelClass() => VerifyAsync(Head + """
        [Model] public partial class {|UNR0020:Generic|}<T>
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public static partial class {|UNR0020:Static|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial record {|UNR0020:Record|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Model class 'Generic' is generic", "Model class 'Static' is static", "Model class 'Record' is a record");

    [Fact]
    public Task UNR0021_RecurrentLayerFedANonSequence() => VerifyAsync(Head + """
        [Model] public partial class VectorInput
        {
            [Input(Features = 8)] public partial Layer In { get; }
            [{|UNR0021:Lstm(Units = 16)|}] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class LastStepOnly
        {
            [Input(Length = 30, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 32)] public partial Layer First { get; }
            [{|UNR0021:Lstm(Units = 16)|}] public partial Layer Second { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class AfterDense
        {
            [Input(Features = 8)] public partial Layer In { get; }
            [Dense(Units = 16)] public partial Layer Hidden { get; }
            [{|UNR0021:Gru(Units = 4)|}] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """,
        "Recurrent layer 'Rnn' needs a sequence (steps x features), but its input 'In' gives one vector of 8 per sample; declare 'In' with Length (steps) and Features (per step)",
        "its input 'First' gives one vector of 32 per sample; set ReturnSequences = true on 'First' to pass on every step",
        "its input 'Hidden' gives one vector of 16 per sample; feed it an [Input] with Length, an [Embedding], a [RepeatVector] or a recurrent layer with ReturnSequences = true");

    [Fact]
    public Task UNR0022_DenseFedASequence() => VerifyAsync(Head + """
        [Model] public partial class AfterRecurrent
        {
            [Input(Length = 30, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnSequences = true)] public partial Layer Encoder { get; }
            [{|UNR0022:Dense(Units = 1)|}] public partial Layer Out { get; }
        }
        [Model] public partial class AfterEmbedding
        {
            [Input(Length = 20, Vocabulary = 1000)] public partial Layer Tokens { get; }
            [Embedding(Dimension = 16)] public partial Layer Embed { get; }
            [{|UNR0022:Dense(Units = 1)|}] public partial Layer Out { get; }
        }
        """,
        "Dense layer 'Out' is fed the sequence (30 steps, 16) from 'Encoder'; set ReturnSequences = false on 'Encoder' to feed only its last step, or add [TimeDistributed] to apply 'Out' at every step",
        "Dense layer 'Out' is fed the sequence (20 steps, 16) from 'Embed'; put a recurrent layer between them to read the sequence and pass on its last output, or add [TimeDistributed] to apply 'Out' at every step");

    [Fact]
    public Task UNR0023_EmbeddingFedFloats() => VerifyAsync(Head + """
        [Model] public partial class VectorInput
        {
            [Input(Features = 8)] public partial Layer In { get; }
            [{|UNR0023:Embedding(Dimension = 16)|}] public partial Layer Embed { get; }
            [Lstm(Units = 4)] public partial Layer Rnn { get; }
        }
        [Model] public partial class FloatSequence
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [{|UNR0023:Embedding(Dimension = 16)|}] public partial Layer Embed { get; }
            [Lstm(Units = 4)] public partial Layer Rnn { get; }
        }
        """,
        "Embedding 'Embed' must be fed token ids, but its input 'In' gives one vector of 8 per sample; declare the input as [Input(Length = ..., Vocabulary = ...)]",
        "its input 'In' gives the sequence (20 steps, 8);");

    [Fact]
    public Task UNR0024_TokenIdsFedToALayerOtherThanAnEmbedding() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Vocabulary = 1000)] public partial Layer Tokens { get; }
            [{|UNR0024:Lstm(Units = 16)|}] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Layer 'Rnn' is fed the token ids of 'Tokens'; token ids are indices, not features: put an [Embedding] between them");

    [Fact]
    public Task UNR0025_EmbeddingVocabularyDiffersFromTheInput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Vocabulary = 10000)] public partial Layer Tokens { get; }
            [Embedding({|UNR0025:Vocabulary = 5000|}, Dimension = 16)] public partial Layer Embed { get; }
            [Lstm(Units = 16)] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Embedding 'Embed' declares Vocabulary = 5000, but its input 'Tokens' has Vocabulary = 10000");

    [Fact]
    public Task UNR0026_InitialStateSizeDiffers() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 32, ReturnState = true)] public partial Layer Encoder { get; }
            [Lstm(Units = 16, From = nameof(In), {|UNR0026:InitialState = nameof(Encoder)|}, ReturnSequences = true)] public partial Layer Decoder { get; }
            [TimeDistributed, Dense(Units = 8)] public partial Layer Out { get; }
        }
        """, "The initial state of 'Decoder' comes from 'Encoder', whose state has 32 units, but 'Decoder' has 16 units");

    [Fact]
    public Task UNR0027_InitialStateSourceIsNotARecurrentLayerReturningItsState() => VerifyAsync(Head + """
        [Model] public partial class NotALayer
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, {|UNR0027:InitialState = nameof(Helper)|})] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
            public int Helper => 0;
        }
        [Model] public partial class NotRecurrent
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16)] public partial Layer Encoder { get; }
            [Dense(Units = 16, Activation = Activation.Tanh)] public partial Layer Bridge { get; }
            [Lstm(Units = 16, From = nameof(In), {|UNR0027:InitialState = nameof(Bridge)|})] public partial Layer Decoder { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class NoReturnState
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16)] public partial Layer Encoder { get; }
            [Lstm(Units = 16, From = nameof(In), {|UNR0027:InitialState = nameof(Encoder)|})] public partial Layer Decoder { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class LstmIntoGru
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnState = true)] public partial Layer Encoder { get; }
            [Gru(Units = 16, From = nameof(In), {|UNR0027:InitialState = nameof(Encoder)|})] public partial Layer Decoder { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class GruIntoLstm
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Gru(Units = 16, ReturnState = true)] public partial Layer Encoder { get; }
            [Lstm(Units = 16, From = nameof(In), {|UNR0027:InitialState = nameof(Encoder)|})] public partial Layer Decoder { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """,
        "InitialState of 'Rnn' names 'Helper', which is not a layer of this model",
        "InitialState of 'Decoder' names 'Bridge', which is not a recurrent layer (SimpleRnn, Lstm or Gru)",
        "InitialState of 'Decoder' names 'Encoder', which does not set ReturnState = true",
        "names 'Encoder', which is an Lstm, whose state (h, c) does not fit a Gru",
        "names 'Encoder', which is a Gru, whose state h does not fit an Lstm's (h, c)");

    [Fact]
    public Task UNR0027_InitialStateNamesTheLayerItself() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnState = true, {|UNR0027:InitialState = nameof(Rnn)|})] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "InitialState of 'Rnn' names 'Rnn', which is the layer itself; its initial state must come from another layer, which runs before it");

    [Fact]
    public Task UNR0028_ReturnedStateConsumedAsASequence() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnState = true)] public partial Layer Encoder { get; }
            [{|UNR0028:Lstm(Units = 16, ReturnSequences = true)|}] public partial Layer Decoder { get; }
            [TimeDistributed, Dense(Units = 8)] public partial Layer Out { get; }
        }
        """, "Layer 'Decoder' expects a sequence, but 'Encoder' returns only its last output and final state (ReturnState = true, ReturnSequences = false); set ReturnSequences = true on 'Encoder', or hand its state over with InitialState = nameof(Encoder)");

    [Fact]
    public Task UNR0029_BpttWindowOutOfRange() => VerifyAsync(Head + """
        [Model({|UNR0029:BpttWindow = -1|})] public partial class Negative
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnSequences = true)] public partial Layer Rnn { get; }
            [TimeDistributed, Dense(Units = 8)] public partial Layer Out { get; }
        }
        [Model({|UNR0029:BpttWindow = 5|})] public partial class NotASequence
        {
            [Input(Features = 8)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model({|UNR0029:BpttWindow = 50|})] public partial class TooLong
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnSequences = true)] public partial Layer Rnn { get; }
            [TimeDistributed, Dense(Units = 8)] public partial Layer Out { get; }
        }
        [Model({|UNR0029:BpttWindow = 5|})] public partial class VectorOutput
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16)] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model({|UNR0029:BpttWindow = 5|})] public partial class Backwards
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Bidirectional, Lstm(Units = 16, ReturnSequences = true)] public partial Layer Rnn { get; }
            [TimeDistributed, Dense(Units = 8)] public partial Layer Out { get; }
        }
        [Model({|UNR0029:BpttWindow = 10|})] public partial class Handover
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 32, ReturnState = true)] public partial Layer Encoder { get; }
            [Lstm(Units = 32, From = nameof(In), InitialState = nameof(Encoder), ReturnSequences = true)] public partial Layer Decoder { get; }
            [TimeDistributed, Dense(Units = 8)] public partial Layer Out { get; }
        }
        """,
        "BpttWindow of model 'Negative' is -1, but it must be at least 1",
        "BpttWindow of model 'NotASequence' is 5, but the input 'In' is not a sequence",
        "BpttWindow of model 'TooLong' is 50, but it must not exceed the sequence length 20 of 'In'",
        "BpttWindow of model 'VectorOutput' is 5, but the output 'Out' is one vector per sample; each window needs its own loss",
        "BpttWindow of model 'Backwards' is 5, but 'Rnn' reads the sequence backwards ([Bidirectional]), and a window cannot hand its state on to the steps before it",
        "BpttWindow of model 'Handover' is 10, but 'Decoder' starts from the state of 'Encoder'; under truncated BPTT each layer carries its own state from window to window");

    [Fact]
    public Task UNR0030_WrapperOnTheWrongLayer() => VerifyAsync(Head + """
        [Model] public partial class BidirectionalDense
        {
            [Input(Features = 8)] public partial Layer In { get; }
            [{|UNR0030:Bidirectional|}, Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class TimeDistributedLstm
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [{|UNR0030:TimeDistributed|}, Lstm(Units = 16)] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class TimeDistributedOnAVector
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16)] public partial Layer Rnn { get; }
            [{|UNR0030:TimeDistributed|}, Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class BidirectionalReturnState
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [{|UNR0030:Bidirectional|}, Lstm(Units = 16, ReturnState = true)] public partial Layer Encoder { get; }
            [Lstm(Units = 16, From = nameof(In), InitialState = nameof(Encoder))] public partial Layer Decoder { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class BidirectionalInitialState
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnState = true)] public partial Layer Encoder { get; }
            [{|UNR0030:Bidirectional(MergeMode.Sum)|}, Lstm(Units = 16, From = nameof(In), InitialState = nameof(Encoder))] public partial Layer Decoder { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class NoLayerAttribute
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [{|UNR0030:Bidirectional|}] public Layer Forgotten => null!;
            [Lstm(Units = 16)] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """,
        "[Bidirectional] on 'Out' cannot apply: it wraps only a SimpleRnn, Lstm or Gru, and this member is a [Dense]",
        "[TimeDistributed] on 'Rnn' cannot apply: it wraps only a Dense layer, and this member is an [Lstm]",
        "[TimeDistributed] on 'Out' cannot apply: its input 'Rnn' gives one vector of 16 per sample, not a sequence",
        "[Bidirectional] on 'Encoder' cannot apply: the layer sets ReturnState, and handing over the states of both directions is not supported",
        "[Bidirectional] on 'Decoder' cannot apply: the layer sets InitialState, and starting both directions from a handed-over state is not supported",
        "[Bidirectional] on 'Forgotten' cannot apply: it has no layer attribute to wrap");

    [Fact]
    public Task UNR0031_InputShapeInconsistent() => VerifyAsync(Head + """
        [Model] public partial class NoLength
        {
            [Input({|UNR0031:Vocabulary = 1000|})] public partial Layer Tokens { get; }
            [Embedding(Dimension = 16)] public partial Layer Embed { get; }
            [Lstm(Units = 16)] public partial Layer Rnn { get; }
        }
        [Model] public partial class TokensWithFeatures
        {
            [Input(Length = 20, Vocabulary = 1000, {|UNR0031:Features = 1|})] public partial Layer Tokens { get; }
            [Embedding(Dimension = 16)] public partial Layer Embed { get; }
            [Lstm(Units = 16)] public partial Layer Rnn { get; }
        }
        """,
        "[Input] 'Tokens': token ids come as a sequence; set Length to the number of tokens per sample",
        "[Input] 'Tokens': a token-id input has one id per step and no Features; remove Features = 1");

    [Fact]
    public Task UNR0007_InitialStateCreatesACycle() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnSequences = true, {|UNR0007:InitialState = nameof(Second)|})] public partial Layer First { get; }
            [Lstm(Units = 16, ReturnSequences = true)] public partial Layer Middle { get; }
            [Lstm(Units = 16, ReturnState = true)] public partial Layer Second { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "First -> Middle -> Second -> First");

    [Fact]
    public Task UNR0008_NonPositiveSequenceSizes() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input({|UNR0031:Length = -5|}, Features = 4)] public partial Layer In { get; }
            [Lstm({|UNR0008:Units = 0|})] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class Text
        {
            [Input(Length = 20, {|UNR0031:Vocabulary = -1|})] public partial Layer Tokens { get; }
            [{|UNR0008:Embedding|}] public partial Layer Embed { get; }
            [{|UNR0008:Gru|}] public partial Layer Rnn { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """,
        "[Input] 'In': Length must not be negative (it is the number of steps of a sequence, 0 for a vector), but is -5",
        "Units of layer 'Rnn' must be at least 1, but is 0",
        "[Input] 'Tokens': Vocabulary must not be negative (it is the number of token ids, 0 for float features), but is -1",
        "Dimension of layer 'Embed' must be at least 1, but is 0");

    [Fact]
    public Task UNR0009_RecurrentDropoutRatesOutOfRange() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 16, ReturnSequences = true, {|UNR0009:RecurrentDropout = 1f|})] public partial Layer First { get; }
            [Gru(Units = 16, {|UNR0009:Dropout = -0.2f|})] public partial Layer Second { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "layer 'First' must be in [0, 1), but is 1", "layer 'Second' must be in [0, 1), but is -0.2");

    [Fact]
    public Task UNR0016_SimpleRnnActivationNotTanhOrRelu() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 20, Vocabulary = 3360)] public partial Layer Tokens { get; }
            [Embedding(Dimension = 100)] public partial Layer Embed { get; }
            [SimpleRnn(Units = 50, {|UNR0016:Activation = Activation.Sigmoid|})] public partial Layer Rnn { get; }
            [Dense(Units = 5, Activation = Activation.Softmax)] public partial Layer Out { get; }
        }
        """, "Activation of SimpleRnn layer 'Rnn' must be Tanh or Relu, but is Sigmoid");

    [Fact]
    public Task ValidRecurrentModelsReportNothing() => VerifyAsync(Head + """
        [Model(Loss = Loss.BinaryCrossEntropy)] public partial class Sentiment
        {
            [Input(Length = 200, Vocabulary = 20000)] public partial Layer Tokens { get; }
            [Embedding(Dimension = 128, MaskZero = true)] public partial Layer Embed { get; }
            [Bidirectional, Lstm(Units = 64, ReturnSequences = true, Dropout = 0.2f, RecurrentDropout = 0.2f)] public partial Layer Context { get; }
            [Gru(Units = 32)] public partial Layer Pooled { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Positive { get; }
        }
        [Model] public partial class EncoderDecoder
        {
            [Input(Length = 20, Features = 8)] public partial Layer In { get; }
            [Lstm(Units = 32, ReturnState = true)] public partial Layer Encoder { get; }
            [Lstm(Units = 32, From = nameof(In), InitialState = nameof(Encoder), ReturnSequences = true)] public partial Layer Decoder { get; }
            [TimeDistributed, Dense(Units = 8)] public partial Layer Out { get; }
        }
        [Model(Loss = Loss.SparseCategoricalCrossEntropy)] public partial class NewsTitles
        {
            [Input(Length = 20, Vocabulary = 3360)] public partial Layer Tokens { get; }
            [Embedding(Vocabulary = 3360, Dimension = 100)] public partial Layer Embed { get; }
            [SimpleRnn(Units = 50, Activation = Activation.Relu)] public partial Layer Rnn { get; }
            [Dense(Units = 5, Activation = Activation.Softmax)] public partial Layer Topic { get; }
        }
        """);

    [Fact]
    public void GenericModelsGetNoGeneratedCodeThatWouldAddCompilerErrors()
    {
        var (_, result) = GeneratorHarness.Run(Head + "[Model] public partial class Generic<T> { [Input(Features = 2)] public partial Layer In { get; } [Dense(Units = 1)] public partial Layer Out { get; } }");
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public Task ValidModelsReportNothing() => VerifyAsync(Models.IrisClassifier + "\n" + Models.BinaryClassifier.Replace("using Unroll;", ""));

    [Fact]
    public void EveryDescriptorHasADocsPageAndAReleaseRow()
    {
        string root = FindRepositoryRoot();
        // A rule is listed once, in the shipped release or in the unshipped one (Microsoft.CodeAnalysis.Analyzers' release tracking).
        string releases = File.ReadAllText(Path.Combine(root, "src", "Generator", "AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(root, "src", "Generator", "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor d in DiagnosticDescriptors.All)
        {
            string page = Path.Combine(root, "docs", "diagnostics", d.Id + ".md");
            Assert.True(File.Exists(page), $"missing docs page {page}");
            Assert.Contains("# " + d.Id, File.ReadAllText(page));
            Assert.Contains(d.Id + " | " + d.Category + " | " + d.DefaultSeverity, releases);
        }
        Assert.Equal(DiagnosticDescriptors.All.Length, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
    }

    private static string FindRepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
