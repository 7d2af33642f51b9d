using Microsoft.CodeAnalysis.CodeFixes;

namespace Unroll.CodeFixes.Tests;

/// <summary>UNR0005: the flagged property becomes <c>&lt;accessibility&gt; partial Layer Name { get; }</c> in place.</summary>
public class MakeLayerPartialPropertyCodeFixTests
{
    private static Task VerifyAsync(string source, string expected) =>
        CodeFixVerifier<MakeLayerPartialPropertyCodeFix>.VerifyAsync(source, expected, MakeLayerPartialPropertyCodeFix.EquivalenceKey);

    [Fact]
    public Task ExpressionBodiedPropertyBecomesAPartialGetter() => VerifyAsync("""
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public Layer {|UNR0005:Hidden|} => null!;
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, """
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer Hidden { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """);

    [Fact]
    public Task SetterAndInitializerAreDroppedAndTheAccessibilityKept() => VerifyAsync("""
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }

            // The hidden layer.
            [Dense(Units = 3)]
            protected internal Layer {|UNR0005:Hidden|}
            {
                get;
                set;
            } = null!;

            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, """
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }

            // The hidden layer.
            [Dense(Units = 3)]
            protected internal partial Layer Hidden { get; }

            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """);

    [Fact]
    public Task WrongTypeBecomesLayer() => VerifyAsync("""
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial int {|UNR0005:Hidden|} { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, """
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer Hidden { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """);

    [Fact]
    public Task WrongTypeWithoutUsingBecomesQualifiedLayer() => VerifyAsync("""
        [Unroll.Model] public partial class {|UNR0017:Net|}
        {
            [Unroll.Input(Features = 2)] public partial Unroll.Layer In { get; }
            [Unroll.Dense(Units = 1)] internal float[] {|UNR0005:Out|} { get; set; } = new float[1];
        }
        """, """
        [Unroll.Model] public partial class Net
        {
            [Unroll.Input(Features = 2)] public partial Unroll.Layer In { get; }
            [Unroll.Dense(Units = 1)] internal partial Unroll.Layer Out { get; }
        }
        """);

    [Fact]
    public Task StaticIsDropped() => VerifyAsync("""
        using Unroll;

        [Model] public partial class {|UNR0017:Net|}
        {
            [Input(Features = 2)] public partial Layer In { get; }

            /// <summary>The output.</summary>
            [Dense(Units = 1)]
            static public Layer {|UNR0005:Out|} { get; } = null!;
        }
        """, """
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }

            /// <summary>The output.</summary>
            [Dense(Units = 1)]
            public partial Layer Out { get; }
        }
        """);

    [Fact]
    public Task MethodWithALayerAttributeIsNotOfferedAFix() => CodeFixVerifier<MakeLayerPartialPropertyCodeFix>.VerifyNoFixAsync("""
        using Unroll;

        [Model] public partial class {|UNR0017:Net|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public Layer {|UNR0005:Out|}() => null!;
        }
        """);

    [Fact]
    public async Task FixAllRewritesEveryLayerMember()
    {
        // The framework fixes the three one by one and in one Fix All (document, project and solution); both give this text.
        Assert.Same(WellKnownFixAllProviders.BatchFixer, new MakeLayerPartialPropertyCodeFix().GetFixAllProvider());
        await VerifyAsync("""
            using Unroll;

            [Model] public partial class Net
            {
                [Input(Features = 2)] public static Layer {|UNR0005:In|} => null!;
                [Dense(Units = 3)] public int {|UNR0005:Hidden|} { get; set; }
                [Dense(Units = 1)] private Layer {|UNR0005:Out|} { get; } = null!;
            }
            """, """
            using Unroll;

            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 3)] public partial Layer Hidden { get; }
                [Dense(Units = 1)] private partial Layer Out { get; }
            }
            """);
    }
}
