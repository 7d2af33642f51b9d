using System.Text.RegularExpressions;
using Unroll.Generator.Diagnostics;

namespace Unroll.Generator.Tests;

/// <summary>Keeps docs/diagnostics honest: each page's Example reports exactly the squiggles drawn under it
/// (a <c>// ~~~ UNRxxxx</c> line under the line it marks), and its How to fix code reports nothing; each descriptor's help
/// link opens its page and its description is the page's explanation.</summary>
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

        // The table lists every page (retired rules too) once, in order, and no ID without a page.
        var pages = Directory.GetFiles(docs, "UNR*.md").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        var rows = Regex.Matches(readme, @"^\| (UNR\d{4}) \|.*\| \[(UNR\d{4})\.md\]\((UNR\d{4})\.md\) \|$", RegexOptions.Multiline)
            .Select(m => Assert.Single(new[] { m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value }.Distinct())).ToList();
        Assert.Equal(pages, rows);
        Assert.Equal(rows.Count, Regex.Matches(readme, @"^\| UNR", RegexOptions.Multiline).Count);
    }

    /// <summary>A help link works for whoever installed the package: it is absolute, built from the RepositoryUrl property of
    /// Directory.Build.props, and names the page of its diagnostic, which exists.</summary>
    [Fact]
    public void HelpLinksAreAbsoluteAndOpenTheirPage()
    {
        string root = FindRepositoryRoot();
        string repositoryUrl = System.Xml.Linq.XDocument.Load(Path.Combine(root, "Directory.Build.props"))
            .Descendants("RepositoryUrl").Single().Value.TrimEnd('/');
        Assert.True(Uri.IsWellFormedUriString(repositoryUrl, UriKind.Absolute), repositoryUrl);
        foreach (Microsoft.CodeAnalysis.DiagnosticDescriptor d in DiagnosticDescriptors.All)
        {
            Assert.True(Uri.IsWellFormedUriString(d.HelpLinkUri, UriKind.Absolute), $"{d.Id}: {d.HelpLinkUri} is not absolute");
            Assert.StartsWith(repositoryUrl + "/", d.HelpLinkUri, StringComparison.Ordinal);
            string page = $"docs/diagnostics/{d.Id}.md";
            Assert.EndsWith("/" + page, d.HelpLinkUri, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(root, page)), $"{d.Id}: {d.HelpLinkUri} names {page}, which does not exist");
        }
    }

    /// <summary>The IDE shows a descriptor's description offline, so it carries the explanation of its page (the section
    /// <see cref="DiagnosticDocs.ExplanationHeading"/>, embedded into the generator at build time): a page edited without
    /// rebuilding, or without that section, fails here.</summary>
    [Fact]
    public void DescriptionsAreThePagesExplanations()
    {
        string docs = Path.Combine(FindRepositoryRoot(), "docs", "diagnostics");
        foreach (Microsoft.CodeAnalysis.DiagnosticDescriptor d in DiagnosticDescriptors.All)
        {
            string page = File.ReadAllText(Path.Combine(docs, d.Id + ".md"));
            Assert.Contains("\n" + DiagnosticDocs.ExplanationHeading + "\n", page, StringComparison.Ordinal);
            string? explanation = DiagnosticDocs.Explain(page);
            Assert.NotNull(explanation);
            Assert.Equal(explanation, d.Description.ToString(System.Globalization.CultureInfo.InvariantCulture));

            // Plain text: no Markdown marks, each paragraph on one line, and every word of the section kept.
            Assert.DoesNotContain("`", explanation, StringComparison.Ordinal);
            Assert.DoesNotContain("\n\n\n", explanation, StringComparison.Ordinal);
            Assert.All(explanation.Split("\n\n"), p => Assert.DoesNotContain("\n", p, StringComparison.Ordinal));
            string heading = "\n" + DiagnosticDocs.ExplanationHeading + "\n";
            string section = page[(page.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..];
            int next = section.IndexOf("\n#", StringComparison.Ordinal);
            section = Regex.Replace(next >= 0 ? section[..next] : section, @"\]\([^)]*\)", "]");
            Assert.Equal(Regex.Matches(section, @"\w+").Select(m => m.Value), Regex.Matches(explanation, @"\w+").Select(m => m.Value));
        }
    }

    /// <summary>docs/architecture.md walks through real code: every path it names exists, every layer hook it names is a member of
    /// <c>LayerDefinition</c> or <c>EmitContext</c>, and every test it names is declared in the tests.</summary>
    [Fact]
    public void ArchitecturePageNamesFilesMembersAndTestsThatExist()
    {
        string root = FindRepositoryRoot();
        string page = File.ReadAllText(Path.Combine(root, "docs", "architecture.md"));
        var paths = Regex.Matches(page, @"`((?:src|tests|tools|docs)/[\w/.<>-]+?\.(?:cs|md|py))`").Select(m => m.Groups[1].Value)
            .Where(p => !p.Contains('<', StringComparison.Ordinal) && !p.Contains("xxxx", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(paths.Count >= 6, "the page names too few files to be a walk-through: " + string.Join(", ", paths));
        foreach (string path in paths)
            Assert.True(File.Exists(Path.Combine(root, path)), $"docs/architecture.md names {path}, which does not exist");

        var hooks = typeof(Unroll.Generator.Layers.LayerDefinition).GetMembers().Select(m => m.Name)
            .Concat(typeof(Unroll.Generator.Layers.EmitContext).GetMembers().Select(m => m.Name)).ToHashSet();
        foreach (string hook in new[] { "Read", "ReadInputs", "CheckOptions", "MinInputs", "Dependencies", "AcceptsTokens", "InferShape", "Plan", "IsView",
            "IsIdentityAtInference", "Mask", "Activation", "CanFuseLoss", "WindowProblem", "Penalties", "Forward", "Backward", "Inference", "Describe",
            "KerasName", "LogitsGradient", "InputGradient", "X", "Y", "DX", "DY" })
        {
            Assert.True(Regex.IsMatch(page, "`[^`]*\\b" + hook + "\\b[^`]*`"), "docs/architecture.md does not name " + hook);
            Assert.Contains(hook, hooks);
        }

        string tests = string.Concat(Directory.GetFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)).Select(File.ReadAllText));
        foreach (Match test in Regex.Matches(page, @"`(\w+Tests)\.(\w+)`"))
        {
            Assert.Contains("class " + test.Groups[1].Value, tests);
            Assert.True(Regex.IsMatch(tests, @"\b" + test.Groups[2].Value + @"\("), $"docs/architecture.md names the test {test.Value}, which does not exist");
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
