using System.Runtime.Intrinsics;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Packed products split across threads (Parallelism.ThreadCount): bit-identical to one thread for every shape, layout and kernel,
/// nothing allocated per call, and correct when two threads call at once (one of them runs alone).</summary>
[Collection(ThreadCountCollection.Name)]
public class ParallelGemmTests
{
    // Above the parallel threshold (2^20 multiply-adds): n on and off the 32/16/8-column tile edges, tiles fewer than threads, several
    // NC (480) and KC (384) blocks, and a part boundary next to the last, partial tile; wide products split by columns, tall ones by rows.
    public static TheoryData<string, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int>();
        int[][] shapes = [[64, 128, 784], [128, 784, 64], [100, 333, 97], [37, 1000, 50], [300, 40, 100], [256, 256, 256], [33, 961, 401], [200, 65, 130],
            [1700, 40, 30], [512, 128, 2560]]; // taller than wide (split by rows): over one MC (1536) block, a recurrent weight gradient
        foreach (string layout in new[] { "NN", "TN", "NT" })
            foreach (int[] s in shapes) data.Add(layout, s[0], s[1], s[2]);
        return data;
    }

    private static IEnumerable<GemmKernel> Kernels()
    {
        yield return GemmKernel.Vector128;
        if (Vector256.IsHardwareAccelerated) yield return GemmKernel.Vector256;
        if (Vector512.IsHardwareAccelerated) yield return GemmKernel.Vector512;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryThreadCountGivesTheSameBits(string layout, int m, int n, int k)
    {
        var rng = new Random(m * 31 + n * 7 + k);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] c0 = Enumerable.Range(0, m * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        GemmLayout l = Enum.Parse<GemmLayout>(layout);
        int saved = Parallelism.ThreadCount;
        try
        {
            foreach (GemmKernel kernel in Kernels())
                foreach (bool accumulate in new[] { false, true })
                {
                    float[]? single = null;
                    foreach (int threads in new[] { 1, 2, 3, 4 })
                    {
                        Parallelism.ThreadCount = threads;
                        float[] c = (float[])c0.Clone();
                        GemmDriver.Run(kernel, c, a, b, m, n, k, l, accumulate, GemmPath.Packed);
                        if (single is null) single = c;
                        else Assert.True(single.AsSpan().SequenceEqual(c), $"{layout} {m}x{n}x{k} {kernel} acc={accumulate}: {threads} threads differ from 1");
                    }
                }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Theory]
    [InlineData("NT", 32, 512, 128)]
    [InlineData("NN", 32, 128, 512)]
    [InlineData("NT", 64, 150, 50)]
    [InlineData("NN", 5, 1000, 400)]
    [InlineData("NT", 3, 512, 128)]
    [InlineData("NN", 48, 33, 900)]
    public void ARepeatedBGivesTheBitsOfAPlainProduct(string layout, int m, int n, int k)
    {
        var rng = new Random(m + n + k);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] c0 = Enumerable.Range(0, m * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        GemmLayout l = Enum.Parse<GemmLayout>(layout);
        // Fewer than four rows on AVX-512 run the packed GEMV, whose sums go in k order: the same bits on any thread count, the plain
        // product's value within rounding.
        bool gemv = GemmPackedGemv.Applies(GemmDriver.DefaultKernel, m, n, k);
        int saved = Parallelism.ThreadCount;
        var first = new Dictionary<bool, float[]>();
        try
        {
            foreach (int threads in new[] { 1, 2 })
                foreach (bool accumulate in new[] { false, true })
                {
                    Parallelism.ThreadCount = threads;
                    float[] plain = (float[])c0.Clone(), repeated = (float[])c0.Clone();
                    if (l == GemmLayout.NN) Gemm.NN(plain, a, b, m, n, k, accumulate);
                    else Gemm.NT(plain, a, b, m, n, k, accumulate);
                    var packedOnce = new RepeatedB(b, m, n, k, l);
                    for (int step = 0; step < 3; step++) // the packed copy is read again, not consumed
                    {
                        float[] c = (float[])c0.Clone();
                        packedOnce.Multiply(c, a, b, accumulate);
                        repeated = c;
                    }
                    if (!gemv)
                    {
                        Assert.True(plain.AsSpan().SequenceEqual(repeated), $"{layout} {m}x{n}x{k} threads={threads} acc={accumulate}");
                        continue;
                    }
                    for (int i = 0; i < plain.Length; i++)
                        Assert.True(Math.Abs(plain[i] - repeated[i]) <= 1e-5f * k, $"{layout} {m}x{n}x{k} threads={threads} acc={accumulate} [{i}]: {repeated[i]} vs {plain[i]}");
                    if (first.TryGetValue(accumulate, out float[]? one))
                        Assert.True(one.AsSpan().SequenceEqual(repeated), $"{layout} {m}x{n}x{k} acc={accumulate}: 2 threads differ from 1");
                    else first[accumulate] = repeated;
                }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Theory]
    [InlineData("NT", 1, 512, 128)]
    [InlineData("NT", 2, 200, 500)] // k over one KC block, a last panel that overhangs C
    [InlineData("NN", 3, 33, 40)]
    [InlineData("NN", 1, 384, 128)] // the GRU's 3 x 128 gates: groups of four panels, then single panels
    [InlineData("NT", 1, 1024, 256)] // large enough to split across threads
    [InlineData("NT", 2, 600, 300)] // split, with a last panel that overhangs C
    public void APackedGemvMatchesADoublePrecisionProductOnAnyThreadCount(string layout, int m, int n, int k)
    {
        // Without AVX-512, RepeatedB keeps the plain product, which must pass the same checks.
        var rng = new Random(m * 7 + n + k);
        float[] a = Uniform(rng, m * k), b = Uniform(rng, k * n), c0 = Uniform(rng, m * n);
        GemmLayout l = Enum.Parse<GemmLayout>(layout);
        AssertTheBitsOfOneThread(() =>
        {
            float[] c = (float[])c0.Clone();
            new RepeatedB(b, m, n, k, l).Multiply(c, a, b, accumulate: true);
            AssertNearDoubleProduct(c, c0, a, l == GemmLayout.NT ? (j, p) => b[j * k + p] : (j, p) => b[p * n + j], m, n, k, $"{layout} {m}x{n}x{k}");
            return [c];
        }, $"{layout} {m}x{n}x{k}");
    }

    /// <summary>The LSTM steps split across threads (by rows, each thread running its rows through every step, forward and backward, from eight
    /// rows; by units, one step at a time, for the batch-of-one GEMV) give every output and gradient the bits of one thread, with padded rows,
    /// recurrent dropout, in both directions, and in the inference form (two rolling state slots, gates a block of three steps at a time,
    /// which does not divide the steps).</summary>
    [Theory]
    [InlineData(8, false, false)]
    [InlineData(8, true, true)]
    [InlineData(5, false, true)]
    [InlineData(1, false, false)]
    public void TheLstmStepsSplitAcrossThreadsGiveTheBitsOfOneThread(int batch, bool reverse, bool recurrentDropout)
    {
        const int steps = 5, inFeatures = 24, units = 256;
        var rng = new Random(batch + (reverse ? 10 : 0));
        float[] x = Uniform(rng, steps * batch * inFeatures), wIh = Uniform(rng, 4 * units * inFeatures, 0.2), wHh = Uniform(rng, 4 * units * units, 0.1);
        float[] bias = Uniform(rng, 4 * units, 0.1), h0 = Uniform(rng, batch * units), c0 = Uniform(rng, batch * units);
        float[] dy = Uniform(rng, steps * batch * units), dhFinal = Uniform(rng, batch * units);
        float[] mask = batch > 1 ? Padding(steps * batch) : [], recurrentMask = recurrentDropout ? DropoutMask(batch * units) : [];
        int state = batch * units;
        AssertTheBitsOfOneThread(() =>
        {
            float[] y = new float[steps * state], h = new float[(steps + 1) * state], c = new float[h.Length], gates = new float[steps * batch * 4 * units];
            h0.CopyTo(h, (reverse ? steps : 0) * state);
            c0.CopyTo(c, (reverse ? steps : 0) * state);
            Layers.Lstm_Forward(y, h, c, gates, new float[5 * state], x, mask, recurrentMask, wIh, wHh, bias, steps, batch, inFeatures, units, reverse);
            float[] dx = new float[x.Length], dWIh = new float[wIh.Length], dWHh = new float[wHh.Length], dBias = new float[bias.Length];
            float[] dh0 = new float[state], dc0 = new float[state], dGates = new float[gates.Length];
            Layers.Lstm_Backward(dx, dWIh, dWHh, dBias, dh0, dc0, dGates, new float[2 * state], new float[state], dy, dhFinal, default,
                x, mask, recurrentMask, wIh, wHh, h, c, gates, steps, batch, inFeatures, units, reverse);
            Assert.All(dx, v => Assert.True(float.IsFinite(v)));
            Assert.Contains(dh0, v => v != 0f);
            float[] yRolling = new float[y.Length], hRolling = new float[2 * state], cRolling = new float[2 * state];
            h0.CopyTo(hRolling, (reverse ? steps & 1 : 0) * state);
            c0.CopyTo(cRolling, (reverse ? steps & 1 : 0) * state);
            Layers.Lstm_Forward(yRolling, hRolling, cRolling, new float[3 * batch * 4 * units], new float[5 * state], x, mask, recurrentMask, wIh, wHh, bias,
                steps, batch, inFeatures, units, reverse);
            for (int i = 0; i < y.Length; i++) Assert.Equal(y[i], yRolling[i], 1e-5f); // the same steps, projected in other blocks
            return [y, h, c, gates, dx, dWIh, dWHh, dBias, dh0, dc0, yRolling, hRolling, cRolling];
        }, $"LSTM batch {batch}");
    }

    /// <summary>The GRU steps split across threads by rows (each thread running its rows through every step), forward and backward, give every
    /// output and gradient the bits of one thread, with padded rows, in both directions (recurrent dropout keeps the backward on one thread,
    /// the forward still splits), and in the inference form (two rolling state slots, gates a block of three steps at a time).</summary>
    [Theory]
    [InlineData(8, false, false)]
    [InlineData(8, true, true)]
    [InlineData(12, true, false)]
    public void TheGruStepsSplitAcrossThreadsGiveTheBitsOfOneThread(int batch, bool reverse, bool recurrentDropout)
    {
        const int steps = 5, inFeatures = 24, units = 256;
        var rng = new Random(batch + (reverse ? 20 : 0));
        float[] x = Uniform(rng, steps * batch * inFeatures), wIh = Uniform(rng, 3 * units * inFeatures, 0.2), wHh = Uniform(rng, 3 * units * units, 0.1);
        float[] bIh = Uniform(rng, 3 * units, 0.1), bHh = Uniform(rng, 3 * units, 0.1), h0 = Uniform(rng, batch * units);
        float[] dy = Uniform(rng, steps * batch * units), dhFinal = Uniform(rng, batch * units);
        float[] mask = Padding(steps * batch), recurrentMask = recurrentDropout ? DropoutMask(batch * units) : [];
        int state = batch * units;
        AssertTheBitsOfOneThread(() =>
        {
            float[] y = new float[steps * state], h = new float[(steps + 1) * state], gates = new float[steps * batch * 3 * units], hiddenN = new float[steps * state];
            h0.CopyTo(h, (reverse ? steps : 0) * state);
            Layers.Gru_Forward(y, h, gates, hiddenN, new float[4 * state], x, mask, recurrentMask, wIh, wHh, bIh, bHh, steps, batch, inFeatures, units, reverse);
            float[] dx = new float[x.Length], dWIh = new float[wIh.Length], dWHh = new float[wHh.Length], dbIh = new float[bIh.Length], dbHh = new float[bHh.Length];
            float[] dh0 = new float[state], dGates = new float[gates.Length];
            Layers.Gru_Backward(dx, dWIh, dWHh, dbIh, dbHh, dh0, dGates, new float[2 * state], dy, dhFinal, x, mask, recurrentMask, wIh, wHh, h, gates,
                hiddenN, steps, batch, inFeatures, units, reverse);
            Assert.All(dx, v => Assert.True(float.IsFinite(v)));
            Assert.Contains(dh0, v => v != 0f);
            float[] yRolling = new float[y.Length], hRolling = new float[2 * state];
            h0.CopyTo(hRolling, (reverse ? steps & 1 : 0) * state);
            Layers.Gru_Forward(yRolling, hRolling, new float[3 * batch * 3 * units], new float[3 * state], new float[4 * state], x, mask, recurrentMask,
                wIh, wHh, bIh, bHh, steps, batch, inFeatures, units, reverse);
            for (int i = 0; i < y.Length; i++) Assert.Equal(y[i], yRolling[i], 1e-5f); // the same steps, projected in other blocks
            return [y, h, gates, hiddenN, dx, dWIh, dWHh, dbIh, dbHh, dh0, yRolling, hRolling];
        }, $"GRU batch {batch}");
    }

    /// <summary>A batch-of-one or -two dense product (NT, dot products) split across threads by runs of eight columns: the bits of one
    /// thread, the value of a double-precision product, with a column count that leaves a tail of fewer than eight.</summary>
    [Theory]
    [InlineData(1, 203, 784)]
    [InlineData(2, 128, 300)]
    [InlineData(1, 16, 4096)]
    public void ASplitDotProductGivesTheBitsOfOneThread(int m, int n, int k)
    {
        var rng = new Random(m + n + k);
        float[] a = Uniform(rng, m * k), b = Uniform(rng, n * k), c0 = Uniform(rng, m * n);
        AssertTheBitsOfOneThread(() =>
        {
            float[] c = (float[])c0.Clone();
            Gemm.NT(c, a, b, m, n, k, accumulate: true);
            AssertNearDoubleProduct(c, c0, a, (j, p) => b[j * k + p], m, n, k, $"{m}x{n}x{k}");
            return [c];
        }, $"{m}x{n}x{k}");
    }

    /// <summary>A thread's packing buffers are sized by the whole product, not by the part it ran: after a tall product split by rows on two
    /// threads (the caller runs the first part), the whole product on that thread alone allocates nothing. Sized by the part, the caller's
    /// A buffer (852 of 1700 rows) would grow, as it would the first time it claimed a larger part a late helper left.</summary>
    [Fact]
    public void AThreadsPackingBuffersDoNotDependOnWhichPartItRan()
    {
        const int m = 1700, n = 40, k = 30;
        var rng = new Random(17);
        float[] a = Uniform(rng, m * k), b = Uniform(rng, k * n), c = new float[m * n];
        int saved = Parallelism.ThreadCount;
        long allocated = -1;
        try
        {
            var thread = new Thread(() =>
            {
                Parallelism.ThreadCount = 2;
                Gemm.NN(c, a, b, m, n, k, accumulate: false);
                Parallelism.ThreadCount = 1;
                long before = GC.GetAllocatedBytesForCurrentThread();
                Gemm.NN(c, a, b, m, n, k, accumulate: false);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            thread.Start();
            thread.Join();
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
        Assert.Equal(0, allocated);
    }

    /// <summary>A lookup large enough to split across threads by samples: every output row is its token's table row, on one thread and on
    /// two; a bad id anywhere fails before anything is gathered, naming its sample and step, whichever thread would have gathered it.</summary>
    [Fact]
    public void ALargeEmbeddingLookupSplitAcrossThreadsCopiesEveryRow()
    {
        const int batch = 32, steps = 40, dimension = 64, vocabulary = 500;
        var rng = new Random(5);
        float[] table = Uniform(rng, vocabulary * dimension);
        int[] tokens = Enumerable.Range(0, batch * steps).Select(_ => rng.Next(vocabulary)).ToArray();
        AssertTheBitsOfOneThread(() =>
        {
            float[] y = Enumerable.Repeat(float.NaN, steps * batch * dimension).ToArray();
            Layers.Embedding_Forward(y, tokens, table, batch, steps, vocabulary, dimension);
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < steps; t++)
                    Assert.True(y.AsSpan((t * batch + b) * dimension, dimension).SequenceEqual(table.AsSpan(tokens[b * steps + t] * dimension, dimension)),
                        $"sample {b}, step {t}");
            return [y];
        }, "embedding");
        tokens[30 * steps + 7] = vocabulary; // in the second thread's samples
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 2;
            float[] y = new float[steps * batch * dimension];
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Layers.Embedding_Forward(y, tokens, table, batch, steps, vocabulary, dimension));
            Assert.Contains("Token id 500 at sample 30, step 7 is outside the vocabulary of size 500", e.Message);
            Assert.All(y, v => Assert.Equal(0f, v));
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    /// <summary>An Adam step over more parameters than its split threshold, with a length that leaves a tail: the bits of one thread, and
    /// every element updated (a share skipped or done twice would show).</summary>
    [Fact]
    public void ASplitAdamStepGivesTheBitsOfOneThread()
    {
        const int n = 200_003;
        var rng = new Random(9);
        float[] p0 = Uniform(rng, n), g = Uniform(rng, n, 0.1).Select(v => v + 1e-3f).ToArray();
        AssertTheBitsOfOneThread(() =>
        {
            float[] p = (float[])p0.Clone(), m = new float[n], v = new float[n];
            for (int step = 1; step <= 3; step++) Optimizers.Adam_Step(p, g, m, v, 0.01f, 0.9f, 0.999f, 1e-7f, step);
            for (int i = 0; i < n; i++) Assert.True(p[i] != p0[i], $"element {i} was not updated");
            return [p];
        }, "Adam");
    }

    /// <summary>Runs <paramref name="run"/> on one thread, then on two (<see cref="Parallelism.ThreadCount"/>, restored after), and asserts
    /// that every array it returns has the same bits both times.</summary>
    private static void AssertTheBitsOfOneThread(Func<float[][]> run, string what)
    {
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            float[][] one = run();
            Parallelism.ThreadCount = 2;
            float[][] two = run();
            for (int i = 0; i < one.Length; i++) Assert.True(one[i].AsSpan().SequenceEqual(two[i]), $"{what}: output {i} differs on 2 threads from 1");
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    /// <summary>c = c0 + A·B within 1e-5 per term of a double-precision product; <paramref name="b"/>(j, p) is B's element for column j at p.</summary>
    private static void AssertNearDoubleProduct(float[] c, float[] c0, float[] a, Func<int, int, float> b, int m, int n, int k, string what)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = c0[i * n + j];
                for (int p = 0; p < k; p++) expected += (double)a[i * k + p] * b(j, p);
                Assert.True(Math.Abs(expected - c[i * n + j]) <= 1e-5 * k, $"{what} [{i},{j}]: {c[i * n + j]} vs {expected}");
            }
    }

    private static float[] Uniform(Random rng, int n, double scale = 1) =>
        Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();

    /// <summary>A padding mask with every third (step, sample) padded.</summary>
    private static float[] Padding(int n) => Enumerable.Range(0, n).Select(i => i % 3 == 2 ? 0f : 1f).ToArray();

    /// <summary>A recurrent-dropout mask: every fifth unit dropped, the rest scaled by 1 / 0.8.</summary>
    private static float[] DropoutMask(int n) => Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0f : 1.25f).ToArray();

    [Fact]
    public void ASplitProductAllocatesNothingPerCall()
    {
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 2;
            const int n = 256;
            var a = new float[n * n];
            var b = new float[n * n];
            var c = new float[n * n];
            // Warm-up: who runs which part depends on scheduling (the caller takes parts a helper has not claimed yet), so a helper
            // grows its pack buffers the first time it happens to run a part. Warm up until it has, and 50 calls since changed nothing.
            int quiet = 0;
            for (int i = 0; i < 5000 && quiet < 50; i++)
            {
                long seen = WorkerPool.HelperAllocatedBytes;
                Gemm.NN(c, a, b, n, n, n, accumulate: false);
                quiet = seen != 0 && WorkerPool.HelperAllocatedBytes == seen ? quiet + 1 : 0;
            }
            // Per thread: the process-wide counter also sees the test runner's threads.
            long helpers = WorkerPool.HelperAllocatedBytes, caller = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++) Gemm.NN(c, a, b, n, n, n, accumulate: false);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
            Assert.Equal(0, WorkerPool.HelperAllocatedBytes - helpers);
            Assert.NotEqual(0, WorkerPool.HelperAllocatedBytes); // the helper did run (its pack buffers were allocated once)
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Fact]
    public void TwoCallersAtOnceBothGetTheirProduct()
    {
        const int n = 192;
        var rng = new Random(5);
        float[] a = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var expected = new float[n * n];
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            Gemm.NN(expected, a, b, n, n, n, accumulate: false);
            Parallelism.ThreadCount = 2;
            var results = new float[4][];
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
            {
                var c = new float[n * n];
                for (int i = 0; i < 50; i++) Gemm.NN(c, a, b, n, n, n, accumulate: false);
                results[t] = c;
            });
            foreach (float[] c in results) Assert.True(expected.AsSpan().SequenceEqual(c));
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Fact]
    public void TheThreadCountIsChecked()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.ThreadCount = 0);
        Assert.Contains("between 1 and 256", e.Message);
        Assert.InRange(Parallelism.ThreadCount, 1, 256);
    }
}

/// <summary>Tests that change Parallelism.ThreadCount and measure allocations run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "Parallelism.ThreadCount";
}
