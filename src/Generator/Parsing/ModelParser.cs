using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Helpers;
using Unroll.Generator.Layers;
using Unroll.Generator.Model;

namespace Unroll.Generator.Parsing
{
    /// <summary>Reads a [Model] class into a <see cref="ModelSpec"/>. Shared by the generator and the analyzer. Each layer kind
    /// reads its own attribute (<see cref="LayerDefinition.Read"/>); this class only finds the members and their attributes.</summary>
    internal static class ModelParser
    {
        public const string ModelAttributeName = "Unroll.ModelAttribute";
        public const string SharedAttributeName = "Unroll.SharedAttribute";
        public const string OutputAttributeName = "Unroll.OutputAttribute";
        public const string SharedKind = "Shared";
        private const string LayerTypeName = "Unroll.Layer";

        public static ModelSpec Parse(INamedTypeSymbol type, AttributeData modelAttribute, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var declaration = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            LocationInfo? classLocation = LocationInfo.From(declaration?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault());

            if (declaration is not null && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelNotPartialId, classLocation, type.Name));
            // A model nested in a generic type is fine (its sizes do not depend on the type's parameters); a generic model is not.
            if (type.TypeParameters.Length > 0 || type.IsStatic || type.IsRecord)
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

            AttributeArguments model = AttributeArguments.Read(modelAttribute, diagnostics, cancellationToken);
            // Declaration order is the Sequential order; layers split over several partial files are ordered file by file.
            var layers = new List<(string File, int Order, LayerSpec Spec)>();
            foreach (ISymbol member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                LayerSpec? layer = ReadMember(member, diagnostics, cancellationToken);
                if (layer is null) continue;
                if (!layer.IsValidMember)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerMemberId, layer.NameLocation, member.Name));
                Location? location = member.Locations.FirstOrDefault();
                layers.Add((location?.SourceTree?.FilePath ?? "", location?.SourceSpan.Start ?? int.MaxValue, layer));
            }

            return new ModelSpec(
                Namespace: NamespaceOf(type),
                ClassName: type.Name,
                Accessibility: AccessibilityKeyword(type.DeclaredAccessibility),
                ContainingTypes: new EquatableArray<ContainingType>(containing),
                ClassLocation: classLocation,
                ModelAttributeLocation: LocationInfo.From(modelAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
                Loss: model.Enum("Loss", Loss.MeanSquaredError),
                LossSet: model.Has("Loss"),
                Optimizer: model.Enum("Optimizer", Optimizer.Adam),
                LearningRate: model.FloatOrNull("LearningRate"),
                Momentum: model.Float("Momentum", 0.9f),
                Beta1: model.Float("Beta1", 0.9f),
                Beta2: model.Float("Beta2", 0.999f),
                Epsilon: model.Float("Epsilon", 1e-7f),
                Rho: model.Float("Rho", 0.9f),
                InitialAccumulator: model.Float("InitialAccumulator", 0.1f),
                WeightDecay: model.Float("WeightDecay", 0.004f),
                HuberDelta: model.Float("HuberDelta", 1f),
                FromLogits: model.Bool("FromLogits", false),
                MaxBatch: model.Int("MaxBatch", 32),
                ClipValue: model.Float("ClipValue", 0f),
                ClipNorm: model.Float("ClipNorm", 0f),
                BpttWindow: model.Int("BpttWindow", 0),
                ModelArguments: model.Locations,
                Layers: new EquatableArray<LayerSpec>(layers.OrderBy(l => l.File, StringComparer.Ordinal).ThenBy(l => l.Order).Select(l => l.Spec)),
                ParseDiagnostics: new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        /// <summary>The namespace as C# writes it, each keyword segment escaped (<c>A.@fixed</c>); null for the global namespace.</summary>
        private static string? NamespaceOf(INamedTypeSymbol type)
        {
            var parts = new List<string>();
            for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
                parts.Insert(0, Emit.Names.Identifier(ns.Name));
            return parts.Count == 0 ? null : string.Join(".", parts);
        }

        /// <summary>The layer a member declares, or null when it carries no layer, wrapper or output attribute.</summary>
        private static LayerSpec? ReadMember(ISymbol member, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            AttributeData? layerAttribute = null, output = null;
            LayerDefinition? definition = null;
            var wrappers = new List<(string Name, AttributeData Data)>();
            foreach (AttributeData attribute in member.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (name is null) continue;
                if (LayerCatalogue.WrapperAttributes.TryGetValue(name, out string? wrapper))
                {
                    wrappers.Add((wrapper, attribute));
                    continue;
                }
                if (name == OutputAttributeName)
                {
                    output = attribute;
                    continue;
                }
                LayerDefinition? found = LayerCatalogue.FromAttribute(name);
                if (found is null && name != SharedAttributeName) continue;
                if (layerAttribute is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TwoLayerAttributesId,
                        LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), member.Name,
                        ShortName(layerAttribute), ShortName(attribute)));
                    continue;
                }
                layerAttribute = attribute;
                definition = found;
            }

            if (layerAttribute is null)
            {
                foreach (var (name, data) in wrappers)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId,
                        LocationInfo.From(data.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), member.Name, "[" + name + "]", "it has no layer attribute to wrap"));
                if (output is not null)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId,
                        LocationInfo.From(output.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), member.Name, "[Output]", "it has no layer attribute to mark as an output"));
                return null;
            }

            AttributeArguments args = AttributeArguments.Read(layerAttribute, diagnostics, cancellationToken);
            bool valid = member is IPropertySymbol property
                && property.IsPartialDefinition
                && !property.IsStatic
                && property.GetMethod is not null
                && property.SetMethod is null
                && property.Type.ToDisplayString() == LayerTypeName;

            var wrapperSpecs = new List<WrapperSpec>();
            foreach (var (name, data) in wrappers)
            {
                LocationInfo? at = LocationInfo.From(data.ApplicationSyntaxReference?.GetSyntax(cancellationToken));
                AttributeArguments wrapperArgs = AttributeArguments.Read(data, diagnostics, cancellationToken);
                wrapperSpecs.Add(new WrapperSpec(name, at, wrapperArgs.Int("Merge", 0)));
                if (definition is not null && !definition.Wrappers.Contains(name))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrapperMisuseId, at, member.Name, "[" + name + "]",
                        "it wraps only " + Accepting(name) + ", and this member is " + KindName(definition.Name)));
            }

            OutputSpec? outputSpec = null;
            if (output is not null)
            {
                AttributeArguments o = AttributeArguments.Read(output, diagnostics, cancellationToken);
                outputSpec = new OutputSpec(o.EnumOrNull<Loss>("Loss"), o.Float("Weight", 1f), o.Has("FromLogits") ? o.Bool("FromLogits", false) : null,
                    LocationInfo.From(output.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), o.Locations);
            }

            LayerOptions options = definition is null ? new SharedOptions(args.String("Layer") ?? "") : definition.Read(args);
            EquatableArray<string> inputs = definition is null
                ? (args.String("From") is { } from ? new EquatableArray<string>(new[] { from }) : EquatableArray<string>.Empty)
                : definition.ReadInputs(args);
            return new LayerSpec(
                Name: member.Name,
                Kind: definition?.Name ?? SharedKind,
                NameLocation: LocationInfo.From(member.Locations.FirstOrDefault()),
                AttributeLocation: LocationInfo.From(layerAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
                IsValidMember: valid,
                Accessibility: AccessibilityKeyword(member.DeclaredAccessibility),
                Inputs: inputs,
                Trainable: args.Bool("Trainable", true),
                Options: options,
                Wrappers: new EquatableArray<WrapperSpec>(wrapperSpecs),
                Output: outputSpec,
                Arguments: args.Locations);
        }

        private static string ShortName(AttributeData attribute)
        {
            string name = attribute.AttributeClass?.Name ?? "?";
            return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
        }

        /// <summary>The layers that accept a wrapper, for a message: "a SimpleRnn, Lstm or Gru".</summary>
        private static string Accepting(string wrapper)
        {
            var names = LayerCatalogue.All.Where(d => d.Wrappers.Contains(wrapper)).Select(d => d.Name).ToList();
            if (names.Count == 1) return "a " + names[0] + " layer";
            return "a " + string.Join(", ", names.Take(names.Count - 1)) + " or " + names[names.Count - 1];
        }

        /// <summary>"an [Input]", "a [Dense]".</summary>
        public static string KindName(string kind) => ("AEIOU".IndexOf(kind[0]) >= 0 || kind == "Lstm" ? "an [" : "a [") + kind + "]";

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
