using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Unroll.Generator.Model
{
    /// <summary>A source location as plain values, so specs stay equatable and hold no syntax tree.</summary>
    internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
    {
        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public static LocationInfo? From(Location? location)
        {
            if (location is null || location.SourceTree is null) return null;
            FileLinePositionSpan line = location.GetLineSpan();
            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan.Start, location.SourceSpan.Length,
                line.StartLinePosition.Line, line.StartLinePosition.Character, line.EndLinePosition.Line, line.EndLinePosition.Character);
        }

        public TextSpan Span => new(Start, Length);

        /// <summary>From the start of <paramref name="first"/> to the end of <paramref name="last"/> (a params argument list).</summary>
        public static LocationInfo Between(LocationInfo first, LocationInfo last) =>
            new(first.FilePath, first.Start, last.Start + last.Length - first.Start, first.StartLine, first.StartCharacter, last.EndLine, last.EndCharacter);

        /// <summary>A location in <paramref name="compilation"/>'s own syntax tree when it has this file (analyzers must report
        /// in-compilation locations), otherwise a file location.</summary>
        public Location ToLocation(Compilation? compilation = null)
        {
            if (compilation is not null)
                foreach (SyntaxTree tree in compilation.SyntaxTrees)
                    if (tree.FilePath == FilePath)
                        return Location.Create(tree, Span);
            return Location.Create(FilePath, Span, new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
        }
    }
}
