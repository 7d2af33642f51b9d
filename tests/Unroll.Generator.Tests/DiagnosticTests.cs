using Microsoft.CodeAnalysis;
using Unroll.Generator.Diagnostics;

namespace Unroll.Generator.Tests;

/// <summary>One test per diagnostic: the analyzer must report exactly the marked IDs at exactly the marked spans.</summary>
public class DiagnosticTests
{
    private static async Task VerifyAsync(string markup, params string[] messageFragments)
    {
        var (source, expected) = Markup.Parse(markup);
        var diagnostics = await GeneratorHarness.AnalyzerDiagnostics(source);
        var actual = diagnostics.Select(d => (d.Id, d.Location.SourceSpan)).OrderBy(d => d.SourceSpan.Start).ThenBy(d => d.Id).ToList();
        var wanted = expected.Select(e => (e.Id, e.Span)).OrderBy(d => d.Span.Start).ThenBy(d => d.Id).ToList();
        Assert.True(wanted.SequenceEqual(actual),
            "expected:\n" + string.Join("\n", wanted.Select(w => $"{w.Id} at {w.Span} '{source.Substring(w.Span.Start, w.Span.Length)}'")) +
            "\nactual:\n" + string.Join("\n", diagnostics.Select(d => $"{d.Id} at {d.Location.SourceSpan} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}")));
        foreach (string fragment in messageFragments)
            Assert.Contains(diagnostics, d => d.GetMessage().Contains(fragment, StringComparison.Ordinal));
    }

    private const string Head = "using Unroll;\n";

    [Fact]
    public Task UNR0001_ModelClassNotPartial() => VerifyAsync(Head + """
        [Model] public class {|UNR0001:Net|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "'Net'");

    [Fact]
    public Task UNR0002_ContainingTypeNotPartial() => VerifyAsync(Head + """
        public class {|UNR0002:Outer|}
        {
            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
        }
        """, "'Outer'");

    [Fact]
    public Task UNR0003_NoInput() => VerifyAsync(Head + """
        [Model] public partial class {|UNR0003:Net|}
        {
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Model 'Net' has no [Input] layer");

    [Fact]
    public Task UNR0004_LayerBeforeInput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [{|UNR0004:Dense(Units = 3)|}] public partial Layer Early { get; }
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "'Early' is declared before the [Input] layer 'In'");

    [Fact]
    public Task UNR0005_LayerMemberNotPartialLayerProperty() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public Layer {|UNR0005:NotPartial|} => null!;
            [Dense(Units = 1)] public partial int {|UNR0005:WrongType|} { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        public partial class Net { public partial int WrongType { get => 0; } }
        """, "'NotPartial'", "'WrongType'");

    [Fact]
    public Task UNR0006_FromNamesSomethingThatIsNotALayer() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, {|UNR0006:From = nameof(Helper)|})] public partial Layer Hidden { get; }
            public int Helper => 0;
        }
        """, "names 'Helper', which is not a layer of model 'Net'");

    [Fact]
    public Task UNR0007_FromCreatesACycle() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, {|UNR0007:From = nameof(B)|})] public partial Layer A { get; }
            [Dense(Units = 3)] public partial Layer B { get; }
        }
        """, "A -> B -> A");

    [Fact]
    public Task UNR0008_NonPositiveUnitsAndFeatures() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input({|UNR0008:Features = 0|})] public partial Layer In { get; }
            [Dense({|UNR0008:Units = -2|})] public partial Layer Out { get; }
        }
        """, "Features of layer 'In' must be at least 1, but is 0", "Units of layer 'Out' must be at least 1, but is -2");

    [Fact]
    public Task UNR0009_DropoutRateOutOfRange() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dropout({|UNR0009:1f|})] public partial Layer Drop { get; }
            [Dropout({|UNR0009:-0.1f|})] public partial Layer Drop2 { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "must be in [0, 1), but is 1", "but is -0.1");

    [Fact]
    public Task UNR0010_SparseCrossEntropyWithOneUnit() => VerifyAsync(Head + """
        [Model({|UNR0010:Loss = Loss.SparseCategoricalCrossEntropy|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1, Activation = Activation.Softmax)] public partial Layer Out { get; }
        }
        """, "SparseCategoricalCrossEntropy does not fit the output layer 'Out' (1 unit, softmax)");

    [Fact]
    public Task UNR0010_BinaryCrossEntropyWithSoftmax() => VerifyAsync(Head + """
        [Model({|UNR0010:Loss = Loss.BinaryCrossEntropy|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, Activation = Activation.Softmax)] public partial Layer Out { get; }
        }
        """, "use a sigmoid");

    [Fact]
    public Task UNR0011_CrossEntropyOnLinearOutputWithoutFromLogits() => VerifyAsync(Head + """
        [Model({|UNR0011:Loss = Loss.CategoricalCrossEntropy|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer Out { get; }
        }
        [Model(Loss = Loss.CategoricalCrossEntropy, FromLogits = true)] public partial class Fine
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer Out { get; }
        }
        """, "add a softmax activation, or set FromLogits = true");

    [Fact]
    public Task UNR0012_SoftmaxOnHiddenLayer() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3, {|UNR0012:Activation = Activation.Softmax|})] public partial Layer Hidden { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Layer 'Hidden' applies softmax but is not the output layer");

    [Fact]
    public Task UNR0013_MaxBatchNotPositive() => VerifyAsync(Head + """
        [Model({|UNR0013:MaxBatch = 0|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "MaxBatch of model 'Net' must be at least 1, but is 0");

    [Fact]
    public Task UNR0014_SecondInput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Input(Features = 2)] public partial Layer {|UNR0014:In2|} { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "second [Input] layer 'In2'");

    [Fact]
    public Task UNR0015_LayerNotOnThePathToTheOutput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public partial Layer {|UNR0015:Branch|} { get; }
            [Dense(Units = 1, From = nameof(In))] public partial Layer Out { get; }
        }
        """, "Layer 'Branch' does not feed the output layer 'Out'");

    [Fact]
    public Task UNR0016_HyperparameterOutOfRange() => VerifyAsync(Head + """
        [Model({|UNR0016:LearningRate = 0f|}, {|UNR0016:Beta2 = 1f|}, {|UNR0016:ClipNorm = -1f|})] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1, {|UNR0016:L2 = -0.5f|})] public partial Layer Out { get; }
        }
        """, "LearningRate must be greater than 0, but is 0", "Beta2 must be in [0, 1), but is 1", "L2 of layer 'Out' must be at least 0, but is -0.5");

    [Fact]
    public Task UNR0017_NothingAfterTheInput() => VerifyAsync(Head + """
        [Model] public partial class {|UNR0017:Net|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
        }
        """, "has no layer after its [Input] layer 'In'");

    [Fact]
    public Task UNR0018_FromOnTheInput() => VerifyAsync(Head + """
        [Model] public partial class Net
        {
            [Input(Features = 2, {|UNR0018:From = nameof(Out)|})] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "[Input] layer 'In' takes no input");

    [Fact]
    public Task UNR0019_ModelTooLargeForAnArray() => VerifyAsync(Head + """
        [Model] public partial class {|UNR0019:Net|}
        {
            [Input(Features = 100000)] public partial Layer In { get; }
            [Dense(Units = 30000)] public partial Layer Out { get; }
        }
        [Model(MaxBatch = 100000)] public partial class {|UNR0019:Wide|}
        {
            [Input(Features = 30000)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Model 'Net' needs 3,000,030,000 floats for its parameters", "Model 'Wide' needs 3,000,100,000 floats for its training activations at MaxBatch 100000");

    [Fact]
    public Task UNR0020_GenericOrStaticModelClass() => VerifyAsync(Head + """
        [Model] public partial class {|UNR0020:Generic|}<T>
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public static partial class {|UNR0020:Static|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        [Model] public partial record {|UNR0020:Record|}
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 1)] public partial Layer Out { get; }
        }
        """, "Model class 'Generic' is generic", "Model class 'Static' is static", "Model class 'Record' is a record");

    [Fact]
    public void GenericModelsGetNoGeneratedCodeThatWouldAddCompilerErrors()
    {
        var (_, result) = GeneratorHarness.Run(Head + "[Model] public partial class Generic<T> { [Input(Features = 2)] public partial Layer In { get; } [Dense(Units = 1)] public partial Layer Out { get; } }");
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public Task ValidModelsReportNothing() => VerifyAsync(Models.IrisClassifier + "\n" + Models.BinaryClassifier.Replace("using Unroll;", ""));

    [Fact]
    public void EveryDescriptorHasADocsPageAndAReleaseRow()
    {
        string root = FindRepositoryRoot();
        // A rule is listed once, in the shipped release or in the unshipped one (Microsoft.CodeAnalysis.Analyzers' release tracking).
        string releases = File.ReadAllText(Path.Combine(root, "src", "Generator", "AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(root, "src", "Generator", "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor d in DiagnosticDescriptors.All)
        {
            string page = Path.Combine(root, "docs", "diagnostics", d.Id + ".md");
            Assert.True(File.Exists(page), $"missing docs page {page}");
            Assert.Contains("# " + d.Id, File.ReadAllText(page));
            Assert.Equal("docs/diagnostics/" + d.Id + ".md", d.HelpLinkUri);
            Assert.Contains(d.Id + " | " + d.Category + " | " + d.DefaultSeverity, releases);
        }
        Assert.Equal(DiagnosticDescriptors.All.Length, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
    }

    private static string FindRepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
