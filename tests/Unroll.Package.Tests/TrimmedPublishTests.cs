using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Unroll.Package.Tests;

/// <summary>
/// The generated code and the runtime use no reflection: samples/Tabular publishes trimmed and self-contained
/// without a single trim warning, and the trimmed program still trains its three models to the sample's accuracy.
/// (NativeAOT would prove the same, but its runtime pack is not available everywhere these tests run.)
/// </summary>
public sealed class TrimmedPublishTests
{
    [Fact]
    public void TabularSamplePublishesTrimmedWithoutWarningsAndRuns()
    {
        string work = DotnetCli.NewTemporaryDirectory("unroll-trimmed-");
        string output = Path.Combine(work, "publish");
        string project = Path.Combine(DotnetCli.RepositoryRoot, "samples", "Tabular", "Tabular.csproj");

        // ILLink skips its work when its output folder is up to date, and so would not repeat a warning it gave in an
        // earlier publish; a fresh IntermediateLinkDir makes it analyze every assembly each time.
        ProcessResult publish = DotnetCli.Dotnet(DotnetCli.RepositoryRoot, TimeSpan.FromMinutes(8),
            "publish", project, "-c", "Release", "-r", DotnetCli.RuntimeIdentifier, "--self-contained", "-p:PublishTrimmed=true",
            $"-p:IntermediateLinkDir={Path.Combine(work, "linked")}{Path.DirectorySeparatorChar}", "-o", output, "-nodeReuse:false");
        string publishLog = publish.Describe();
        Assert.True(publish.ExitCode == 0, publishLog);
        // The trimmer reports "Trim analysis warning IL2026", "warning IL2104" or, as warnings are errors here, "error IL...".
        string[] trimDiagnostics = Regex.Matches(publish.StandardOutput + publish.StandardError, @"^.*\b(warning|error) IL\d{4}.*$", RegexOptions.Multiline)
            .Select(m => m.Value).Distinct().ToArray();
        Assert.True(trimDiagnostics.Length == 0, $"{trimDiagnostics.Length} trim diagnostics:\n{string.Join("\n", trimDiagnostics)}\n\n{publishLog}");
        Assert.True(File.Exists(Path.Combine(work, "linked", "Unroll.Runtime.dll")), $"the trimmer did not run over Unroll.Runtime\n{publishLog}");

        string executable = Path.Combine(output, OperatingSystem.IsWindows() ? "Tabular.exe" : "Tabular");
        ProcessResult run = DotnetCli.Run(executable, output, TimeSpan.FromMinutes(3));
        string runLog = run.Describe();
        Assert.True(run.ExitCode == 0, runLog);
        MatchCollection accuracies = Regex.Matches(run.StandardOutput, @"^(.+): mean held-out accuracy (\S+)", RegexOptions.Multiline);
        Assert.True(accuracies.Count == 3, $"expected 3 'mean held-out accuracy' lines, found {accuracies.Count}\n{runLog}");
        foreach (Match accuracy in accuracies)
            Assert.True(double.Parse(accuracy.Groups[2].Value, CultureInfo.InvariantCulture) >= 0.95, $"{accuracy.Value}: below the sample's 0.95\n{runLog}");

        DotnetCli.TryDelete(work);
    }
}
