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

    /// <summary>Runs the child to its end; returns the shortest time between two of its epoch lines (an epoch's training and backup).</summary>
    private static TimeSpan RunToTheEnd(string backup)
    {
        using Process process = Start(backup);
        var output = new System.Text.StringBuilder();
        TimeSpan shortest = TimeSpan.MaxValue;
        long last = 0;
        while (process.StandardOutput.ReadLine() is string line)
        {
            output.AppendLine(line);
            if (!line.StartsWith("epoch ", StringComparison.Ordinal)) continue;
            long now = Stopwatch.GetTimestamp();
            if (last != 0 && Stopwatch.GetElapsedTime(last, now) < shortest) shortest = Stopwatch.GetElapsedTime(last, now);
            last = now;
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && output.ToString().TrimEnd().EndsWith("done", StringComparison.Ordinal), $"the child failed: {output}");
        return shortest;
    }

    [Fact]
    public void AKilledRunResumesFromTheLastWholeBackupToTheWeightsOfOneThatNeverStopped()
    {
        using var dir = new TempDirectory();
        string straight = dir.File("straight.safetensors");
        TimeSpan pace = RunToTheEnd(straight);
        IReadOnlyDictionary<string, SafeTensor> expected = SafeTensors.Read(straight);
        IReadOnlyDictionary<string, string> expectedMetadata = SafeTensors.ReadMetadata(straight);
        Assert.Equal(Epochs.ToString(), expectedMetadata["epoch"]);

        // Kills spread over two epochs at this machine's pace (measured above: a loaded machine spreads them wider), at the golden
        // ratio's multiples of that span, which cover it evenly however many trials run.
        double spread = 2 * pace.TotalMilliseconds;
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
                Thread.Sleep(TimeSpan.FromMilliseconds(trials * 0.6180339887 % 1 * spread));
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
        Assert.True(insideAWrite, $"no kill out of {trials}, spread over {spread:F0} ms after epoch 1, landed inside a backup's write");
    }
}
