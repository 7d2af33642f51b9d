using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

public class GradientClippingTests
{
    private static readonly JsonElement G = Golden.Load("regularization.json");

    [Fact]
    public void ByGlobalNormMatchesClipGradNorm()
    {
        int unclipped = 0;
        foreach (JsonElement c in G.GetProperty("clip_norm").EnumerateArray())
        {
            float maxNorm = c.GetProperty("max_norm").GetSingle();
            float[] gradients = c.GetProperty("gradients").Floats();
            float[] before = (float[])gradients.Clone();
            float norm = GradientClipping.ByGlobalNorm(gradients, maxNorm);
            Golden.AssertClose(c.GetProperty("norm").GetDouble(), norm, $"norm (max {maxNorm})");
            Golden.AssertClose(c.GetProperty("clipped").Floats(), gradients, $"clipped (max {maxNorm})");
            if (norm < maxNorm)
            {
                unclipped++;
                Assert.Equal(before, gradients);
            }
        }
        Assert.Equal(1, unclipped);
    }

    [Fact]
    public void ByValueMatchesClipGradValue()
    {
        foreach (JsonElement c in G.GetProperty("clip_value").EnumerateArray())
        {
            float clip = c.GetProperty("clip").GetSingle();
            float[] gradients = c.GetProperty("gradients").Floats();
            GradientClipping.ByValue(gradients, clip);
            Golden.AssertClose(c.GetProperty("clipped").Floats(), gradients, $"clip {clip}");
            Assert.All(gradients, g => Assert.InRange(g, -clip, clip));
        }
    }

    [Fact]
    public void ByGlobalNormByHand()
    {
        float[] gradients = [3f, -4f];
        float norm = GradientClipping.ByGlobalNorm(gradients, 1f);
        Assert.Equal(5f, norm);
        Golden.AssertClose([0.6f, -0.8f], gradients, "3-4-5");

        // PyTorch's 1e-6 in maxNorm / (norm + 1e-6) shows on tiny gradients: the factor is 1/6, not 1/5.
        gradients = [3e-6f, -4e-6f];
        GradientClipping.ByGlobalNorm(gradients, 1e-6f);
        Golden.AssertClose([5e-7f, -4e-6f / 6], gradients, "tiny", abs: 0, rel: 1e-5);
    }

    [Fact]
    public void RejectsNegativeBounds()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByValue(new float[2], -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByGlobalNorm(new float[2], -1f));
    }
}
