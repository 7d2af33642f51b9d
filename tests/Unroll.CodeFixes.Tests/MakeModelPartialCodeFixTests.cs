namespace Unroll.CodeFixes.Tests;

/// <summary>UNR0001 and UNR0002: <c>partial</c> is added to the declaration the diagnostic names, nothing else changes.</summary>
public class MakeModelPartialCodeFixTests
{
    private static Task VerifyAsync(string diagnosticId, string equivalenceKey, string source, string expected) =>
        CodeFixHarness.VerifyFixAsync(new MakeModelPartialCodeFix(), diagnosticId, equivalenceKey, source, expected);

    [Fact]
    public Task UNR0001_PlainClassTakesOverTheKeywordsIndentation() => VerifyAsync("UNR0001", MakeModelPartialCodeFix.ModelEquivalenceKey, """
        using Unroll;

        namespace Demo
        {
            /// <summary>Two inputs, one output.</summary>
            [Model]
            class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
        }
        """, """
        using Unroll;

        namespace Demo
        {
            /// <summary>Two inputs, one output.</summary>
            [Model]
            partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
        }
        """);

    [Fact]
    public Task UNR0001_PartialGoesAfterTheOtherModifiers() => VerifyAsync("UNR0001", MakeModelPartialCodeFix.ModelEquivalenceKey, """
        using Unroll;

        [Model(Loss = Loss.BinaryCrossEntropy)] public sealed class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Out { get; }
        }
        """, """
        using Unroll;

        [Model(Loss = Loss.BinaryCrossEntropy)] public sealed partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Out { get; }
        }
        """);

    [Fact]
    public Task UNR0002_ContainingTypeIsMadePartial() => VerifyAsync("UNR0002", MakeModelPartialCodeFix.ContainingTypeEquivalenceKey, """
        using Unroll;

        public static class Models
        {
            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
        }
        """, """
        using Unroll;

        public static partial class Models
        {
            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
        }
        """);

    [Fact]
    public void FixAllBatchesAndTheKeysDifferPerDiagnostic()
    {
        var provider = new MakeModelPartialCodeFix();
        Assert.Same(Microsoft.CodeAnalysis.CodeFixes.WellKnownFixAllProviders.BatchFixer, provider.GetFixAllProvider());
        Assert.Equal(new[] { "UNR0001", "UNR0002" }, provider.FixableDiagnosticIds);
        Assert.NotEqual(MakeModelPartialCodeFix.ModelEquivalenceKey, MakeModelPartialCodeFix.ContainingTypeEquivalenceKey);
    }
}
