using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;

namespace Unroll.Generator.Parsing
{
    /// <summary>Reads a [Model] class into a <see cref="ModelSpec"/>. Shared by the generator and the analyzer.</summary>
    internal static class ModelParser
    {
        public const string ModelAttributeName = "Unroll.ModelAttribute";
        private const string LayerTypeName = "Unroll.Layer";

        private static readonly Dictionary<string, LayerKind> LayerAttributes = new()
        {
            ["Unroll.InputAttribute"] = LayerKind.Input,
            ["Unroll.DenseAttribute"] = LayerKind.Dense,
            ["Unroll.ActivationAttribute"] = LayerKind.Activation,
            ["Unroll.DropoutAttribute"] = LayerKind.Dropout,
            ["Unroll.EmbeddingAttribute"] = LayerKind.Embedding,
            ["Unroll.SimpleRnnAttribute"] = LayerKind.SimpleRnn,
            ["Unroll.LstmAttribute"] = LayerKind.Lstm,
            ["Unroll.GruAttribute"] = LayerKind.Gru,
        };

        private const string BidirectionalAttributeName = "Unroll.BidirectionalAttribute";
        private const string TimeDistributedAttributeName = "Unroll.TimeDistributedAttribute";

        public static ModelSpec Parse(INamedTypeSymbol type, AttributeData modelAttribute, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var declaration = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            LocationInfo? classLocation = LocationInfo.From(declaration?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault());

            if (declaration is not null && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelNotPartialId, classLocation, type.Name));
            if (type.IsGenericType || type.IsStatic || type.IsRecord)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClassId, classLocation, type.Name,
                    type.IsStatic ? "static" : type.IsRecord ? "a record" : "generic"));

            var containing = new List<ContainingType>();
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                var outerDeclaration = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
                if (outerDeclaration is not null && !outerDeclaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartialId,
                        LocationInfo.From(outerDeclaration.Identifier.GetLocation()), type.Name, outer.Name));
                containing.Insert(0, new ContainingType(Keyword(outer), outer.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }

            var modelArgs = ReadArguments(modelAttribute, cancellationToken);
            // Declaration order is the Sequential order; layers split over several partial files are ordered file by file.
            var layers = new List<(string File, int Order, LayerSpec Spec)>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                AttributeData? bidirectional = null, timeDistributed = null;
                foreach (AttributeData attribute in member.GetAttributes())
                {
                    string? attributeName = attribute.AttributeClass?.ToDisplayString();
                    if (attributeName == BidirectionalAttributeName) bidirectional = attribute;
                    if (attributeName == TimeDistributedAttributeName) timeDistributed = attribute;
                }
                bool hasLayer = false;
                foreach (AttributeData attribute in member.GetAttributes())
                {
                    string? attributeName = attribute.AttributeClass?.ToDisplayString();
                    if (attributeName is null || !LayerAttributes.TryGetValue(attributeName, out LayerKind kind))
                        continue;
                    hasLayer = true;
                    LayerSpec layer = ReadLayer(member, attribute, kind, bidirectional, timeDistributed, cancellationToken);
                    if (!layer.IsValidMember)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerMemberId, layer.NameLocation, member.Name));
                    Location? location = member.Locations.FirstOrDefault();
                    layers.Add((location?.SourceTree?.FilePath ?? "", location?.SourceSpan.Start ?? int.MaxValue, layer));
                    break;
                }
                foreach (AttributeData? wrapper in new[] { bidirectional, timeDistributed })
                    if (!hasLayer && wrapper is not null)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId,
                            LocationInfo.From(wrapper.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), member.Name,
                            WrapperName(wrapper), "it has no layer attribute to wrap"));
            }

            var args = modelArgs.Values;
            return new ModelSpec(
                Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
                ClassName: type.Name,
                Accessibility: AccessibilityKeyword(type.DeclaredAccessibility),
                ContainingTypes: new EquatableArray<ContainingType>(containing),
                ClassLocation: classLocation,
                ModelAttributeLocation: LocationInfo.From(modelAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
                Loss: (Loss)Int(args, "Loss", (int)Loss.MeanSquaredError),
                Optimizer: (Optimizer)Int(args, "Optimizer", (int)Optimizer.Adam),
                LearningRate: args.TryGetValue("LearningRate", out object? lr) ? ToFloat(lr) : null,
                Momentum: Float(args, "Momentum", 0.9f),
                Beta1: Float(args, "Beta1", 0.9f),
                Beta2: Float(args, "Beta2", 0.999f),
                Epsilon: Float(args, "Epsilon", 1e-7f),
                Rho: Float(args, "Rho", 0.9f),
                InitialAccumulator: Float(args, "InitialAccumulator", 0.1f),
                WeightDecay: Float(args, "WeightDecay", 0.004f),
                HuberDelta: Float(args, "HuberDelta", 1f),
                FromLogits: Bool(args, "FromLogits", false),
                MaxBatch: Int(args, "MaxBatch", 32),
                ClipValue: Float(args, "ClipValue", 0f),
                ClipNorm: Float(args, "ClipNorm", 0f),
                BpttWindow: Int(args, "BpttWindow", 0),
                ModelArguments: modelArgs.Locations,
                Layers: new EquatableArray<LayerSpec>(layers.OrderBy(l => l.File, StringComparer.Ordinal).ThenBy(l => l.Order).Select(l => l.Spec)),
                ParseDiagnostics: new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        public static string WrapperName(AttributeData wrapper) =>
            wrapper.AttributeClass?.ToDisplayString() == BidirectionalAttributeName ? "[Bidirectional]" : "[TimeDistributed]";

        private static LayerSpec ReadLayer(ISymbol member, AttributeData attribute, LayerKind kind, AttributeData? bidirectional,
            AttributeData? timeDistributed, CancellationToken cancellationToken)
        {
            var read = ReadArguments(attribute, cancellationToken);
            var args = read.Values;
            bool valid = member is IPropertySymbol property
                && property.IsPartialDefinition
                && !property.IsStatic
                && property.GetMethod is not null
                && property.SetMethod is null
                && property.Type.ToDisplayString() == LayerTypeName;

            string sizeName = kind switch { LayerKind.Input => "Features", LayerKind.Embedding => "Dimension", _ => "Units" };
            bool recurrent = kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;
            Activation defaultActivation = kind == LayerKind.SimpleRnn ? Activation.Tanh : Activation.Linear;
            var merge = bidirectional is { ConstructorArguments.Length: > 0 } ? (MergeMode)Convert.ToInt32(bidirectional.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture) : MergeMode.Concat;
            var sequence = new SequenceSpec(
                Length: Int(args, "Length", 0),
                Vocabulary: Int(args, "Vocabulary", 0),
                MaskZero: Bool(args, "MaskZero", false),
                ReturnSequences: Bool(args, "ReturnSequences", false),
                ReturnState: Bool(args, "ReturnState", false),
                InitialState: args.TryGetValue("InitialState", out object? initial) ? initial as string : null,
                Dropout: recurrent ? Float(args, "Dropout", 0f) : 0f,
                RecurrentDropout: Float(args, "RecurrentDropout", 0f),
                GoBackwards: Bool(args, "GoBackwards", false),
                RecurrentInitializer: (Initializer)Int(args, "RecurrentInitializer", (int)Initializer.Orthogonal),
                UnitForgetBias: Bool(args, "UnitForgetBias", true),
                Bidirectional: bidirectional is not null,
                Merge: merge,
                BidirectionalLocation: LocationInfo.From(bidirectional?.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
                TimeDistributed: timeDistributed is not null,
                TimeDistributedLocation: LocationInfo.From(timeDistributed?.ApplicationSyntaxReference?.GetSyntax(cancellationToken)));
            string kernelInitializer = kind == LayerKind.Embedding ? "Initializer" : "KernelInitializer";
            string kernelScale = kind == LayerKind.Embedding ? "Scale" : "KernelScale";
            Initializer defaultKernel = kind == LayerKind.Embedding ? Initializer.Uniform : Initializer.GlorotUniform;
            return new LayerSpec(
                Name: member.Name,
                Kind: kind,
                NameLocation: LocationInfo.From(member.Locations.FirstOrDefault()),
                AttributeLocation: LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
                IsValidMember: valid,
                Accessibility: AccessibilityKeyword(member.DeclaredAccessibility),
                From: args.TryGetValue("From", out object? from) ? from as string : null,
                Size: Int(args, sizeName, 0),
                Activation: (Activation)Int(args, "Activation", (int)defaultActivation),
                Alpha: args.TryGetValue(kind == LayerKind.Activation ? "Alpha" : "ActivationAlpha", out object? alpha) ? ToFloat(alpha) : null,
                UseBias: Bool(args, "UseBias", true),
                KernelInitializer: (Initializer)Int(args, kernelInitializer, (int)defaultKernel),
                KernelScale: args.TryGetValue(kernelScale, out object? ks) ? ToFloat(ks) : null,
                BiasInitializer: (Initializer)Int(args, "BiasInitializer", (int)Initializer.Zeros),
                BiasScale: args.TryGetValue("BiasScale", out object? bs) ? ToFloat(bs) : null,
                L1: Float(args, "L1", 0f),
                L2: Float(args, "L2", 0f),
                Rate: Float(args, "Rate", 0f),
                Trainable: Bool(args, "Trainable", true),
                Arguments: read.Locations,
                Sequence: sequence == SequenceSpec.None ? null : sequence);
        }

        private static (Dictionary<string, object?> Values, EquatableArray<ArgumentInfo> Locations) ReadArguments(AttributeData attribute, CancellationToken cancellationToken)
        {
            var values = new Dictionary<string, object?>();
            var locations = new List<ArgumentInfo>();
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var syntaxArgs = syntax?.ArgumentList?.Arguments ?? default;

            IMethodSymbol? constructor = attribute.AttributeConstructor;
            for (int i = 0; i < attribute.ConstructorArguments.Length; i++)
            {
                if (constructor is null || i >= constructor.Parameters.Length) break;
                // Constructor parameters are named as the properties they set (activation -> Activation, rate -> Rate).
                string name = char.ToUpperInvariant(constructor.Parameters[i].Name[0]) + constructor.Parameters[i].Name.Substring(1);
                values[name] = attribute.ConstructorArguments[i].Value;
                AttributeArgumentSyntax? arg = syntaxArgs.Count > i && syntaxArgs[i].NameEquals is null ? syntaxArgs[i] : null;
                if (LocationInfo.From(arg) is { } location) locations.Add(new ArgumentInfo(name, location));
            }

            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                values[named.Key] = named.Value.Value;
                AttributeArgumentSyntax? arg = null;
                foreach (AttributeArgumentSyntax a in syntaxArgs)
                    if (a.NameEquals?.Name.Identifier.ValueText == named.Key) arg = a;
                if (LocationInfo.From(arg) is { } location) locations.Add(new ArgumentInfo(named.Key, location));
            }
            return (values, new EquatableArray<ArgumentInfo>(locations));
        }

        private static int Int(Dictionary<string, object?> args, string name, int fallback) =>
            args.TryGetValue(name, out object? v) && v is not null ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

        private static float Float(Dictionary<string, object?> args, string name, float fallback) =>
            args.TryGetValue(name, out object? v) && v is not null ? ToFloat(v) : fallback;

        private static float ToFloat(object? v) => v is null ? 0f : Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture);

        private static bool Bool(Dictionary<string, object?> args, string name, bool fallback) =>
            args.TryGetValue(name, out object? v) && v is bool b ? b : fallback;

        private static string Keyword(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };

        public static string AccessibilityKeyword(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "internal",
        };
    }
}
