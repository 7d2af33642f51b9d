using Unroll.Text;
using Xunit;

namespace Unroll.Runtime.Tests.Text;

/// <summary>SkipGramSampler: word2vec's pairs (windows within a document, k negatives per positive), its subsampling formula and noise
/// distribution, seeded batches that straddle centres without losing rows, and no allocation per batch.</summary>
public class SkipGramSamplerTests
{
    private static int[][] Corpus(int documents, int length, int vocabulary, ulong seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, documents).Select(_ => Enumerable.Range(0, length).Select(_ => 1 + random.NextInt(vocabulary - 1)).ToArray()).ToArray();
    }

    private static List<(int Word, int Context, float Label)> Epoch(SkipGramSampler sampler, int batch)
    {
        var rows = new List<(int, int, float)>();
        var w = new int[batch];
        var c = new int[batch];
        var l = new float[batch];
        int n;
        while ((n = sampler.NextBatch(w, c, l)) > 0)
            for (int i = 0; i < n; i++) rows.Add((w[i], c[i], l[i]));
        return rows;
    }

    [Fact]
    public void PositivesAreNeighboursWithinTheWindowAndEachHasKNegatives()
    {
        // Every id occurs once, at a known place: a positive pair's distance is its context's position minus its word's.
        int[][] docs = { Enumerable.Range(1, 30).ToArray(), Enumerable.Range(31, 20).ToArray() };
        var sampler = new SkipGramSampler(docs, 51, new SkipGramOptions { Window = 3, Negatives = 4, Subsample = 0, Seed = 7 });
        List<(int Word, int Context, float Label)> rows = Epoch(sampler, batch: 7); // 7: batches cut centres' rows apart
        Assert.Equal(0, rows.Count % 5);
        for (int i = 0; i < rows.Count; i += 5)
        {
            (int word, int context, float label) = rows[i];
            Assert.Equal(1f, label);
            Assert.InRange(Math.Abs(context - word), 1, 3);
            Assert.Equal(word <= 30, context <= 30); // never across documents
            for (int k = 1; k <= 4; k++)
            {
                Assert.Equal(word, rows[i + k].Word);
                Assert.Equal(0f, rows[i + k].Label);
                Assert.NotEqual(context, rows[i + k].Context);
                Assert.InRange(rows[i + k].Context, 1, 50);
            }
        }
        // Every word was a centre, with at least its nearest neighbours as contexts (windows shrink to 1..3, never to 0).
        var positives = rows.Where(r => r.Label == 1f).ToList();
        foreach (int id in Enumerable.Range(1, 50))
        {
            bool first = id == 1 || id == 31, last = id == 30 || id == 50;
            if (!last) Assert.Contains((id, id + 1, 1f), positives);
            if (!first) Assert.Contains((id, id - 1, 1f), positives);
        }
    }

    [Fact]
    public void WindowsShrinkUniformlyFromOneToTheLargest()
    {
        // Centres in the middle of a long document: the count of distance-d contexts falls as P(window >= d) = (W - d + 1) / W.
        int[][] docs = { Enumerable.Range(1, 4000).ToArray() };
        var sampler = new SkipGramSampler(docs, 4001, new SkipGramOptions { Window = 4, Negatives = 0, Subsample = 0, Seed = 3 });
        var byDistance = Epoch(sampler, 1000).GroupBy(r => Math.Abs(r.Context - r.Word)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new[] { 1, 2, 3, 4 }, byDistance.Keys.Order());
        double centres = 4000 * 2; // both sides
        for (int d = 1; d <= 4; d++)
            Assert.InRange(byDistance[d] / centres, (4 - d + 1) / 4.0 - 0.03, (4 - d + 1) / 4.0 + 0.03);
    }

    [Fact]
    public void SubsamplingKeepsWord2VecsShareOfFrequentWords()
    {
        // Id 1 is half the corpus; ids 2..101 share the rest. word2vec keeps a word of frequency f with (sqrt(f/t) + 1) t / f.
        var random = new SeededRandom(1);
        int[] doc = Enumerable.Range(0, 200_000).Select(i => i % 2 == 0 ? 1 : 2 + random.NextInt(100)).ToArray();
        var sampler = new SkipGramSampler(new[] { doc }, 102, new SkipGramOptions { Subsample = 1e-2, Negatives = 0, Window = 1 });
        double t = 1e-2, f = 0.5;
        Assert.Equal((Math.Sqrt(f / t) + 1) * t / f, sampler.KeepProbability(1), 6);
        Assert.Equal(1.0, sampler.KeepProbability(2)); // f = 0.005: the formula gives 3.4, capped at 1
        Assert.Equal(100_000, sampler.Counts[1]);
        // Centres of id 1 in one epoch: about keep(1) of its 100,000 occurrences.
        int centres = Epoch(sampler, 4096).Count(r => r.Word == 1);
        double expectedCentres = 100_000 * sampler.KeepProbability(1);
        Assert.InRange(centres / 2.0, expectedCentres * 0.85, expectedCentres * 1.15); // about 2 contexts per kept centre (window 1)
    }

    [Fact]
    public void NoiseFollowsTheUnigramDistributionToThePower075()
    {
        int[] doc = Enumerable.Repeat(1, 800).Concat(Enumerable.Repeat(2, 100)).Concat(Enumerable.Repeat(3, 100)).ToArray();
        var sampler = new SkipGramSampler(new[] { doc }, 4, new SkipGramOptions { Subsample = 0, Negatives = 20, Window = 1, Seed = 5 });
        double z = Math.Pow(800, 0.75) + 2 * Math.Pow(100, 0.75);
        Assert.Equal(Math.Pow(800, 0.75) / z, sampler.NoiseProbability(1), 12);
        Assert.Equal(Math.Pow(100, 0.75) / z, sampler.NoiseProbability(3), 12);
        Assert.Equal(0.0, sampler.NoiseProbability(0));
        // Where the context is 3, noise 3 is drawn again, so noise id 1 comes with probability p1 / (1 - p3).
        var rows = Epoch(sampler, 2100);
        var withContext3 = new List<int>();
        for (int i = 0; i < rows.Count; i += 21)
            if (rows[i].Context == 3)
                for (int k = 1; k <= 20; k++) withContext3.Add(rows[i + k].Context);
        Assert.DoesNotContain(3, withContext3);
        Assert.DoesNotContain(0, rows.Select(r => r.Context));
        double p1 = sampler.NoiseProbability(1) / (1 - sampler.NoiseProbability(3));
        double share = withContext3.Count(id => id == 1) / (double)withContext3.Count;
        Assert.True(withContext3.Count > 1000, $"only {withContext3.Count} negatives");
        Assert.InRange(share, p1 - 0.03, p1 + 0.03);
    }

    [Fact]
    public void EpochsAreSeededAndDiffer()
    {
        int[][] docs = Corpus(5, 300, 40, seed: 2);
        var a = new SkipGramSampler(docs, 40, new SkipGramOptions { Seed = 9 });
        var b = new SkipGramSampler(docs, 40, new SkipGramOptions { Seed = 9 });
        var first = Epoch(a, 100);
        Assert.Equal(first, Epoch(b, 333)); // batch size does not change the stream
        a.StartEpoch();
        Assert.NotEqual(first, Epoch(a, 100));
        Assert.NotEqual(first, Epoch(new SkipGramSampler(docs, 40, new SkipGramOptions { Seed = 10 }), 100));
    }

    [Fact]
    public void BatchesAllocateNothing()
    {
        var sampler = new SkipGramSampler(Corpus(20, 2000, 500, seed: 4), 500);
        var w = new int[1024];
        var c = new int[1024];
        var l = new float[1024];
        sampler.NextBatch(w, c, l);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int rows = 0;
        for (int i = 0; i < 50; i++) rows += sampler.NextBatch(w, c, l);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(50 * 1024, rows);
    }

    [Fact]
    public void BadInputsAreRejectedWithWhereAndWhat()
    {
        var e = Assert.Throws<ArgumentException>(() => new SkipGramSampler(new[] { new[] { 1, 2 }, new[] { 3, 12 } }, 10));
        Assert.StartsWith("Document 1, position 1 holds token id 12, which is not in [0, 10).", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SkipGramSampler(new[] { new[] { 0, 0 } }, 10));
        Assert.StartsWith("The documents hold no token id other than padding (0)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SkipGramSampler(new[] { new[] { 4, 4, 4 } }, 10));
        Assert.StartsWith("The documents hold 1 distinct word; negative sampling needs at least 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkipGramSampler(new[] { new[] { 1, 2 } }, 10, new SkipGramOptions { Window = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkipGramSampler(new[] { new[] { 1, 2 } }, 10, new SkipGramOptions { Subsample = double.NaN }));
        var sampler = new SkipGramSampler(new[] { new[] { 1, 2, 3 } }, 10);
        e = Assert.Throws<ArgumentException>(() => sampler.NextBatch(new int[4], new int[4], new float[3]));
        Assert.StartsWith("words, contexts and labels hold 4, 4 and 3 values", e.Message);
    }

    [Fact]
    public void AliasTableDrawsTheExactDistribution()
    {
        double[] weights = { 0, 5, 1, 0, 2, 0.5 };
        var table = new AliasTable(weights);
        var random = new SeededRandom(11);
        var counts = new int[weights.Length];
        const int N = 400_000;
        for (int i = 0; i < N; i++) counts[table.Sample(random)]++;
        for (int i = 0; i < weights.Length; i++)
            Assert.InRange(counts[i] / (double)N, weights[i] / 8.5 - 0.004, weights[i] / 8.5 + 0.004);
        Assert.Equal(0, counts[0]);
        Assert.Equal(0, counts[3]);
    }
}
