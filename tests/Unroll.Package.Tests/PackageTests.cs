using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Unroll.Package.Tests;

/// <summary>The <c>Unroll</c> package as a user gets it: its layout, and a fresh console project that declares and trains a model from it.</summary>
public sealed class PackageTests(PackedPackage package) : IClassFixture<PackedPackage>
{
    [Fact]
    public void PackageHoldsRuntimeAndAttributesForEachFrameworkTheGeneratorAndCodeFixesInAnalyzersAndItsMetadata()
    {
        Assert.True(File.Exists(package.PackagePath), $"no {package.PackagePath}; feed holds: " +
            string.Join(", ", Directory.GetFiles(package.Feed).Select(Path.GetFileName)) + "\n" + package.PackResult.Describe());
        using ZipArchive archive = ZipFile.OpenRead(package.PackagePath);
        string[] payload = archive.Entries.Select(e => e.FullName)
            .Where(name => name.StartsWith("lib/", StringComparison.Ordinal) || name.StartsWith("analyzers/", StringComparison.Ordinal) ||
                name.StartsWith("build", StringComparison.Ordinal) || name is "README.md" or "LICENSE")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "LICENSE",
            "README.md",
            "analyzers/dotnet/cs/Unroll.CodeFixes.dll",
            "analyzers/dotnet/cs/Unroll.Generator.dll",
            "build/Unroll.targets",
            "lib/net10.0/Unroll.Attributes.dll",
            "lib/net10.0/Unroll.Attributes.xml",
            "lib/net10.0/Unroll.Runtime.dll",
            "lib/net10.0/Unroll.Runtime.xml",
            "lib/net8.0/Unroll.Attributes.dll",
            "lib/net8.0/Unroll.Attributes.xml",
            "lib/net8.0/Unroll.Runtime.dll",
            "lib/net8.0/Unroll.Runtime.xml",
        }, payload);
        // Each lib folder's runtime is the build for that framework, not one copied into both.
        Assert.Equal(".NETCoreApp,Version=v8.0", TargetFrameworkOf(archive, "lib/net8.0/Unroll.Runtime.dll"));
        Assert.Equal(".NETCoreApp,Version=v10.0", TargetFrameworkOf(archive, "lib/net10.0/Unroll.Runtime.dll"));

        XDocument nuspec;
        using (Stream stream = archive.GetEntry("Unroll.nuspec")!.Open())
            nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        XElement metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("Unroll", metadata.Element(ns + "id")!.Value);
        Assert.Equal(package.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        XElement license = metadata.Element(ns + "license")!;
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")?.Value, license.Value));

        // The repository's address is written once, in Directory.Build.props; the package carries it and the commit.
        string repositoryUrl = XDocument.Load(Path.Combine(DotnetCli.RepositoryRoot, "Directory.Build.props"))
            .Descendants("RepositoryUrl").Single().Value;
        Assert.StartsWith("https://", repositoryUrl, StringComparison.Ordinal);
        Assert.Equal(repositoryUrl, metadata.Element(ns + "projectUrl")!.Value);
        XElement repository = metadata.Element(ns + "repository")!;
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal(repositoryUrl, repository.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");

        // Attributes and generator travel inside the package: the only dependency is the tensor library, for each framework.
        string[] dependencies = metadata.Descendants(ns + "group")
            .SelectMany(g => g.Elements(ns + "dependency").Select(d =>
                g.Attribute("targetFramework")!.Value + ": " + d.Attribute("id")!.Value + " " + d.Attribute("version")!.Value))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "net10.0: System.Numerics.Tensors 10.0.0", "net8.0: System.Numerics.Tensors 10.0.0" }, dependencies);
    }

    [Fact]
    public void FreshConsoleProjectTrainsXorWithThePackage()
    {
        string consumer = Path.Combine(package.WorkDirectory, "consumer");
        Directory.CreateDirectory(consumer);
        ConsumerProject.Write(package.WorkDirectory, consumer, package.Feed, package.Version, Path.Combine(package.WorkDirectory, "packages"));

        ProcessResult run = DotnetCli.Dotnet(consumer, TimeSpan.FromMinutes(6), "run", "-c", "Release");
        AssertTrainedAndPredicted(run, ".NET 10.");
    }

    /// <summary>
    /// A net8.0 project (C# 13, which partial properties need) gets lib/net8.0 and runs self-contained: its runtime
    /// comes from the .NET 8 runtime pack, so the net8.0 build of Unroll.Runtime runs on .NET 8 whatever runtimes the
    /// machine has installed. On x64 it runs again with AVX-512, then AVX2, then FMA switched off in the runtime, so
    /// each GEMM kernel width and the net8 stand-ins for the .NET 9 multiply-add helpers it calls run too. The project
    /// also compiles the generator tests' models, so the generated code of every layer family builds with C# 13
    /// against the .NET 8 reference assemblies.
    /// </summary>
    [Fact]
    public void FreshNet8ConsoleProjectTrainsXorOnDotnet8()
    {
        string consumer = Path.Combine(package.WorkDirectory, "consumer-net8");
        Directory.CreateDirectory(consumer);
        ConsumerProject.Write(package.WorkDirectory, consumer, package.Feed, package.Version, Path.Combine(package.WorkDirectory, "packages"),
            "net8.0", $"""

                <LangVersion>13</LangVersion>
                <RuntimeIdentifier>{DotnetCli.RuntimeIdentifier}</RuntimeIdentifier>
                <SelfContained>true</SelfContained>
            """);
        FieldInfo[] models = typeof(Unroll.Generator.Tests.Models).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToArray();
        Assert.True(models.Length >= 8, $"only {models.Length} generator test models");
        foreach (FieldInfo model in models)
            File.WriteAllText(Path.Combine(consumer, model.Name + ".cs"), (string)model.GetRawConstantValue()!);

        ProcessResult run = DotnetCli.Dotnet(consumer, TimeSpan.FromMinutes(6), "run", "-c", "Release");
        AssertTrainedAndPredicted(run, ".NET 8.");

        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        string app = Path.Combine(consumer, "bin", "Release", "net8.0", DotnetCli.RuntimeIdentifier, OperatingSystem.IsWindows() ? "Consumer.exe" : "Consumer");
        var switchedOff = new Dictionary<string, string>();
        foreach ((string knob, string expected) in new[]
        {
            ("DOTNET_EnableAVX512F", "Vector512 False"),
            ("DOTNET_EnableAVX2", "Vector256 False"),
            ("DOTNET_EnableFMA", "Fma False"),
        })
        {
            switchedOff[knob] = "0";
            ProcessResult narrower = DotnetCli.Run(app, consumer, TimeSpan.FromMinutes(2), switchedOff);
            Assert.Contains(expected, Match(narrower.StandardOutput, @"^hardware: (.+)$", narrower.Describe())[0]);
            AssertTrainedAndPredicted(narrower, ".NET 8.");
        }
    }

    /// <summary>A net8.0 project left at its default C# 12 stops at the package's check, with the fix, before the
    /// compiler reports a CS8703 for each partial property; so does a compiler older than the generator's.</summary>
    [Fact]
    public void Net8ProjectOnCSharp12OrAnOldCompilerStopsWithTheFix()
    {
        string consumer = Path.Combine(package.WorkDirectory, "consumer-csharp12");
        Directory.CreateDirectory(consumer);
        ConsumerProject.Write(package.WorkDirectory, consumer, package.Feed, package.Version, Path.Combine(package.WorkDirectory, "packages"), "net8.0");

        ProcessResult build = DotnetCli.Dotnet(consumer, TimeSpan.FromMinutes(4), "build", "-c", "Release");
        string log = build.Describe();
        Assert.True(build.ExitCode != 0, log);
        Assert.Contains("Unroll models are partial properties, which need C# 13 or later; this project compiles C# 12.0", build.StandardOutput);
        Assert.Contains("<LangVersion>13</LangVersion>", build.StandardOutput);
        Assert.DoesNotContain("CS8703", build.StandardOutput);

        // No old SDK here to build with: the compiler's version, as the SDK reports it, is what the check reads.
        ProcessResult oldCompiler = DotnetCli.Dotnet(consumer, TimeSpan.FromMinutes(4), "build", "-c", "Release", "-p:CompilerApiVersion=roslyn4.12");
        Assert.True(oldCompiler.ExitCode != 0, oldCompiler.Describe());
        Assert.Contains("Unroll's source generator needs the C# compiler 4.14 or later", oldCompiler.StandardOutput);
        Assert.Contains("this build uses roslyn4.12", oldCompiler.StandardOutput);
    }

    /// <summary>What <see cref="ConsumerProject"/>'s program prints, checked: the runtime, both trainings, the
    /// predictions, the reload and the product.</summary>
    private static void AssertTrainedAndPredicted(ProcessResult run, string runtimePrefix)
    {
        string log = run.Describe();
        Assert.True(run.ExitCode == 0, log);

        string runtime = Match(run.StandardOutput, @"^runtime: (.+)$", log)[0];
        Assert.True(runtime.StartsWith(runtimePrefix, StringComparison.Ordinal), $"ran on {runtime}, expected {runtimePrefix}*\n{log}");

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

        float fitFirst = float.Parse(Match(run.StandardOutput, @"^fit first epoch loss: (\S+)$", log)[0], CultureInfo.InvariantCulture);
        float fitLast = float.Parse(Match(run.StandardOutput, @"^fit last epoch loss: (\S+)$", log)[0], CultureInfo.InvariantCulture);
        Assert.True(fitLast < fitFirst / 10, $"Fit did not lower the loss tenfold ({fitFirst} -> {fitLast})\n{log}");

        Assert.Equal("True", Match(run.StandardOutput, @"^loaded predicts the same: (\S+)$", log)[0]);
        // Every operand and partial sum is a small multiple of 1/32, exact in float: any correct kernel gives 0.
        double gemmError = double.Parse(Match(run.StandardOutput, @"^gemm max error: (\S+)$", log)[0], CultureInfo.InvariantCulture);
        Assert.True(gemmError <= 1e-4, $"the packed product is off by {gemmError}\n{log}");
    }

    /// <summary>The <c>[TargetFramework]</c> an assembly in the package was built for.</summary>
    private static string TargetFrameworkOf(ZipArchive archive, string entryName)
    {
        using var image = new MemoryStream();
        using (Stream stream = archive.GetEntry(entryName)!.Open())
            stream.CopyTo(image);
        image.Position = 0;
        using var pe = new PEReader(image);
        MetadataReader reader = pe.GetMetadataReader();
        foreach (CustomAttributeHandle handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference) continue;
            TypeReference type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (reader.GetString(type.Name) != "TargetFrameworkAttribute") continue;
            BlobReader value = reader.GetBlobReader(attribute.Value);
            value.ReadUInt16(); // prolog
            return value.ReadSerializedString() ?? "";
        }
        return "(none)";
    }

    private static string[] Match(string text, string pattern, string log)
    {
        System.Text.RegularExpressions.Match match = Regex.Match(text, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"no line matching {pattern}\n{log}");
        return match.Groups.Values.Skip(1).Select(g => g.Value).ToArray();
    }
}
