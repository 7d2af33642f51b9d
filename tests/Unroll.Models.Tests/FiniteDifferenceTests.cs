namespace Unroll.Models.Tests;

/// <summary>
/// Finite differences complement the PyTorch goldens for layer arrangements the goldens do not cover: standalone
/// activation layers (PReLU, softmax as its own output layer after a dropout), a PReLU dense activation, and L1/L2
/// penalties. Inference mode makes dropout the identity, so the loss is a deterministic function of the parameters.
/// </summary>
public class FiniteDifferenceTests
{
    private static float[] Random(int count, ulong seed, float scale = 1f)
    {
        var r = new SeededRandom(seed);
        return Enumerable.Range(0, count).Select(_ => r.NextNormal() * scale).ToArray();
    }

    private static void Check(Span<float> parameters, Func<float> loss, Func<float[]> gradient, string model)
    {
        float[] analytic = gradient();
        int checkedCount = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            float original = parameters[i];
            const float h = 1e-3f;
            parameters[i] = original + h;
            double up = loss();
            parameters[i] = original - h;
            double down = loss();
            parameters[i] = original;
            double numeric = (up - down) / (2 * h);
            // float32 central differences: generous tolerance; a wrong or missing gradient is far off.
            Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + 5e-2 * Math.Abs(numeric),
                $"{model} parameter {i}: finite difference {numeric:G6}, backward {analytic[i]:G6}");
            checkedCount++;
        }
        Assert.Equal(parameters.Length, checkedCount);
    }

    [Fact]
    public void LayerPositionsGradientsMatchFiniteDifferences()
    {
        var model = new LayerPositions(seed: 3);
        float[] x = Random(4 * LayerPositions.InputSize, 4);
        float[] targets = new float[4 * LayerPositions.OutputSize];
        for (int i = 0; i < 4; i++) targets[i * 4 + (i * 3) % 4] = 1f;
        Check(model.Parameters,
            () => { model.Forward(x, training: false); return model.Backward(targets); },
            () => { model.Forward(x, training: false); model.Backward(targets); return model.Gradients.ToArray(); },
            nameof(LayerPositions));
    }

    [Fact]
    public void ClippedRegressorGradientsIncludingPenaltiesMatchFiniteDifferences()
    {
        var model = new ClippedRegressor(seed: 3);
        float[] x = Random(5 * ClippedRegressor.InputSize, 7); // a draw with no pre-activation within h of a ReLU-like kink
        float[] targets = Random(5 * ClippedRegressor.OutputSize, 6, 3f);
        Check(model.Parameters,
            () => { model.Forward(x, training: false); return model.Backward(targets); },
            () => { model.Forward(x, training: false); model.Backward(targets); return model.Gradients.ToArray(); },
            nameof(ClippedRegressor));
    }
}
