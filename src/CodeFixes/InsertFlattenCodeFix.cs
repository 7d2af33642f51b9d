using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
    /// Fixes UNR0041 (a Dense layer fed several feature axes, such as an image) by inserting a <c>[Flatten]</c> member right before
    /// the Dense member: <c>[Flatten] public partial Layer DigitInput { get; }</c>. When the Dense names its input with <c>From</c>,
    /// the <c>From</c> moves to the Flatten, so the Dense reads the flattened values from the member declared before it. Keras:
    /// <c>Flatten()</c> before <c>Dense</c>; PyTorch: <c>nn.Flatten()</c> before <c>nn.Linear</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix)), Shared]
    public sealed class InsertFlattenCodeFix : CodeFixProvider
    {
        /// <summary>Equivalence key of the fix: every such Dense given its Flatten by one Fix All.</summary>
        public const string EquivalenceKey = "Unroll.InsertFlatten";

        /// <summary>UNR0041.</summary>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DenseNeedsFlattenId);

        /// <summary>Batch fixing: each fix inserts before, and edits, one member.</summary>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <summary>Offers "Insert a [Flatten] layer before 'Name'" for each diagnostic on a Dense attribute of a layer property.</summary>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree) continue;
                AttributeSyntax? attribute = root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>();
                if (attribute?.FirstAncestorOrSelf<PropertyDeclarationSyntax>() is not { Parent: TypeDeclarationSyntax } property) continue;
                Document document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Insert a [Flatten] layer before '{property.Identifier.ValueText}'",
                        cancellationToken => InsertAsync(document, property.Identifier.ValueText, attribute.Span.Start, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> InsertAsync(Document document, string name, int attributeStart, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null) return document;
            AttributeSyntax? attribute = root.FindToken(attributeStart).Parent?.FirstAncestorOrSelf<AttributeSyntax>();
            PropertyDeclarationSyntax? property = attribute?.FirstAncestorOrSelf<PropertyDeclarationSyntax>();
            if (attribute is null || property?.Parent is not TypeDeclarationSyntax type) return document;

            string flatName = UniqueName(type, name + "Input");
            AttributeArgumentSyntax? from = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "From");
            // The new member copies the Dense member's layout (indentation, accessibility, type as written), parsed from text so the
            // formatter leaves it on one line as the user's members are.
            string indentation = string.Concat(property.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Select(t => t.ToString()));
            string modifiers = string.Concat(property.Modifiers.Select(m => m.Text + " "));
            string text = indentation + "[Flatten" + (from is null ? "" : "(" + from.WithoutTrivia() + ")") + "] " + modifiers + property.Type.WithoutTrivia()
                + " " + flatName + " { get; }" + EndOfLine(property);
            var flat = (PropertyDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(text)!;

            PropertyDeclarationSyntax dense = property;
            if (from is not null)
            {
                AttributeSyntax withoutFrom = attribute.WithArgumentList(RemoveArgument(attribute.ArgumentList!, from));
                dense = property.ReplaceNode(attribute, withoutFrom);
            }
            TypeDeclarationSyntax updated = type.ReplaceNode(property, new SyntaxNode[] { flat, dense });
            return document.WithSyntaxRoot(root.ReplaceNode(type, updated));
        }

        /// <summary>The line ending the file uses after the Dense member.</summary>
        private static SyntaxTrivia EndOfLine(PropertyDeclarationSyntax property)
        {
            foreach (SyntaxTrivia trivia in property.GetTrailingTrivia())
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia)) return trivia;
            return SyntaxFactory.LineFeed;
        }

        private static AttributeArgumentListSyntax? RemoveArgument(AttributeArgumentListSyntax list, AttributeArgumentSyntax argument)
        {
            SeparatedSyntaxList<AttributeArgumentSyntax> rest = list.Arguments.Remove(argument);
            return rest.Count == 0 ? null : list.WithArguments(rest);
        }

        /// <summary>The name, or the name followed by a number, that no member of the type has yet.</summary>
        private static string UniqueName(TypeDeclarationSyntax type, string name)
        {
            var taken = type.Members.OfType<PropertyDeclarationSyntax>().Select(p => p.Identifier.ValueText).ToImmutableHashSet();
            string candidate = name;
            for (int i = 2; taken.Contains(candidate); i++) candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return candidate;
        }
    }
}
