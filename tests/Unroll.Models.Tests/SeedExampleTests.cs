namespace Unroll.Models.Tests;

/// <summary>The worked examples of the seed notes.</summary>
public class SeedExampleTests
{
    [Fact]
    public void FourThreeTwoOneNetworkHas26Parameters()
    {
        Assert.Equal(26, SeedMlp.ParameterCount);
        var model = new SeedMlp();
        Assert.Equal(26, model.Parameters.Length);
        Assert.Equal(new[] { 15, 8, 3 }, new[] { model.Hidden1.ParameterCount, model.Hidden2.ParameterCount, model.Output.ParameterCount });
        Assert.Contains("Total params: 26 (104.00 Byte)", model.Summary);
        Assert.Contains(" Hidden1 (Dense)             (None, 3)                 15\n", model.Summary);
    }

    [Fact]
    public void HandWorkedGradientsOfTheLinear221Network()
    {
        // All weights 1 and biases 0: O11 = O12 = x1 + x2 = 5, y_hat = O11 + O12 = 10; with y = 5 the MSE is 25
        // and dL/dy_hat = -2 (y - y_hat) = 10. Then dL/dw2_j = 10 * O1j = 50, dL/db2 = 10,
        // dL/dw1_ij = 10 * w2_j * x_i = (20, 30) for each hidden unit, dL/db1_j = 10 * w2_j = 10.
        var model = new SeedLinearNetwork();
        Assert.All(model.Hidden.Weight.ToArray(), w => Assert.Equal(1f, w));
        Assert.All(model.Hidden.Bias.ToArray(), b => Assert.Equal(0f, b));

        ReadOnlySpan<float> output = model.Forward(new float[] { 2f, 3f });
        Assert.Equal(10f, output[0]);
        float loss = model.Backward(new float[] { 5f });
        Assert.Equal(25f, loss);
        Assert.Equal(new[] { 50f, 50f }, model.Output.GradientOf("weight").ToArray());
        Assert.Equal(new[] { 10f }, model.Output.GradientOf("bias").ToArray());
        Assert.Equal(new[] { 20f, 30f, 20f, 30f }, model.Hidden.GradientOf("weight").ToArray()); // (units, inputs)
        Assert.Equal(new[] { 10f, 10f }, model.Hidden.GradientOf("bias").ToArray());

        // One SGD step with lr 0.01: w_new = w_old - lr * dL/dw.
        model.ApplyGradients();
        AssertNear(new[] { 1f - 0.5f, 1f - 0.5f }, model.Output.Weight);
        AssertNear(new[] { 0.8f, 0.7f, 0.8f, 0.7f }, model.Hidden.Weight);
        AssertNear(new[] { -0.1f, -0.1f }, model.Hidden.Bias);
    }

    private static void AssertNear(float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
