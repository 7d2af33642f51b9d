using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>SimpleRnn_Forward / SimpleRnn_Backward against nn.RNN goldens from tools/reference/simple_rnn.py.</summary>
public class SimpleRnnTests
{
    private static readonly JsonElement Goldens = Golden.Load("simple_rnn.json");

    public static readonly TheoryData<string> Cases = new()
    {
        "tanh", "relu", "dy_only", "dh_final_only", "no_bias", "initial_state", "mask_right", "mask_mixed",
        "reverse", "reverse_mask_right", "recurrent_mask", "recurrent_mask_reverse_masked",
    };

    private sealed class Case
    {
        public int Steps, Batch, In, Units;
        public bool Relu, Reverse;
        public float[] X = [], WeightIh = [], WeightHh = [], Bias = [], Mask = [], RecurrentMask = [], H0 = [];
        public float[] Dy = [], DhFinal = [], Y = [], HFinal = [], Dx = [], DWeightIh = [], DWeightHh = [], DBias = [], Dh0 = [];
        public int Row => Batch * Units;
        public int InitialSlot => Reverse ? Steps : 0;
        public int FinalSlot => Reverse ? 0 : Steps;
    }

    private static Case Load(string name)
    {
        JsonElement g = Goldens.GetProperty(name);
        return new Case
        {
            Steps = g.GetProperty("steps").GetInt32(), Batch = g.GetProperty("batch").GetInt32(),
            In = g.GetProperty("in_features").GetInt32(), Units = g.GetProperty("units").GetInt32(),
            Relu = g.GetProperty("relu").GetBoolean(), Reverse = g.GetProperty("reverse").GetBoolean(),
            X = g.GetProperty("x").Floats(), WeightIh = g.GetProperty("weight_ih").Floats(),
            WeightHh = g.GetProperty("weight_hh").Floats(), Bias = g.GetProperty("bias").Floats(),
            Mask = g.GetProperty("mask").Floats(), RecurrentMask = g.GetProperty("recurrent_mask").Floats(),
            H0 = g.GetProperty("h0").Floats(), Dy = g.GetProperty("dy").Floats(), DhFinal = g.GetProperty("dh_final").Floats(),
            Y = g.GetProperty("y").Floats(), HFinal = g.GetProperty("h_final").Floats(), Dx = g.GetProperty("dx").Floats(),
            DWeightIh = g.GetProperty("dweight_ih").Floats(), DWeightHh = g.GetProperty("dweight_hh").Floats(),
            DBias = g.GetProperty("dbias").Floats(), Dh0 = g.GetProperty("dh0").Floats(),
        };
    }

    /// <summary>Runs the forward pass on NaN-filled outputs (they must be overwritten) and returns y and h.</summary>
    private static (float[] Y, float[] H) Forward(Case g, bool wantY = true)
    {
        float[] y = wantY ? Filled(g.Steps * g.Row, float.NaN) : [];
        float[] h = Filled((g.Steps + 1) * g.Row, float.NaN);
        g.H0.CopyTo(h, g.InitialSlot * g.Row);
        float[] scratch = Filled(2 * g.Row, float.NaN);
        Layers.SimpleRnn_Forward(y, h, scratch, g.X, g.Mask, g.RecurrentMask, g.WeightIh, g.WeightHh, g.Bias,
            g.Steps, g.Batch, g.In, g.Units, g.Relu, g.Reverse);
        return (y, h);
    }

    private sealed record Gradients(float[] Dx, float[] DWeightIh, float[] DWeightHh, float[] DBias, float[] Dh0);

    private static Gradients Backward(Case g, float[] h, Gradients? into = null, bool wantDx = true)
    {
        Gradients d = into ?? new Gradients(wantDx ? new float[g.X.Length] : [], new float[g.WeightIh.Length],
            new float[g.WeightHh.Length], new float[g.Bias.Length], new float[g.Row]);
        Layers.SimpleRnn_Backward(d.Dx, d.DWeightIh, d.DWeightHh, d.DBias, d.Dh0,
            Filled(g.Steps * g.Row, float.NaN), Filled(2 * g.Row, float.NaN), g.Dy, g.DhFinal,
            g.X, g.Mask, g.RecurrentMask, g.WeightIh, g.WeightHh, h, g.Steps, g.Batch, g.In, g.Units, g.Relu, g.Reverse);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        (float[] y, float[] h) = Forward(g);
        Golden.AssertClose(g.Y, y, $"{name} y");
        Golden.AssertClose(g.HFinal, h.AsSpan(g.FinalSlot * g.Row, g.Row), $"{name} final h");
        Golden.AssertClose(g.H0, h.AsSpan(g.InitialSlot * g.Row, g.Row), $"{name} initial slot (must be left alone)");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        (_, float[] h) = Forward(g);
        Gradients d = Backward(g, h);
        Golden.AssertClose(g.Dx, d.Dx, $"{name} dx");
        Golden.AssertClose(g.DWeightIh, d.DWeightIh, $"{name} dWeightIh");
        Golden.AssertClose(g.DWeightHh, d.DWeightHh, $"{name} dWeightHh");
        Golden.AssertClose(g.DBias, d.DBias, $"{name} dBias");
        Golden.AssertClose(g.Dh0, d.Dh0, $"{name} dh0");
    }

    [Theory]
    [InlineData("mask_mixed")]
    [InlineData("recurrent_mask_reverse_masked")]
    public void BackwardAccumulatesIntoExistingGradients(string name)
    {
        Case g = Load(name);
        (_, float[] h) = Forward(g);
        Gradients d = Backward(g, h);
        Backward(g, h, d);
        Golden.AssertClose(Twice(g.Dx), d.Dx, "dx after two calls");
        Golden.AssertClose(Twice(g.DWeightIh), d.DWeightIh, "dWeightIh after two calls");
        Golden.AssertClose(Twice(g.DWeightHh), d.DWeightHh, "dWeightHh after two calls");
        Golden.AssertClose(Twice(g.DBias), d.DBias, "dBias after two calls");
        Golden.AssertClose(Twice(g.Dh0), d.Dh0, "dh0 after two calls");
    }

    [Fact]
    public void ForwardWithoutOutputSequenceStillComputesStates()
    {
        Case g = Load("mask_mixed");
        (_, float[] h) = Forward(g, wantY: false);
        Golden.AssertClose(g.HFinal, h.AsSpan(g.FinalSlot * g.Row, g.Row), "final h");
    }

    [Fact]
    public void BackwardWithoutInputOrInitialStateGradient()
    {
        Case g = Load("reverse_mask_right");
        (_, float[] h) = Forward(g);
        var d = new Gradients([], new float[g.WeightIh.Length], new float[g.WeightHh.Length], new float[g.Bias.Length], []);
        Backward(g, h, d);
        Golden.AssertClose(g.DWeightIh, d.DWeightIh, "dWeightIh");
        Golden.AssertClose(g.DWeightHh, d.DWeightHh, "dWeightHh");
        Golden.AssertClose(g.DBias, d.DBias, "dBias");
    }

    [Fact]
    public void PaddedStepsCarryTheStateAndWriteZeros()
    {
        Case g = Load("mask_mixed");
        (float[] y, float[] h) = Forward(g);
        int checkedSteps = 0;
        for (int t = 0; t < g.Steps; t++)
            for (int b = 0; b < g.Batch; b++)
            {
                if (g.Mask[t * g.Batch + b] != 0f) continue;
                checkedSteps++;
                for (int u = 0; u < g.Units; u++)
                {
                    Assert.Equal(0f, y[(t * g.Batch + b) * g.Units + u]);
                    Assert.Equal(h[(t * g.Batch + b) * g.Units + u], h[((t + 1) * g.Batch + b) * g.Units + u]);
                }
            }
        Assert.True(checkedSteps >= 5, "the golden has padded steps");
    }

    [Fact]
    public void ZeroStepsPassTheFinalGradientToTheInitialState()
    {
        const int batch = 2, units = 3, inF = 2;
        float[] h = [1, 2, 3, 4, 5, 6];
        float[] w = new float[units * inF], whh = new float[units * units];
        Layers.SimpleRnn_Forward([], h, new float[2 * batch * units], [], [], [], w, whh, [], 0, batch, inF, units, false, false);
        Assert.Equal([1f, 2, 3, 4, 5, 6], h);
        float[] dh0 = [1, 1, 1, 1, 1, 1];
        Layers.SimpleRnn_Backward([], new float[units * inF], new float[units * units], [], dh0, [], new float[2 * batch * units],
            [], [0.5f, 1, 2, 3, 4, 5], [], [], [], w, whh, h, 0, batch, inF, units, false, false);
        Assert.Equal([1.5f, 2, 3, 4, 5, 6], dh0);
    }

    /// <summary>Central differences of L = Σ y·dy + Σ h_final·dhFinal, in double precision around the float kernel,
    /// with a mask, a recurrent mask, reverse order and an initial state all at once.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardMatchesFiniteDifferences(bool relu)
    {
        const int steps = 6, batch = 2, inF = 3, units = 3;
        var rng = new SeededRandom(relu ? 13UL : 8UL);
        var g = new Case
        {
            Steps = steps, Batch = batch, In = inF, Units = units, Relu = relu, Reverse = true,
            X = Normal(rng, steps * batch * inF), WeightIh = Normal(rng, units * inF, 0.6f),
            WeightHh = Normal(rng, units * units, 0.5f), Bias = Normal(rng, units, 0.3f),
            Mask = [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0], RecurrentMask = [2, 0, 2, 2, 2, 0],
            H0 = Normal(rng, batch * units), Dy = Normal(rng, steps * batch * units), DhFinal = Normal(rng, batch * units),
        };
        (_, float[] h) = Forward(g);
        Gradients d = Backward(g, h);

        CheckAgainstFiniteDifferences(g, g.X, d.Dx, "dx");
        CheckAgainstFiniteDifferences(g, g.WeightIh, d.DWeightIh, "dWeightIh");
        CheckAgainstFiniteDifferences(g, g.WeightHh, d.DWeightHh, "dWeightHh");
        CheckAgainstFiniteDifferences(g, g.Bias, d.DBias, "dBias");
        CheckAgainstFiniteDifferences(g, g.H0, d.Dh0, "dh0");
    }

    /// <summary>For ReLU, an entry whose ±eps probe flips the sign of some state (a pre-activation crosses the
    /// kink) is skipped: the loss is not smooth across it. A few at most, else the test fails.</summary>
    private static void CheckAgainstFiniteDifferences(Case g, float[] parameter, float[] analytic, string what)
    {
        // ReLU: a small step so few probes cross a kink (the float loss is still exact to ~1e-6 at this size).
        float eps = g.Relu ? 2e-3f : 1e-2f;
        (_, float[] center) = LossOf(g);
        int skipped = 0;
        for (int i = 0; i < parameter.Length; i++)
        {
            float saved = parameter[i];
            parameter[i] = saved + eps;
            (double plus, float[] hPlus) = LossOf(g);
            parameter[i] = saved - eps;
            (double minus, float[] hMinus) = LossOf(g);
            parameter[i] = saved;
            if (g.Relu && (!SameSigns(center, hPlus) || !SameSigns(center, hMinus)))
            {
                skipped++;
                continue;
            }
            double numeric = (plus - minus) / (2 * eps);
            Golden.AssertClose(numeric, analytic[i], $"{what}[{i}] vs finite difference", abs: 2e-3, rel: 1e-2);
        }
        Assert.True(skipped <= parameter.Length / 4, $"{what}: {skipped} of {parameter.Length} entries cross a ReLU kink");
    }

    private static bool SameSigns(float[] a, float[] b)
    {
        for (int i = 0; i < a.Length; i++)
            if (a[i] > 0f != b[i] > 0f) return false;
        return true;
    }

    private static (double Loss, float[] H) LossOf(Case g)
    {
        (float[] y, float[] h) = Forward(g);
        double loss = 0;
        for (int i = 0; i < y.Length; i++) loss += (double)y[i] * g.Dy[i];
        for (int i = 0; i < g.Row; i++) loss += (double)h[g.FinalSlot * g.Row + i] * g.DhFinal[i];
        return (loss, h);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void SteadyStateAllocatesNothing(bool masks, bool reverse)
    {
        const int steps = 20, batch = 16, inF = 32, units = 64, row = batch * units;
        float[] x = new float[steps * batch * inF], dx = new float[x.Length];
        float[] wih = new float[units * inF], whh = new float[units * units], bias = new float[units];
        float[] dwih = new float[wih.Length], dwhh = new float[whh.Length], dbias = new float[units];
        float[] y = new float[steps * row], dy = new float[steps * row], h = new float[(steps + 1) * row];
        float[] scratch = new float[2 * row], dGates = new float[steps * row], carry = new float[2 * row];
        float[] dhFinal = new float[row], dh0 = new float[row];
        float[] mask = masks ? Filled(steps * batch, 1f) : [], rmask = masks ? Filled(row, 2f) : [];

        void Run()
        {
            Layers.SimpleRnn_Forward(y, h, scratch, x, mask, rmask, wih, whh, bias, steps, batch, inF, units, false, reverse);
            Layers.SimpleRnn_Backward(dx, dwih, dwhh, dbias, dh0, dGates, carry, dy, dhFinal, x, mask, rmask, wih, whh, h,
                steps, batch, inF, units, false, reverse);
        }

        Run();
        Assert.Equal(0, Allocations.LeastPerWindow(Run));
    }

    [Fact]
    public void WrongLengthsThrowNamingExpectedAndActual()
    {
        const int steps = 4, batch = 2, inF = 3, units = 5, row = batch * units;
        float[] x = new float[steps * batch * inF], wih = new float[units * inF], whh = new float[units * units];
        float[] h = new float[(steps + 1) * row], y = new float[steps * row], scratch = new float[2 * row];

        var e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Forward(y, new float[steps * row], scratch, x, [], [],
            wih, whh, [], steps, batch, inF, units, false, false));
        Assert.Equal("h", e.ParamName);
        Assert.Contains("50", e.Message);
        Assert.Contains("40", e.Message);

        e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Forward(y, h, new float[row], x, [], [],
            wih, whh, [], steps, batch, inF, units, false, false));
        Assert.Equal("scratch", e.ParamName);
        Assert.Contains("20", e.Message);
        Assert.Contains("10", e.Message);

        e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Forward(y, h, scratch, x, new float[steps], [],
            wih, whh, [], steps, batch, inF, units, false, false));
        Assert.Equal("mask", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Forward(y, h, scratch, x, [], [],
            wih, whh, new float[4], steps, batch, inF, units, false, false));
        Assert.Equal("bias", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Backward(new float[x.Length - 1], new float[wih.Length],
            new float[whh.Length], [], [], new float[steps * row], new float[2 * row], y, [], x, [], [], wih, whh, h,
            steps, batch, inF, units, false, false));
        Assert.Equal("dx", e.ParamName);
        Assert.Contains("24", e.Message);
        Assert.Contains("23", e.Message);

        e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Backward([], new float[wih.Length],
            new float[whh.Length], [], [], new float[steps * row], new float[row], y, [], x, [], [], wih, whh, h,
            steps, batch, inF, units, false, false));
        Assert.Equal("dhCarry", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Backward([], new float[wih.Length],
            new float[whh.Length], [], [], new float[steps * row], new float[2 * row], y, [], x, [], new float[units], wih, whh, h,
            steps, batch, inF, units, false, false));
        Assert.Equal("recurrentMask", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Layers.SimpleRnn_Backward([], new float[wih.Length],
            new float[whh.Length], [], [], new float[steps * row], new float[2 * row], y, [], x, [], [], new float[units], whh, h,
            steps, batch, inF, units, false, false));
        Assert.Equal("weightIh", e.ParamName);
    }

    private static float[] Twice(float[] values) => values.Select(v => 2 * v).ToArray();

    private static float[] Filled(int length, float value)
    {
        var result = new float[length];
        Array.Fill(result, value);
        return result;
    }

    private static float[] Normal(SeededRandom rng, int length, float scale = 1f)
    {
        var result = new float[length];
        for (int i = 0; i < length; i++) result[i] = scale * rng.NextNormal();
        return result;
    }
}
