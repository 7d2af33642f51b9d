namespace Unroll.Models.Tests;

/// <summary>A binary classifier on probabilities, as the BCE model.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 16)]
public partial class DoorBinary
{
    [Input(Features = 3)] public partial Layer Features { get; }
    [Dense(Units = 4, Activation = Activation.Tanh)] public partial Layer Hidden { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }
}

/// <summary>Non-finite values and out-of-domain targets stopped at the door, each before any parameter changes: the failures that
/// used to corrupt weights or pass in silence (issue: "No silent wrong answers at run time").</summary>
public class DoorCheckTests
{
    private static readonly float[] Inputs = { 0.5f, -1f, 2f, 1f, 0f, -0.5f };

    [Fact]
    public void AnInfiniteInputIsRejectedWhereTheLossWouldStayFinite()
    {
        // -Infinity through tanh saturates to -1: the loss stays finite, and the gradient used to write -Infinity into a weight.
        var model = new DoorBinary(seed: 1);
        float[] before = model.Parameters.ToArray();
        float[] inputs = (float[])Inputs.Clone();
        inputs[4] = float.NegativeInfinity;
        var e = Assert.Throws<ArgumentException>(() => model.TrainStep(inputs, new[] { 1f, 0f }));
        Assert.Equal("inputs: -Infinity at sample 1, feature 1; every value must be finite, so nothing was changed. (Parameter 'inputs')", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Iterations);
        Assert.Throws<ArgumentException>(() => model.Forward(inputs));
    }

    [Fact]
    public void AnInfiniteStepOfABidirectionalGruIsRejected()
    {
        var model = new GoldenLstmHandoverBiGru(seed: 3);
        float[] before = model.Parameters.ToArray();
        var inputs = new float[2 * 11 * 2];
        inputs[11 * 2 + 5 * 2] = float.PositiveInfinity; // sample 1, step 5, feature 0
        var e = Assert.Throws<ArgumentException>(() => model.TrainStep(inputs, new float[2 * GoldenLstmHandoverBiGru.OutputSize]));
        Assert.StartsWith("inputs: Infinity at sample 1, step 5, feature 0;", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.All(model.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Theory]
    [InlineData(2f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void BinaryCrossEntropyTakesOnlyProbabilities(float target)
    {
        var model = new DoorBinary(seed: 2);
        float[] before = model.Parameters.ToArray();
        var e = Assert.Throws<ArgumentException>(() => model.TrainStep(Inputs, new[] { 1f, target }));
        Assert.StartsWith($"targets: {target.ToString(System.Globalization.CultureInfo.InvariantCulture)} at sample 1, feature 0; binary cross-entropy takes targets in [0, 1]", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());

        var logits = new LogitClassifier(seed: 2); // on logits too
        Assert.Throws<ArgumentException>(() => logits.TrainStep(new[] { 1f, 2f }, new[] { target }));
    }

    [Fact]
    public void NonFiniteOutputGradientsAreRejected()
    {
        var model = new DoorBinary(seed: 3);
        model.Forward(Inputs);
        var e = Assert.Throws<ArgumentException>(() => model.BackwardFrom(new[] { 0.5f, float.NaN }));
        Assert.StartsWith("outputGradient: NaN at sample 1, feature 0;", e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(-0.001f)]
    public void TheLearningRateRefusesNonFiniteAndNegativeValues(float rate)
    {
        var model = new DoorBinary(seed: 4);
        float was = model.LearningRate;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.LearningRate = rate);
        Assert.StartsWith("The learning rate must be finite and at least 0.", e.Message);
        Assert.Equal(was, model.LearningRate);
        model.LearningRate = 0f; // allowed: a step that moves nothing
        Assert.Equal(0f, model.LearningRate);
    }

    [Fact]
    public void FitChecksTheWholeDataSetBeforeTheFirstStep()
    {
        // The NaN sits in the last batch: Fit used to apply the earlier batches, then fail without naming the row.
        var model = new DoorBinary(seed: 5);
        float[] before = model.Parameters.ToArray();
        var features = new float[40 * 3];
        for (int i = 0; i < features.Length; i++) features[i] = i % 7 * 0.1f;
        features[37 * 3 + 2] = float.NaN;
        var data = Dataset.WithTargets(features, 3, Enumerable.Range(0, 40).Select(i => (float)(i % 2)).ToArray(), 1);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(data, epochs: 1, batchSize: 8, shuffle: false));
        Assert.StartsWith("The features of the data set 'train': NaN at sample 37, feature 2;", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Iterations);

        var badTargets = Dataset.WithTargets(new float[4 * 3], 3, new[] { 0f, 1f, 2f, 1f }, 1);
        e = Assert.Throws<ArgumentException>(() => model.Fit(badTargets, epochs: 1, batchSize: 4));
        Assert.StartsWith("The targets of the data set 'train': 2 at sample 2, feature 0; binary cross-entropy takes targets in [0, 1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Evaluate(badTargets));
        Assert.StartsWith("The targets of the data set 'data': 2 at sample 2", e.Message);
    }

    [Fact]
    public void FitRefusesABatchSizeBelowOne()
    {
        // -1 used to fall back to the default in silence. (0 means the default in Fit(train, epochs, batchSize), not in FitOptions.)
        var model = new DoorBinary(seed: 6);
        var data = Dataset.WithTargets(new float[8 * 3], 3, new float[8], 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(data, epochs: 1, batchSize: -1));
        Assert.StartsWith("FitOptions.BatchSize is -1; it must be at least 1 (above the model's BatchCapacity, 16, micro-batches are accumulated).", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(data, new FitOptions { BatchSize = 0 }));
        Assert.Equal(0, model.Iterations);
    }
}
