using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Unroll.Package.Tests;

/// <summary>The <c>Unroll</c> package as a user gets it: its layout, and a fresh console project that declares and trains a model from it.</summary>
public sealed class PackageTests(PackedPackage package) : IClassFixture<PackedPackage>
{
    [Fact]
    public void PackageHoldsRuntimeAndAttributesInLibAndTheGeneratorAndCodeFixesInAnalyzers()
    {
        Assert.True(File.Exists(package.PackagePath), $"no {package.PackagePath}; feed holds: " +
            string.Join(", ", Directory.GetFiles(package.Feed).Select(Path.GetFileName)) + "\n" + package.PackResult.Describe());
        using ZipArchive archive = ZipFile.OpenRead(package.PackagePath);
        string[] payload = archive.Entries.Select(e => e.FullName)
            .Where(name => name.StartsWith("lib/", StringComparison.Ordinal) || name.StartsWith("analyzers/", StringComparison.Ordinal) || name == "README.md")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "README.md",
            "analyzers/dotnet/cs/Unroll.CodeFixes.dll",
            "analyzers/dotnet/cs/Unroll.Generator.dll",
            "lib/net10.0/Unroll.Attributes.dll",
            "lib/net10.0/Unroll.Attributes.xml",
            "lib/net10.0/Unroll.Runtime.dll",
            "lib/net10.0/Unroll.Runtime.xml",
        }, payload);

        XDocument nuspec;
        using (Stream stream = archive.GetEntry("Unroll.nuspec")!.Open())
            nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        XElement metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("Unroll", metadata.Element(ns + "id")!.Value);
        Assert.Equal(package.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        // Attributes and generator travel inside the package: the only dependency is the tensor library.
        string[] dependencies = metadata.Descendants(ns + "dependency")
            .Select(d => d.Attribute("id")!.Value + " " + d.Attribute("version")!.Value).ToArray();
        Assert.Equal(new[] { "System.Numerics.Tensors 10.0.0" }, dependencies);
    }

    [Fact]
    public void FreshConsoleProjectTrainsXorWithThePackage()
    {
        string consumer = Path.Combine(package.WorkDirectory, "consumer");
        Directory.CreateDirectory(consumer);
        ConsumerProject.Write(package.WorkDirectory, consumer, package.Feed, package.Version, Path.Combine(package.WorkDirectory, "packages"));

        ProcessResult run = DotnetCli.Dotnet(consumer, TimeSpan.FromMinutes(6), "run", "-c", "Release");
        string log = run.Describe();
        Assert.True(run.ExitCode == 0, log);

        Assert.Equal(17, int.Parse(Match(run.StandardOutput, @"^ParameterCount: (\d+)$", log)[0], CultureInfo.InvariantCulture));
        float firstLoss = float.Parse(Match(run.StandardOutput, @"^first loss: (\S+)$", log)[0], CultureInfo.InvariantCulture);
        float finalLoss = float.Parse(Match(run.StandardOutput, @"^final loss: (\S+)$", log)[0], CultureInfo.InvariantCulture);
        Assert.True(finalLoss < firstLoss / 10, $"training did not lower the loss tenfold ({firstLoss} -> {finalLoss})\n{log}");

        MatchCollection predictions = Regex.Matches(run.StandardOutput, @"^xor\((\d), (\d)\) = (\S+)", RegexOptions.Multiline);
        Assert.True(predictions.Count == 4, $"expected 4 prediction lines, found {predictions.Count}\n{log}");
        foreach (Match prediction in predictions)
        {
            bool expected = prediction.Groups[1].Value != prediction.Groups[2].Value;
            float output = float.Parse(prediction.Groups[3].Value, CultureInfo.InvariantCulture);
            Assert.True(output > 0.5f == expected, $"{prediction.Value}: expected {(expected ? "above" : "below")} 0.5\n{log}");
        }
    }

    private static string[] Match(string text, string pattern, string log)
    {
        System.Text.RegularExpressions.Match match = Regex.Match(text, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"no line matching {pattern}\n{log}");
        return match.Groups.Values.Skip(1).Select(g => g.Value).ToArray();
    }
}
