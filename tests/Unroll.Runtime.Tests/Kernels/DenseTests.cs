using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Dense_Forward / Dense_Backward against nn.Linear goldens from tools/reference/dense.py.</summary>
public class DenseTests
{
    private static readonly JsonElement Goldens = Golden.Load("dense.json");

    private sealed record Case(int Batch, int In, int Out, float[] X, float[] Weight, float[] Bias, float[] Dy,
        float[] Y, float[] Dx, float[] DWeight, float[] DBias);

    private static Case Load(string name)
    {
        JsonElement g = Goldens.GetProperty(name);
        return new Case(g.GetProperty("batch").GetInt32(), g.GetProperty("in_features").GetInt32(),
            g.GetProperty("out_features").GetInt32(), g.GetProperty("x").Floats(), g.GetProperty("weight").Floats(),
            g.GetProperty("bias").Floats(), g.GetProperty("dy").Floats(), g.GetProperty("y").Floats(),
            g.GetProperty("dx").Floats(), g.GetProperty("dweight").Floats(), g.GetProperty("dbias").Floats());
    }

    [Theory]
    [InlineData("with_bias")]
    [InlineData("no_bias")]
    public void ForwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        var y = new float[g.Batch * g.Out];
        Array.Fill(y, float.NaN); // the forward pass overwrites y
        Layers.Dense_Forward(y, g.X, g.Weight, g.Bias, g.Batch, g.In, g.Out);
        Golden.AssertClose(g.Y, y, $"{name} y");
    }

    [Theory]
    [InlineData("with_bias")]
    [InlineData("no_bias")]
    public void BackwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        var dx = new float[g.Batch * g.In];
        var dw = new float[g.Out * g.In];
        var db = new float[g.Bias.Length];
        Layers.Dense_Backward(dx, dw, db, g.Dy, g.X, g.Weight, g.Batch, g.In, g.Out);
        Golden.AssertClose(g.Dx, dx, $"{name} dx");
        Golden.AssertClose(g.DWeight, dw, $"{name} dWeight");
        Golden.AssertClose(g.DBias, db, $"{name} dBias");
    }

    [Fact]
    public void BackwardAccumulatesIntoExistingGradients()
    {
        Case g = Load("with_bias");
        var dx = new float[g.Batch * g.In];
        var dw = new float[g.Out * g.In];
        var db = new float[g.Out];
        Layers.Dense_Backward(dx, dw, db, g.Dy, g.X, g.Weight, g.Batch, g.In, g.Out);
        Layers.Dense_Backward(dx, dw, db, g.Dy, g.X, g.Weight, g.Batch, g.In, g.Out);
        Golden.AssertClose(Twice(g.Dx), dx, "dx after two calls");
        Golden.AssertClose(Twice(g.DWeight), dw, "dWeight after two calls");
        Golden.AssertClose(Twice(g.DBias), db, "dBias after two calls");
    }

    [Fact]
    public void BackwardWithoutInputGradientStillComputesWeightGradients()
    {
        Case g = Load("with_bias");
        var dw = new float[g.Out * g.In];
        var db = new float[g.Out];
        Layers.Dense_Backward(Span<float>.Empty, dw, db, g.Dy, g.X, g.Weight, g.Batch, g.In, g.Out);
        Golden.AssertClose(g.DWeight, dw, "dWeight");
        Golden.AssertClose(g.DBias, db, "dBias");
    }

    [Fact]
    public void LargeLayerMatchesNaiveLoops()
    {
        // Big enough that the GEMM takes its packed path in all three layouts.
        const int batch = 64, inF = 200, outF = 150;
        var rng = new Random(11);
        float[] x = Random(rng, batch * inF), w = Random(rng, outF * inF), b = Random(rng, outF), dy = Random(rng, batch * outF);
        var y = new float[batch * outF];
        Layers.Dense_Forward(y, x, w, b, batch, inF, outF);
        var dx = new float[batch * inF];
        var dw = new float[outF * inF];
        var db = new float[outF];
        Layers.Dense_Backward(dx, dw, db, dy, x, w, batch, inF, outF);

        var ey = new float[y.Length];
        var edx = new float[dx.Length];
        var edw = new float[dw.Length];
        var edb = new float[db.Length];
        for (int i = 0; i < batch; i++)
            for (int o = 0; o < outF; o++)
            {
                double s = b[o];
                for (int f = 0; f < inF; f++) s += (double)x[i * inF + f] * w[o * inF + f];
                ey[i * outF + o] = (float)s;
                edb[o] += dy[i * outF + o];
            }
        for (int i = 0; i < batch; i++)
            for (int f = 0; f < inF; f++)
            {
                double s = 0;
                for (int o = 0; o < outF; o++) s += (double)dy[i * outF + o] * w[o * inF + f];
                edx[i * inF + f] = (float)s;
            }
        for (int o = 0; o < outF; o++)
            for (int f = 0; f < inF; f++)
            {
                double s = 0;
                for (int i = 0; i < batch; i++) s += (double)dy[i * outF + o] * x[i * inF + f];
                edw[o * inF + f] = (float)s;
            }
        // Sums of 64..200 products of magnitude <= 1: allow float rounding of that length.
        Golden.AssertClose(ey, y, "y", abs: 1e-4, rel: 1e-4);
        Golden.AssertClose(edx, dx, "dx", abs: 1e-4, rel: 1e-4);
        Golden.AssertClose(edw, dw, "dWeight", abs: 1e-4, rel: 1e-4);
        Golden.AssertClose(edb, db, "dBias", abs: 1e-4, rel: 1e-4);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        const int batch = 64, inF = 200, outF = 150;
        float[] x = new float[batch * inF], w = new float[outF * inF], b = new float[outF], y = new float[batch * outF];
        float[] dy = new float[batch * outF], dx = new float[batch * inF], dw = new float[outF * inF], db = new float[outF];
        Layers.Dense_Forward(y, x, w, b, batch, inF, outF);
        Layers.Dense_Backward(dx, dw, db, dy, x, w, batch, inF, outF);
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            Layers.Dense_Forward(y, x, w, b, batch, inF, outF);
            Layers.Dense_Backward(dx, dw, db, dy, x, w, batch, inF, outF);
        }));
    }

    [Fact]
    public void WrongLengthsThrow()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Layers.Dense_Forward(new float[10], new float[14], new float[15], new float[4], 2, 7, 5));
        Assert.Equal("weight", e.ParamName);
        Assert.Contains("35", e.Message);
        Assert.Contains("15", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Layers.Dense_Forward(new float[10], new float[14], new float[35], new float[4], 2, 7, 5));
        Assert.Equal("bias", e.ParamName);
        e = Assert.Throws<ArgumentException>(() =>
            Layers.Dense_Backward(new float[13], new float[35], new float[5], new float[10], new float[14], new float[35], 2, 7, 5));
        Assert.Equal("dx", e.ParamName);
        e = Assert.Throws<ArgumentException>(() =>
            Layers.Dense_Backward(new float[14], new float[35], new float[3], new float[10], new float[14], new float[35], 2, 7, 5));
        Assert.Equal("dBias", e.ParamName);
    }

    private static float[] Twice(float[] values) => values.Select(v => 2 * v).ToArray();

    private static float[] Random(Random rng, int length)
    {
        var result = new float[length];
        for (int i = 0; i < length; i++) result[i] = (float)(rng.NextDouble() * 2 - 1);
        return result;
    }
}
