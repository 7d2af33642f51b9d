using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Unroll.Generator;
using Unroll.Generator.Analyzers;
using Unroll.Tests.Shared;

namespace Unroll.CodeFixes.Tests;

/// <summary>
/// What Microsoft.CodeAnalysis.CSharp.CodeFix.Testing would do: a one-document workspace project, the real
/// <see cref="ModelAnalyzer"/> for the diagnostics, the provider's code actions applied to the workspace, and the
/// whole fixed text compared exactly.
/// </summary>
internal static class CodeFixHarness
{
    private static readonly CSharpParseOptions ParseOptions = UserCode.ParseOptions;

    /// <summary>A workspace holding one project with <paramref name="source"/> as its only document.</summary>
    public static (AdhocWorkspace Workspace, DocumentId Document) CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "UserModels", "UserModels", LanguageNames.CSharp,
                compilationOptions: UserCode.CompilationOptions,
                parseOptions: ParseOptions,
                metadataReferences: UserCode.References));
        DocumentId documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Model.cs", SourceText.From(source), filePath: "/src/Model.cs");
        Assert.True(workspace.TryApplyChanges(solution), "the workspace did not take the document");
        return (workspace, documentId);
    }

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelAnalyzer())).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>The code actions <paramref name="provider"/> registers for <paramref name="diagnostic"/>.</summary>
    public static async Task<List<CodeAction>> ActionsAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    /// <summary>Applies <paramref name="action"/>'s operations to the workspace; returns the document's new text.</summary>
    public static async Task<Document> ApplyAsync(AdhocWorkspace workspace, DocumentId documentId, CodeAction action)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Assert.NotEmpty(operations);
        foreach (CodeActionOperation operation in operations)
            operation.Apply(workspace, CancellationToken.None);
        return workspace.CurrentSolution.GetDocument(documentId)!;
    }

    /// <summary>
    /// The single <paramref name="diagnosticId"/> in <paramref name="source"/> is offered a fix with
    /// <paramref name="equivalenceKey"/> whose result is exactly <paramref name="expected"/>; the analyzer no longer
    /// reports <paramref name="diagnosticId"/> there, and the generator's output completes the fixed model without a compile error.
    /// </summary>
    public static async Task VerifyFixAsync(CodeFixProvider provider, string diagnosticId, string equivalenceKey, string source, string expected)
    {
        Assert.Contains(diagnosticId, provider.FixableDiagnosticIds);
        var (workspace, documentId) = CreateDocument(source);
        using (workspace)
        {
            Document document = workspace.CurrentSolution.GetDocument(documentId)!;
            Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(document), d => d.Id == diagnosticId);

            List<CodeAction> actions = await ActionsAsync(provider, document, diagnostic);
            Assert.NotEmpty(actions);
            Assert.Equal(equivalenceKey, actions[0].EquivalenceKey);

            Document fixedDocument = await ApplyAsync(workspace, documentId, actions[0]);
            Assert.Equal(expected, (await fixedDocument.GetTextAsync()).ToString());

            ImmutableArray<Diagnostic> after = await AnalyzeAsync(fixedDocument);
            Assert.DoesNotContain(after, d => d.Id == diagnosticId);
            await AssertCompilesWithGeneratorAsync(fixedDocument);
        }
    }

    /// <summary>Runs the generator over the document's project and fails on any compiler error in the result.</summary>
    public static async Task AssertCompilesWithGeneratorAsync(Document document)
    {
        Compilation input = (await document.Project.GetCompilationAsync())!;
        CSharpGeneratorDriver.Create(new[] { new UnrollGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "compile errors after the fix:\n" + string.Join("\n", errors));
    }
}
