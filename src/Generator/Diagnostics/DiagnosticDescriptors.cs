using Microsoft.CodeAnalysis;

namespace Unroll.Generator.Diagnostics
{
    /// <summary>Every diagnostic Unroll reports. IDs are never reused; each has a page docs/diagnostics/UNRxxxx.md, which its
    /// help link points to.</summary>
    internal static class DiagnosticDescriptors
    {
        public const string DeclarationCategory = "Unroll.Declaration";
        public const string ShapeCategory = "Unroll.Shape";
        public const string TrainingCategory = "Unroll.Training";

        // Absolute, so that the link works for whoever installed the package: the page on the repository's default branch.
        // RepositoryInfo.Url is written at build time from the MSBuild RepositoryUrl property (see Unroll.Generator.csproj).
        private const string HelpLinkBase = RepositoryInfo.Url + "/blob/main/docs/diagnostics/";

        public const string ModelNotPartialId = "UNR0001";
        public const string ContainingTypeNotPartialId = "UNR0002";
        public const string NoInputId = "UNR0003";
        public const string LayerBeforeInputId = "UNR0004";
        public const string InvalidLayerMemberId = "UNR0005";
        public const string UnknownFromId = "UNR0006";
        public const string CycleId = "UNR0007";
        public const string NonPositiveSizeId = "UNR0008";
        public const string DropoutRateId = "UNR0009";
        public const string LossMismatchId = "UNR0010";
        public const string CrossEntropyOnLinearId = "UNR0011";
        public const string SoftmaxOnHiddenId = "UNR0012";
        public const string MaxBatchId = "UNR0013";
        // UNR0014 (a second [Input]) was retired when models took several inputs; IDs are never reused.
        public const string UnusedLayerId = "UNR0015";
        public const string InvalidHyperparameterId = "UNR0016";
        public const string NoLayerAfterInputId = "UNR0017";
        public const string FromOnInputId = "UNR0018";
        public const string ModelTooLargeId = "UNR0019";
        public const string UnsupportedModelClassId = "UNR0020";
        public const string NotASequenceId = "UNR0021";
        public const string DenseOnSequenceId = "UNR0022";
        public const string EmbeddingInputId = "UNR0023";
        public const string TokensNeedEmbeddingId = "UNR0024";
        public const string VocabularyMismatchId = "UNR0025";
        public const string InitialStateSizeId = "UNR0026";
        public const string InitialStateSourceId = "UNR0027";
        public const string StateIsNotASequenceId = "UNR0028";
        public const string BpttWindowId = "UNR0029";
        public const string WrapperMisuseId = "UNR0030";
        public const string InputShapeId = "UNR0031";
        public const string EnumOutOfRangeId = "UNR0032";
        public const string MergeInputsId = "UNR0033";
        public const string IncompatibleMergeId = "UNR0034";
        public const string ConcatenateAxisId = "UNR0035";
        public const string ReshapeSizeId = "UNR0036";
        public const string DotAxesId = "UNR0037";
        public const string OutputLossId = "UNR0038";
        public const string SharedLayerId = "UNR0039";
        public const string UnusedInputId = "UNR0040";
        public const string DenseNeedsFlattenId = "UNR0041";
        public const string ReservedNameId = "UNR0042";
        public const string TensorNameClashId = "UNR0043";
        public const string FromLogitsOnProbabilitiesId = "UNR0044";
        public const string GoBackwardsInBidirectionalId = "UNR0045";
        public const string TwoLayerAttributesId = "UNR0046";
        public const string LayerInputId = "UNR0047";
        public const string InternalErrorId = "UNR9999";

        public static readonly DiagnosticDescriptor ModelNotPartial = Error(ModelNotPartialId, DeclarationCategory,
            "Model class must be partial",
            "Model class '{0}' must be declared 'partial' so Unroll can add its generated members",
            "The generator adds the constructor, TrainStep, Predict and the layer properties to the model class, which requires it to be partial.");

        public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(ContainingTypeNotPartialId, DeclarationCategory,
            "Type containing a model must be partial",
            "Model class '{0}' is nested in '{1}', which must also be declared 'partial'",
            "A nested model class can only be extended when every enclosing type is partial too.");

        public static readonly DiagnosticDescriptor NoInput = Error(NoInputId, DeclarationCategory,
            "Model has no input layer",
            "Model '{0}' has no [Input] layer; declare one as its first layer, e.g. '[Input(Features = 4)] public partial Layer Features {{ get; }}'",
            "Every model starts with an [Input] layer that fixes the number of features per sample.");

        public static readonly DiagnosticDescriptor LayerBeforeInput = Error(LayerBeforeInputId, DeclarationCategory,
            "Layer declared before the input",
            "Layer '{0}' is declared before the [Input] layer '{1}' and names no input; declare the input first, or name this layer's input with From",
            "A layer without From takes its input from the member declared before it, so the first member must be an [Input].");

        public static readonly DiagnosticDescriptor InvalidLayerMember = Error(InvalidLayerMemberId, DeclarationCategory,
            "Layer member must be a partial Layer property",
            "'{0}' carries a layer attribute but is not a partial instance property of type Unroll.Layer with a getter: declare it 'public partial Layer {0} {{ get; }}'",
            "Each layer is a partial property of type Unroll.Layer; the generator implements it as a view of the layer's parameters.");

        public static readonly DiagnosticDescriptor UnknownFrom = Error(UnknownFromId, DeclarationCategory,
            "From does not name a layer",
            "{3} of layer '{0}' names '{1}', which is not a layer of model '{2}'",
            "From, and each input a merge lists, must name another layer of the same model, written with nameof.");

        public static readonly DiagnosticDescriptor Cycle = Error(CycleId, DeclarationCategory,
            "Layer connections form a cycle",
            "Layer '{0}' takes its input from '{1}', which creates a cycle: {2}",
            "A network is computed in one pass from the input to the output, so no layer may depend on its own output.");

        public static readonly DiagnosticDescriptor NonPositiveSize = Error(NonPositiveSizeId, ShapeCategory,
            "Size must be positive",
            "{0} of layer '{1}' must be at least 1, but is {2}",
            "Feature counts and unit counts are the widths of the layers and must be positive.");

        public static readonly DiagnosticDescriptor DropoutRate = Error(DropoutRateId, TrainingCategory,
            "Dropout rate out of range",
            "{2} of layer '{0}' must be in [0, 1), but is {1}",
            "Dropout zeroes each value with the given probability and scales the rest by 1 / (1 - rate), so the rate must be at least 0 and below 1.");

        public static readonly DiagnosticDescriptor LossMismatch = Error(LossMismatchId, TrainingCategory,
            "Loss does not fit the output layer",
            "{0} does not fit the output layer '{1}' ({2}): {3}",
            "Each loss expects a particular output: sparse and categorical cross-entropy need at least two units, binary cross-entropy needs independent (sigmoid) outputs, not a softmax.");

        public static readonly DiagnosticDescriptor CrossEntropyOnLinear = Warning(CrossEntropyOnLinearId, TrainingCategory,
            "Cross-entropy on a linear output",
            "{0} is applied to the linear output of layer '{1}': add a {2} activation, or set FromLogits = true if the outputs are meant as logits",
            "Cross-entropy expects probabilities; a linear output is only correct when the loss is told the values are logits.");

        public static readonly DiagnosticDescriptor SoftmaxOnHidden = Warning(SoftmaxOnHiddenId, TrainingCategory,
            "Softmax on a hidden layer",
            "Layer '{0}' applies softmax but is not the output layer; softmax squashes a hidden layer's values to sum to 1, which is rarely intended (hidden layers usually use ReLU)",
            "Softmax turns scores into a probability distribution and belongs on the output layer.");

        public static readonly DiagnosticDescriptor MaxBatch = Error(MaxBatchId, TrainingCategory,
            "MaxBatch must be positive",
            "MaxBatch of model '{0}' must be at least 1, but is {1}",
            "MaxBatch sizes the model's buffers, which are allocated once at construction.");

        public static readonly DiagnosticDescriptor UnusedLayer = Warning(UnusedLayerId, ShapeCategory,
            "Layer does not reach an output",
            "Layer '{0}' does not feed any output ({1}), so it is never computed",
            "The outputs of a model are its [Output] members, or its last declared layer; a layer on no path from an input to an output has no effect.");

        public static readonly DiagnosticDescriptor InvalidHyperparameter = Error(InvalidHyperparameterId, TrainingCategory,
            "Hyperparameter out of range",
            "{0} must be {1}, but is {2}",
            "Learning rates, decay rates, epsilons, penalties and clipping thresholds each have a valid range.");

        public static readonly DiagnosticDescriptor NoLayerAfterInput = Error(NoLayerAfterInputId, ShapeCategory,
            "Model has no layer after its input",
            "Model '{0}' has no layer after its [Input] layer '{1}'; add at least one layer such as [Dense]",
            "Without [Output] members, the output of a model is its last declared layer, which must compute something.");

        public static readonly DiagnosticDescriptor FromOnInput = Error(FromOnInputId, DeclarationCategory,
            "Input layer takes no input",
            "[Input] layer '{0}' takes no input from another layer; remove 'From'",
            "The input layer is where data enters the model.");

        public static readonly DiagnosticDescriptor ModelTooLarge = Error(ModelTooLargeId, ShapeCategory,
            "Model too large",
            "Model '{0}' needs {1} floats for its {2}, more than one .NET array can hold ({3}); make the layers narrower or MaxBatch smaller",
            "Each kind of buffer of a model (parameters, training activations, inference buffers) is one float array, so its size is bounded by Array.MaxLength.");

        public static readonly DiagnosticDescriptor UnsupportedModelClass = Error(UnsupportedModelClassId, DeclarationCategory,
            "Model class cannot be generic, static or a record",
            "Model class '{0}' is {1}; a model is a plain class (not generic, static or a record) because its sizes are fixed at build time and it holds its own buffers",
            "Every size of a model is a compile-time constant, and each model instance owns its parameters and buffers, which value equality and copying (records) would not respect.");

        public static readonly DiagnosticDescriptor NotASequence = Error(NotASequenceId, ShapeCategory,
            "Recurrent layer fed a non-sequence",
            "Recurrent layer '{0}' needs a sequence (steps x features), but its input '{1}' gives {2}; {3}",
            "SimpleRnn, Lstm and Gru read one vector per step, so their input must be a sequence: an [Input] with Length, an [Embedding], or a recurrent layer with ReturnSequences = true.");

        public static readonly DiagnosticDescriptor DenseOnSequence = Error(DenseOnSequenceId, ShapeCategory,
            "Dense layer fed a sequence",
            "Dense layer '{0}' is fed the sequence {1} from '{2}'; {3}",
            "A Dense layer maps one vector to another. Fed a sequence, it must either see only the last step (ReturnSequences = false on the recurrent layer before it) or be applied at every step ([TimeDistributed]).");

        public static readonly DiagnosticDescriptor EmbeddingInput = Error(EmbeddingInputId, ShapeCategory,
            "Embedding needs token ids",
            "Embedding '{0}' must be fed token ids, but its input '{1}' gives {2}; declare the input as [Input(Length = ..., Vocabulary = ...)] and feed it straight to the embedding",
            "An embedding looks up one row per token id, so its input is the model's token-id input.");

        public static readonly DiagnosticDescriptor TokensNeedEmbedding = Error(TokensNeedEmbeddingId, ShapeCategory,
            "Token ids fed to a layer other than an embedding",
            "Layer '{0}' is fed the token ids of '{1}'; token ids are indices, not features: put an [Embedding] between them",
            "Token ids have no numeric meaning; an embedding turns each into a learned vector first.");

        public static readonly DiagnosticDescriptor VocabularyMismatch = Error(VocabularyMismatchId, ShapeCategory,
            "Embedding vocabulary differs from the input's",
            "Embedding '{0}' declares Vocabulary = {1}, but its input '{2}' has Vocabulary = {3}",
            "The embedding has one row per token id the input can hold; leave the embedding's Vocabulary unset to take the input's.");

        public static readonly DiagnosticDescriptor InitialStateSize = Error(InitialStateSizeId, ShapeCategory,
            "Initial state size differs from the layer's units",
            "The initial state of '{0}' comes from '{1}', whose state has {2} units, but '{0}' has {3} units",
            "A recurrent layer's state is a vector of its units; a state handed over from another layer must have the same size.");

        public static readonly DiagnosticDescriptor InitialStateSource = Error(InitialStateSourceId, ShapeCategory,
            "Initial state source is not a recurrent layer returning its state",
            "InitialState of '{0}' names '{1}', which {2}",
            "InitialState names a SimpleRnn, Lstm or Gru of the same kind that has ReturnState = true and runs before this layer.");

        public static readonly DiagnosticDescriptor StateIsNotASequence = Error(StateIsNotASequenceId, ShapeCategory,
            "Returned state consumed as a sequence",
            "Layer '{0}' expects a sequence, but '{1}' returns only its last output and final state (ReturnState = true, ReturnSequences = false); set ReturnSequences = true on '{1}', or hand its state over with InitialState = nameof({1})",
            "A layer with ReturnState passes its final state to other recurrent layers through InitialState; its output is a sequence only with ReturnSequences = true.");

        public static readonly DiagnosticDescriptor BpttWindow = Error(BpttWindowId, TrainingCategory,
            "Truncated BPTT window out of range",
            "BpttWindow of model '{0}' is {1}, but {2}",
            "Truncated backpropagation through time splits each sequence into windows of BpttWindow steps, each with its own update; the window must be between 1 and the sequence length, and the output must be a sequence so that each window has a loss.");

        public static readonly DiagnosticDescriptor WrapperMisuse = Error(WrapperMisuseId, DeclarationCategory,
            "Wrapper attribute on the wrong layer",
            "{1} on '{0}' cannot apply: {2}",
            "[Bidirectional] wraps a SimpleRnn, Lstm or Gru on the same member; [TimeDistributed] wraps a Dense on the same member whose input is a sequence.");

        public static readonly DiagnosticDescriptor InputShape = Error(InputShapeId, ShapeCategory,
            "Input shape is inconsistent",
            "[Input] '{0}': {1}",
            "An input is a vector (Features), a sequence of vectors (Length and Features) or a sequence of token ids (Length and Vocabulary).");

        public static readonly DiagnosticDescriptor EnumOutOfRange = Error(EnumOutOfRangeId, DeclarationCategory,
            "Enum argument out of range",
            "{0} = {1} is not a value of {2}; use one of {3}",
            "A cast such as (Activation)42 compiles, but names no activation, loss, optimizer or initializer; the generator cannot emit code for it.");

        public static readonly DiagnosticDescriptor MergeInputs = Error(MergeInputsId, DeclarationCategory,
            "Wrong inputs for a merge layer",
            "'{0}' ([{1}]) cannot take its inputs: {2}; {3}",
            "A merge layer combines the layers listed in its attribute's constructor: two or more (Subtract and Dot exactly two).");

        public static readonly DiagnosticDescriptor IncompatibleMerge = Error(IncompatibleMergeId, ShapeCategory,
            "Merged inputs have incompatible shapes",
            "[{0}] '{1}' merges '{2}' {3} with '{4}' {5}; {6}",
            "Add, Subtract, Multiply, Average, Maximum and Minimum combine equal shapes element by element; Concatenate needs every axis but the concatenated one to agree.");

        public static readonly DiagnosticDescriptor ConcatenateAxis = Error(ConcatenateAxisId, ShapeCategory,
            "Concatenate axis does not exist",
            "Concatenate '{0}' has Axis = {1}, but {2}",
            "Axis counts the axes after the batch as Keras does: 1 is the first (the time axis of a sequence), -1 the last.");

        public static readonly DiagnosticDescriptor ReshapeSize = Error(ReshapeSizeId, ShapeCategory,
            "Reshape changes the number of values",
            "Reshape '{0}' gets {2} from '{1}', {3} values per sample, but its target shape {4} holds {5}",
            "A reshape keeps every value; the target shape (every axis after the batch, one -1 at most) must hold as many values as its input.");

        public static readonly DiagnosticDescriptor DotAxes = Error(DotAxesId, ShapeCategory,
            "Dot axes do not match",
            "Dot '{0}' has Axes = {1}, but {2}",
            "A dot product contracts one axis of each input; the two axes must exist and have the same size.");

        public static readonly DiagnosticDescriptor OutputLoss = Error(OutputLossId, TrainingCategory,
            "Output without a usable loss",
            "Output '{0}' cannot be trained: {1}",
            "Every output has a loss (on [Output], or the [Model]'s for all of them) and a weight greater than 0 in the total loss (Keras loss_weights).");

        public static readonly DiagnosticDescriptor SharedLayer = Error(SharedLayerId, ShapeCategory,
            "Shared layer cannot apply to this input",
            "[Shared] '{0}' applies '{1}', {2}",
            "A shared layer applies another layer, with that layer's one set of weights, to another input, which must have the same shape (Keras: calling one layer on several inputs).");

        public static readonly DiagnosticDescriptor UnusedInput = Warning(UnusedInputId, ShapeCategory,
            "Input does not reach an output",
            "Input '{0}' does not feed any output ({1}), so the model does not take it",
            "An input that no output depends on is left out of the generated methods.");

        public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error(DenseNeedsFlattenId, ShapeCategory,
            "Dense layer fed several feature axes",
            "Dense layer '{0}' is fed {1} from '{2}', which has {3} feature axes; add a [Flatten] layer before it",
            "A Dense layer maps one vector to another. Keras would apply it to the last axis only, which is rarely what an image model means; flatten the axes into one vector first.");

        public static readonly DiagnosticDescriptor ReservedName = Error(ReservedNameId, DeclarationCategory,
            "Layer named like a generated member",
            "Layer '{0}' has the name of {1}; rename the layer",
            "The generator adds members such as Forward, Parameters, Save and MaxBatch to the model class; a layer with the same name would clash with them.");

        public static readonly DiagnosticDescriptor TensorNameClash = Error(TensorNameClashId, DeclarationCategory,
            "Two layers save under one tensor name",
            "Layer '{0}' saves its parameters as '{2}', as layer '{1}' does; rename one of them",
            "Tensor names are the member names in snake_case (HiddenLayer and Hidden_Layer are both hidden_layer), and each must be unique in a saved file.");

        public static readonly DiagnosticDescriptor FromLogitsOnProbabilities = Error(FromLogitsOnProbabilitiesId, TrainingCategory,
            "FromLogits on a softmax or sigmoid output",
            "FromLogits treats the output of '{0}' as logits, but it applies {1}, so {2} would be computed on probabilities squashed twice; remove the activation or FromLogits",
            "FromLogits = true means the output layer is linear and the loss applies the softmax or sigmoid itself.");

        public static readonly DiagnosticDescriptor GoBackwardsInBidirectional = Error(GoBackwardsInBidirectionalId, DeclarationCategory,
            "GoBackwards inside [Bidirectional]",
            "'{0}' sets GoBackwards inside [Bidirectional], which already reads the sequence in both directions; remove GoBackwards",
            "A bidirectional layer runs one copy of the layer forwards and one backwards; GoBackwards has no meaning there.");

        public static readonly DiagnosticDescriptor TwoLayerAttributes = Error(TwoLayerAttributesId, DeclarationCategory,
            "Member carries two layer attributes",
            "'{0}' carries [{1}] and [{2}]; a member is one layer, so declare the second as a member of its own",
            "Each layer is one partial property with one layer attribute (wrappers such as [Bidirectional] and [Output] go beside it).");

        public static readonly DiagnosticDescriptor LayerInput = Error(LayerInputId, ShapeCategory,
            "Input does not fit the layer",
            "{0} '{1}' needs {2}, but its input '{3}' gives {4}",
            "Each layer accepts certain shapes: pooling over time needs a sequence, RepeatVector a vector, Dot inputs without a time axis.");

        public static readonly DiagnosticDescriptor InternalError = new(InternalErrorId,
            "Unroll generator failed",
            "Unroll could not generate model '{0}': {1}",
            DeclarationCategory, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "An unexpected error inside the generator. Please report it with the model declaration.",
            helpLinkUri: HelpLinkBase + InternalErrorId + ".md");

        public static DiagnosticDescriptor? Find(string id)
        {
            foreach (DiagnosticDescriptor d in All)
                if (d.Id == id) return d;
            return null;
        }

        public static readonly DiagnosticDescriptor[] All =
        {
            ModelNotPartial, ContainingTypeNotPartial, NoInput, LayerBeforeInput, InvalidLayerMember, UnknownFrom, Cycle,
            NonPositiveSize, DropoutRate, LossMismatch, CrossEntropyOnLinear, SoftmaxOnHidden, MaxBatch,
            UnusedLayer, InvalidHyperparameter, NoLayerAfterInput, FromOnInput, ModelTooLarge, UnsupportedModelClass,
            NotASequence, DenseOnSequence, EmbeddingInput, TokensNeedEmbedding, VocabularyMismatch, InitialStateSize, InitialStateSource,
            StateIsNotASequence, BpttWindow, WrapperMisuse, InputShape, EnumOutOfRange, MergeInputs, IncompatibleMerge, ConcatenateAxis,
            ReshapeSize, DotAxes, OutputLoss, SharedLayer, UnusedInput, DenseNeedsFlatten, ReservedName, TensorNameClash,
            FromLogitsOnProbabilities, GoBackwardsInBidirectional, TwoLayerAttributes, LayerInput, InternalError,
        };

        private static DiagnosticDescriptor Error(string id, string category, string title, string message, string description) =>
            new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkBase + id + ".md");

        private static DiagnosticDescriptor Warning(string id, string category, string title, string message, string description) =>
            new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkBase + id + ".md");
    }
}
