using System.Runtime.CompilerServices;

namespace Unroll.Generator.Tests;

/// <summary>
/// Compares the whole generated file of each representative model with its approved snapshot in Snapshots/.
/// On a mismatch the new output is written beside it as *.received.cs; to accept every received file run
/// <c>for f in tests/Unroll.Generator.Tests/Snapshots/*.received.cs; do mv "$f" "${f%.received.cs}.verified.cs"; done</c>.
/// </summary>
public class SnapshotTests
{
    [Theory]
    [InlineData(nameof(Models.IrisClassifier), Models.IrisClassifier)]
    [InlineData(nameof(Models.Regressor), Models.Regressor)]
    [InlineData(nameof(Models.BinaryClassifier), Models.BinaryClassifier)]
    [InlineData(nameof(Models.SentimentLstm), Models.SentimentLstm)]
    [InlineData(nameof(Models.StackedBidirectional), Models.StackedBidirectional)]
    [InlineData(nameof(Models.TruncatedTagger), Models.TruncatedTagger)]
    [InlineData(nameof(Models.TicketRouter), Models.TicketRouter)]
    [InlineData(nameof(Models.Siamese), Models.Siamese)]
    public void GeneratedFileMatchesTheApprovedSnapshot(string name, string source)
    {
        string generated = GeneratorHarness.GeneratedSource(source);
        Verify(name, generated);
    }

    [Theory]
    [InlineData(nameof(Models.IrisClassifier), Models.IrisClassifier)]
    [InlineData(nameof(Models.Regressor), Models.Regressor)]
    [InlineData(nameof(Models.BinaryClassifier), Models.BinaryClassifier)]
    [InlineData(nameof(Models.SentimentLstm), Models.SentimentLstm)]
    [InlineData(nameof(Models.StackedBidirectional), Models.StackedBidirectional)]
    [InlineData(nameof(Models.TruncatedTagger), Models.TruncatedTagger)]
    [InlineData(nameof(Models.TicketRouter), Models.TicketRouter)]
    [InlineData(nameof(Models.Siamese), Models.Siamese)]
    public void GeneratedFileCompilesWithoutErrors(string name, string source)
    {
        var compilation = GeneratorHarness.CompileWithoutErrors(source);
        Assert.Contains(compilation.SyntaxTrees, t => t.FilePath.EndsWith(name + ".g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void LayersNamedLikeKeywordsOrGeneratedLocalsCompile()
    {
        const string source = """
            using Unroll;
            [Model(Loss = Loss.MeanSquaredError)]
            public partial class Keywords
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 3, Activation = Activation.Relu)] public partial Layer Class { get; }
                [Dense(Units = 3)] public partial Layer Batch { get; }
                [Dense(Units = 3)] public partial Layer @event { get; }
                [Activation(Activation.Tanh)] public partial Layer Training { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
            """;
        GeneratorHarness.CompileWithoutErrors(source);
    }

    [Fact]
    public void ModelWithErrorsGetsThrowingMembersInsteadOfMissingOnes()
    {
        const string source = """
            using Unroll;
            [Model(MaxBatch = 0)]
            public partial class Broken
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
            public static class User
            {
                public static float Use() { var m = new Broken(); return m.TrainStep(new float[2], new float[1]); }
            }
            """;
        var (output, _) = GeneratorHarness.Run(source);
        var errors = output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the stub should leave no compiler errors, only the analyzer's: " + string.Join("\n", errors));
        string generated = GeneratorHarness.GeneratedSource(source);
        Verify("BrokenStub", generated);
    }

    private static void Verify(string name, string actual, [CallerFilePath] string testFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        string expected = File.Exists(verified) ? File.ReadAllText(verified) : "";
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"Generated source of {name} differs from {verified}; the new output is in {received}. " +
            "Review it and accept with: for f in tests/Unroll.Generator.Tests/Snapshots/*.received.cs; do mv \"$f\" \"${f%.received.cs}.verified.cs\"; done");
    }
}
