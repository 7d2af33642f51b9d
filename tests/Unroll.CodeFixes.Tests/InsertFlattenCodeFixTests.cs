namespace Unroll.CodeFixes.Tests;

/// <summary>UNR0041: a [Flatten] member is inserted before the Dense fed several feature axes, taking over its From.</summary>
public class InsertFlattenCodeFixTests
{
    private static Task VerifyAsync(string source, string expected) =>
        CodeFixVerifier<InsertFlattenCodeFix>.VerifyAsync(source, expected, InsertFlattenCodeFix.EquivalenceKey);

    [Fact]
    public Task FlattenGoesBetweenTheImageAndTheDense() => VerifyAsync("""
        using Unroll;

        [Model(Loss = Loss.SparseCategoricalCrossEntropy)]
        public partial class Digits
        {
            [Input(Shape = new[] { 28, 28, 1 })] public partial Layer Image { get; }
            [{|UNR0041:Dense(Units = 10, Activation = Activation.Softmax)|}] public partial Layer Digit { get; }
        }
        """, """
        using Unroll;

        [Model(Loss = Loss.SparseCategoricalCrossEntropy)]
        public partial class Digits
        {
            [Input(Shape = new[] { 28, 28, 1 })] public partial Layer Image { get; }
            [Flatten] public partial Layer DigitInput { get; }
            [Dense(Units = 10, Activation = Activation.Softmax)] public partial Layer Digit { get; }
        }
        """);

    [Fact]
    public Task FromMovesToTheFlattenAndTheNameStaysUnique() => VerifyAsync("""
        using Unroll;

        [Model(Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Input(Shape = new[] { 3, 4 })] public partial Layer OutInput { get; }
            [Flatten] public partial Layer Flat { get; }
            [Dense(Units = 2), Output] public partial Layer Hidden { get; }
            [{|UNR0041:Dense(From = nameof(OutInput), Units = 1)|}, Output]
            internal partial Layer Out { get; }
        }
        """, """
        using Unroll;

        [Model(Loss = Loss.MeanSquaredError)]
        public partial class Net
        {
            [Input(Shape = new[] { 3, 4 })] public partial Layer OutInput { get; }
            [Flatten] public partial Layer Flat { get; }
            [Dense(Units = 2), Output] public partial Layer Hidden { get; }
            [Flatten(From = nameof(OutInput))] internal partial Layer OutInput2 { get; }
            [Dense(Units = 1), Output]
            internal partial Layer Out { get; }
        }
        """);
}
