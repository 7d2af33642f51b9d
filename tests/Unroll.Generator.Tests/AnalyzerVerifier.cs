using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Unroll.Generator.Analyzers;
using Unroll.Tests.Shared;

namespace Unroll.Generator.Tests;

/// <summary>
/// Microsoft.CodeAnalysis.CSharp.Analyzer.Testing over <see cref="ModelAnalyzer"/>: the source is written in its markup,
/// <c>{|UNR0001:text|}</c> at each reported span, and the test fails on any missing, extra or misplaced diagnostic. Compiled as the
/// other tests compile user code (<see cref="UserCode"/>: the running framework, Unroll's assemblies, the latest language), so no
/// reference package is downloaded; compiler errors are not checked here (without the generator, partial layer properties have no
/// implementation).
/// </summary>
internal sealed class AnalyzerVerifier : CSharpAnalyzerTest<ModelAnalyzer, DefaultVerifier>
{
    public AnalyzerVerifier(string markup)
    {
        TestCode = markup;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(UserCode.References);
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    protected override ParseOptions CreateParseOptions() => UserCode.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => UserCode.CompilationOptions;

    /// <summary>Checks the markup's diagnostics, then that each message fragment appears in some diagnostic's message.</summary>
    public static async Task VerifyAsync(string markup, params string[] messageFragments)
    {
        await new AnalyzerVerifier(markup).RunAsync();
        if (messageFragments.Length == 0) return;
        TestFileMarkupParser.GetSpans(markup, out string source, out System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _);
        var diagnostics = await GeneratorHarness.AnalyzerDiagnostics(source);
        foreach (string fragment in messageFragments)
            Assert.True(diagnostics.Any(d => d.GetMessage().Contains(fragment, StringComparison.Ordinal)),
                $"no message contains \"{fragment}\"; the messages are:\n" + string.Join("\n", diagnostics.Select(d => d.Id + ": " + d.GetMessage())));
    }
}
