using static Unroll.Generator.Tests.DiagnosticTests;

namespace Unroll.Generator.Tests;

/// <summary>The diagnostics of functional models and of the declarations that used to break the build: each ID at its exact span,
/// with the message naming both sides.</summary>
public class FunctionalDiagnosticTests
{
    [Fact]
    public Task UNR0032_EnumValueOutOfRange() => VerifyAsync(Head + """
        [Model({|UNR0032:Loss = (Loss)9|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, {|UNR0032:Activation = (Activation)42|})] public partial Layer Hidden { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Activation = 42 is not a value of Activation; use one of Linear, Sigmoid, Tanh, Relu, LeakyRelu, PRelu, Elu, Selu, Gelu, Softmax",
        "Loss = 9 is not a value of Loss");

    [Fact]
    public Task UNR0033_MergeWithTooFewOrTooManyInputs() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer A { get; }
            [Input(Features = 4)] public partial Layer B { get; }
            [{|UNR0033:Add(nameof(A))|}] public partial Layer Sum { get; }
            [{|UNR0033:Subtract(nameof(A), nameof(B), nameof(A))|}] public partial Layer Difference { get; }
            [Concatenate(nameof(A), nameof(B), {|UNR0033:From = nameof(A)|})] public partial Layer Joined { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "'Sum' ([Add]) cannot take its inputs: it takes 2 or more inputs, and 1 is listed; list them as [Add(nameof(A), nameof(B))]",
        "'Difference' ([Subtract]) cannot take its inputs: it takes exactly 2 inputs, and 3 are listed",
        "'Joined' ([Concatenate]) cannot take its inputs: its inputs are the layers listed in its constructor, not From");

    [Fact]
    public Task UNR0034_MergeOfIncompatibleShapes() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer A { get; }
            [Input(Features = 6)] public partial Layer B { get; }
            [Input(Shape = new[] { 2, 3 })] public partial Layer C { get; }
            [Input(Shape = new[] { 3, 3 })] public partial Layer D { get; }
            [{|UNR0034:Add(nameof(A), nameof(B))|}] public partial Layer Sum { get; }
            [{|UNR0034:Concatenate(nameof(C), nameof(D))|}] public partial Layer Joined { get; }
            [Flatten] public partial Layer Flat { get; }
            [Concatenate(nameof(Sum), nameof(Flat))] public partial Layer All { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "[Add] 'Sum' merges 'A' (4) with 'B' (6); elementwise merges need inputs of one shape",
        "[Concatenate] 'Joined' merges 'C' (2, 3) with 'D' (3, 3); concatenating along axis -1 needs every other axis to agree");

    [Fact]
    public Task UNR0035_ConcatenateOnAnAxisThatDoesNotExist() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer A { get; }
            [Input(Features = 6)] public partial Layer B { get; }
            [Concatenate(nameof(A), nameof(B), {|UNR0035:Axis = 2|})] public partial Layer Joined { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class OverTime
        {
            [Input(Length = 5, Features = 4)] public partial Layer A { get; }
            [Input(Length = 5, Features = 4)] public partial Layer B { get; }
            [Concatenate(nameof(A), nameof(B), {|UNR0035:Axis = 1|})] public partial Layer Joined { get; }
            [Lstm(Units = 1)] public partial Layer Out { get; }
        }
        """, "Concatenate 'Joined' has Axis = 2, but its inputs have axes 1 to 1 after the batch, (4) for 'A'",
        "Axis = 1, but axis 1 is the time axis of the sequence (5 steps, 4)");

    [Fact]
    public Task UNR0036_ReshapeChangesTheNumberOfValues() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 12)] public partial Layer In { get; }
            [Reshape({|UNR0036:5, 3|})] public partial Layer Grid { get; }
            [Flatten] public partial Layer Flat { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class Inferred
        {
            [Input(Features = 10)] public partial Layer In { get; }
            [Reshape({|UNR0036:-1, 3|})] public partial Layer Grid { get; }
            [Flatten] public partial Layer Flat { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Reshape 'Grid' gets (12) from 'In', 12 values per sample, but its target shape (5, 3) holds 15",
        "Reshape 'Grid' gets (10) from 'In', 10 values per sample, but its target shape (-1, 3) holds a multiple of 3");

    [Fact]
    public Task UNR0037_DotAxesOfDifferentSizes() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 32)] public partial Layer Left { get; }
            [Input(Features = 16)] public partial Layer Right { get; }
            [Dot(nameof(Left), nameof(Right), {|UNR0037:Axes = 1|})] public partial Layer Similarity { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Out { get; }
        }
        """, "Dot 'Similarity' has Axes = 1, but it contracts axis 1 of 'Left' (32), of size 32, with axis 1 of 'Right' (16), of size 16");

    [Fact]
    public Task UNR0038_OutputWithoutALossOrWithANonPositiveWeight() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Dense(Units = 3, Activation = Activation.Softmax)]
            [{|UNR0038:Output|}] public partial Layer Kind { get; }
            [Dense(Units = 1, From = nameof(In))]
            [Output(Loss = Loss.MeanSquaredError, {|UNR0038:Weight = 0f|})] public partial Layer Size { get; }
        }
        """, "Output 'Kind' cannot be trained: it has no loss: set Loss on [Output], or on [Model] for every output",
        "Output 'Size' cannot be trained: its Weight is 0, and a loss weight must be greater than 0 and finite");

    [Fact]
    public Task UNR0039_SharedLayerAppliedToAnInputOfAnotherShape() => VerifyAsync(Head + """
        [Model(Loss = Loss.MeanSquaredError)] public partial class Net
        {
            [Input(Features = 8)] public partial Layer Left { get; }
            [Input(Features = 6)] public partial Layer Right { get; }
            [Dense(Units = 4, From = nameof(Left))] public partial Layer Tower { get; }
            [{|UNR0039:Shared(nameof(Tower), From = nameof(Right))|}] public partial Layer RightTower { get; }
            [Add(nameof(Tower), nameof(RightTower))] public partial Layer Sum { get; }
        }
        [Model(Loss = Loss.MeanSquaredError)] public partial class NotALayer
        {
            [Input(Features = 8)] public partial Layer In { get; }
            [Shared({|UNR0039:nameof(In)|})] public partial Layer Again { get; }
        }
        [Model(Loss = Loss.MeanSquaredError)] public partial class FrozenHere
        {
            [Input(Features = 8)] public partial Layer Left { get; }
            [Input(Features = 8)] public partial Layer Right { get; }
            [Dense(Units = 4, From = nameof(Left))] public partial Layer Tower { get; }
            [Shared(nameof(Tower), From = nameof(Right), {|UNR0039:Trainable = false|})] public partial Layer RightTower { get; }
            [Add(nameof(Tower), nameof(RightTower))] public partial Layer Sum { get; }
        }
        """, "[Shared] 'RightTower' applies 'Tower', whose one set of weights is trained or frozen as 'Tower' says; set Trainable there",
        "[Shared] 'RightTower' applies 'Tower', whose input 'Left' gives (8), while this member's input 'Right' gives (6); a shared layer has one set of weights for one input shape",
        "[Shared] 'Again' applies 'In', which is an [Input] and has no weights to share");

    [Fact]
    public Task UNR0040_InputThatReachesNoOutput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Input(Features = 2)] public partial Layer {|UNR0040:Forgotten|} { get; }
            [Dense(Units = 1, From = nameof(In))] public partial Layer Out { get; }
        }
        """, "Input 'Forgotten' does not feed any output ('Out'), so the model does not take it");

    [Fact]
    public Task UNR0041_DenseFedSeveralFeatureAxes() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Shape = new[] { 28, 28, 1 })] public partial Layer Image { get; }
            [{|UNR0041:Dense(Units = 10, Activation = Activation.Softmax)|}] public partial Layer Digit { get; }
        }
        """, "Dense layer 'Digit' is fed (28, 28, 1) from 'Image', which has 3 feature axes; add a [Flatten] layer before it");

    [Fact]
    public Task UNR0042_LayerNamedLikeAGeneratedMember() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer {|UNR0042:Parameters|} { get; }
            [Dense(Units = 3)] public partial Layer {|UNR0042:Forward|} { get; }
            [Dense(Units = 3)] public partial Layer {|UNR0042:MaxBatch|} { get; }
            [Dense(Units = 1)] public partial Layer {|UNR0042:Save|} { get; }
        }
        [Model] public partial class Scorer
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer {|UNR0042:Scorer|} { get; }
        }
        """, "Layer 'Forward' has the name of a member Unroll generates for the model; rename the layer",
        "Layer 'Scorer' has the name of the model class's own name");

    [Fact]
    public Task UNR0043_TwoLayersSaveUnderOneTensorName() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer HiddenLayer { get; }
            [Dense(Units = 3)] public partial Layer {|UNR0043:Hidden_Layer|} { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class CaseOnly
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer Hidden { get; }
            [Dense(Units = 3)] public partial Layer {|UNR0043:hidden|} { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Layer 'Hidden_Layer' saves its parameters as 'hidden_layer.weight', as layer 'HiddenLayer' does; rename one of them",
        "Layer 'hidden' saves its parameters as 'hidden.weight', as layer 'Hidden' does");

    [Fact]
    public Task UNR0044_FromLogitsOnASoftmaxOrSigmoidOutput() => VerifyAsync(Head + """
        [Model(Loss = Loss.SparseCategoricalCrossEntropy, {|UNR0044:FromLogits = true|})] public partial class Net
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Out { get; }
        }
        [Model] public partial class TwoHeads
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)]
            [Output(Loss = Loss.BinaryCrossEntropy, {|UNR0044:FromLogits = true|})] public partial Layer Flag { get; }
            [Dense(Units = 1, From = nameof(In))]
            [Output(Loss = Loss.MeanSquaredError)] public partial Layer Value { get; }
        }
        """, "FromLogits treats the output of 'Out' as logits, but it applies softmax, so SparseCategoricalCrossEntropy would be computed on probabilities squashed twice",
        "FromLogits treats the output of 'Flag' as logits, but it applies sigmoid");

    [Fact]
    public Task UNR0045_GoBackwardsInsideBidirectional() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Length = 10, Features = 3)] public partial Layer In { get; }
            [Bidirectional, Lstm(Units = 4, {|UNR0045:GoBackwards = true|})] public partial Layer Both { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "'Both' sets GoBackwards inside [Bidirectional], which already reads the sequence in both directions; remove GoBackwards");

    [Fact]
    public Task UNR0046_MemberWithTwoLayerAttributes() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [Dense(Units = 3), {|UNR0046:Dropout(0.5f)|}] public partial Layer Hidden { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "'Hidden' carries [Dense] and [Dropout]; a member is one layer, so declare the second as a member of its own");

    [Fact]
    public Task UNR0047_InputThatDoesNotFitTheLayer() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [{|UNR0047:GlobalAveragePooling1D|}] public partial Layer Mean { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial class Repeated
        {
            [Input(Length = 3, Features = 4)] public partial Layer In { get; }
            [{|UNR0047:RepeatVector(5)|}] public partial Layer Again { get; }
            [Lstm(Units = 1)] public partial Layer Out { get; }
        }
        """, "GlobalAveragePooling1D 'Mean' needs a sequence to pool over its steps, but its input 'In' gives one vector of 4 per sample",
        "RepeatVector 'Again' needs one vector per sample, but its input 'In' gives the sequence (3 steps, 4)");

    [Fact]
    public Task UNR0008_RepeatVectorOfNoSteps() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 4)] public partial Layer In { get; }
            [RepeatVector({|UNR0008:0|})] public partial Layer Again { get; }
            [Lstm(Units = 1)] public partial Layer Out { get; }
        }
        """, "Times of layer 'Again' must be at least 1, but is 0");

    [Fact]
    public Task ValidFunctionalModelsReportNothing() => VerifyAsync(Head + """
        [Model(Optimizer = Optimizer.Adam, MaxBatch = 32)]
        public partial class TicketRouter
        {
            [Input(Length = 20, Vocabulary = 5000)] public partial Layer Title { get; }
            [Input(Length = 200, Vocabulary = 5000)] public partial Layer Body { get; }
            [Embedding(Dimension = 64, From = nameof(Title))] public partial Layer TitleEmbed { get; }
            [Lstm(Units = 32)] public partial Layer TitleState { get; }
            [Embedding(Dimension = 64, From = nameof(Body), MaskZero = true)] public partial Layer BodyEmbed { get; }
            [GlobalAveragePooling1D] public partial Layer BodyMean { get; }
            [Concatenate(nameof(TitleState), nameof(BodyMean))] public partial Layer Joined { get; }
            [Dense(Units = 4, Activation = Activation.Softmax)]
            [Output(Loss = Loss.SparseCategoricalCrossEntropy)] public partial Layer Team { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid, From = nameof(Joined))]
            [Output(Loss = Loss.BinaryCrossEntropy, Weight = 0.2f)] public partial Layer Urgent { get; }
        }
        [Model(Loss = Loss.BinaryCrossEntropy)]
        public partial class Siamese
        {
            [Input(Features = 8)] public partial Layer Left { get; }
            [Input(Features = 8)] public partial Layer Right { get; }
            [Dense(Units = 4, Activation = Activation.Tanh, From = nameof(Left))] public partial Layer Tower { get; }
            [Shared(nameof(Tower), From = nameof(Right))] public partial Layer RightTower { get; }
            [Dot(nameof(Tower), nameof(RightTower), Normalize = true)] public partial Layer Cosine { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Same { get; }
        }
        """);
}
