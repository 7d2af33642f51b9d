using Microsoft.CodeAnalysis;

namespace Unroll.Generator.Tests;

/// <summary>Declarations that used to compile with no Unroll diagnostic and then break inside the generated file, or crash the
/// generator and take every model's code with them. Each now gets a diagnostic, or works.</summary>
public class RobustnessTests
{
    private static List<Diagnostic> Errors(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    [Fact]
    public void ModelOnTwoPartialDeclarationsIsGeneratedOnceAndOtherModelsStillAre()
    {
        var (output, result) = GeneratorHarness.Run("""
            using Unroll;
            [Model] public partial class Twice { [Input(Features = 2)] public partial Layer In { get; } }
            [Model] public partial class Twice { [Dense(Units = 1)] public partial Layer Out { get; } }
            [Model] public partial class Other
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
            """);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8785" or "UNR9999");
        Assert.Equal(new[] { "Other.g.cs", "Twice.g.cs" }, result.Results.Single().GeneratedSources.Select(s => s.HintName).Order());
        // The compiler reports the repeated attribute itself; nothing else is wrong.
        Assert.Equal(new[] { "CS0579" }, Errors(output).Select(d => d.Id).Distinct());
    }

    [Fact]
    public void NamespaceAndClassNamedWithKeywordsCompile()
    {
        var output = GeneratorHarness.CompileWithoutErrors("""
            using Unroll;
            namespace A.@fixed.@event
            {
                [Model] public partial class @class
                {
                    [Input(Features = 2)] public partial Layer @in { get; }
                    [Dense(Units = 1)] public partial Layer @out { get; }
                }
            }
            """);
        Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("A.fixed.event.class.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedModelInAGenericTypeCompiles() => GeneratorHarness.CompileWithoutErrors("""
        using Unroll;
        public partial class Outer<T>
        {
            public partial class Inner
            {
                [Model] public partial class Net
                {
                    [Input(Features = 2)] public partial Layer In { get; }
                    [Dense(Units = 1)] public partial Layer Out { get; }
                }
            }
        }
        """);

    [Fact]
    public async Task RecurrentWeightsBeyondAnArrayAreReportedNotWrapped()
    {
        // 4 gates x 600,000,000 units overflows int: the old generator made a negative shape and reported nothing.
        var diagnostics = await GeneratorHarness.AnalyzerDiagnostics("""
            using Unroll;
            [Model] public partial class Net
            {
                [Input(Length = 4, Features = 2)] public partial Layer In { get; }
                [Lstm(Units = 600000000)] public partial Layer Rnn { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
            """);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("UNR0019", d.Id);
        Assert.Contains("for its tensor rnn.weight_ih", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void LayersNamedLikeLocalsOfGeneratedCodeAndLikeEachOtherWithSuffixesCompile() => GeneratorHarness.CompileWithoutErrors("""
        using Unroll;
        [Model(Loss = Loss.MeanSquaredError)] public partial class Net
        {
            [Input(Features = 3)] public partial Layer Steps2 { get; }
            [Dense(Units = 3, Activation = Activation.Relu)] public partial Layer Hidden { get; }
            [Dense(Units = 3)] public partial Layer HiddenZ { get; }
            [Dense(Units = 3, Activation = Activation.Tanh)] public partial Layer DHidden { get; }
            [Dense(Units = 3)] public partial Layer HiddenWeight { get; }
            [Dense(Units = 3)] public partial Layer FromLoss { get; }
            [Dense(Units = 1)] public partial Layer InputGradient { get; }
        }
        """);

    [Fact]
    public async Task AStubAddsNoCompilerErrorSoTheUnrollErrorIsTheOneABuildShows()
    {
        // A command-line build runs analyzers only on a compilation without errors: the stub of a model with a layer named Save (UNR0042)
        // must not declare a second Save, or the build would show CS0102 instead. The mismatched merge (UNR0034) is reported once the
        // declaration is right, as every shape error is.
        const string source = """
            using Unroll;
            [Model] public partial class Mixed
            {
                [Input(Features = 4)] public partial Layer A { get; }
                [Input(Features = 5)] public partial Layer B { get; }
                [Add(nameof(A), nameof(B))] public partial Layer Sum { get; }
                [Dense(Units = 1)] public partial Layer Save { get; }
            }
            """;
        var (output, _) = GeneratorHarness.Run(source);
        Assert.Empty(Errors(output));
        var analyzer = await GeneratorHarness.AnalyzerDiagnostics(source);
        Assert.Equal(new[] { "UNR0042" }, analyzer.Select(d => d.Id));
    }
}
