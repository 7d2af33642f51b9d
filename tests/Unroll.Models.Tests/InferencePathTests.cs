namespace Unroll.Models.Tests;

/// <summary>Predict has its own emitted path (ping-pong buffers, activations in place, dropout skipped); it must give
/// exactly what the training path gives in inference mode.</summary>
public class InferencePathTests
{
    private static float[] Random(int count, ulong seed)
    {
        var r = new SeededRandom(seed);
        return Enumerable.Range(0, count).Select(_ => r.NextNormal()).ToArray();
    }

    private static void AssertSame(ReadOnlySpan<float> forward, float[] predicted, string model)
    {
        Assert.Equal(forward.Length, predicted.Length);
        for (int i = 0; i < predicted.Length; i++)
            Assert.True(BitConverter.SingleToUInt32Bits(forward[i]) == BitConverter.SingleToUInt32Bits(predicted[i]),
                $"{model}[{i}]: Forward(training: false) gave {forward[i]:R}, Predict gave {predicted[i]:R}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void PredictEqualsForwardInInferenceMode(int batch)
    {
        var positions = new LayerPositions(seed: 1);
        float[] x = Random(batch * LayerPositions.InputSize, 2), y = new float[batch * LayerPositions.OutputSize];
        positions.Predict(x, y);
        AssertSame(positions.Forward(x, training: false), y, nameof(LayerPositions));

        var clipped = new ClippedRegressor(seed: 1);
        x = Random(batch * ClippedRegressor.InputSize, 3);
        y = new float[batch * ClippedRegressor.OutputSize];
        clipped.Predict(x, y);
        AssertSame(clipped.Forward(x, training: false), y, nameof(ClippedRegressor));

        var logits = new LogitClassifier(seed: 1);
        x = Random(batch * LogitClassifier.InputSize, 4);
        y = new float[batch * LogitClassifier.OutputSize];
        logits.Predict(x, y);
        AssertSame(logits.Forward(x, training: false), y, nameof(LogitClassifier));
    }

    [Fact]
    public void ModelWithActivationAndDropoutLayersEverywhereTrains()
    {
        var model = new LayerPositions(seed: 5);
        float[] x = Random(8 * 5, 6);
        float[] targets = new float[8 * 4];
        for (int i = 0; i < 8; i++) targets[i * 4 + i % 4] = 1f;
        model.LearningRate = 0.01f;
        double before = CrossEntropy(model, x, targets);
        for (int i = 0; i < 300; i++) model.TrainStep(x, targets);
        double after = CrossEntropy(model, x, targets);
        Assert.True(after < before * 0.5, $"inference-mode loss {before} -> {after}");
        Assert.NotEqual(0.25f, model.Slopes.Weight[0]); // the PReLU layer's slopes were trained
    }

    private static double CrossEntropy(LayerPositions model, float[] x, float[] targets)
    {
        float[] p = new float[targets.Length];
        model.Predict(x, p);
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum -= targets[i] * Math.Log(p[i]);
        return sum / (p.Length / LayerPositions.OutputSize);
    }
}
