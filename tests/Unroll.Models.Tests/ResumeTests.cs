namespace Unroll.Models.Tests;

/// <summary>FitOptions.BackupPath: a run stopped after any epoch and resumed by a fresh instance ends with exactly the weights and
/// history of a run that never stopped (Adam's moments and step, the learning rate, the shuffling and dropout streams all restored).</summary>
public class ResumeTests
{
    private static Dataset Data()
    {
        var random = new SeededRandom(9);
        float[] features = Enumerable.Range(0, 150 * 4).Select(_ => random.NextNormal()).ToArray();
        return Dataset.WithLabels(features, 4, Enumerable.Range(0, 150).Select(i => i % 3).ToArray(), 3);
    }

    private sealed class CancelAfterEpoch(CancellationTokenSource source, int epoch) : ICallback
    {
        public void OnTrainBegin(ITrainableModel model) { }
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            if (log.Epoch == epoch) source.Cancel();
            return false;
        }
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void AResumedRunEndsWithTheWeightsOfOneThatNeverStopped(int stopAfter)
    {
        FitOptions Options(string? backup, params ICallback[] callbacks)
        {
            var options = new FitOptions { Epochs = 6, BatchSize = 16, BackupPath = backup, Callbacks = { new StepDecay(2, 0.5) } };
            foreach (ICallback c in callbacks) options.Callbacks.Add(c);
            return options;
        }
        var straight = new DropoutClassifier(seed: 3); // Adam, dropout: every stream matters
        History expected = straight.Fit(Data(), Options(null));

        string backup = Path.Combine(Path.GetTempPath(), "unroll-backup-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            using var cancel = new CancellationTokenSource();
            var first = new DropoutClassifier(seed: 3);
            FitOptions stopping = Options(backup, new CancelAfterEpoch(cancel, stopAfter));
            stopping.CancellationToken = cancel.Token;
            Assert.ThrowsAny<OperationCanceledException>(() => first.Fit(Data(), stopping));
            Assert.True(File.Exists(backup));

            var resumed = new DropoutClassifier(seed: 77); // a fresh instance, other weights: everything comes from the backup
            History history = resumed.Fit(Data(), Options(backup));

            Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
            Assert.Equal(straight.Iterations, resumed.Iterations);
            Assert.Equal(expected.Loss, history.Loss);
            Assert.Equal(expected.Epochs.Select(e => e.LearningRate), history.Epochs.Select(e => e.LearningRate));
            Assert.False(File.Exists(backup)); // removed once training ended normally
        }
        finally
        {
            File.Delete(backup);
        }
    }

    [Fact]
    public void ABackupOfAnotherModelIsRefusedWithoutChangingAnything()
    {
        string backup = Path.Combine(Path.GetTempPath(), "unroll-backup-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            new SmallBatchNet(seed: 1).Fit(BigBatchData(), new FitOptions { Epochs = 1, BatchSize = 8, BackupPath = backup, KeepBackup = true });
            Assert.True(File.Exists(backup));
            var other = new DropoutClassifier(seed: 2);
            float[] before = other.Parameters.ToArray();
            var e = Assert.Throws<InvalidDataException>(() => other.Fit(Data(), new FitOptions { Epochs = 2, BatchSize = 16, BackupPath = backup }));
            Assert.Contains("does not fit this model and optimizer: it lacks optimizer.first_moment of 739 values", e.Message);
            Assert.Equal(before, other.Parameters.ToArray());
        }
        finally
        {
            File.Delete(backup);
        }
    }

    private static Dataset BigBatchData()
    {
        var random = new SeededRandom(1);
        return Dataset.WithLabels(Enumerable.Range(0, 16 * 6).Select(_ => random.NextNormal()).ToArray(), 6, Enumerable.Range(0, 16).Select(i => i % 3).ToArray(), 3);
    }
}
