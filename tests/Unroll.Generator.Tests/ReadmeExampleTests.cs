using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Unroll.Generator.Analyzers;
using Unroll.Tests.Shared;

namespace Unroll.Generator.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md compiles as written, with the Unroll generator and analyzer run over it against the real
/// Unroll.Attributes and Unroll.Runtime: no compiler error or warning, and no Unroll diagnostic. The rule the README's blocks follow
/// (its opening comment points here):
/// <list type="bullet">
/// <item>The blocks are one project, compiled together with the implicit usings of an SDK project (<c>System</c>, <c>System.IO</c>,
/// <c>System.Linq</c>, <c>System.Collections.Generic</c>, <c>System.Threading.Tasks</c>, ...) and the ASP.NET Core shared framework
/// among the references. Each block is one file, so a model declared in one block can be used by a later one, but every other
/// namespace a block uses, <c>Unroll</c> included, is in its own <c>using</c> directives.</item>
/// <item>A block is laid out as a C# file is: <c>using</c>s, then statements (as in a top-level program), then types. Its statements
/// become the body of a method of their own, so that several blocks can have statements.</item>
/// <item>The values a block's statements use but do not declare (the data, a model made elsewhere) are named by an HTML comment,
/// invisible on the rendered page, on the line before the block: <c>&lt;!-- given: IrisNet model, float[] inputs --&gt;</c>.
/// They are that method's parameters.</item>
/// </list>
/// </summary>
public class ReadmeExampleTests
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>A <c>```csharp</c> block of the README: where it starts (its 1-based line), its code, and what it is given.</summary>
    private sealed record Block(int Line, string Code, string Given);

    [Fact]
    public void EveryCSharpBlockCompilesAsWritten()
    {
        string readme = File.ReadAllText(Path.Combine(FindRepositoryRoot(), "README.md"));
        Assert.NotEmpty(Blocks(readme));
        Assert.Equal(Regex.Matches(readme, "^```csharp", RegexOptions.Multiline).Count, Blocks(readme).Count);
        List<string> problems = Problems(readme);
        Assert.True(problems.Count == 0, "README.md examples do not compile as written:\n" + string.Join("\n", problems));
    }

    /// <summary>The check itself: a block that stops compiling is reported at its README line, and a block that is not laid out
    /// as a C# file (a statement after a type) is reported even though its parts would compile.</summary>
    [Fact]
    public void ABrokenBlockIsReportedAtItsLine()
    {
        const string Model = """
            # Example

            ```csharp
            using Unroll;

            [Model] public partial class Net
            {
                [Input(Features = 2)] public partial Layer In { get; }
                [Dense(Units = 1)] public partial Layer Out { get; }
            }
            ```

            <!-- given: Net model, float[] inputs -->
            ```csharp
            float[] outputs = model.Predict(inputs);
            ```
            """;
        Assert.Equal([3, 14], Blocks(Model).Select(b => b.Line));
        Assert.Equal("Net model, float[] inputs", Blocks(Model)[1].Given);
        Assert.Empty(Problems(Model));

        string broken = Assert.Single(Problems(Model.Replace("model.Predict(inputs)", "model.Predict(inputs, 3)")));
        Assert.StartsWith("README.md:15: CS", broken);
        Assert.Contains(Problems(Model.Replace("<!-- given: Net model, float[] inputs -->", "")),
            p => p.StartsWith("README.md:15: CS0103", StringComparison.Ordinal));
        Assert.Contains(Problems(Model.Replace("}\n```\n", "}\nvar net = new Net();\n```\n")), p => p.StartsWith("README.md:11: ", StringComparison.Ordinal));
    }

    /// <summary>Everything wrong with the README's csharp blocks, each as "README.md:line: ID message".</summary>
    private static List<string> Problems(string readme)
    {
        List<Block> blocks = Blocks(readme);
        var problems = new List<string>();
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(ImplicitUsings, UserCode.ParseOptions, path: "ImplicitUsings.cs") };
        foreach (Block block in blocks)
        {
            var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(block.Code, UserCode.ParseOptions).GetRoot();
            GlobalStatementSyntax? late = root.Members.SkipWhile(m => m is GlobalStatementSyntax).OfType<GlobalStatementSyntax>().FirstOrDefault();
            if (late is not null)
                problems.Add($"README.md:{block.Line + 1 + late.GetLocation().GetLineSpan().StartLinePosition.Line}: CS8803 Top-level statements must precede namespace and type declarations.");
            else
                trees.Add(CSharpSyntaxTree.ParseText(AsFile(block, root), UserCode.ParseOptions, path: $"README.md, block at line {block.Line}"));
        }

        CSharpCompilation input = CSharpCompilation.Create("ReadmeExamples", trees, References.Value, UserCode.CompilationOptions);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        IEnumerable<Diagnostic> unroll = driver.GetRunResult().Diagnostics.Concat(input
            .WithAnalyzers([new ModelAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());
        problems.AddRange(unroll.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(Describe).Distinct());
        return problems;
    }

    /// <summary>The blocks of a README, each with the line of its opening fence and what its <c>given</c> comment names.</summary>
    private static List<Block> Blocks(string readme)
    {
        string[] lines = readme.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<Block>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            Assert.True(end > i, $"README.md:{i + 1}: the csharp block is not closed");
            Match given = i > 0 ? Regex.Match(lines[i - 1], @"^<!-- given: (.*) -->$") : Match.Empty;
            blocks.Add(new Block(i + 1, string.Join("\n", lines[(i + 1)..end]), given.Success ? given.Groups[1].Value : ""));
            i = end;
        }
        return blocks;
    }

    /// <summary>The file a block stands for: its usings and types as written, its statements in a method whose parameters are
    /// what it is given. The block's lines keep their numbers (after a <c>#line</c>), so errors point into README.md.</summary>
    private static string AsFile(Block block, CompilationUnitSyntax written)
    {
        var statements = written.Members.OfType<GlobalStatementSyntax>().ToList();
        if (statements.Count == 0)
            return $"#line {block.Line + 1} \"README.md\"\n" + block.Code;

        // Statements come before any type, as in a top-level program, so they are one run of lines that the method wraps.
        int first = statements[0].GetLocation().GetLineSpan().StartLinePosition.Line;
        int last = statements[^1].GetLocation().GetLineSpan().EndLinePosition.Line;
        string[] lines = block.Code.Split('\n');
        bool isAsync = statements.Any(s => s.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax)
            .OfType<AwaitExpressionSyntax>().Any());
        string method = $"internal static class ReadmeBlockAtLine{block.Line} {{ internal static {(isAsync ? "async Task" : "void")} Run({block.Given}) {{";
        return string.Join("\n",
            $"#line {block.Line + 1} \"README.md\"", string.Join("\n", lines[..first]),
            "#line hidden", method,
            $"#line {block.Line + 1 + first} \"README.md\"", string.Join("\n", lines[first..(last + 1)]),
            "#line hidden", "} }",
            $"#line {block.Line + 2 + last} \"README.md\"", string.Join("\n", lines[(last + 1)..]));
    }

    private static string Describe(Diagnostic d)
    {
        FileLinePositionSpan span = d.Location.GetMappedLineSpan();
        string where = span.IsValid && span.HasMappedPath ? $"{span.Path}:{span.StartLinePosition.Line + 1}" : d.Location.SourceTree?.FilePath ?? "(no file)";
        return $"{where}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The references of the generator tests' user code, and the ASP.NET Core shared framework of the running .NET, for
    /// the README's serving example.</summary>
    private static readonly Lazy<List<MetadataReference>> References = new(() =>
    {
        string netCore = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string aspNetRoot = Path.GetFullPath(Path.Combine(netCore, "..", "..", "Microsoft.AspNetCore.App"));
        string? aspNet = Directory.Exists(aspNetRoot)
            ? Directory.GetDirectories(aspNetRoot).Where(d => Version.TryParse(Path.GetFileName(d), out Version? v) && v.Major == Environment.Version.Major)
                .OrderByDescending(d => Version.Parse(Path.GetFileName(d))).FirstOrDefault()
            : null;
        Assert.True(aspNet is not null, $"the ASP.NET Core {Environment.Version.Major} shared framework is not under {aspNetRoot}");
        var known = UserCode.References.OfType<PortableExecutableReference>().Select(r => Path.GetFileName(r.FilePath)).ToHashSet();
        return UserCode.References.Concat(Directory.GetFiles(aspNet!, "*.dll").Where(f => !known.Contains(Path.GetFileName(f)))
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))).ToList();
    });

    private static string FindRepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
