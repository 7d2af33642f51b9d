using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

// Every test here runs `dotnet pack`/`publish`/`run` against the same src/ projects; run one at a time so that
// two builds never write the same obj/ folder.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace Unroll.Package.Tests;

/// <summary>What a child process did: its command line, exit code and everything it wrote.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The whole run, for assertion messages.</summary>
    public string Describe() =>
        $"{CommandLine}\nexit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Runs the dotnet CLI and the programs it builds as child processes.</summary>
internal static class DotnetCli
{
    /// <summary>The folder holding Generator.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>This machine's runtime identifier (linux-x64, osx-arm64, ...), for self-contained builds.</summary>
    public static string RuntimeIdentifier { get; } =
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-" +
        RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static ProcessResult Dotnet(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run("dotnet", workingDirectory, timeout, arguments);

    /// <summary>Runs <paramref name="fileName"/>, killing its whole process tree if it outlives <paramref name="timeout"/>.</summary>
    public static ProcessResult Run(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run(fileName, workingDirectory, timeout, new Dictionary<string, string>(), arguments);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="environment"/> added to its environment.</summary>
    public static ProcessResult Run(string fileName, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            startInfo.ArgumentList.Add(argument);
        // The outer `dotnet test` exports MSBuild variables that pin its own build; a child build must start clean.
        foreach (string name in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            startInfo.Environment.Remove(name);
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // Lingering MSBuild nodes would hold the redirected output open after the build ends.
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach ((string name, string value) in environment)
            startInfo.Environment[name] = value;

        string commandLine = fileName + " " + string.Join(" ", arguments);
        var output = new StringBuilder();
        var error = new StringBuilder();
        var outputClosed = new TaskCompletionSource();
        var errorClosed = new TaskCompletionSource();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data, outputClosed);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data, errorClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{commandLine} did not finish within {timeout.TotalSeconds:F0} s; killed.\n" +
                new ProcessResult(commandLine, -1, Read(output), Read(error), stopwatch.Elapsed).Describe());
        }
        // A grandchild (the compiler server) may keep the pipes open; the output that matters has arrived by now.
        Task.WaitAll([outputClosed.Task, errorClosed.Task], TimeSpan.FromSeconds(30));
        return new ProcessResult(commandLine, process.ExitCode, Read(output), Read(error), stopwatch.Elapsed);
    }

    /// <summary>A new, empty folder under the system temp folder.</summary>
    public static string NewTemporaryDirectory(string prefix)
    {
        string path = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes <paramref name="path"/> if it can; a leftover temp folder must not fail a passing test.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Append(StringBuilder builder, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (builder)
            builder.AppendLine(line);
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
            return builder.ToString();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generator.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Generator.sln above {AppContext.BaseDirectory}.");
    }
}
