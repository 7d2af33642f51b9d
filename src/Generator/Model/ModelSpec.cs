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

    /// <summary>What one layer kind reads from its attribute: an equatable record per kind, declared beside the kind in
    /// its catalogue file (<c>Layers/Core/Dense.cs</c> holds <c>DenseOptions</c>).</summary>
    internal abstract record LayerOptions;

    /// <summary>A wrapper attribute beside a layer attribute on one member (<c>[Bidirectional]</c>, <c>[TimeDistributed]</c>).</summary>
    internal sealed record WrapperSpec(string Name, LocationInfo? Location, int Value);

    /// <summary>An <c>[Output]</c> on a member: its loss (null: the model's), weight in the total loss and logits flag (null: the model's).</summary>
    internal sealed record OutputSpec(Loss? Loss, float Weight, bool? FromLogits, LocationInfo? Location, EquatableArray<ArgumentInfo> Arguments)
    {
        public LocationInfo? LocationOf(string argument)
        {
            foreach (ArgumentInfo a in Arguments)
                if (a.Name == argument) return a.Location;
            return Location;
        }
    }

    /// <summary>One attributed member: a layer of the catalogue applied to its inputs, as the user declared it.</summary>
    /// <param name="Kind">The catalogue name of the layer (the attribute's name without "Attribute": Dense, Lstm, Concatenate).</param>
    /// <param name="Inputs">The layers named as inputs (<c>From</c>, or a merge's list); empty: the member declared before this one.</param>
    /// <param name="Options">What the layer kind read from its attribute.</param>
    internal sealed record LayerSpec(
        string Name,
        string Kind,
        LocationInfo? NameLocation,
        LocationInfo? AttributeLocation,
        bool IsValidMember,
        string Accessibility,
        EquatableArray<string> Inputs,
        bool Trainable,
        LayerOptions Options,
        EquatableArray<WrapperSpec> Wrappers,
        OutputSpec? Output,
        EquatableArray<ArgumentInfo> Arguments)
    {
        /// <summary>The location of the named argument, else of the attribute, else of the member name.</summary>
        public LocationInfo? LocationOf(string argument)
        {
            foreach (ArgumentInfo a in Arguments)
                if (a.Name == argument) return a.Location;
            return AttributeLocation ?? NameLocation;
        }

        /// <summary>The location of an argument if it was written, else null.</summary>
        public LocationInfo? ExactLocationOf(string argument)
        {
            foreach (ArgumentInfo a in Arguments)
                if (a.Name == argument) return a.Location;
            return null;
        }

        public WrapperSpec? Wrapper(string name)
        {
            foreach (WrapperSpec w in Wrappers)
                if (w.Name == name) return w;
            return null;
        }
    }

    /// <summary>Everything the generator and the analyzer need about one [Model] class: strings, numbers, enums and
    /// equatable arrays only (never symbols or syntax), so the incremental pipeline can cache it.</summary>
    /// <param name="Namespace">As written in code, keywords escaped (<c>A.@fixed</c>); null for the global namespace.</param>
    /// <param name="LossSet">Whether [Model] names a loss (the default for every output without its own).</param>
    internal sealed record ModelSpec(
        string? Namespace,
        string ClassName,
        string Accessibility,
        EquatableArray<ContainingType> ContainingTypes,
        LocationInfo? ClassLocation,
        LocationInfo? ModelAttributeLocation,
        Loss Loss,
        bool LossSet,
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

        /// <summary>The class name as C# source writes it (a keyword name gets its @).</summary>
        public string ClassIdentifier => Emit.Names.Identifier(ClassName);

        public string FullName => Namespace is null ? ClassName : Namespace + "." + ClassName;
    }
}

namespace Unroll.Generator.Model
{
    /// <summary>A <c>[Shared(nameof(Layer))]</c> member: it applies that layer, with its weights, to its own input.</summary>
    internal sealed record SharedOptions(string Layer) : LayerOptions;
}
