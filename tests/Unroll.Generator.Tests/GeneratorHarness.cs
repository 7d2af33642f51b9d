using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Unroll.Generator;
using Unroll.Generator.Analyzers;
using Unroll.Tests.Shared;

namespace Unroll.Generator.Tests;

/// <summary>Runs the real generator and analyzer over source text with the real compiler.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = UserCode.ParseOptions;

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create("UserModels",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Model{i}.cs")),
            UserCode.References,
            UserCode.CompilationOptions);

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            new[] { new UnrollGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the output compilation, the generated files and the generator's own diagnostics.</summary>
    public static (Compilation Output, GeneratorDriverRunResult Result) Run(params string[] sources)
    {
        CSharpCompilation input = Compilation(sources);
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return (output, driver.GetRunResult());
    }

    /// <summary>The single generated file for a model source.</summary>
    public static string GeneratedSource(string source)
    {
        var (_, result) = Run(source);
        GeneratedSourceResult generated = Assert.Single(result.Results.Single().GeneratedSources);
        return generated.SourceText.ToString();
    }

    /// <summary>Compiles the model with the generated code; fails with every compiler error listed.</summary>
    public static Compilation CompileWithoutErrors(string source)
    {
        var (output, result) = Run(source);
        Assert.Empty(result.Diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "compile errors:\n" + string.Join("\n", errors));
        return output;
    }

    /// <summary>Emits the compilation and loads it, to run the generated model.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }

    public static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnostics(string source)
    {
        CSharpCompilation compilation = Compilation(source);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelAnalyzer()));
        return await withAnalyzers.GetAnalyzerDiagnosticsAsync();
    }
}
