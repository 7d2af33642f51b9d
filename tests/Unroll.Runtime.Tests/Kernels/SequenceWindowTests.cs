using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Windows of batch-major sequences and the gather/scatter of unmasked rows that per-step losses use.</summary>
public class SequenceWindowTests
{
    // x[b, t, f] = 100 b + 10 t + f: every value names its position.
    private static float[] Positions(int batch, int steps, int features)
    {
        var x = new float[batch * steps * features];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int f = 0; f < features; f++)
                    x[(b * steps + t) * features + f] = 100 * b + 10 * t + f;
        return x;
    }

    [Fact]
    public void WindowKeepsTheBatchMajorLayout()
    {
        float[] x = Positions(2, 5, 2);
        var y = new float[2 * 2 * 2];
        Layers.Sequence_Window<float>(y, x, batch: 2, totalSteps: 5, start: 3, steps: 2, features: 2);
        Assert.Equal(new float[] { 30, 31, 40, 41, 130, 131, 140, 141 }, y);
    }

    [Fact]
    public void WindowToTimeMajorTransposesTheWindow()
    {
        float[] x = Positions(3, 4, 1);
        var y = new float[2 * 3];
        Layers.Sequence_WindowToTimeMajor<float>(y, x, batch: 3, totalSteps: 4, start: 1, steps: 2, features: 1);
        Assert.Equal(new float[] { 10, 110, 210, 20, 120, 220 }, y);

        int[] tokens = { 1, 2, 3, 4, 5, 6 };
        var window = new int[4];
        Layers.Sequence_WindowToTimeMajor<int>(window, tokens, batch: 2, totalSteps: 3, start: 1, steps: 2, features: 1);
        Assert.Equal(new[] { 2, 5, 3, 6 }, window);
    }

    [Fact]
    public void AWindowOutsideTheSequenceIsRejectedWithItsBounds()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Layers.Sequence_Window<float>(new float[6], new float[10], 2, 5, 4, 3, 1));
        Assert.Contains("[4, 7)", e.Message);
        Assert.Contains("5 steps", e.Message);
        Assert.Throws<ArgumentException>(() => Layers.Sequence_Window<float>(new float[5], new float[10], 2, 5, 0, 3, 1));
    }

    [Fact]
    public void GatherThenScatterRoundTripsTheUnmaskedRows()
    {
        float[] x = Positions(1, 5, 2); // rows 0..4 of two features
        float[] mask = { 1, 0, 1, 1, 0 };
        var compact = new float[10];
        Array.Fill(compact, -1f);
        int kept = Layers.Sequence_GatherRows<float>(compact, x, mask, 2);
        Assert.Equal(3, kept);
        Assert.Equal(new float[] { 0, 1, 20, 21, 30, 31, -1, -1, -1, -1 }, compact);

        var back = new float[10];
        Array.Fill(back, 7f);
        Layers.Sequence_ScatterRows(back, compact, mask, 2);
        Assert.Equal(new float[] { 0, 1, 7, 7, 20, 21, 30, 31, 7, 7 }, back);

        int[] labels = { 4, 5, 6, 7, 8 };
        var keptLabels = new int[5];
        Assert.Equal(3, Layers.Sequence_GatherRows<int>(keptLabels, labels, mask, 1));
        Assert.Equal(new[] { 4, 6, 7, 0, 0 }, keptLabels);
    }

    [Fact]
    public void WindowsAndGathersAllocateNothing()
    {
        float[] x = Positions(4, 10, 3), y = new float[4 * 5 * 3], mask = new float[40];
        mask.AsSpan(0, 20).Fill(1f);
        var compact = new float[120];
        Layers.Sequence_WindowToTimeMajor<float>(y, x, 4, 10, 5, 5, 3);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Layers.Sequence_Window<float>(y, x, 4, 10, 5, 5, 3);
            Layers.Sequence_WindowToTimeMajor<float>(y, x, 4, 10, 5, 5, 3);
            Layers.Sequence_GatherRows<float>(compact, x, mask, 3);
            Layers.Sequence_ScatterRows(x, compact, mask, 3);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
