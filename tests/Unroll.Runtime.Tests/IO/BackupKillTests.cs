using System.Diagnostics;
using Xunit;

namespace Unroll.Runtime.Tests.IO;

/// <summary>A training run with FitOptions.BackupPath killed at random moments, some inside the write of a backup: the previous backup
/// survives whole, and resuming from it ends with exactly the weights, optimizer state and random state of a run that never stopped.</summary>
public class BackupKillTests
{
    private const int Epochs = 6;

    private static Process Start(string backup)
    {
        var start = new ProcessStartInfo("dotnet", new[] { SaveKillTests.ChildDll(), "fit", backup, Epochs.ToString() })
        {
            RedirectStandardOutput = true, UseShellExecute = false,
        };
        return Process.Start(start)!;
    }

    private static void RunToTheEnd(string backup)
    {
        using Process process = Start(backup);
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && output.TrimEnd().EndsWith("done", StringComparison.Ordinal), $"the child failed: {output}");
    }

    [Fact]
    public void AKilledRunResumesFromTheLastWholeBackupToTheWeightsOfOneThatNeverStopped()
    {
        using var dir = new TempDirectory();
        string straight = dir.File("straight.safetensors");
        RunToTheEnd(straight);
        IReadOnlyDictionary<string, SafeTensor> expected = SafeTensors.Read(straight);
        IReadOnlyDictionary<string, string> expectedMetadata = SafeTensors.ReadMetadata(straight);
        Assert.Equal(Epochs.ToString(), expectedMetadata["epoch"]);

        var random = new Random(2024);
        bool insideAWrite = false;
        int trials = 0;
        while (trials < 3 || (!insideAWrite && trials < 25))
        {
            trials++;
            string killed = dir.File($"killed-{trials}.safetensors");
            using (Process process = Start(killed))
            {
                // After epoch 1's line its backup is whole; the kill lands in epoch 2's or 3's training or backup write.
                while (process.StandardOutput.ReadLine() is string line && line != "epoch 1") { }
                Thread.Sleep(random.Next(0, 80));
                process.Kill();
                process.WaitForExit();
            }
            bool leftATemporaryFile = dir.Entries().Any(e => e.EndsWith(".tmp", StringComparison.Ordinal));
            insideAWrite |= leftATemporaryFile;

            // The file is a whole backup of some epoch before the kill.
            IReadOnlyDictionary<string, string> left = SafeTensors.ReadMetadata(killed);
            int epoch = int.Parse(left["epoch"]);
            Assert.InRange(epoch, 2, Epochs);
            SafeTensors.Read(killed);

            RunToTheEnd(killed);
            IReadOnlyDictionary<string, SafeTensor> resumed = SafeTensors.Read(killed);
            Assert.Equal(expected.Keys.Order(), resumed.Keys.Order());
            foreach ((string name, SafeTensor tensor) in expected)
                Assert.True(tensor.ToFloat32().AsSpan().SequenceEqual(resumed[name].ToFloat32()), $"{name} differs after resuming from epoch {epoch} (trial {trials})");
            IReadOnlyDictionary<string, string> metadata = SafeTensors.ReadMetadata(killed);
            foreach (string key in new[] { "epoch", "iterations", "learning_rate", "random" })
                Assert.Equal(expectedMetadata[key], metadata[key]);
            Assert.DoesNotContain(dir.Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal)); // the resumed run's first write cleaned up
        }
        Assert.True(insideAWrite, $"no kill out of {trials} landed inside a backup's write");
    }
}
