using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Gru_Forward / Gru_Backward against nn.GRU goldens from tools/reference/gru.py, plus finite differences.</summary>
[Collection(ThreadCountCollection.Name)] // one test sets Parallelism.ThreadCount
public class GruTests
{
    private static readonly JsonElement Goldens = Golden.Load("gru.json");

    public static readonly TheoryData<string> Cases = new()
    {
        "plain", "dhfinal_only", "initial_state", "no_bias", "reverse", "masked", "reverse_masked", "recurrent_mask",
        "recurrent_mask_reverse_masked", "packed_recurrent_mask_reverse_masked",
        "chunked_recurrent_mask_reverse_masked",
    };

    private sealed record Case(int Steps, int Batch, int In, int Units, bool Reverse,
        float[] X, float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh, float[] Mask, float[] RecurrentMask,
        float[] H0, float[] Dy, float[] DhFinal,
        float[] Y, float[] HFinal, float[] Dx, float[] DWeightIh, float[] DWeightHh, float[] DBiasIh, float[] DBiasHh,
        float[] Dh0)
    {
        public int StateSize => Batch * Units;
        public int InitialSlot => Reverse ? Steps : 0;
        public int FinalSlot => Reverse ? 0 : Steps;
    }

    private static Case Load(string name)
    {
        JsonElement g = Goldens.GetProperty(name);
        float[] F(string p) => g.GetProperty(p).Floats();
        return new Case(g.GetProperty("steps").GetInt32(), g.GetProperty("batch").GetInt32(),
            g.GetProperty("in_features").GetInt32(), g.GetProperty("units").GetInt32(), g.GetProperty("reverse").GetBoolean(),
            F("x"), F("weight_ih"), F("weight_hh"), F("bias_ih"), F("bias_hh"), F("mask"), F("recurrent_mask"),
            F("h0"), F("dy"), F("dh_final"),
            F("y"), F("h_final"), F("dx"), F("dweight_ih"), F("dweight_hh"), F("dbias_ih"), F("dbias_hh"), F("dh0"));
    }

    /// <summary>Forward buffers, all but the initial state slot filled with NaN so that anything not overwritten shows.</summary>
    private sealed class Forward
    {
        public readonly float[] Y, H, Gates, HiddenN, Scratch;

        public Forward(Case g, bool wantY = true)
        {
            int bu = g.StateSize;
            Y = Nan(wantY ? g.Steps * bu : 0);
            H = Nan((g.Steps + 1) * bu);
            Gates = Nan(g.Steps * g.Batch * 3 * g.Units);
            HiddenN = Nan(g.Steps * bu);
            Scratch = Nan(4 * bu);
            g.H0.CopyTo(H, g.InitialSlot * bu);
            Layers.Gru_Forward(Y, H, Gates, HiddenN, Scratch, g.X, g.Mask, g.RecurrentMask, g.WeightIh, g.WeightHh,
                g.BiasIh, g.BiasHh, g.Steps, g.Batch, g.In, g.Units, g.Reverse);
        }

        public ReadOnlySpan<float> Slot(Case g, int slot) => H.AsSpan(slot * g.StateSize, g.StateSize);
    }

    private sealed class Gradients
    {
        public readonly float[] Dx, DWeightIh, DWeightHh, DBiasIh, DBiasHh, Dh0;

        public Gradients(Case g, bool wantDx = true, bool wantDh0 = true)
        {
            Dx = new float[wantDx ? g.X.Length : 0];
            DWeightIh = new float[g.WeightIh.Length];
            DWeightHh = new float[g.WeightHh.Length];
            DBiasIh = new float[g.BiasIh.Length];
            DBiasHh = new float[g.BiasHh.Length];
            Dh0 = new float[wantDh0 ? g.StateSize : 0];
        }

        public void Backward(Case g, Forward f)
        {
            float[] dGates = Nan(f.Gates.Length), dhCarry = Nan(2 * g.StateSize);
            Layers.Gru_Backward(Dx, DWeightIh, DWeightHh, DBiasIh, DBiasHh, Dh0, dGates, dhCarry, g.Dy, g.DhFinal,
                g.X, g.Mask, g.RecurrentMask, g.WeightIh, g.WeightHh, f.H, f.Gates, f.HiddenN,
                g.Steps, g.Batch, g.In, g.Units, g.Reverse);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        var f = new Forward(g);
        Golden.AssertClose(g.Y, f.Y, $"{name} y");
        Golden.AssertClose(g.HFinal, f.Slot(g, g.FinalSlot), $"{name} final h");
        Assert.Equal(g.H0, f.Slot(g, g.InitialSlot).ToArray()); // the initial slot is read, not written
    }

    /// <summary>The inference form: two state slots the steps roll through and the gates of a block of steps (1, 2 or 3), against the
    /// same goldens. The final state is left in slot steps &amp; 1 (0 when reverse).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void RollingInferenceFormMatchesPyTorch(string name)
    {
        Case g = Load(name);
        foreach (int block in new[] { 1, 2, 3, g.Steps }) // every step: a batch of one projects its input in chunks
        {
            int bu = g.StateSize;
            float[] h = Nan(2 * bu), y = Nan(g.Steps * bu);
            g.H0.CopyTo(h, (g.Reverse ? g.Steps & 1 : 0) * bu);
            Layers.Gru_Forward(y, h, Nan(block * g.Batch * 3 * g.Units), Nan(block * bu), Nan(4 * bu), g.X, g.Mask, g.RecurrentMask,
                g.WeightIh, g.WeightHh, g.BiasIh, g.BiasHh, g.Steps, g.Batch, g.In, g.Units, g.Reverse);
            Golden.AssertClose(g.Y, y, $"{name} block {block} y");
            Golden.AssertClose(g.HFinal, h.AsSpan((g.Reverse ? 0 : g.Steps & 1) * bu, bu).ToArray(), $"{name} block {block} final h");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesPyTorch(string name)
    {
        Case g = Load(name);
        var f = new Forward(g);
        var d = new Gradients(g);
        d.Backward(g, f);
        Golden.AssertClose(g.Dx, d.Dx, $"{name} dx");
        Golden.AssertClose(g.DWeightIh, d.DWeightIh, $"{name} dWeightIh");
        Golden.AssertClose(g.DWeightHh, d.DWeightHh, $"{name} dWeightHh");
        Golden.AssertClose(g.DBiasIh, d.DBiasIh, $"{name} dBiasIh");
        Golden.AssertClose(g.DBiasHh, d.DBiasHh, $"{name} dBiasHh");
        Golden.AssertClose(g.Dh0, d.Dh0, $"{name} dh0");
    }

    [Fact]
    public void GoldenCasesExerciseWhatTheyAreNamedFor()
    {
        Assert.Empty(Load("plain").DhFinal);
        Assert.Empty(Load("dhfinal_only").Dy);
        Assert.Contains(Load("masked").Mask, m => m == 0f);
        Assert.Contains(Load("recurrent_mask").RecurrentMask, m => m == 0f);
        Assert.True(Load("reverse").Reverse);
        Assert.Contains(Load("initial_state").Dh0, v => Math.Abs(v) > 0.01f);
        Assert.Empty(Load("no_bias").BiasIh);
        // Large enough for the packed paths (both products: each step projects its own rows, and the steps split across threads by rows).
        Case packed = Load("packed_recurrent_mask_reverse_masked");
        Assert.True(new RepeatedB(packed.WeightHh, packed.Batch, 3 * packed.Units, packed.Units, GemmLayout.NT).RowSplittable(packed.Steps));
        Assert.True(new RepeatedB(packed.WeightIh, packed.Batch, 3 * packed.Units, packed.In, GemmLayout.NT).ComputesRows);
        Assert.Contains(packed.Mask, m => m == 0f);
        Assert.Contains(packed.RecurrentMask, m => m == 0f);
        // A batch of one whose input projection is made in chunks of steps: three here, of at least 43 steps (the smallest packed
        // product) rounded up to whole row panels (48, 48, 4 on AVX-512).
        Case chunked = Load("chunked_recurrent_mask_reverse_masked");
        Assert.Equal(1, chunked.Batch);
        int mr = GemmDriver.TileRows(GemmDriver.DefaultKernel);
        Assert.Equal((43 + mr - 1) / mr * mr, Layers.ProjectionChunk(chunked.Steps, chunked.Batch, 3 * chunked.Units, chunked.In));
        Assert.False(new RepeatedB(chunked.WeightHh, chunked.Batch, 3 * chunked.Units, chunked.Units, GemmLayout.NT).ComputesRows);
        Assert.Contains(chunked.Mask, m => m == 0f);
        Assert.Contains(chunked.RecurrentMask, m => m == 0f);
    }

    /// <summary>Who projects a chunk (the thread running the steps, or a helper ahead of it) changes no bit.</summary>
    [Fact]
    public void TheChunkedProjectionGivesTheSameBitsOnOneAndTwoThreads()
    {
        Case g = Load("chunked_recurrent_mask_reverse_masked");
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            var one = new Forward(g);
            Parallelism.ThreadCount = 2;
            for (int round = 0; round < 20; round++)
            {
                var two = new Forward(g);
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
    [InlineData("reverse_masked")]
    [InlineData("recurrent_mask_reverse_masked")]
    [InlineData("packed_recurrent_mask_reverse_masked")]
    public void PaddedStepsCarryTheStateExactlyAndOutputZero(string name)
    {
        Case g = Load(name);
        var f = new Forward(g);
        int padded = 0;
        for (int t = 0; t < g.Steps; t++)
        {
            int prev = g.Reverse ? t + 1 : t, next = g.Reverse ? t : t + 1;
            for (int b = 0; b < g.Batch; b++)
            {
                if (g.Mask[t * g.Batch + b] != 0f) continue;
                padded++;
                for (int u = 0; u < g.Units; u++)
                {
                    int o = b * g.Units + u;
                    Assert.Equal(f.Slot(g, prev)[o], f.Slot(g, next)[o]);
                    Assert.Equal(0f, f.Y[(t * g.Batch + b) * g.Units + u]);
                }
            }
        }
        Assert.True(padded > 0);
    }

    [Fact]
    public void ForwardWithoutSequenceOutputGivesTheSameStates()
    {
        Case g = Load("recurrent_mask_reverse_masked");
        var full = new Forward(g);
        var statesOnly = new Forward(g, wantY: false);
        Assert.Equal(full.H, statesOnly.H);
        Assert.Equal(full.Gates, statesOnly.Gates);
        Assert.Equal(full.HiddenN, statesOnly.HiddenN);
    }

    [Fact]
    public void BackwardAccumulatesIntoExistingGradients()
    {
        Case g = Load("recurrent_mask_reverse_masked");
        var f = new Forward(g);
        var d = new Gradients(g);
        d.Backward(g, f);
        d.Backward(g, f);
        Golden.AssertClose(Twice(g.Dx), d.Dx, "dx after two calls");
        Golden.AssertClose(Twice(g.DWeightIh), d.DWeightIh, "dWeightIh after two calls");
        Golden.AssertClose(Twice(g.DWeightHh), d.DWeightHh, "dWeightHh after two calls");
        Golden.AssertClose(Twice(g.DBiasIh), d.DBiasIh, "dBiasIh after two calls");
        Golden.AssertClose(Twice(g.DBiasHh), d.DBiasHh, "dBiasHh after two calls");
        Golden.AssertClose(Twice(g.Dh0), d.Dh0, "dh0 after two calls");
    }

    [Fact]
    public void BackwardWithoutInputOrInitialStateGradientStillComputesWeightGradients()
    {
        Case g = Load("initial_state");
        var f = new Forward(g);
        var d = new Gradients(g, wantDx: false, wantDh0: false);
        d.Backward(g, f);
        Golden.AssertClose(g.DWeightIh, d.DWeightIh, "dWeightIh");
        Golden.AssertClose(g.DWeightHh, d.DWeightHh, "dWeightHh");
        Golden.AssertClose(g.DBiasIh, d.DBiasIh, "dBiasIh");
        Golden.AssertClose(g.DBiasHh, d.DBiasHh, "dBiasHh");
    }

    [Fact]
    public void ZeroStepsPassTheFinalStateGradientToTheInitialState()
    {
        const int batch = 2, inF = 3, units = 2;
        float[] h = [1, 2, 3, 4];
        Layers.Gru_Forward([], h, [], [], new float[4 * batch * units], [], [], [], new float[3 * units * inF],
            new float[3 * units * units], [], [], 0, batch, inF, units, reverse: false);
        Assert.Equal([1f, 2, 3, 4], h);
        float[] dh0 = [1, 1, 1, 1];
        Layers.Gru_Backward([], new float[3 * units * inF], new float[3 * units * units], [], [], dh0, [],
            new float[2 * batch * units], [], [0.5f, -1, 2, 0], [], [], [], new float[3 * units * inF],
            new float[3 * units * units], h, [], [], 0, batch, inF, units, reverse: false);
        Assert.Equal([1.5f, 0, 3, 1], dh0);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    [InlineData(true, true, true)]
    public void GradientsMatchFiniteDifferences(bool masked, bool recurrentMask, bool reverse)
    {
        // Independent of the goldens: central differences of L = Σ y·dy + Σ h_final·dhFinal through the forward kernel.
        const int steps = 6, batch = 2, inF = 3, units = 3;
        var rng = new Random(masked ? 5 : 7);
        float[] x = Random(rng, steps * batch * inF, 1f), wih = Random(rng, 3 * units * inF, 0.6f);
        float[] whh = Random(rng, 3 * units * units, 0.6f), bih = Random(rng, 3 * units, 0.3f), bhh = Random(rng, 3 * units, 0.3f);
        float[] h0 = Random(rng, batch * units, 0.5f), dy = Random(rng, steps * batch * units, 1f), dhf = Random(rng, batch * units, 1f);
        float[] mask = masked ? [1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1] : [];
        float[] rmask = recurrentMask ? [2, 0, 2, 2, 2, 0] : [];
        var g = new Case(steps, batch, inF, units, reverse, x, wih, whh, bih, bhh, mask, rmask, h0, dy, dhf,
            [], [], [], [], [], [], [], []);

        var f = new Forward(g);
        var d = new Gradients(g);
        d.Backward(g, f);

        (float[] values, float[] gradient, string what)[] checks =
        [
            (x, d.Dx, "dx"), (wih, d.DWeightIh, "dWeightIh"), (whh, d.DWeightHh, "dWeightHh"),
            (bih, d.DBiasIh, "dBiasIh"), (bhh, d.DBiasHh, "dBiasHh"), (h0, d.Dh0, "dh0"),
        ];
        double largest = 0;
        foreach ((float[] values, float[] gradient, string what) in checks)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float saved = values[i];
                const float eps = 1e-2f;
                values[i] = saved + eps;
                double plus = Loss(g);
                values[i] = saved - eps;
                double minus = Loss(g);
                values[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                largest = Math.Max(largest, Math.Abs(numeric));
                Golden.AssertClose(numeric, gradient[i], $"{what}[{i}]", abs: 2e-3, rel: 1e-2);
            }
        }
        Assert.True(largest > 0.1, "the gradients checked should not all be tiny");
    }

    private static double Loss(Case g)
    {
        var f = new Forward(g);
        double loss = 0;
        for (int i = 0; i < g.Dy.Length; i++) loss += (double)g.Dy[i] * f.Y[i];
        ReadOnlySpan<float> final = f.Slot(g, g.FinalSlot);
        for (int i = 0; i < g.DhFinal.Length; i++) loss += (double)g.DhFinal[i] * final[i];
        return loss;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void SteadyStateAllocatesNothing(bool masks, bool reverse)
    {
        const int steps = 12, batch = 16, inF = 40, units = 48, bu = batch * units;
        float[] x = new float[steps * batch * inF], wih = new float[3 * units * inF], whh = new float[3 * units * units];
        float[] bih = new float[3 * units], bhh = new float[3 * units];
        float[] mask = masks ? Enumerable.Repeat(1f, steps * batch).ToArray() : [];
        float[] rmask = masks ? Enumerable.Repeat(1f, bu).ToArray() : [];
        float[] y = new float[steps * bu], h = new float[(steps + 1) * bu], gates = new float[steps * batch * 3 * units];
        float[] hiddenN = new float[steps * bu], scratch = new float[4 * bu];
        float[] dx = new float[x.Length], dwih = new float[wih.Length], dwhh = new float[whh.Length];
        float[] dbih = new float[bih.Length], dbhh = new float[bhh.Length], dh0 = new float[bu];
        float[] dGates = new float[gates.Length], dhCarry = new float[2 * bu], dy = new float[y.Length], dhf = new float[bu];

        void Step()
        {
            Layers.Gru_Forward(y, h, gates, hiddenN, scratch, x, mask, rmask, wih, whh, bih, bhh,
                steps, batch, inF, units, reverse);
            Layers.Gru_Backward(dx, dwih, dwhh, dbih, dbhh, dh0, dGates, dhCarry, dy, dhf, x, mask, rmask, wih, whh,
                h, gates, hiddenN, steps, batch, inF, units, reverse);
        }

        Step();
        Assert.Equal(0, Allocations.LeastPerWindow(Step));
    }

    [Fact]
    public void WrongLengthsThrowNamingExpectedAndActual()
    {
        const int steps = 2, batch = 3, inF = 4, units = 5, bu = batch * units;
        float[] x = new float[steps * batch * inF], wih = new float[3 * units * inF], whh = new float[3 * units * units];
        float[] b = new float[3 * units], y = new float[steps * bu], h = new float[(steps + 1) * bu];
        float[] gates = new float[steps * batch * 3 * units], hiddenN = new float[steps * bu];

        void Forward(float[] scratch, float[] biasIh, float[] mask, float[] weightHh) =>
            Layers.Gru_Forward(y, h, gates, hiddenN, scratch, x, mask, [], wih, weightHh, biasIh, b,
                steps, batch, inF, units, reverse: false);

        var e = Assert.Throws<ArgumentException>(() => Forward(new float[3 * bu], b, [], whh));
        Assert.Equal("scratch", e.ParamName);
        Assert.Contains("60", e.Message);
        Assert.Contains("45", e.Message);
        e = Assert.Throws<ArgumentException>(() => Forward(new float[4 * bu], new float[units], [], whh));
        Assert.Equal("biasIh", e.ParamName);
        Assert.Contains("15", e.Message);
        Assert.Contains("5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Forward(new float[4 * bu], b, new float[steps], whh));
        Assert.Equal("mask", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Forward(new float[4 * bu], b, [], new float[units * units]));
        Assert.Equal("weightHh", e.ParamName);
        Assert.Contains("75", e.Message);
        Assert.Contains("25", e.Message);

        void Backward(float[] dhCarry, float[] dy, float[] weightIh, float[] dx) =>
            Layers.Gru_Backward(dx, new float[wih.Length], new float[whh.Length], new float[b.Length], new float[b.Length],
                new float[bu], new float[gates.Length], dhCarry, dy, [], x, [], [], weightIh, whh, h, gates, hiddenN,
                steps, batch, inF, units, reverse: false);

        e = Assert.Throws<ArgumentException>(() => Backward(new float[3 * bu], y, wih, x));
        Assert.Equal("dhCarry", e.ParamName);
        Assert.Contains("30", e.Message);
        Assert.Contains("45", e.Message);
        e = Assert.Throws<ArgumentException>(() => Backward(new float[2 * bu], new float[bu], wih, x));
        Assert.Equal("dy", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Backward(new float[2 * bu], y, new float[units * inF], x));
        Assert.Equal("weightIh", e.ParamName);
        Assert.Contains("60", e.Message);
        Assert.Contains("20", e.Message);
        e = Assert.Throws<ArgumentException>(() => Backward(new float[2 * bu], y, wih, new float[5]));
        Assert.Equal("dx", e.ParamName);
        Assert.Contains("24", e.Message);
    }

    private static float[] Twice(float[] values) => values.Select(v => 2 * v).ToArray();

    private static float[] Nan(int length)
    {
        var result = new float[length];
        Array.Fill(result, float.NaN);
        return result;
    }

    private static float[] Random(Random rng, int length, float scale)
    {
        var result = new float[length];
        for (int i = 0; i < length; i++) result[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return result;
    }
}
