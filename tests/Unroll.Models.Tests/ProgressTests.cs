namespace Unroll.Models.Tests;

/// <summary>Keras-style progress: nothing at verbosity 0, a finished bar per epoch at 1 (the output here is not a console, so the bar is
/// not redrawn), one line per epoch at 2, and IProgress told after every batch.</summary>
public class ProgressTests
{
    private static Dataset Data()
    {
        var random = new SeededRandom(1);
        return Dataset.WithLabels(Enumerable.Range(0, 100 * 6).Select(_ => random.NextNormal()).ToArray(), 6, Enumerable.Range(0, 100).Select(i => i % 3).ToArray(), 3);
    }

    private static string Run(int verbose, double validationSplit = 0)
    {
        var output = new StringWriter { NewLine = "\n" };
        new SmallBatchNet(seed: 1).Fit(Data(), new FitOptions { Epochs = 2, BatchSize = 32, Verbose = verbose, Output = output, ValidationSplit = validationSplit });
        return output.ToString();
    }

    [Fact]
    public void VerbosityZeroPrintsNothing() => Assert.Equal("", Run(0));

    [Fact]
    public void VerbosityOnePrintsEachEpochsFinishedBar()
    {
        string[] lines = Run(1, validationSplit: 0.2).TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Matches(@"^3/3 \[={30}\] - \d+s \d+ms/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$", lines[1]);
        Assert.Equal("Epoch 2/2", lines[2]);
    }

    [Fact]
    public void VerbosityTwoPrintsOneLinePerEpoch()
    {
        string[] lines = Run(2).TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^Epoch 1/2 - \d+ ms - loss: \d\.\d{4} - accuracy: \d\.\d{4}$", lines[0]);
    }

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = new();
        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void IProgressIsToldAfterEveryBatch()
    {
        var recorder = new Recorder();
        History history = new SmallBatchNet(seed: 2).Fit(Data(), new FitOptions { Epochs = 2, BatchSize = 32, Progress = recorder });
        Assert.Equal(8, recorder.Reports.Count); // 2 epochs of 4 batches (32, 32, 32, 4)
        Assert.Equal(new[] { 1, 2, 3, 4, 1, 2, 3, 4 }, recorder.Reports.Select(r => r.Batch));
        Assert.All(recorder.Reports, r => Assert.Equal(4, r.BatchCount));
        Assert.Equal(history.Loss[0], recorder.Reports[3].Loss, 12); // the last report of an epoch is its loss
        Assert.Equal(TimeSpan.Zero, recorder.Reports[3].Remaining);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmallBatchNet().Fit(Data(), new FitOptions { Verbose = 3 }));
    }
}
