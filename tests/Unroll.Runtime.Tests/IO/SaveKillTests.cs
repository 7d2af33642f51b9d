using System.Diagnostics;
using Unroll.Runtime.Tests.IO;
using Xunit;

namespace Unroll.Runtime.Tests.IO;

/// <summary>A save killed at random moments: the target always loads as one whole version, and the next save removes the temporary
/// file the killed process left.</summary>
public class SaveKillTests
{
    private const int Count = 4 << 20;
    private static readonly ParameterTensor[] Layout = { new("weight", "layer.weight", 0, Count) };

    internal static string ChildDll()
    {
        // tests/Unroll.Runtime.Tests/bin/<Configuration>/<tfm>/ -> tests/Unroll.SaveChild/bin/<Configuration>/<tfm>/Unroll.SaveChild.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = output.Name, configuration = output.Parent!.Name;
        string tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        string dll = Path.Combine(tests, "Unroll.SaveChild", "bin", configuration, tfm, "Unroll.SaveChild.dll");
        Assert.True(File.Exists(dll), $"the child program is not built: {dll}");
        return dll;
    }

    [Fact]
    public void KilledSavesLeaveAWholeFileAndTheNextSaveCleansUp()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        string child = ChildDll();
        var random = new Random(12345);
        var seen = new HashSet<int>();
        // At least 30 kills, and on until one leaves a temporary file behind (a kill inside a write), for the last check.
        int trials = 0;
        bool lastLeftOne = false;
        while (trials < 30 || (!lastLeftOne && trials < 200))
        {
            trials++;
            var start = new ProcessStartInfo("dotnet", new[] { child, path }) { RedirectStandardOutput = true, UseShellExecute = false };
            using Process process = Process.Start(start)!;
            Assert.Equal("ready", process.StandardOutput.ReadLine());
            Thread.Sleep(random.Next(0, 120)); // somewhere inside one of the next saves
            process.Kill();
            process.WaitForExit();

            seen.Add(LoadedVersion(path));
            string[] temporary = dir.Entries().Where(e => e.EndsWith(".tmp", StringComparison.Ordinal)).ToArray();
            Assert.True(temporary.Length <= 1, "a killed save's temporary file survived the next save: " + string.Join(", ", temporary));
            lastLeftOne = temporary.Length == 1;
        }
        Assert.True(lastLeftOne, $"no kill out of {trials} landed inside a write");
        Assert.Equal(new[] { 1, 2 }, seen.Order()); // both versions were seen, and always whole

        ModelFile.Save(path, Enumerable.Repeat(3f, Count).ToArray(), Layout, "Parent");
        Assert.Equal(new[] { "model.safetensors" }, dir.Entries()); // the next save removed every stale temporary file
        Assert.Equal(3, LoadedVersion(path));
    }

    /// <summary>The version the file holds, after checking that every value belongs to that one version.</summary>
    private static int LoadedVersion(string path)
    {
        var values = new float[Count];
        ModelFile.Load(path, values, Layout);
        int version = (int)MathF.Round(values[0]);
        for (int i = 0; i < Count; i++)
        {
            float expected = version == 3 ? 3f : version + (i % 1000) * 1e-3f;
            if (values[i] != expected)
                Assert.Fail($"the file is torn: value {i} is {values[i]}, version {version} has {expected}");
        }
        return version;
    }
}
