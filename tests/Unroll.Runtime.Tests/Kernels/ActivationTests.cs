using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Every activation against tools/reference/activations.py (PyTorch forward + autograd).</summary>
public class ActivationTests
{
    private static readonly JsonElement G = Golden.Load("activations.json");
    private static readonly int Rows = G.GetProperty("rows").GetInt32();
    private static readonly int Cols = G.GetProperty("cols").GetInt32();
    private static readonly float[] X = G.GetProperty("x").Floats();
    private static readonly float[] Dy = G.GetProperty("dy").Floats();

    // Backward kernels accumulate: every dx starts at this value, and the expected result is golden + this value.
    private const float Start = 0.25f;

    private static float[] Filled(int length, float value) => Enumerable.Repeat(value, length).ToArray();

    private static float[] PlusStart(float[] expected) => expected.Select(v => v + Start).ToArray();

    private static float[] Y(string name) => G.GetProperty(name).GetProperty("y").Floats();

    private static float[] Dx(string name) => PlusStart(G.GetProperty(name).GetProperty("dx").Floats());

    [Fact]
    public void Sigmoid()
    {
        var y = new float[X.Length];
        Activations.Sigmoid_Forward(y, X);
        Golden.AssertClose(Y("sigmoid"), y, "sigmoid y");
        float[] dx = Filled(X.Length, Start);
        Activations.Sigmoid_Backward(dx, Dy, y);
        Golden.AssertClose(Dx("sigmoid"), dx, "sigmoid dx");
    }

    [Fact]
    public void Tanh()
    {
        var y = new float[X.Length];
        Activations.Tanh_Forward(y, X);
        Golden.AssertClose(Y("tanh"), y, "tanh y");
        float[] dx = Filled(X.Length, Start);
        Activations.Tanh_Backward(dx, Dy, y);
        Golden.AssertClose(Dx("tanh"), dx, "tanh dx");
    }

    [Fact]
    public void Relu()
    {
        var y = new float[X.Length];
        Activations.Relu_Forward(y, X);
        Golden.AssertClose(Y("relu"), y, "relu y");
        float[] dx = Filled(X.Length, Start);
        Activations.Relu_Backward(dx, Dy, X);
        Golden.AssertClose(Dx("relu"), dx, "relu dx");
        Assert.Equal(0f, X[0]);
        Assert.Equal(Start, dx[0]); // PyTorch's subgradient at exactly 0 is 0
    }

    [Fact]
    public void LeakyRelu()
    {
        JsonElement c = G.GetProperty("leaky_relu");
        float alpha = c.GetProperty("alpha").GetSingle();
        var y = new float[X.Length];
        Activations.LeakyRelu_Forward(y, X, alpha);
        Golden.AssertClose(Y("leaky_relu"), y, "leaky_relu y");
        float[] dx = Filled(X.Length, Start);
        Activations.LeakyRelu_Backward(dx, Dy, X, alpha);
        Golden.AssertClose(Dx("leaky_relu"), dx, "leaky_relu dx");
    }

    [Fact]
    public void PRelu()
    {
        JsonElement c = G.GetProperty("prelu");
        float[] alpha = c.GetProperty("alpha").Floats();
        var y = new float[X.Length];
        Activations.PRelu_Forward(y, X, alpha, Rows, Cols);
        Golden.AssertClose(Y("prelu"), y, "prelu y");
        float[] dx = Filled(X.Length, Start);
        float[] dAlpha = Filled(Cols, Start);
        Activations.PRelu_Backward(dx, dAlpha, Dy, X, alpha, Rows, Cols);
        Golden.AssertClose(Dx("prelu"), dx, "prelu dx");
        Golden.AssertClose(PlusStart(c.GetProperty("dalpha").Floats()), dAlpha, "prelu dAlpha");
    }

    [Theory]
    [InlineData("elu")]
    [InlineData("elu_alpha_0_3")]
    public void Elu(string name)
    {
        float alpha = G.GetProperty(name).GetProperty("alpha").GetSingle();
        var y = new float[X.Length];
        Activations.Elu_Forward(y, X, alpha);
        Golden.AssertClose(Y(name), y, name + " y");
        float[] dx = Filled(X.Length, Start);
        Activations.Elu_Backward(dx, Dy, X, y, alpha);
        Golden.AssertClose(Dx(name), dx, name + " dx");
    }

    [Fact]
    public void Selu()
    {
        var y = new float[X.Length];
        Activations.Selu_Forward(y, X);
        Golden.AssertClose(Y("selu"), y, "selu y");
        float[] dx = Filled(X.Length, Start);
        Activations.Selu_Backward(dx, Dy, X, y);
        Golden.AssertClose(Dx("selu"), dx, "selu dx");
    }

    [Fact]
    public void Gelu()
    {
        var y = new float[X.Length];
        Activations.Gelu_Forward(y, X);
        Golden.AssertClose(Y("gelu"), y, "gelu y");
        float[] dx = Filled(X.Length, Start);
        Activations.Gelu_Backward(dx, Dy, X);
        Golden.AssertClose(Dx("gelu"), dx, "gelu dx");
    }

    [Theory]
    [InlineData("softmax")] // 6 columns: the short-row path
    [InlineData("softmax_wide")] // 40 columns: a vector pass per row
    public void SoftmaxIsStableForHugeLogits(string golden)
    {
        JsonElement c = G.GetProperty(golden);
        int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
        float[] x = c.GetProperty("x").Floats(), dy = c.GetProperty("dy").Floats();
        var y = new float[x.Length];
        Activations.Softmax_Forward(y, x, rows, cols);
        Golden.AssertClose(c.GetProperty("y").Floats(), y, "softmax y");
        for (int r = 0; r < rows; r++)
            Golden.AssertClose(1.0, y.AsSpan(r * cols, cols).ToArray().Sum(), $"softmax row {r} sum");
        float[] dx = Filled(x.Length, Start);
        Activations.Softmax_Backward(dx, dy, y, rows, cols);
        Golden.AssertClose(PlusStart(c.GetProperty("dx").Floats()), dx, "softmax dx");
    }

    [Fact]
    public void ErfMatchesTorchAndKnownValues()
    {
        JsonElement c = G.GetProperty("erf");
        double[] x = c.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[] erf = c.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[] erfc = c.GetProperty("erfc").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(SpecialFunctions.Erf(x[i]) - erf[i]) <= 1e-15 + 1e-14 * Math.Abs(erf[i]),
                $"erf({x[i]:R}) = {SpecialFunctions.Erf(x[i]):R}, torch {erf[i]:R}");
            Assert.True(Math.Abs(SpecialFunctions.Erfc(x[i]) - erfc[i]) <= 1e-13 * erfc[i],
                $"erfc({x[i]:R}) = {SpecialFunctions.Erfc(x[i]):R}, torch {erfc[i]:R}");
        }
        // Abramowitz & Stegun table 7.1 and erf(-x) = -erf(x).
        Assert.Equal(0.8427007929497149, SpecialFunctions.Erf(1.0), 15);
        Assert.Equal(-0.5204998778130465, SpecialFunctions.Erf(-0.5), 15);
        Assert.Equal(0.9953222650189527, SpecialFunctions.Erf(2.0), 15);
        Assert.Equal(0.0, SpecialFunctions.Erf(0.0));
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.Equal(0.0, SpecialFunctions.Erfc(double.PositiveInfinity));
        Assert.Equal(2.0, SpecialFunctions.Erfc(double.NegativeInfinity));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.True(double.IsNaN(SpecialFunctions.Erfc(double.NaN)));
        for (double v = 0.01; v < 7; v += 0.37)
            Assert.Equal(-SpecialFunctions.Erf(v), SpecialFunctions.Erf(-v));
    }

    [Fact]
    public void MismatchedLengthsNameBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Activations.Sigmoid_Forward(new float[5], new float[6]));
        Assert.Contains("5", e.Message);
        Assert.Contains("6", e.Message);
        e = Assert.Throws<ArgumentException>(() => Activations.Tanh_Backward(new float[4], new float[3], new float[4]));
        Assert.Contains("3", e.Message);
        Assert.Contains("4", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Activations.PRelu_Forward(new float[12], new float[12], new float[5], 3, 4));
        Assert.Contains("5", e.Message);
        Assert.Contains("4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Activations.Softmax_Forward(new float[11], new float[11], 3, 4));
        Assert.Contains("11", e.Message);
        Assert.Contains("12", e.Message);
    }
}
