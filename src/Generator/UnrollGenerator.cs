using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Emit;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using Unroll.Generator.Shapes;

namespace Unroll.Generator
{
    /// <summary>Step names, so tests can assert that each step is cached.</summary>
    internal static class TrackingNames
    {
        public const string Specs = "Specs";
        public const string Sources = "Sources";
    }

    /// <summary>The result of generating one model: a file, or an internal-error diagnostic.</summary>
    internal sealed record GeneratedModel(string HintName, string? Source, DiagnosticInfo? Failure);

    /// <summary>
    /// Finds [Model] classes, parses them into equatable specs, checks shapes and emits each model's partial class.
    /// Declaration and shape diagnostics come from <see cref="Analyzers.ModelAnalyzer"/>; this generator reports only its own failures.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class UnrollGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<ModelSpec> specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    ModelParser.ModelAttributeName,
                    static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => ModelParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct))
                .WithTrackingName(TrackingNames.Specs);

            IncrementalValuesProvider<GeneratedModel> sources = specs
                .Select(static (spec, _) => Generate(spec))
                .WithTrackingName(TrackingNames.Sources);

            context.RegisterSourceOutput(sources, static (spc, model) =>
            {
                if (model.Failure is { } failure)
                    spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, failure.Location?.ToLocation(), failure.MessageArgs.ToArray()));
                if (model.Source is not null)
                    spc.AddSource(model.HintName, SourceText.From(model.Source, System.Text.Encoding.UTF8));
            });
        }

        internal static GeneratedModel Generate(ModelSpec spec)
        {
            string hintName = ModelEmitter.HintName(spec);
            try
            {
                var (plan, diagnostics) = ModelChecker.Check(spec);
                if (plan is not null)
                    return new GeneratedModel(hintName, ModelEmitter.Emit(plan), null);

                // A class that is not partial cannot be extended at all; anything else gets throwing members.
                if (diagnostics.Any(d => d.Id is DiagnosticDescriptors.ModelNotPartialId or DiagnosticDescriptors.ContainingTypeNotPartialId
                    or DiagnosticDescriptors.UnsupportedModelClassId))
                    return new GeneratedModel(hintName, null, null);
                string ids = string.Join(", ", diagnostics
                    .Where(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error)
                    .Select(d => d.Id).Distinct());
                return new GeneratedModel(hintName, StubEmitter.Emit(spec, ids), null);
            }
            catch (Exception ex)
            {
                return new GeneratedModel(hintName, null,
                    DiagnosticInfo.Create(DiagnosticDescriptors.InternalErrorId, spec.ClassLocation, spec.ClassName, ex.GetType().Name + ": " + ex.Message));
            }
        }
    }
}
