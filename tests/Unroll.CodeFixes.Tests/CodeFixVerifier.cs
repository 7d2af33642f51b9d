using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Unroll.Generator;
using Unroll.Generator.Analyzers;
using Unroll.Tests.Shared;

namespace Unroll.CodeFixes.Tests;

/// <summary>
/// Microsoft.CodeAnalysis.CSharp.CodeFix.Testing over the real <see cref="ModelAnalyzer"/>: the source marks each expected diagnostic
/// (<c>{|UNR0005:Hidden|}</c>), the framework applies the fix with the given equivalence key one diagnostic at a time and as Fix All
/// (document, project, solution), and compares the whole text with the expected one. Compiled as the other tests compile user code
/// (<see cref="UserCode"/>), so no reference package is downloaded. What the framework cannot do, this adds: the fixed model is
/// compiled with the generator and must have no compiler error (the framework runs analyzers, not generators).
/// </summary>
internal sealed class CodeFixVerifier<TFix> : CSharpCodeFixTest<ModelAnalyzer, TFix, DefaultVerifier>
    where TFix : CodeFixProvider, new()
{
    public CodeFixVerifier(string source, string fixedSource, string? equivalenceKey)
    {
        TestCode = source;
        FixedCode = fixedSource;
        CodeActionEquivalenceKey = equivalenceKey;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(UserCode.References);
        FixedState.AdditionalReferences.AddRange(UserCode.References);
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    protected override ParseOptions CreateParseOptions() => UserCode.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => UserCode.CompilationOptions;

    /// <summary>The marked diagnostics are fixed into <paramref name="fixedSource"/>, which then builds with the generator.</summary>
    public static async Task VerifyAsync(string source, string fixedSource, string equivalenceKey)
    {
        await new CodeFixVerifier<TFix>(source, fixedSource, equivalenceKey).RunAsync();
        AssertCompilesWithGenerator(fixedSource);
    }

    /// <summary>The marked diagnostics are reported, and no fix changes the source.</summary>
    public static Task VerifyNoFixAsync(string source) => new CodeFixVerifier<TFix>(source, source, null).RunAsync();

    public static void AssertCompilesWithGenerator(string source)
    {
        TestFileMarkupParser.GetSpans(source, out string plain, out ImmutableDictionary<string, ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _);
        CSharpCompilation input = CSharpCompilation.Create("Fixed", new[] { CSharpSyntaxTree.ParseText(plain, UserCode.ParseOptions) },
            UserCode.References, UserCode.CompilationOptions);
        CSharpGeneratorDriver.Create(new[] { new UnrollGenerator().AsSourceGenerator() }, parseOptions: UserCode.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "compile errors after the fix:\n" + string.Join("\n", errors));
    }
}
