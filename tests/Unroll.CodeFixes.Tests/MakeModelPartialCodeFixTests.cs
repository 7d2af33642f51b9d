namespace Unroll.CodeFixes.Tests;

/// <summary>UNR0001 and UNR0002: <c>partial</c> is added to the declaration the diagnostic names, nothing else changes.</summary>
public class MakeModelPartialCodeFixTests
{
    private static Task VerifyAsync(string equivalenceKey, string source, string expected) =>
        CodeFixVerifier<MakeModelPartialCodeFix>.VerifyAsync(source, expected, equivalenceKey);

    [Fact]
    public Task UNR0001_PlainClassTakesOverTheKeywordsIndentation() => VerifyAsync(MakeModelPartialCodeFix.ModelEquivalenceKey, """
        using Unroll;

        namespace Demo
        {
            /// <summary>Two inputs, one output.</summary>
            [Model]
            class {|UNR0001:Net|}
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
    public Task UNR0001_PartialGoesAfterTheOtherModifiers() => VerifyAsync(MakeModelPartialCodeFix.ModelEquivalenceKey, """
        using Unroll;

        [Model(Loss = Loss.BinaryCrossEntropy)] public sealed class {|UNR0001:Net|}
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
    public Task UNR0002_ContainingTypeIsMadePartial() => VerifyAsync(MakeModelPartialCodeFix.ContainingTypeEquivalenceKey, """
        using Unroll;

        public static class {|UNR0002:Models|}
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
