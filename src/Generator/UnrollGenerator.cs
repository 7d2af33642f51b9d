using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Emit;
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
    /// Finds [Model] classes, parses them into equatable specs, checks and plans them and emits each model's partial class.
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
                    static (ctx, ct) => IsFirstModelDeclaration(ctx) ? Parse(ctx, ct) : null)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
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

        private static ModelSpec? Parse(GeneratorAttributeSyntaxContext ctx, System.Threading.CancellationToken ct)
        {
            try
            {
                return ModelParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception)
            {
                // The analyzer reports the failure (UNR9999) with the same parse; the generator adds nothing for this class.
                return null;
            }
        }

        /// <summary>[Model] written on several partial declarations of one class (an error the compiler reports, CS0579) is generated
        /// once, from the first declaration that carries it, instead of twice under one hint name.</summary>
        private static bool IsFirstModelDeclaration(GeneratorAttributeSyntaxContext ctx)
        {
            foreach (AttributeData attribute in ctx.TargetSymbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != ModelParser.ModelAttributeName) continue;
                SyntaxNode? owner = attribute.ApplicationSyntaxReference?.GetSyntax().Parent?.Parent;
                return owner is null || owner == ctx.TargetNode;
            }
            return true;
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
