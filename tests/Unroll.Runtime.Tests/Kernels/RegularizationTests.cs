using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

public class RegularizationTests
{
    [Fact]
    public void L1L2ByHand()
    {
        // penalty = 0.1 * (0.5 + 2 + 0) + 0.01 * (0.25 + 4 + 0) = 0.2925
        // gradient += 0.1 * sign(w) + 0.02 * w = [0.11, -0.14, 0]
        float[] gradient = [1f, 1f, 1f];
        float penalty = Regularization.L1L2(gradient, [0.5f, -2f, 0f], 0.1f, 0.01f);
        Golden.AssertClose(0.2925, penalty, "penalty");
        Golden.AssertClose([1.11f, 0.86f, 1f], gradient, "gradient");
    }

    [Fact]
    public void L1L2MatchesAutograd()
    {
        foreach (JsonElement c in Golden.Load("regularization.json").GetProperty("l1l2").EnumerateArray())
        {
            float l1 = c.GetProperty("l1").GetSingle(), l2 = c.GetProperty("l2").GetSingle();
            float[] w = c.GetProperty("weights").Floats();
            float[] gradient = Enumerable.Repeat(-0.5f, w.Length).ToArray();
            float penalty = Regularization.L1L2(gradient, w, l1, l2);
            string what = $"l1={l1} l2={l2}";
            Golden.AssertClose(c.GetProperty("penalty").GetDouble(), penalty, what + " penalty");
            Golden.AssertClose(c.GetProperty("grad").Floats().Select(v => v - 0.5f).ToArray(), gradient, what + " gradient");
            Assert.Equal(penalty, Regularization.L1L2(default, w, l1, l2));
        }
    }

    [Fact]
    public void L1L2NamesBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Regularization.L1L2(new float[3], new float[8], 0.1f, 0.1f));
        Assert.Contains("3", e.Message);
        Assert.Contains("8", e.Message);
    }
}
