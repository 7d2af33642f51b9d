using System.Collections.Generic;
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
            // Each line's identifiers once, and how many lines use each; a declaration counts its own name once, so a local is
            // unused when its name is in no other line. Removing a line can leave another local unused (steps, read only by the
            // views of a sequence), so removal runs until nothing changes, in time linear in the text.
            var identifiers = lines.Select(line => Identifier.Matches(StripComment(line)).Cast<Match>().Select(m => m.Value).Distinct().ToList()).ToList();
            var uses = new Dictionary<string, int>();
            foreach (List<string> names in identifiers)
                foreach (string name in names)
                    uses[name] = uses.TryGetValue(name, out int n) ? n + 1 : 1;
            var declaring = new Dictionary<string, int>();
            for (int i = 0; i < lines.Count; i++)
                if (Declaration.Match(lines[i]) is { Success: true } d && !declaring.ContainsKey(d.Groups[1].Value)) declaring[d.Groups[1].Value] = i;
            var removed = new bool[lines.Count];
            var pending = new Stack<int>(Enumerable.Range(0, lines.Count));
            while (pending.Count > 0)
            {
                int i = pending.Pop();
                if (removed[i]) continue;
                Match declaration = Declaration.Match(lines[i]);
                if (!declaration.Success || uses[declaration.Groups[1].Value] > 1) continue;
                removed[i] = true;
                foreach (string name in identifiers[i])
                {
                    uses[name]--;
                    // A declaration whose name this line used may have lost its last use.
                    if (uses[name] == 1 && declaring.TryGetValue(name, out int j) && !removed[j]) pending.Push(j);
                }
            }
            _sb.Length = mark;
            _sb.Append(string.Join("\n", lines.Where((_, i) => !removed[i])));
        }

        private static readonly Regex Declaration = new(@"^\s*(?:var|int) (\w+) = [^;]*;(?:\s*//.*)?$");
        private static readonly Regex Identifier = new(@"\b[A-Za-z_]\w*\b");

        private static string StripComment(string line)
        {
            int comment = line.IndexOf("//", System.StringComparison.Ordinal);
            return comment < 0 ? line : line.Substring(0, comment);
        }

        public override string ToString() => _sb.ToString();
    }
}
