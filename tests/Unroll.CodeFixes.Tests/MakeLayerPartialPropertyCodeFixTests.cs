using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Unroll.CodeFixes.Tests;

/// <summary>UNR0005: the flagged property becomes <c>&lt;accessibility&gt; partial Layer Name { get; }</c> in place.</summary>
public class MakeLayerPartialPropertyCodeFixTests
{
    private static Task VerifyAsync(string source, string expected) =>
        CodeFixHarness.VerifyFixAsync(new MakeLayerPartialPropertyCodeFix(), "UNR0005", MakeLayerPartialPropertyCodeFix.EquivalenceKey, source, expected);

    [Fact]
    public Task ExpressionBodiedPropertyBecomesAPartialGetter() => VerifyAsync("""
        using Unroll;

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }
            [Dense(Units = 3)] public Layer Hidden => null!;
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
            protected internal Layer Hidden
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
            [Dense(Units = 3)] public partial int Hidden { get; }
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
        [Unroll.Model] public partial class Net
        {
            [Unroll.Input(Features = 2)] public partial Unroll.Layer In { get; }
            [Unroll.Dense(Units = 1)] internal float[] Out { get; set; } = new float[1];
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

        [Model] public partial class Net
        {
            [Input(Features = 2)] public partial Layer In { get; }

            /// <summary>The output.</summary>
            [Dense(Units = 1)]
            static public Layer Out { get; } = null!;
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
    public async Task MethodWithALayerAttributeIsNotOfferedAFix()
    {
        var (workspace, documentId) = CodeFixHarness.CreateDocument("""
            using Unroll;

            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public Layer Out() => null!;
            }
            """);
        using (workspace)
        {
            Document document = workspace.CurrentSolution.GetDocument(documentId)!;
            Diagnostic diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(document), d => d.Id == "UNR0005");
            Assert.Equal("Out", (await document.GetTextAsync()).ToString(diagnostic.Location.SourceSpan));
            Assert.Empty(await CodeFixHarness.ActionsAsync(new MakeLayerPartialPropertyCodeFix(), document, diagnostic));
        }
    }

    [Fact]
    public async Task FixAllInDocumentRewritesEveryLayerMember()
    {
        const string source = """
            using Unroll;

            [Model] public partial class Net
            {
                [Input(Features = 2)] public static Layer In => null!;
                [Dense(Units = 3)] public int Hidden { get; set; }
                [Dense(Units = 1)] private Layer Out { get; } = null!;
            }
            """;
        const string expected = """
            using Unroll;

            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 3)] public partial Layer Hidden { get; }
                [Dense(Units = 1)] private partial Layer Out { get; }
            }
            """;
        var provider = new MakeLayerPartialPropertyCodeFix();
        FixAllProvider fixAll = provider.GetFixAllProvider();
        Assert.Same(WellKnownFixAllProviders.BatchFixer, fixAll);
        Assert.Contains(FixAllScope.Document, fixAll.GetSupportedFixAllScopes());

        var (workspace, documentId) = CodeFixHarness.CreateDocument(source);
        using (workspace)
        {
            Document document = workspace.CurrentSolution.GetDocument(documentId)!;
            ImmutableArray<Diagnostic> diagnostics = await CodeFixHarness.AnalyzeAsync(document);
            Assert.Equal(3, diagnostics.Count(d => d.Id == "UNR0005"));

            var context = new FixAllContext(document, provider, FixAllScope.Document, MakeLayerPartialPropertyCodeFix.EquivalenceKey,
                provider.FixableDiagnosticIds, new AnalyzerDiagnostics(), CancellationToken.None);
            CodeAction? action = await fixAll.GetFixAsync(context);
            Assert.NotNull(action);

            Document fixedDocument = await CodeFixHarness.ApplyAsync(workspace, documentId, action);
            Assert.Equal(expected, (await fixedDocument.GetTextAsync()).ToString());
            Assert.DoesNotContain(await CodeFixHarness.AnalyzeAsync(fixedDocument), d => d.Id == "UNR0005");
            await CodeFixHarness.AssertCompilesWithGeneratorAsync(fixedDocument);
        }
    }

    /// <summary>Feeds Fix All the real analyzer's diagnostics, as the IDE does.</summary>
    private sealed class AnalyzerDiagnostics : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            await CodeFixHarness.AnalyzeAsync(document);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            (await Task.WhenAll(project.Documents.Select(d => CodeFixHarness.AnalyzeAsync(d)))).SelectMany(d => d);

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            GetProjectDiagnosticsAsync(project, cancellationToken);
    }
}
