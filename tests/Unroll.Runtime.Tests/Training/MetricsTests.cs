using Xunit;

namespace Unroll.Runtime.Tests.Training;

public class MetricsTests
{
    [Fact]
    public void ArgMaxTakesTheFirstLargest()
    {
        Assert.Equal(1, Metrics.ArgMax(new[] { 0.1f, 0.7f, 0.2f }));
        Assert.Equal(0, Metrics.ArgMax(new[] { 3f, 3f, 1f }));
        Assert.Equal(2, Metrics.ArgMax(new[] { -5f, -4f, -1f, -2f }));
        Assert.Equal(1, Metrics.ArgMax(new[] { 1f, float.NaN, 2f }));
        Assert.Throws<ArgumentException>(() => Metrics.ArgMax(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void LabelsCompareWithTheArgMax()
    {
        float[] outputs = { 0.1f, 0.8f, 0.1f, /**/ 0.6f, 0.3f, 0.1f, /**/ 0.2f, 0.3f, 0.5f };
        Assert.Equal(2.0, Metrics.CorrectCount(outputs, default, new[] { 1, 2, 2 }, 3, Loss.SparseCategoricalCrossEntropy, TargetKind.ClassLabels));
    }

    [Fact]
    public void OneHotTargetsCompareArgMaxes()
    {
        float[] outputs = { 0.1f, 0.9f, /**/ 0.6f, 0.4f };
        float[] targets = { 0f, 1f, /**/ 0f, 1f };
        Assert.Equal(1.0, Metrics.CorrectCount(outputs, targets, default, 2, Loss.CategoricalCrossEntropy, TargetKind.Values));
    }

    [Fact]
    public void BinaryOutputsUseTheDecisionThreshold()
    {
        float[] outputs = { 0.7f, 0.4f, 0.2f, -0.1f };
        float[] targets = { 1f, 1f, 0f, 0f };
        // Probabilities: > 0.5 is class 1 -> right, wrong, right, right.
        Assert.Equal(3.0, Metrics.CorrectCount(outputs, targets, default, 1, Loss.BinaryCrossEntropy, TargetKind.Values));
        // Logits: > 0 is class 1 -> right, right, wrong, right.
        Assert.Equal(3.0, Metrics.CorrectCount(outputs, targets, default, 1, Loss.BinaryCrossEntropy, TargetKind.Values, fromLogits: true));
        Assert.Equal(0.5f, Metrics.DecisionThreshold(Loss.BinaryCrossEntropy, false));
        Assert.Equal(0f, Metrics.DecisionThreshold(Loss.BinaryCrossEntropy, true));
        Assert.Equal(0f, Metrics.DecisionThreshold(Loss.Hinge, false));
        // Hinge margins, with -1/+1 targets as well as 0/1.
        Assert.Equal(3.0, Metrics.CorrectCount(outputs, new[] { 1f, 1f, -1f, -1f }, default, 1, Loss.Hinge, TargetKind.Values));
    }

    [Fact]
    public void MultiLabelRowsScoreTheFractionOfOutputsRight()
    {
        float[] outputs = { 0.9f, 0.2f, 0.8f, 0.1f };
        float[] targets = { 1f, 0f, 0f, 0f };
        Assert.Equal(1.0 + 0.5, Metrics.CorrectCount(outputs, targets, default, 2, Loss.BinaryCrossEntropy, TargetKind.Values));
    }

    [Fact]
    public void RegressionHasNoAccuracy()
    {
        Assert.True(double.IsNaN(Metrics.CorrectCount(new[] { 1f }, new[] { 1f }, default, 1, Loss.MeanSquaredError, TargetKind.Values)));
        Assert.False(Metrics.HasAccuracy(Loss.MeanSquaredError, TargetKind.Values));
        Assert.False(Metrics.HasAccuracy(Loss.MeanAbsoluteError, TargetKind.Values));
        Assert.False(Metrics.HasAccuracy(Loss.Huber, TargetKind.Values));
        Assert.True(Metrics.HasAccuracy(Loss.BinaryCrossEntropy, TargetKind.Values));
        Assert.True(Metrics.HasAccuracy(Loss.SparseCategoricalCrossEntropy, TargetKind.ClassLabels));
    }

    [Fact]
    public void RejectsMismatchedLengths()
    {
        Assert.Throws<ArgumentException>(() => Metrics.CorrectCount(new float[6], default, new int[3], 3, Loss.SparseCategoricalCrossEntropy, TargetKind.ClassLabels));
        Assert.Throws<ArgumentException>(() => Metrics.CorrectCount(new float[5], default, new int[2], 3, Loss.SparseCategoricalCrossEntropy, TargetKind.ClassLabels));
        Assert.Throws<ArgumentException>(() => Metrics.CorrectCount(new float[4], new float[3], default, 2, Loss.CategoricalCrossEntropy, TargetKind.Values));
    }
}
