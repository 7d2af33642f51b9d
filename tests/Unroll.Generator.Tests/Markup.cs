using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Unroll.Generator.Tests;

/// <summary>Parses <c>{|UNR0001:text|}</c> markup (the Roslyn analyzer-testing convention) into plain source and expected spans.</summary>
internal static class Markup
{
    public static (string Source, List<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        int i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i);
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon + 1;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
            {
                var (id, start) = open.Pop();
                expected.Add((id, new TextSpan(start, source.Length - start)));
                i += 2;
            }
            else
            {
                source.Append(markup[i++]);
            }
        }
        Assert.Empty(open);
        return (source.ToString(), expected);
    }
}
