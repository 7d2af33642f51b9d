using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Unroll.Generator.Diagnostics;

namespace Unroll.CodeFixes
{
    /// <summary>
    /// Fixes UNR0005 (a member with a layer attribute that is not a partial instance <c>Layer</c> property with only a getter)
    /// by rewriting the property into <c>&lt;same accessibility&gt; partial Layer Name { get; }</c>: it keeps the attributes,
    /// the leading trivia and the accessibility, drops any body, initializer, setter and other modifiers (<c>static</c>,
    /// <c>virtual</c>, ...), and fixes the type to <c>Unroll.Layer</c>. The generator then implements the property.
    /// Methods, indexers and explicit interface implementations are not offered a fix: turning them into a property
    /// would change more than the declaration. No PyTorch/Keras equivalent: it is a C# declaration fix.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeLayerPartialPropertyCodeFix)), Shared]
    public sealed class MakeLayerPartialPropertyCodeFix : CodeFixProvider
    {
        /// <summary>Equivalence key of the fix: every layer property of a scope rewritten by one Fix All.</summary>
        public const string EquivalenceKey = "Unroll.MakeLayerPartialProperty";

        private const string LayerMetadataName = "Unroll.Layer";

        /// <summary>UNR0005.</summary>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidLayerMemberId);

        /// <summary>Batch fixing: each fix replaces one property declaration, so fixes never overlap.</summary>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <summary>Offers "Declare 'Name' as 'partial Layer Name { get; }'" for each diagnostic on a property's name.</summary>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                PropertyDeclarationSyntax? property = FindProperty(root, diagnostic);
                if (property is null) continue;
                Document document = context.Document;
                string name = property.Identifier.ValueText;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Declare '{name}' as 'partial Layer {name} {{ get; }}'",
                        cancellationToken => RewriteAsync(document, property, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        // UNR0005 is reported on the member's name; only plain properties are rewritten.
        private static PropertyDeclarationSyntax? FindProperty(SyntaxNode root, Diagnostic diagnostic)
        {
            if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree) return null;
            SyntaxToken token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            return token.Parent is PropertyDeclarationSyntax property
                && property.Identifier.Span == diagnostic.Location.SourceSpan
                && property.ExplicitInterfaceSpecifier is null
                ? property
                : null;
        }

        private static async Task<Document> RewriteAsync(Document document, PropertyDeclarationSyntax property, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null) return document;
            return document.WithSyntaxRoot(root.ReplaceNode(property, Rewrite(property, model, cancellationToken)));
        }

        private static PropertyDeclarationSyntax Rewrite(PropertyDeclarationSyntax property, SemanticModel model, CancellationToken cancellationToken)
        {
            // The trivia before the first modifier (or before the type when there is none) is the indentation, or the doc
            // comment when there are no attributes; it stays in front of whatever token comes first now.
            SyntaxTriviaList leading = property.Modifiers.Count > 0 ? property.Modifiers[0].LeadingTrivia : property.Type.GetLeadingTrivia();

            // Only accessibility survives: the generator's implementing declaration repeats the accessibility and nothing else,
            // and 'partial' must come last, right before the type.
            var modifiers = SyntaxFactory.TokenList();
            foreach (SyntaxToken modifier in property.Modifiers)
                if (IsAccessibility(modifier))
                    modifiers = modifiers.Add(SyntaxFactory.Token(modifier.Kind()).WithTrailingTrivia(SyntaxFactory.Space));
            modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            modifiers = modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(leading));

            TypeSyntax type = IsLayer(model.GetTypeInfo(property.Type, cancellationToken).Type)
                ? property.Type
                // Fully qualified so it binds whatever the usings are; the simplifier shortens it to 'Layer' where it can.
                : SyntaxFactory.ParseTypeName("global::" + LayerMetadataName).WithAdditionalAnnotations(Simplifier.Annotation);
            type = type.WithLeadingTrivia(SyntaxFactory.TriviaList()).WithTrailingTrivia(property.Type.GetTrailingTrivia());

            AccessorListSyntax getOnly = SyntaxFactory.AccessorList(
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.SingletonList(
                    SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration)
                        .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(SyntaxFactory.Space))),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(property.GetLastToken().TrailingTrivia));

            return property
                .WithModifiers(modifiers)
                .WithType(type)
                .WithIdentifier(property.Identifier.WithTrailingTrivia(SyntaxFactory.Space))
                .WithAccessorList(getOnly)
                .WithExpressionBody(null)
                .WithInitializer(null)
                .WithSemicolonToken(default);
        }

        private static bool IsAccessibility(SyntaxToken modifier) => modifier.Kind() is
            SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.PrivateKeyword;

        private static bool IsLayer(ITypeSymbol? type) =>
            type is INamedTypeSymbol { Name: "Layer", ContainingNamespace: { Name: "Unroll", ContainingNamespace.IsGlobalNamespace: true } };
    }
}
