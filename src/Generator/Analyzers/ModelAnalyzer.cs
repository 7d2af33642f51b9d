using System;
using System.Collections.Immutable;
using System.Linq;
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
    }
}
