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
            "Model class '{0}' must be declared 'partial' so Unroll can add its generated members");

        public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(ContainingTypeNotPartialId, DeclarationCategory,
            "Type containing a model must be partial",
            "Model class '{0}' is nested in '{1}', which must also be declared 'partial'");

        public static readonly DiagnosticDescriptor NoInput = Error(NoInputId, DeclarationCategory,
            "Model has no input layer",
            "Model '{0}' has no [Input] layer; declare one as its first layer, e.g. '[Input(Features = 4)] public partial Layer Features {{ get; }}'");

        public static readonly DiagnosticDescriptor LayerBeforeInput = Error(LayerBeforeInputId, DeclarationCategory,
            "Layer declared before the input",
            "Layer '{0}' is declared before the [Input] layer '{1}' and names no input; declare the input first, or name this layer's input with From");

        public static readonly DiagnosticDescriptor InvalidLayerMember = Error(InvalidLayerMemberId, DeclarationCategory,
            "Layer member must be a partial Layer property",
            "'{0}' carries a layer attribute but is not a partial instance property of type Unroll.Layer with a getter: declare it 'public partial Layer {0} {{ get; }}'");

        public static readonly DiagnosticDescriptor UnknownFrom = Error(UnknownFromId, DeclarationCategory,
            "From does not name a layer",
            "{3} of layer '{0}' names '{1}', which is not a layer of model '{2}'");

        public static readonly DiagnosticDescriptor Cycle = Error(CycleId, DeclarationCategory,
            "Layer connections form a cycle",
            "Layer '{0}' takes its input from '{1}', which creates a cycle: {2}");

        public static readonly DiagnosticDescriptor NonPositiveSize = Error(NonPositiveSizeId, ShapeCategory,
            "Size must be positive",
            "{0} of layer '{1}' must be at least 1, but is {2}");

        public static readonly DiagnosticDescriptor DropoutRate = Error(DropoutRateId, TrainingCategory,
            "Dropout rate out of range",
            "{2} of layer '{0}' must be in [0, 1), but is {1}");

        public static readonly DiagnosticDescriptor LossMismatch = Error(LossMismatchId, TrainingCategory,
            "Loss does not fit the output layer",
            "{0} does not fit the output layer '{1}' ({2}): {3}");

        public static readonly DiagnosticDescriptor CrossEntropyOnLinear = Warning(CrossEntropyOnLinearId, TrainingCategory,
            "Cross-entropy on a linear output",
            "{0} is applied to the linear output of layer '{1}': add a {2} activation, or set FromLogits = true if the outputs are meant as logits");

        public static readonly DiagnosticDescriptor SoftmaxOnHidden = Warning(SoftmaxOnHiddenId, TrainingCategory,
            "Softmax on a hidden layer",
            "Layer '{0}' applies softmax but is not the output layer; softmax squashes a hidden layer's values to sum to 1, which is rarely intended (hidden layers usually use ReLU)");

        public static readonly DiagnosticDescriptor MaxBatch = Error(MaxBatchId, TrainingCategory,
            "MaxBatch must be positive",
            "MaxBatch of model '{0}' must be at least 1, but is {1}");

        public static readonly DiagnosticDescriptor UnusedLayer = Warning(UnusedLayerId, ShapeCategory,
            "Layer does not reach an output",
            "Layer '{0}' does not feed any output ({1}), so it is never computed");

        public static readonly DiagnosticDescriptor InvalidHyperparameter = Error(InvalidHyperparameterId, TrainingCategory,
            "Hyperparameter out of range",
            "{0} must be {1}, but is {2}");

        public static readonly DiagnosticDescriptor NoLayerAfterInput = Error(NoLayerAfterInputId, ShapeCategory,
            "Model has no layer after its input",
            "Model '{0}' has no layer after its [Input] layer '{1}'; add at least one layer such as [Dense]");

        public static readonly DiagnosticDescriptor FromOnInput = Error(FromOnInputId, DeclarationCategory,
            "Input layer takes no input",
            "[Input] layer '{0}' takes no input from another layer; remove 'From'");

        public static readonly DiagnosticDescriptor ModelTooLarge = Error(ModelTooLargeId, ShapeCategory,
            "Model too large",
            "Model '{0}' needs {1} floats for its {2}, more than one .NET array can hold ({3}); make the layers narrower or MaxBatch smaller");

        public static readonly DiagnosticDescriptor UnsupportedModelClass = Error(UnsupportedModelClassId, DeclarationCategory,
            "Model class cannot be generic, static or a record",
            "Model class '{0}' is {1}; a model is a plain class (not generic, static or a record) because its sizes are fixed at build time and it holds its own buffers");

        public static readonly DiagnosticDescriptor NotASequence = Error(NotASequenceId, ShapeCategory,
            "Recurrent layer fed a non-sequence",
            "Recurrent layer '{0}' needs a sequence (steps x features), but its input '{1}' gives {2}; {3}");

        public static readonly DiagnosticDescriptor DenseOnSequence = Error(DenseOnSequenceId, ShapeCategory,
            "Dense layer fed a sequence",
            "Dense layer '{0}' is fed the sequence {1} from '{2}'; {3}");

        public static readonly DiagnosticDescriptor EmbeddingInput = Error(EmbeddingInputId, ShapeCategory,
            "Embedding needs token ids",
            "Embedding '{0}' must be fed token ids, but its input '{1}' gives {2}; declare the input as [Input(Length = ..., Vocabulary = ...)] and feed it straight to the embedding");

        public static readonly DiagnosticDescriptor TokensNeedEmbedding = Error(TokensNeedEmbeddingId, ShapeCategory,
            "Token ids fed to a layer other than an embedding",
            "Layer '{0}' is fed the token ids of '{1}'; token ids are indices, not features: put an [Embedding] between them");

        public static readonly DiagnosticDescriptor VocabularyMismatch = Error(VocabularyMismatchId, ShapeCategory,
            "Embedding vocabulary differs from the input's",
            "Embedding '{0}' declares Vocabulary = {1}, but its input '{2}' has Vocabulary = {3}");

        public static readonly DiagnosticDescriptor InitialStateSize = Error(InitialStateSizeId, ShapeCategory,
            "Initial state size differs from the layer's units",
            "The initial state of '{0}' comes from '{1}', whose state has {2} units, but '{0}' has {3} units");

        public static readonly DiagnosticDescriptor InitialStateSource = Error(InitialStateSourceId, ShapeCategory,
            "Initial state source is not a recurrent layer returning its state",
            "InitialState of '{0}' names '{1}', which {2}");

        public static readonly DiagnosticDescriptor StateIsNotASequence = Error(StateIsNotASequenceId, ShapeCategory,
            "Returned state consumed as a sequence",
            "Layer '{0}' expects a sequence, but '{1}' returns only its last output and final state (ReturnState = true, ReturnSequences = false); set ReturnSequences = true on '{1}', or hand its state over with InitialState = nameof({1})");

        public static readonly DiagnosticDescriptor BpttWindow = Error(BpttWindowId, TrainingCategory,
            "Truncated BPTT window out of range",
            "BpttWindow of model '{0}' is {1}, but {2}");

        public static readonly DiagnosticDescriptor WrapperMisuse = Error(WrapperMisuseId, DeclarationCategory,
            "Wrapper attribute on the wrong layer",
            "{1} on '{0}' cannot apply: {2}");

        public static readonly DiagnosticDescriptor InputShape = Error(InputShapeId, ShapeCategory,
            "Input shape is inconsistent",
            "[Input] '{0}': {1}");

        public static readonly DiagnosticDescriptor EnumOutOfRange = Error(EnumOutOfRangeId, DeclarationCategory,
            "Enum argument out of range",
            "{0} = {1} is not a value of {2}; use one of {3}");

        public static readonly DiagnosticDescriptor MergeInputs = Error(MergeInputsId, DeclarationCategory,
            "Wrong inputs for a merge layer",
            "'{0}' ([{1}]) cannot take its inputs: {2}; {3}");

        public static readonly DiagnosticDescriptor IncompatibleMerge = Error(IncompatibleMergeId, ShapeCategory,
            "Merged inputs have incompatible shapes",
            "[{0}] '{1}' merges '{2}' {3} with '{4}' {5}; {6}");

        public static readonly DiagnosticDescriptor ConcatenateAxis = Error(ConcatenateAxisId, ShapeCategory,
            "Concatenate axis does not exist",
            "Concatenate '{0}' has Axis = {1}, but {2}");

        public static readonly DiagnosticDescriptor ReshapeSize = Error(ReshapeSizeId, ShapeCategory,
            "Reshape changes the number of values",
            "Reshape '{0}' gets {2} from '{1}', {3} values per sample, but its target shape {4} holds {5}");

        public static readonly DiagnosticDescriptor DotAxes = Error(DotAxesId, ShapeCategory,
            "Dot axes do not match",
            "Dot '{0}' has Axes = {1}, but {2}");

        public static readonly DiagnosticDescriptor OutputLoss = Error(OutputLossId, TrainingCategory,
            "Output without a usable loss",
            "Output '{0}' cannot be trained: {1}");

        public static readonly DiagnosticDescriptor SharedLayer = Error(SharedLayerId, ShapeCategory,
            "Shared layer cannot apply to this input",
            "[Shared] '{0}' applies '{1}', {2}");

        public static readonly DiagnosticDescriptor UnusedInput = Warning(UnusedInputId, ShapeCategory,
            "Input does not reach an output",
            "Input '{0}' does not feed any output ({1}), so the model does not take it");

        public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error(DenseNeedsFlattenId, ShapeCategory,
            "Dense layer fed several feature axes",
            "Dense layer '{0}' is fed {1} from '{2}', which has {3} feature axes; add a [Flatten] layer before it");

        public static readonly DiagnosticDescriptor ReservedName = Error(ReservedNameId, DeclarationCategory,
            "Layer named like a generated member",
            "Layer '{0}' has the name of {1}; rename the layer");

        public static readonly DiagnosticDescriptor TensorNameClash = Error(TensorNameClashId, DeclarationCategory,
            "Two layers save under one tensor name",
            "Layer '{0}' saves its parameters as '{2}', as layer '{1}' does; rename one of them");

        public static readonly DiagnosticDescriptor FromLogitsOnProbabilities = Error(FromLogitsOnProbabilitiesId, TrainingCategory,
            "FromLogits on a softmax or sigmoid output",
            "FromLogits treats the output of '{0}' as logits, but it applies {1}, so {2} would be computed on probabilities squashed twice; remove the activation or FromLogits");

        public static readonly DiagnosticDescriptor GoBackwardsInBidirectional = Error(GoBackwardsInBidirectionalId, DeclarationCategory,
            "GoBackwards inside [Bidirectional]",
            "'{0}' sets GoBackwards inside [Bidirectional], which already reads the sequence in both directions; remove GoBackwards");

        public static readonly DiagnosticDescriptor TwoLayerAttributes = Error(TwoLayerAttributesId, DeclarationCategory,
            "Member carries two layer attributes",
            "'{0}' carries [{1}] and [{2}]; a member is one layer, so declare the second as a member of its own");

        public static readonly DiagnosticDescriptor LayerInput = Error(LayerInputId, ShapeCategory,
            "Input does not fit the layer",
            "{0} '{1}' needs {2}, but its input '{3}' gives {4}");

        public static readonly DiagnosticDescriptor InternalError = Error(InternalErrorId, DeclarationCategory,
            "Unroll generator failed",
            "Unroll could not generate model '{0}': {1}");

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

        /// <summary>The page a diagnostic's help link opens.</summary>
        public static string HelpLink(string id) => HelpLinkBase + id + ".md";

        private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
            Descriptor(id, category, DiagnosticSeverity.Error, title, message);

        private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
            Descriptor(id, category, DiagnosticSeverity.Warning, title, message);

        // The description is the explanation on the diagnostic's page, so that the IDE shows it offline (DiagnosticDocs).
        private static DiagnosticDescriptor Descriptor(string id, string category, DiagnosticSeverity severity, string title, string message) =>
            new(id, title, message, category, severity, isEnabledByDefault: true,
                description: DiagnosticDocs.Explanation(id, fallback: "See " + HelpLink(id)), helpLinkUri: HelpLink(id));
    }
}
