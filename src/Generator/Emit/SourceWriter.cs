using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Unroll.Generator.Emit
{
    /// <summary>An indentation-aware writer for generated C#.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _sb = new();
        private int _indent;

        public SourceWriter Line(string text = "")
        {
            if (text.Length == 0)
            {
                _sb.Append('\n');
                return this;
            }
            _sb.Append(' ', _indent * 4).Append(text).Append('\n');
            return this;
        }

        public SourceWriter Open(string text)
        {
            Line(text);
            Line("{");
            _indent++;
            return this;
        }

        public SourceWriter Close(string suffix = "")
        {
            // No blank line before a closing brace.
            if (_sb.Length >= 2 && _sb[_sb.Length - 1] == '\n' && _sb[_sb.Length - 2] == '\n') _sb.Length--;
            _indent--;
            Line("}" + suffix);
            return this;
        }

        /// <summary>A position to pass to <see cref="RemoveUnusedLocals"/>.</summary>
        public int Mark() => _sb.Length;

        /// <summary>
        /// Drops the <c>var name = ...;</c> lines written since <paramref name="mark"/> whose local is not used by any other
        /// line since then. The passes declare every buffer view of the arena up front; a reader should see only the ones
        /// the method touches.
        /// </summary>
        public void RemoveUnusedLocals(int mark)
        {
            var lines = _sb.ToString(mark, _sb.Length - mark).Split('\n').ToList();
            var declaration = new Regex(@"^\s*(?:var|int) (\w+) = [^;]*;(?:\s*//.*)?$");
            // Until nothing changes: a local may be used only by another unused one (steps, by a view of a sequence).
            for (bool removed = true; removed;)
            {
                removed = false;
                for (int i = lines.Count - 1; i >= 0; i--)
                {
                    Match m = declaration.Match(lines[i]);
                    if (!m.Success) continue;
                    var use = new Regex(@"\b" + m.Groups[1].Value + @"\b");
                    if (lines.Where((other, j) => j != i).Any(other => use.IsMatch(StripComment(other)))) continue;
                    lines.RemoveAt(i);
                    removed = true;
                }
            }
            _sb.Length = mark;
            _sb.Append(string.Join("\n", lines));
        }

        private static string StripComment(string line)
        {
            int comment = line.IndexOf("//", System.StringComparison.Ordinal);
            return comment < 0 ? line : line.Substring(0, comment);
        }

        public override string ToString() => _sb.ToString();
    }
}
