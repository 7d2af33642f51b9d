using System;
using System.Collections.Immutable;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Model;
using Unroll.Generator.Parsing;
using Unroll.Generator.Shapes;

namespace Unroll.Generator.Analyzers
{
    /// <summary>Reports declaration, shape and training diagnostics of [Model] classes as the user types,
    /// with the same parse and check code the generator runs.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ModelAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.All);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                INamedTypeSymbol? modelAttribute = start.Compilation.GetTypeByMetadataName(ModelParser.ModelAttributeName);
                if (modelAttribute is null) return;
                start.RegisterSymbolAction(ctx => Analyze(ctx, modelAttribute), SymbolKind.NamedType);
            });
        }

        private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol modelAttribute)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            ReportContainedModels(context, type, modelAttribute);
            AttributeData? attribute = null;
            foreach (AttributeData a in type.GetAttributes())
                if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, modelAttribute))
                    attribute = a;
            if (attribute is null) return;

            try
            {
                ModelSpec spec = ModelParser.Parse(type, attribute, context.CancellationToken);
                var (_, diagnostics) = ModelChecker.Check(spec);
                foreach (DiagnosticInfo d in diagnostics)
                {
                    // Reported where it applies, when the containing type itself is analyzed (a diagnostic must lie in its symbol's declaration).
                    if (d.Id == DiagnosticDescriptors.ContainingTypeNotPartialId) continue;
                    DiagnosticDescriptor? descriptor = DiagnosticDescriptors.Find(d.Id);
                    if (descriptor is null) continue;
                    context.ReportDiagnostic(Diagnostic.Create(descriptor, d.Location?.ToLocation(context.Compilation), d.MessageArgs.ToArray()));
                }
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception ex)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, type.Locations.Length > 0 ? type.Locations[0] : null,
                    type.Name, ex.GetType().Name + ": " + ex.Message));
            }
        }

        /// <summary>UNR0002 on a type that is not partial, for each model nested in it (at any depth).</summary>
        private static void ReportContainedModels(SymbolAnalysisContext context, INamedTypeSymbol type, INamedTypeSymbol modelAttribute)
        {
            var declaration = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (declaration is null || declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) return;
            var pending = new Stack<INamedTypeSymbol>(type.GetTypeMembers());
            while (pending.Count > 0)
            {
                INamedTypeSymbol nested = pending.Pop();
                foreach (INamedTypeSymbol inner in nested.GetTypeMembers()) pending.Push(inner);
                if (nested.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, modelAttribute)))
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeNotPartial, declaration.Identifier.GetLocation(), nested.Name, type.Name));
            }
        }
    }
}
