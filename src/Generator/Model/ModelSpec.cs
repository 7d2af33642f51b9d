using Unroll.Generator.Helpers;

namespace Unroll.Generator.Model
{
    /// <summary>Where one attribute argument was written, so a diagnostic can point at it.</summary>
    internal sealed record ArgumentInfo(string Name, LocationInfo Location);

    /// <summary>A diagnostic found while parsing or checking, as plain values.</summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
    {
        public static DiagnosticInfo Create(string id, LocationInfo? location, params string[] args) =>
            new(id, location, new EquatableArray<string>(args));
    }

    /// <summary>A type that encloses the model class, outermost first (<c>partial class Outer</c>).</summary>
    internal sealed record ContainingType(string Keyword, string Name);

    /// <summary>One attributed layer member, as the user declared it.</summary>
    internal sealed record LayerSpec(
        string Name,
        LayerKind Kind,
        LocationInfo? NameLocation,
        LocationInfo? AttributeLocation,
        bool IsValidMember,
        string Accessibility,
        string? From,
        int Size,
        Activation Activation,
        float? Alpha,
        bool UseBias,
        Initializer KernelInitializer,
        float? KernelScale,
        Initializer BiasInitializer,
        float? BiasScale,
        float L1,
        float L2,
        float Rate,
        bool Trainable,
        EquatableArray<ArgumentInfo> Arguments,
        SequenceSpec? Sequence = null)
    {
        /// <summary>The sequence options (all defaults for a layer that has none).</summary>
        public SequenceSpec Seq => Sequence ?? SequenceSpec.None;

        public bool IsRecurrent => Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;

        /// <summary>The location of the named argument, else of the attribute, else of the member name.</summary>
        public LocationInfo? LocationOf(string argument)
        {
            foreach (ArgumentInfo a in Arguments)
                if (a.Name == argument) return a.Location;
            return AttributeLocation ?? NameLocation;
        }
    }

    /// <summary>What sequence layers add to a <see cref="LayerSpec"/>: the input's length and vocabulary, the embedding's
    /// masking, the recurrent options and the wrappers (<c>[Bidirectional]</c>, <c>[TimeDistributed]</c>) on the member.</summary>
    internal sealed record SequenceSpec(
        int Length,
        int Vocabulary,
        bool MaskZero,
        bool ReturnSequences,
        bool ReturnState,
        string? InitialState,
        float Dropout,
        float RecurrentDropout,
        bool GoBackwards,
        Initializer RecurrentInitializer,
        bool UnitForgetBias,
        bool Bidirectional,
        MergeMode Merge,
        LocationInfo? BidirectionalLocation,
        bool TimeDistributed,
        LocationInfo? TimeDistributedLocation)
    {
        public static readonly SequenceSpec None = new(0, 0, false, false, false, null, 0f, 0f, false, Initializer.Orthogonal, true,
            false, MergeMode.Concat, null, false, null);
    }

    /// <summary>Everything the generator and the analyzer need about one [Model] class: strings, numbers, enums and
    /// equatable arrays only (never symbols or syntax), so the incremental pipeline can cache it.</summary>
    internal sealed record ModelSpec(
        string? Namespace,
        string ClassName,
        string Accessibility,
        EquatableArray<ContainingType> ContainingTypes,
        LocationInfo? ClassLocation,
        LocationInfo? ModelAttributeLocation,
        Loss Loss,
        Optimizer Optimizer,
        float? LearningRate,
        float Momentum,
        float Beta1,
        float Beta2,
        float Epsilon,
        float Rho,
        float InitialAccumulator,
        float WeightDecay,
        float HuberDelta,
        bool FromLogits,
        int MaxBatch,
        float ClipValue,
        float ClipNorm,
        int BpttWindow,
        EquatableArray<ArgumentInfo> ModelArguments,
        EquatableArray<LayerSpec> Layers,
        EquatableArray<DiagnosticInfo> ParseDiagnostics)
    {
        public LocationInfo? LocationOf(string argument)
        {
            foreach (ArgumentInfo a in ModelArguments)
                if (a.Name == argument) return a.Location;
            return ModelAttributeLocation ?? ClassLocation;
        }

        public string FullName => Namespace is null ? ClassName : Namespace + "." + ClassName;
    }
}
