using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Lstm_Forward / Lstm_Backward against nn.LSTM (and an explicit float64 loop for masking and recurrent
/// dropout) goldens from tools/reference/lstm.py, plus finite differences as an independent check.</summary>
[Collection(ThreadCountCollection.Name)] // one test sets Parallelism.ThreadCount
public class LstmTests
{
    private static readonly JsonElement Goldens = Golden.Load("lstm.json");

    public static TheoryData<string> Cases => new()
    {
        "plain", "final_only", "dy_and_final", "no_bias", "initial_state", "reverse", "masked", "masked_reverse",
        "recurrent_mask", "recurrent_mask_masked_reverse", "packed_masked_reverse", "chunked_masked_reverse",
    };

    private sealed class Case
    {
        public required int Steps, Batch, In, Units;
        public required bool Reverse;
        public required float[] X, WeightIh, WeightHh, Bias, Mask, RecurrentMask, H0, C0, Dy, DhFinal, DcFinal;
        public required float[] Y, HFinal, CFinal, Dx, DWeightIh, DWeightHh, DBias, Dh0, Dc0;
        public int State => Batch * Units;
        public int InitialSlot => Reverse ? Steps : 0;
        public int FinalSlot => Reverse ? 0 : Steps;
    }

    private static Case Load(string name)
    {
        JsonElement g = Goldens.GetProperty(name);
        float[] F(string key) => g.GetProperty(key).Floats();
        return new Case
        {
            Steps = g.GetProperty("steps").GetInt32(), Batch = g.GetProperty("batch").GetInt32(),
            In = g.GetProperty("in_features").GetInt32(), Units = g.GetProperty("units").GetInt32(),
            Reverse = g.GetProperty("reverse").GetBoolean(),
            X = F("x"), WeightIh = F("weight_ih"), WeightHh = F("weight_hh"), Bias = F("bias"), Mask = F("mask"),
            RecurrentMask = F("recurrent_mask"), H0 = F("h0"), C0 = F("c0"), Dy = F("dy"), DhFinal = F("dh_final"),
            DcFinal = F("dc_final"), Y = F("y"), HFinal = F("h_final"), CFinal = F("c_final"), Dx = F("dx"),
            DWeightIh = F("dweight_ih"), DWeightHh = F("dweight_hh"), DBias = F("dbias"), Dh0 = F("dh0"), Dc0 = F("dc0"),
        };
    }

    /// <summary>Forward buffers as the generator would allocate them, filled with NaN where the kernel must write.</summary>
    private sealed class Run
    {
        public readonly float[] Y, H, C, Gates, Scratch;
        public readonly float[] Dx, DWeightIh, DWeightHh, DBias, Dh0, Dc0, DGates, DhCarry, DcCarry;

        public Run(Case g)
        {
            int s = g.State, slots = (g.Steps + 1) * s;
            Y = Nan(g.Steps * s);
            H = Nan(slots);
            C = Nan(slots);
            Gates = Nan(g.Steps * g.Batch * 4 * g.Units);
            Scratch = Nan(5 * s);
            SetInitialState(g, g.H0, g.C0);
            Dx = new float[g.X.Length];
            DWeightIh = new float[g.WeightIh.Length];
            DWeightHh = new float[g.WeightHh.Length];
            DBias = new float[g.Bias.Length];
            Dh0 = new float[s];
            Dc0 = new float[s];
            DGates = Nan(Gates.Length);
            DhCarry = Nan(2 * s);
            DcCarry = Nan(s);
        }

        public void SetInitialState(Case g, float[] h0, float[] c0)
        {
            Span<float> h = H.AsSpan(g.InitialSlot * g.State, g.State), c = C.AsSpan(g.InitialSlot * g.State, g.State);
            if (h0.Length == 0) h.Clear(); else h0.CopyTo(h);
            if (c0.Length == 0) c.Clear(); else c0.CopyTo(c);
        }

        public void Forward(Case g, float[] weightIh, float[] weightHh, float[] bias, float[] x) =>
            Layers.Lstm_Forward(Y, H, C, Gates, Scratch, x, g.Mask, g.RecurrentMask, weightIh, weightHh, bias,
                g.Steps, g.Batch, g.In, g.Units, g.Reverse);

        public void Forward(Case g) => Forward(g, g.WeightIh, g.WeightHh, g.Bias, g.X);

        public void Backward(Case g) =>
            Layers.Lstm_Backward(Dx, DWeightIh, DWeightHh, DBias, Dh0, Dc0, DGates, DhCarry, DcCarry,
                g.Dy, g.DhFinal, g.DcFinal, g.X, g.Mask, g.RecurrentMask, g.WeightIh, g.WeightHh, H, C, Gates,
                g.Steps, g.Batch, g.In, g.Units, g.Reverse);

        public float[] Slot(Case g, float[] slots, int slot) => slots.AsSpan(slot * g.State, g.State).ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        var run = new Run(g);
        run.Forward(g);
        Golden.AssertClose(g.Y, run.Y, $"{name} y");
        Golden.AssertClose(g.HFinal, run.Slot(g, run.H, g.FinalSlot), $"{name} final h");
        Golden.AssertClose(g.CFinal, run.Slot(g, run.C, g.FinalSlot), $"{name} final c");
    }

    /// <summary>The inference form: two state slots the steps roll through and the gates of a block of steps (1, 2 or 3: blocks that do
    /// and do not divide the steps), against the same goldens. The final state is left in slot steps &amp; 1 (0 when reverse).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void RollingInferenceFormMatchesPyTorch(string name)
    {
        Case g = Load(name);
        foreach (int block in new[] { 1, 2, 3, g.Steps }) // every step: a batch of one projects its input in chunks
        {
            int s = g.State;
            float[] h = Nan(2 * s), c = Nan(2 * s), y = Nan(g.Steps * s);
            int initial = g.Reverse ? g.Steps & 1 : 0, final = g.Reverse ? 0 : g.Steps & 1;
            if (g.H0.Length == 0) h.AsSpan(initial * s, s).Clear(); else g.H0.CopyTo(h, initial * s);
            if (g.C0.Length == 0) c.AsSpan(initial * s, s).Clear(); else g.C0.CopyTo(c, initial * s);
            Layers.Lstm_Forward(y, h, c, Nan(block * g.Batch * 4 * g.Units), Nan(5 * s), g.X, g.Mask, g.RecurrentMask, g.WeightIh, g.WeightHh, g.Bias,
                g.Steps, g.Batch, g.In, g.Units, g.Reverse);
            Golden.AssertClose(g.Y, y, $"{name} block {block} y");
            Golden.AssertClose(g.HFinal, h.AsSpan(final * s, s).ToArray(), $"{name} block {block} final h");
            Golden.AssertClose(g.CFinal, c.AsSpan(final * s, s).ToArray(), $"{name} block {block} final c");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        var run = new Run(g);
        run.Forward(g);
        run.Backward(g);
        Golden.AssertClose(g.Dx, run.Dx, $"{name} dx");
        Golden.AssertClose(g.DWeightIh, run.DWeightIh, $"{name} dWeightIh");
        Golden.AssertClose(g.DWeightHh, run.DWeightHh, $"{name} dWeightHh");
        Golden.AssertClose(g.DBias, run.DBias, $"{name} dBias");
        Golden.AssertClose(g.Dh0, run.Dh0, $"{name} dh0");
        Golden.AssertClose(g.Dc0, run.Dc0, $"{name} dc0");
    }

    /// <summary>The large case is large enough for the packed paths (both products: each step projects its own rows, and the steps split
    /// across threads by rows), which the small cases never take.</summary>
    [Fact]
    public void ThePackedCaseTakesThePackedPaths()
    {
        Case g = Load("packed_masked_reverse");
        Assert.True(new RepeatedB(g.WeightHh, g.Batch, 4 * g.Units, g.Units, GemmLayout.NT).RowSplittable(g.Steps));
        Assert.True(new RepeatedB(g.WeightIh, g.Batch, 4 * g.Units, g.In, GemmLayout.NT).ComputesRows);
        Assert.False(new RepeatedB(Load("masked").WeightHh, 3, 16, 4, GemmLayout.NT).ComputesRows);
        Assert.Contains(g.Mask, m => m == 0f);
        Assert.Contains(g.RecurrentMask, m => m == 0f);
    }

    [Fact]
    public void TheChunkedCaseProjectsItsInputInChunks()
    {
        // A batch of one whose input projection is made in chunks of steps: three here, of at least 33 steps (the smallest packed
        // product) rounded up to whole row panels (36, 36, 8 on AVX-512).
        Case g = Load("chunked_masked_reverse");
        Assert.Equal(1, g.Batch);
        int mr = GemmDriver.TileRows(GemmDriver.DefaultKernel);
        Assert.Equal((33 + mr - 1) / mr * mr, Layers.ProjectionChunk(g.Steps, g.Batch, 4 * g.Units, g.In));
        Assert.False(new RepeatedB(g.WeightHh, g.Batch, 4 * g.Units, g.Units, GemmLayout.NT).ComputesRows);
        Assert.Contains(g.Mask, m => m == 0f);
        Assert.Contains(g.RecurrentMask, m => m == 0f);
    }

    /// <summary>Who projects a chunk (the thread running the steps, or a helper ahead of it) changes no bit.</summary>
    [Fact]
    public void TheChunkedProjectionGivesTheSameBitsOnOneAndTwoThreads()
    {
        Case g = Load("chunked_masked_reverse");
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            var one = new Run(g);
            one.Forward(g);
            Parallelism.ThreadCount = 2;
            for (int round = 0; round < 20; round++)
            {
                var two = new Run(g);
                two.Forward(g);
                Assert.Equal(one.Y, two.Y);
                Assert.Equal(one.Gates, two.Gates);
            }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Theory]
    [InlineData("masked")]
    [InlineData("masked_reverse")]
    [InlineData("packed_masked_reverse")]
    public void PaddedStepsCarryTheStateExactlyAndOutputZero(string name)
    {
        Case g = Load(name);
        var run = new Run(g);
        run.Forward(g);
        int padded = 0;
        for (int t = 0; t < g.Steps; t++)
            for (int b = 0; b < g.Batch; b++)
            {
                if (g.Mask[t * g.Batch + b] != 0f) continue;
                padded++;
                int prev = g.Reverse ? t + 1 : t, next = g.Reverse ? t : t + 1;
                for (int j = 0; j < g.Units; j++)
                {
                    int at = b * g.Units + j;
                    Assert.Equal(run.H[prev * g.State + at], run.H[next * g.State + at]);
                    Assert.Equal(run.C[prev * g.State + at], run.C[next * g.State + at]);
                    Assert.Equal(0f, run.Y[(t * g.Batch + b) * g.Units + j]);
                }
            }
        Assert.True(padded > 0, "the case has padded steps");
    }

    [Fact]
    public void BackwardAccumulatesIntoExistingGradients()
    {
        Case g = Load("recurrent_mask_masked_reverse");
        var run = new Run(g);
        run.Forward(g);
        run.Backward(g);
        run.Backward(g);
        Golden.AssertClose(Twice(g.Dx), run.Dx, "dx after two calls");
        Golden.AssertClose(Twice(g.DWeightIh), run.DWeightIh, "dWeightIh after two calls");
        Golden.AssertClose(Twice(g.DWeightHh), run.DWeightHh, "dWeightHh after two calls");
        Golden.AssertClose(Twice(g.DBias), run.DBias, "dBias after two calls");
        Golden.AssertClose(Twice(g.Dh0), run.Dh0, "dh0 after two calls");
        Golden.AssertClose(Twice(g.Dc0), run.Dc0, "dc0 after two calls");
    }

    [Fact]
    public void UnwantedOutputsAndGradientsMayBeEmpty()
    {
        Case g = Load("masked");
        var run = new Run(g);
        Layers.Lstm_Forward(Span<float>.Empty, run.H, run.C, run.Gates, run.Scratch, g.X, g.Mask, g.RecurrentMask,
            g.WeightIh, g.WeightHh, g.Bias, g.Steps, g.Batch, g.In, g.Units, g.Reverse);
        Golden.AssertClose(g.HFinal, run.Slot(g, run.H, g.FinalSlot), "final h without y");
        Golden.AssertClose(g.CFinal, run.Slot(g, run.C, g.FinalSlot), "final c without y");

        Layers.Lstm_Backward(Span<float>.Empty, run.DWeightIh, run.DWeightHh, Span<float>.Empty, Span<float>.Empty,
            Span<float>.Empty, run.DGates, run.DhCarry, run.DcCarry, g.Dy, g.DhFinal, g.DcFinal, g.X, g.Mask,
            g.RecurrentMask, g.WeightIh, g.WeightHh, run.H, run.C, run.Gates, g.Steps, g.Batch, g.In, g.Units, g.Reverse);
        Golden.AssertClose(g.DWeightIh, run.DWeightIh, "dWeightIh without dx, dBias, dh0, dc0");
        Golden.AssertClose(g.DWeightHh, run.DWeightHh, "dWeightHh without dx, dBias, dh0, dc0");
    }

    [Fact]
    public void ZeroStepsPassTheFinalStateGradientToTheInitialState()
    {
        const int batch = 2, units = 3, inF = 2;
        float[] dhFinal = [1, 2, 3, 4, 5, 6], dcFinal = [-1, -2, -3, -4, -5, -6];
        float[] h = [9, 9, 9, 9, 9, 9], c = [8, 8, 8, 8, 8, 8], dh0 = new float[6], dc0 = new float[6];
        float[] wIh = new float[4 * units * inF], wHh = new float[4 * units * units];
        float[] dWIh = new float[wIh.Length], dWHh = new float[wHh.Length];
        Layers.Lstm_Forward(Span<float>.Empty, h, c, Span<float>.Empty, new float[5 * batch * units], Span<float>.Empty,
            Span<float>.Empty, Span<float>.Empty, wIh, wHh, Span<float>.Empty, 0, batch, inF, units, reverse: false);
        Layers.Lstm_Backward(Span<float>.Empty, dWIh, dWHh, Span<float>.Empty, dh0, dc0, Span<float>.Empty,
            new float[2 * batch * units], new float[batch * units], Span<float>.Empty, dhFinal, dcFinal, Span<float>.Empty,
            Span<float>.Empty, Span<float>.Empty, wIh, wHh, h, c, Span<float>.Empty, 0, batch, inF, units, reverse: false);
        Assert.Equal(dhFinal, dh0);
        Assert.Equal(dcFinal, dc0);
        Assert.All(dWIh, v => Assert.Equal(0f, v));
    }

    /// <summary>Central differences of L = Σ y·dy + Σ h_T·dhFinal + Σ c_T·dcFinal (summed in double) against the
    /// analytic gradients, for every parameter, input and initial-state element; independent of PyTorch.</summary>
    [Theory]
    [InlineData("initial_state")]
    [InlineData("recurrent_mask_masked_reverse")]
    public void GradientsMatchFiniteDifferences(string name)
    {
        Case g = Load(name);
        var run = new Run(g);
        run.Forward(g);
        run.Backward(g);

        float[] wIh = (float[])g.WeightIh.Clone(), wHh = (float[])g.WeightHh.Clone(), bias = (float[])g.Bias.Clone();
        float[] x = (float[])g.X.Clone(), h0 = (float[])g.H0.Clone(), c0 = (float[])g.C0.Clone();
        var probe = new Run(g);
        double Loss()
        {
            probe.SetInitialState(g, h0, c0);
            probe.Forward(g, wIh, wHh, bias, x);
            double loss = 0;
            for (int i = 0; i < g.Dy.Length; i++) loss += (double)probe.Y[i] * g.Dy[i];
            for (int i = 0; i < g.State; i++)
            {
                loss += (double)probe.H[g.FinalSlot * g.State + i] * g.DhFinal[i];
                loss += (double)probe.C[g.FinalSlot * g.State + i] * g.DcFinal[i];
            }
            return loss;
        }
        void Check(float[] values, float[] analytic, string what)
        {
            const float eps = 1e-2f;
            for (int i = 0; i < values.Length; i++)
            {
                float saved = values[i];
                values[i] = saved + eps;
                double up = Loss();
                values[i] = saved - eps;
                double down = Loss();
                values[i] = saved;
                double numeric = (up - down) / (2 * eps);
                double diff = Math.Abs(numeric - analytic[i]);
                Assert.True(diff <= 2e-3 + 1e-2 * Math.Abs(numeric),
                    $"{name} {what}[{i}]: finite difference {numeric:R}, analytic {analytic[i]:R}");
            }
        }
        Check(wIh, run.DWeightIh, "dWeightIh");
        Check(wHh, run.DWeightHh, "dWeightHh");
        Check(bias, run.DBias, "dBias");
        Check(x, run.Dx, "dx");
        Check(h0, run.Dh0, "dh0");
        Check(c0, run.Dc0, "dc0");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SteadyStateAllocatesNothing(bool masked)
    {
        // Big enough that the recurrent and all-steps GEMMs take their packed paths.
        const int steps = 12, batch = 16, inF = 40, units = 48, s = batch * units;
        var rng = new Random(5);
        float[] x = Random(rng, steps * batch * inF), wIh = Random(rng, 4 * units * inF), wHh = Random(rng, 4 * units * units);
        float[] bias = Random(rng, 4 * units), dy = Random(rng, steps * s), dhF = Random(rng, s), dcF = Random(rng, s);
        float[] mask = masked ? Enumerable.Range(0, steps * batch).Select(i => i % 5 == 0 ? 0f : 1f).ToArray() : [];
        float[] rmask = masked ? Enumerable.Range(0, s).Select(i => i % 3 == 0 ? 0f : 1.5f).ToArray() : [];
        float[] y = new float[steps * s], h = new float[(steps + 1) * s], c = new float[(steps + 1) * s];
        float[] gates = new float[steps * batch * 4 * units], scratch = new float[5 * s];
        float[] dx = new float[x.Length], dWIh = new float[wIh.Length], dWHh = new float[wHh.Length], dB = new float[bias.Length];
        float[] dh0 = new float[s], dc0 = new float[s], dGates = new float[gates.Length], dhC = new float[2 * s], dcC = new float[s];
        void Step()
        {
            Layers.Lstm_Forward(y, h, c, gates, scratch, x, mask, rmask, wIh, wHh, bias, steps, batch, inF, units, masked);
            Layers.Lstm_Backward(dx, dWIh, dWHh, dB, dh0, dc0, dGates, dhC, dcC, dy, dhF, dcF, x, mask, rmask, wIh, wHh,
                h, c, gates, steps, batch, inF, units, masked);
        }
        Step();
        Assert.Equal(0, Allocations.LeastPerWindow(Step));
        Assert.All(dWHh, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void WrongLengthsThrowNamingExpectedAndActual()
    {
        Case g = Load("masked");
        var run = new Run(g);
        void Forward(float[]? y = null, float[]? scratch = null, float[]? gates = null, float[]? wHh = null,
            float[]? mask = null, float[]? bias = null) =>
            Layers.Lstm_Forward(y ?? run.Y, run.H, run.C, gates ?? run.Gates, scratch ?? run.Scratch, g.X,
                mask ?? g.Mask, g.RecurrentMask, g.WeightIh, wHh ?? g.WeightHh, bias ?? g.Bias,
                g.Steps, g.Batch, g.In, g.Units, g.Reverse);

        AssertLength(() => Forward(wHh: new float[63]), "weightHh", 64, 63);
        AssertLength(() => Forward(scratch: new float[48]), "scratch", 60, 48);
        AssertLength(() => Forward(gates: new float[10]), "gates", 528, 10);
        AssertLength(() => Forward(y: new float[131]), "y", 132, 131);
        AssertLength(() => Forward(mask: new float[30]), "mask", 33, 30);
        AssertLength(() => Forward(bias: new float[12]), "bias", 16, 12);

        void Backward(float[]? dx = null, float[]? dWIh = null, float[]? dhCarry = null, float[]? dcCarry = null,
            float[]? dhFinal = null, float[]? dc0 = null, float[]? dGates = null, float[]? wIh = null) =>
            Layers.Lstm_Backward(dx ?? run.Dx, dWIh ?? run.DWeightIh, run.DWeightHh, run.DBias, run.Dh0, dc0 ?? run.Dc0,
                dGates ?? run.DGates, dhCarry ?? run.DhCarry, dcCarry ?? run.DcCarry, g.Dy, dhFinal ?? g.DhFinal,
                g.DcFinal, g.X, g.Mask, g.RecurrentMask, wIh ?? g.WeightIh, g.WeightHh, run.H, run.C, run.Gates,
                g.Steps, g.Batch, g.In, g.Units, g.Reverse);

        AssertLength(() => Backward(dx: new float[164]), "dx", 165, 164);
        AssertLength(() => Backward(dWIh: new float[81]), "dWeightIh", 80, 81);
        AssertLength(() => Backward(wIh: new float[81]), "weightIh", 80, 81);
        AssertLength(() => Backward(dhCarry: new float[12]), "dhCarry", 24, 12);
        AssertLength(() => Backward(dcCarry: new float[24]), "dcCarry", 12, 24);
        AssertLength(() => Backward(dhFinal: new float[11]), "dhFinal", 12, 11);
        AssertLength(() => Backward(dc0: new float[13]), "dc0", 12, 13);
        AssertLength(() => Backward(dGates: new float[527]), "dGates", 528, 527);
    }

    private static void AssertLength(Action call, string param, int expected, int actual)
    {
        var e = Assert.Throws<ArgumentException>(call);
        Assert.Equal(param, e.ParamName);
        Assert.Contains($"Expected length {expected} ", e.Message);
        Assert.Contains($"but got {actual}.", e.Message);
    }

    private static float[] Nan(int length)
    {
        var result = new float[length];
        Array.Fill(result, float.NaN);
        return result;
    }

    private static float[] Twice(float[] values) => values.Select(v => 2 * v).ToArray();

    private static float[] Random(Random rng, int length)
    {
        var result = new float[length];
        for (int i = 0; i < length; i++) result[i] = (float)(rng.NextDouble() * 2 - 1) * 0.3f;
        return result;
    }
}
