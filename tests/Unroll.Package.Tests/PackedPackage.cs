namespace Unroll.Package.Tests;

/// <summary>
/// <c>dotnet pack src/Package</c> into a temp feed, once for the tests that share it. The version is unique to
/// this run, so a restore can only ever find the package just built, never one cached by an earlier run.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    /// <summary>Packs the package project.</summary>
    public PackedPackage()
    {
        WorkDirectory = DotnetCli.NewTemporaryDirectory("unroll-package-");
        Feed = Path.Combine(WorkDirectory, "feed");
        Version = "0.1.0-test" + Guid.NewGuid().ToString("N")[..12];
        string project = Path.Combine(DotnetCli.RepositoryRoot, "src", "Package", "Unroll.Package.csproj");
        // PackageVersion, not Version: Version would reach the assembly attributes and rebuild every project.
        // The nuspec goes to the temp folder too, so runs leave no versioned files in src/Package/obj.
        PackResult = DotnetCli.Dotnet(DotnetCli.RepositoryRoot, TimeSpan.FromMinutes(5),
            "pack", project, "-c", "Release", "-o", Feed, $"-p:PackageVersion={Version}",
            $"-p:NuspecOutputPath={Path.Combine(WorkDirectory, "nuspec")}{Path.DirectorySeparatorChar}", "-nodeReuse:false");
        if (PackResult.ExitCode != 0)
            throw new InvalidOperationException("dotnet pack failed.\n" + PackResult.Describe());
        PackagePath = Path.Combine(Feed, $"Unroll.{Version}.nupkg");
    }

    /// <summary>A temp folder for this run; deleted at the end.</summary>
    public string WorkDirectory { get; }

    /// <summary>The local package source holding the packed .nupkg.</summary>
    public string Feed { get; }

    /// <summary>The package version of this run.</summary>
    public string Version { get; }

    /// <summary>The expected path of <c>Unroll.&lt;version&gt;.nupkg</c>.</summary>
    public string PackagePath { get; }

    /// <summary>The pack command and its output.</summary>
    public ProcessResult PackResult { get; }

    /// <inheritdoc />
    public void Dispose() => DotnetCli.TryDelete(WorkDirectory);
}
