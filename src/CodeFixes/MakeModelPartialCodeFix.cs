using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Unroll.Generator.Diagnostics;

namespace Unroll.CodeFixes
{
    /// <summary>
    /// Fixes UNR0001 (model class not partial) and UNR0002 (a type containing a model not partial) by adding
    /// <c>partial</c> to the type declaration the diagnostic points at: <c>public sealed class Net</c> becomes
    /// <c>public sealed partial class Net</c>. No PyTorch/Keras equivalent: it is a C# declaration fix.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeModelPartialCodeFix)), Shared]
    public sealed class MakeModelPartialCodeFix : CodeFixProvider
    {
        /// <summary>Equivalence key of the UNR0001 fix: every model class made partial by one Fix All.</summary>
        public const string ModelEquivalenceKey = "Unroll.MakeModelPartial";

        /// <summary>Equivalence key of the UNR0002 fix: every containing type made partial by one Fix All.</summary>
        public const string ContainingTypeEquivalenceKey = "Unroll.MakeContainingTypePartial";

        /// <summary>UNR0001 and UNR0002.</summary>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.ModelNotPartialId, DiagnosticDescriptors.ContainingTypeNotPartialId);

        /// <summary>Batch fixing: each fix edits one declaration's modifiers, so fixes never overlap.</summary>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <summary>Offers "Make 'Name' partial" for each diagnostic whose location is a type declaration's name.</summary>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                TypeDeclarationSyntax? declaration = FindDeclaration(root, diagnostic);
                if (declaration is null || declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) continue;
                string key = diagnostic.Id == DiagnosticDescriptors.ModelNotPartialId ? ModelEquivalenceKey : ContainingTypeEquivalenceKey;
                Document document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Make '{declaration.Identifier.ValueText}' partial",
                        cancellationToken => AddPartialAsync(document, declaration, cancellationToken),
                        key),
                    diagnostic);
            }
        }

        // Both diagnostics are reported on the identifier of the declaration to change.
        private static TypeDeclarationSyntax? FindDeclaration(SyntaxNode root, Diagnostic diagnostic)
        {
            if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree) return null;
            SyntaxToken token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            return token.Parent is TypeDeclarationSyntax declaration && declaration.Identifier.Span == diagnostic.Location.SourceSpan
                ? declaration
                : null;
        }

        private static async Task<Document> AddPartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null) return document;
            return document.WithSyntaxRoot(root.ReplaceNode(declaration, WithPartial(declaration)));
        }

        // 'partial' must come right before 'class'/'struct'/'record' (CS0267), so it goes after the other modifiers. Without
        // modifiers it takes over the keyword's leading trivia (indentation, doc comment) so the layout does not move.
        private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax declaration)
        {
            SyntaxTokenList modifiers = declaration.Modifiers;
            if (modifiers.Count > 0)
                return declaration.WithModifiers(modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));

            SyntaxToken keyword = declaration.Keyword;
            SyntaxToken partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(partial));
        }
    }
}
