namespace Unroll.Models.Tests;

/// <summary>Predict takes any number of samples: 10,000 at once give exactly the predictions of MaxBatch-sized chunks, for float,
/// token and multi-input models; the array-returning overload gives the same values; the span overload allocates nothing.</summary>
public class PredictManyTests
{
    private const int Samples = 10_000;

    private static float[] Floats(int n, ulong seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextFloat() * 2 - 1).ToArray();
    }

    [Fact]
    public void TenThousandSamplesEqualChunkedPredictions()
    {
        var model = new ServingMlp(seed: 1);
        float[] inputs = Floats(Samples * ServingMlp.InputSize, 2);
        var all = new float[Samples * ServingMlp.OutputSize];
        model.Predict(inputs, all);

        var chunked = new float[all.Length];
        for (int start = 0; start < Samples; start += ServingMlp.MaxBatch)
        {
            int n = Math.Min(ServingMlp.MaxBatch, Samples - start);
            model.Predict(inputs.AsSpan(start * ServingMlp.InputSize, n * ServingMlp.InputSize), chunked.AsSpan(start * ServingMlp.OutputSize, n * ServingMlp.OutputSize));
        }
        Assert.Equal(chunked, all);
        Assert.Equal(all, model.Predict(inputs));

        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Predict(inputs, all);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TokenModelsPredictAnyNumberToo()
    {
        var model = new ServingLstm(seed: 3);
        var random = new SeededRandom(4);
        int[] tokens = Enumerable.Range(0, 1003 * ServingLstm.InputSize).Select(_ => random.NextInt(100)).ToArray();
        float[] all = model.Predict(tokens);
        Assert.Equal(1003, all.Length);
        for (int start = 0; start < 1003; start += ServingLstm.MaxBatch)
        {
            int n = Math.Min(ServingLstm.MaxBatch, 1003 - start);
            var chunk = new float[n];
            model.Predict(tokens.AsSpan(start * ServingLstm.InputSize, n * ServingLstm.InputSize), chunk);
            Assert.Equal(chunk, all.AsSpan(start, n).ToArray());
        }
    }

    [Fact]
    public void MultiInputModelsChunkEveryInputAlike()
    {
        var model = new GoldenMerges();
        const int Count = 21; // MaxBatch 8: chunks of 8, 8 and 5
        float[] a = Floats(Count * GoldenMerges.ASize, 5), b = Floats(Count * GoldenMerges.BSize, 6);
        var random = new SeededRandom(7);
        int[] words = Enumerable.Range(0, Count * GoldenMerges.WordsSize).Select(_ => random.NextInt(5)).ToArray();
        float[] all = model.Predict(a, b, words);
        for (int start = 0; start < Count; start += GoldenMerges.MaxBatch)
        {
            int n = Math.Min(GoldenMerges.MaxBatch, Count - start);
            float[] chunk = model.Predict(a.AsSpan(start * GoldenMerges.ASize, n * GoldenMerges.ASize), b.AsSpan(start * GoldenMerges.BSize, n * GoldenMerges.BSize),
                words.AsSpan(start * GoldenMerges.WordsSize, n * GoldenMerges.WordsSize));
            Assert.Equal(chunk, all.AsSpan(start * GoldenMerges.OutputSize, n * GoldenMerges.OutputSize).ToArray());
        }
    }

    [Fact]
    public void MismatchedCountsAreRejected()
    {
        var model = new ServingMlp(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => model.Predict(new float[100 * ServingMlp.InputSize], new float[99 * ServingMlp.OutputSize]));
        Assert.StartsWith("outputs holds 396 floats for 100 samples; 400 (100 x 4) were expected.", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Predict(new float[ServingMlp.InputSize + 1]));
        Assert.StartsWith("inputs holds 17 floats, which is not a whole, non-zero number of samples of 16 features.", e.Message);
    }
}
