using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

public class OptimizerTests
{
    private static readonly JsonElement Goldens = Golden.Load("optimizers.json");

    private static IEnumerable<string> CaseNames() =>
        Goldens.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    public static TheoryData<string> Cases() => new(CaseNames());

    [Fact]
    public void GoldensCoverEveryOptimizer()
    {
        var names = CaseNames().ToHashSet();
        foreach (string name in new[] { "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adam_lr_schedule", "adamw" })
            Assert.Contains(name, names);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeStepsMatchPyTorch(string name)
    {
        JsonElement c = Goldens.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        float[] p = Goldens.GetProperty("initial").Floats();
        float[][] gradients = Goldens.GetProperty("gradients").EnumerateArray().Select(g => g.Floats()).ToArray();
        float[] learningRates = c.GetProperty("learning_rates").Floats();
        float[][] expected = c.GetProperty("parameters_after_step").EnumerateArray().Select(e => e.Floats()).ToArray();
        Assert.Equal(3, expected.Length);

        var state1 = new float[p.Length];
        var state2 = new float[p.Length];
        if (name == "adagrad") Array.Fill(state1, Hyper(c, "initial_accumulator"));

        for (int step = 0; step < expected.Length; step++)
        {
            float lr = learningRates[step];
            float[] g = gradients[step];
            switch (name)
            {
                case "sgd":
                    Optimizers.Sgd_Step(p, g, lr);
                    break;
                case "momentum":
                case "nesterov":
                    Optimizers.Momentum_Step(p, g, state1, lr, Hyper(c, "momentum"), nesterov: name == "nesterov");
                    break;
                case "adagrad":
                    Optimizers.Adagrad_Step(p, g, state1, lr, Hyper(c, "epsilon"));
                    break;
                case "rmsprop":
                    Optimizers.RmsProp_Step(p, g, state1, lr, Hyper(c, "rho"), Hyper(c, "epsilon"));
                    break;
                case "adam":
                case "adam_lr_schedule":
                    Optimizers.Adam_Step(p, g, state1, state2, lr, Hyper(c, "beta1"), Hyper(c, "beta2"),
                        Hyper(c, "epsilon"), step + 1);
                    break;
                case "adamw":
                    Optimizers.AdamW_Step(p, g, state1, state2, lr, Hyper(c, "beta1"), Hyper(c, "beta2"),
                        Hyper(c, "epsilon"), Hyper(c, "weight_decay"), step + 1);
                    break;
                default:
                    Assert.Fail($"no C# replay for golden case '{name}'");
                    break;
            }
            Golden.AssertClose(expected[step], p, $"{name} parameters after step {step + 1}");
        }
    }

    private static float Hyper(JsonElement c, string key) => c.GetProperty(key).GetSingle();

    /// <summary>
    /// Runs each kernel once over a long span (SIMD loop plus tail) and once element by element (scalar tail
    /// only), on the same data, so a slip in either path shows up as a mismatch.
    /// </summary>
    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void VectorLoopAndScalarTailAgree(string name)
    {
        const int n = 101;
        var random = new SeededRandom(3);
        float[] p0 = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) { p0[i] = random.NextNormal(); g[i] = random.NextNormal(); }

        float[] pVector = (float[])p0.Clone(), aVector = new float[n], bVector = new float[n];
        float[] pScalar = (float[])p0.Clone(), aScalar = new float[n], bScalar = new float[n];
        for (int step = 1; step <= 3; step++)
        {
            Run(name, pVector, g, aVector, bVector, step);
            for (int i = 0; i < n; i++)
                Run(name, pScalar.AsSpan(i, 1), g.AsSpan(i, 1), aScalar.AsSpan(i, 1), bScalar.AsSpan(i, 1), step);
        }
        Golden.AssertClose(pScalar, pVector, $"{name} parameters", abs: 1e-6, rel: 1e-6);
        Golden.AssertClose(aScalar, aVector, $"{name} first state", abs: 1e-6, rel: 1e-6);
        Golden.AssertClose(bScalar, bVector, $"{name} second state", abs: 1e-6, rel: 1e-6);
        Assert.NotEqual(p0, pVector);
    }

    private static void Run(string name, Span<float> p, ReadOnlySpan<float> g, Span<float> a, Span<float> b, int step)
    {
        switch (name)
        {
            case "sgd": Optimizers.Sgd_Step(p, g, 0.1f); break;
            case "momentum": Optimizers.Momentum_Step(p, g, a, 0.1f, 0.9f, nesterov: false); break;
            case "nesterov": Optimizers.Momentum_Step(p, g, a, 0.1f, 0.9f, nesterov: true); break;
            case "adagrad": Optimizers.Adagrad_Step(p, g, a, 0.1f, 1e-7f); break;
            case "rmsprop": Optimizers.RmsProp_Step(p, g, a, 0.01f, 0.9f, 1e-7f); break;
            case "adam": Optimizers.Adam_Step(p, g, a, b, 0.01f, 0.9f, 0.999f, 1e-7f, step); break;
            case "adamw": Optimizers.AdamW_Step(p, g, a, b, 0.01f, 0.9f, 0.999f, 1e-7f, 0.004f, step); break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    [Fact]
    public void MismatchedLengthsThrowNamingBothLengths()
    {
        var p = new float[8];
        var ok = new float[8];
        var bad = new float[7];
        AssertLengthError(() => Optimizers.Sgd_Step(p, bad, 0.1f));
        AssertLengthError(() => Optimizers.Momentum_Step(p, ok, bad, 0.1f, 0.9f, false));
        AssertLengthError(() => Optimizers.Momentum_Step(p, bad, ok, 0.1f, 0.9f, true));
        AssertLengthError(() => Optimizers.Adagrad_Step(p, ok, bad, 0.1f, 1e-7f));
        AssertLengthError(() => Optimizers.RmsProp_Step(p, ok, bad, 0.1f, 0.9f, 1e-7f));
        AssertLengthError(() => Optimizers.Adam_Step(p, ok, ok, bad, 0.1f, 0.9f, 0.999f, 1e-7f, 1));
        AssertLengthError(() => Optimizers.Adam_Step(p, ok, bad, ok, 0.1f, 0.9f, 0.999f, 1e-7f, 1));
        AssertLengthError(() => Optimizers.AdamW_Step(p, bad, ok, ok, 0.1f, 0.9f, 0.999f, 1e-7f, 0.004f, 1));
        AssertLengthError(() => Optimizers.AdamW_Step(p, ok, ok, bad, 0.1f, 0.9f, 0.999f, 1e-7f, 0.004f, 1));
        // Validation happens before any write.
        Assert.All(p, x => Assert.Equal(0f, x));
    }

    private static void AssertLengthError(Action call)
    {
        var e = Assert.Throws<ArgumentException>(call);
        Assert.Contains("7", e.Message);
        Assert.Contains("8", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AdamRejectsStepBelowOne(int step)
    {
        var s = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizers.Adam_Step(s, s, s, s, 0.1f, 0.9f, 0.999f, 1e-7f, step));
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizers.AdamW_Step(s, s, s, s, 0.1f, 0.9f, 0.999f, 1e-7f, 0.004f, step));
    }

    [Fact]
    public void KernelsAllocateNothing()
    {
        const int n = 4099;
        float[] p = new float[n], g = new float[n], a = new float[n], b = new float[n];
        var random = new SeededRandom(11);
        for (int i = 0; i < n; i++) { p[i] = random.NextNormal(); g[i] = random.NextNormal(); }
        string[] names = { "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw" };

        // Warm up so tiered JIT and static initialization happen outside the measured region.
        for (int round = 0; round < 3; round++)
            foreach (string name in names) Run(name, p, g, a, b, round + 1);

        int next = 4;
        foreach (string name in names)
        {
            long allocated = Allocations.LeastPerWindow(() =>
            {
                for (int i = 0; i < 10; i++) Run(name, p, g, a, b, next++);
            });
            Assert.True(allocated == 0, $"{name} allocated {allocated} bytes over 10 steps");
        }
    }
}
