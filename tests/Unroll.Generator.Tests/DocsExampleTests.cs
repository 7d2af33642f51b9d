using System.Text.RegularExpressions;
using Unroll.Generator.Diagnostics;

namespace Unroll.Generator.Tests;

/// <summary>Keeps docs/diagnostics honest: each page's Example reports exactly the squiggles drawn under it
/// (a <c>// ~~~ UNRxxxx</c> line under the line it marks), and its How to fix code reports nothing.</summary>
public class DocsExampleTests
{
    private const string Head = "using Unroll;\n";

    public static IEnumerable<object[]> Pages() =>
        DiagnosticDescriptors.All.Where(d => d.Id != DiagnosticDescriptors.InternalErrorId).Select(d => new object[] { d.Id });

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task ExampleReportsItsSquigglesAndFixReportsNothing(string id)
    {
        string page = File.ReadAllText(Path.Combine(FindRepositoryRoot(), "docs", "diagnostics", id + ".md"));

        // The squiggle lines become expected spans on the line above them, and are left out of the compiled source.
        var source = new List<string>();
        var expected = new List<(string Id, int Start, int Length)>();
        int offset = Head.Length;
        foreach (string line in CodeBlock(page, "## Example").Split('\n'))
        {
            Match squiggle = Regex.Match(line, @"^\s*//[\s~]*~ (UNR\d{4})");
            if (!squiggle.Success)
            {
                source.Add(line);
                offset += line.Length + 1;
                continue;
            }
            int lineStart = offset - source[^1].Length - 1;
            foreach (Match tildes in Regex.Matches(line, "~+"))
                expected.Add((squiggle.Groups[1].Value, lineStart + tildes.Index, tildes.Length));
        }
        Assert.Contains(expected, e => e.Id == id);
        string code = Head + string.Join("\n", source);
        var diagnostics = await GeneratorHarness.AnalyzerDiagnostics(code);
        var actual = diagnostics.Select(d => (d.Id, d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)).OrderBy(d => d.Start).ThenBy(d => d.Id).ToList();
        Assert.True(expected.OrderBy(e => e.Start).ThenBy(e => e.Id).SequenceEqual(actual),
            $"{id}.md Example: expected\n" + string.Join("\n", expected.Select(e => $"{e.Id} '{code.Substring(e.Start, e.Length)}'")) +
            "\nactual:\n" + string.Join("\n", diagnostics.Select(d => $"{d.Id} '{code.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}")));

        var fixDiagnostics = await GeneratorHarness.AnalyzerDiagnostics(Head + CodeBlock(page, "## How to fix"));
        Assert.True(fixDiagnostics.IsEmpty, $"{id}.md How to fix reports:\n" + string.Join("\n", fixDiagnostics));
    }

    [Fact]
    public void EveryPageIsTitledAsItsDescriptorAndListedInTheReadme()
    {
        string docs = Path.Combine(FindRepositoryRoot(), "docs", "diagnostics");
        string readme = File.ReadAllText(Path.Combine(docs, "README.md"));
        foreach (Microsoft.CodeAnalysis.DiagnosticDescriptor d in DiagnosticDescriptors.All)
        {
            string[] page = File.ReadAllLines(Path.Combine(docs, d.Id + ".md"));
            string title = d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("# " + d.Id + ": " + title, page[0]);
            Assert.Equal($"**Severity:** {d.DefaultSeverity} · **Category:** `{d.Category}`", page[2]);
            Assert.Contains($"| {d.Id} | {d.DefaultSeverity} | {d.Category} | {title} | [{d.Id}.md]({d.Id}.md) |", readme);
        }
    }

    /// <summary>The first csharp block after a heading.</summary>
    private static string CodeBlock(string page, string heading)
    {
        int at = page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(at >= 0, "no " + heading);
        int start = page.IndexOf("```csharp\n", at, StringComparison.Ordinal) + "```csharp\n".Length;
        return page.Substring(start, page.IndexOf("```", start, StringComparison.Ordinal) - start);
    }

    private static string FindRepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
