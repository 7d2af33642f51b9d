namespace Unroll.Models.Tests;

/// <summary>Bad input gets a clear error naming what was expected and what came, and changes nothing.</summary>
public class RobustnessTests
{
    [Fact]
    public void InputsThatAreNotWholeSamplesAreRejected()
    {
        var model = new DropoutClassifier();
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(new float[10], new float[6]));
        Assert.Contains("10 floats", ex.Message);
        Assert.Contains("4 features", ex.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(Array.Empty<float>(), Array.Empty<float>()));
    }

    [Fact]
    public void BatchesLargerThanMaxBatchAreRejected()
    {
        var model = new GoldenSoftmaxMlp();
        var ex = Assert.Throws<ArgumentException>(() => model.TrainStep(new float[9 * 5], new int[9]));
        Assert.Contains("9 samples", ex.Message);
        Assert.Contains("MaxBatch = 8", ex.Message);
    }

    [Fact]
    public void OutputAndTargetLengthsAreChecked()
    {
        var model = new GoldenRegressionMlp();
        var predict = Assert.Throws<ArgumentException>(() => model.Predict(new float[6], new float[3]));
        Assert.Contains("outputs holds 3 floats", predict.Message);
        Assert.Contains("4 (2 x 2)", predict.Message);
        var train = Assert.Throws<ArgumentException>(() => model.TrainStep(new float[6], new float[3]));
        Assert.Contains("targets holds 3 floats", train.Message);

        var classifier = new GoldenSoftmaxMlp();
        var labels = Assert.Throws<ArgumentException>(() => classifier.TrainStep(new float[10], new int[3]));
        Assert.Contains("labels holds 3 values for a batch of 2 samples", labels.Message);
    }

    [Fact]
    public void LabelOutOfRangeThrowsAndLeavesTheParametersUnchanged()
    {
        var model = new GoldenSoftmaxMlp(seed: 7);
        float[] before = model.Parameters.ToArray();
        var ex = Assert.ThrowsAny<ArgumentException>(() => model.TrainStep(new float[10], new[] { 1, 4 }));
        Assert.Contains("4", ex.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Iterations);
    }

    [Fact]
    public void ANaNInputIsRejectedBeforeAnyUpdate()
    {
        var model = new GoldenRegressionMlp(seed: 7);
        float[] before = model.Parameters.ToArray();
        float[] inputs = { 1f, float.NaN, 0f };
        var ex = Assert.Throws<ArgumentException>(() => model.TrainStep(inputs, new float[2]));
        Assert.StartsWith("inputs: NaN at sample 0, feature 1; every value must be finite, so nothing was changed.", ex.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Iterations);
    }

    [Fact]
    public void ALossThatOverflowsThrowsBeforeAnyUpdate()
    {
        // Finite inputs whose squared error overflows a float: the loss is infinite and the step is refused.
        var model = new GoldenRegressionMlp(seed: 7);
        float[] before = model.Parameters.ToArray();
        var ex = Assert.Throws<NonFiniteLossException>(() => model.TrainStep(new[] { 1f, 0f, 0f }, new[] { 3e38f, -3e38f }));
        Assert.Contains("not updated", ex.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Iterations);
    }

    [Fact]
    public void BackwardWithoutForwardIsAnError()
    {
        var model = new GoldenRegressionMlp();
        var ex = Assert.Throws<InvalidOperationException>(() => model.Backward(new float[2]));
        Assert.Contains("call Forward first", ex.Message);
    }

    [Fact]
    public void FrozenLayersDoNotMoveAndTheOthersDo()
    {
        var model = new DropoutClassifier(seed: 11);
        model.Hidden.Frozen = true;
        float[] hiddenBefore = model.Hidden.Parameters.ToArray();
        float[] outputBefore = model.Output.Parameters.ToArray();
        var r = new SeededRandom(1);
        float[] inputs = Enumerable.Range(0, 32 * 4).Select(_ => r.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, 32).Select(i => i % 3).ToArray();
        for (int i = 0; i < 5; i++) model.TrainStep(inputs, labels);
        Assert.Equal(hiddenBefore, model.Hidden.Parameters.ToArray());
        Assert.NotEqual(outputBefore, model.Output.Parameters.ToArray());
        Assert.All(model.Hidden.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void LearningRateCanChangeBetweenSteps()
    {
        var model = new SeedLinearNetwork();
        float[] x = { 2f, 3f }, y = { 5f };
        model.LearningRate = 0f;
        model.TrainStep(x, y);
        Assert.Equal(new[] { 1f, 1f }, model.Output.Weight.ToArray());
        model.LearningRate = 0.01f;
        model.TrainStep(x, y);
        Assert.Equal(new[] { 0.5f, 0.5f }, model.Output.Weight.ToArray());
    }

    [Fact]
    public void SameSeedGivesTheSameModelAndDifferentSeedsDiffer()
    {
        Assert.Equal(new DropoutClassifier(seed: 5).Parameters.ToArray(), new DropoutClassifier(seed: 5).Parameters.ToArray());
        Assert.NotEqual(new DropoutClassifier(seed: 5).Parameters.ToArray(), new DropoutClassifier(seed: 6).Parameters.ToArray());
    }

    [Fact]
    public void DropoutIsActiveInTrainingAndTheIdentityInPrediction()
    {
        var model = new DropoutClassifier(seed: 2);
        var r = new SeededRandom(9);
        float[] inputs = Enumerable.Range(0, 8 * 4).Select(_ => r.NextNormal()).ToArray();
        float[] predicted = new float[8 * 3];
        model.Predict(inputs, predicted);
        float[] inference = model.Forward(inputs, training: false).ToArray();
        float[] training = model.Forward(inputs, training: true).ToArray();
        Assert.Equal(predicted, inference);
        Assert.NotEqual(predicted, training);
    }
}
