using System.Collections.Concurrent;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>How a batch splits by samples (<see cref="BatchSplit"/>): the rule, the parts' rows, and that neither depends on the thread
/// count.</summary>
[Collection(ThreadCountCollection.Name)]
public class BatchSplitTests
{
    [Theory]
    [InlineData(63, 1L << 30, 1)] // fewer than two parts of 32 samples
    [InlineData(64, 1L << 15, 2)] // two parts of 32 samples, each 2^20 work
    [InlineData(64, (1L << 15) - 1, 1)] // a part would have less than 2^20 work
    [InlineData(100, 1L << 30, 3)] // 33, 33 and 34 samples
    [InlineData(96, 1L << 15, 3)] // 3 x 32 samples of 2^20 work each
    [InlineData(128, 1L << 14, 2)] // the work allows two parts, the samples four
    [InlineData(100_000, 1L << 30, 64)] // at most 64 parts
    [InlineData(64, 0, 1)]
    public void ABatchSplitsIntoPartsOfAtLeast32SamplesAndAMillionMultiplyAdds(int samples, long parameters, int parts) =>
        Assert.Equal(parts, BatchSplit.Parts(samples, parameters));

    /// <summary>Records each part's rows; the outputs are a function of the inputs, so a misplaced part shows.</summary>
    private sealed class Recorder : IPredictRows<float>
    {
        public readonly ConcurrentBag<(float First, int Samples)> Calls = new();
        public int FailOnSample = -1;

        public void PredictRows(ReadOnlySpan<float> inputs, Span<float> outputs)
        {
            Calls.Add((inputs[0], inputs.Length / 3));
            for (int s = 0; s < outputs.Length / 2; s++)
            {
                if ((int)inputs[s * 3] == FailOnSample) throw new InvalidOperationException("sample " + FailOnSample);
                outputs[2 * s] = inputs[3 * s] + inputs[3 * s + 1];
                outputs[2 * s + 1] = inputs[3 * s + 2];
            }
        }
    }

    private static float[] Inputs(int samples) => Enumerable.Range(0, samples * 3).Select(i => i % 3 == 0 ? i / 3 : i * 0.5f).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EveryThreadCountRunsTheSamePartsOfConsecutiveSamples(int threads) => Threads.With(threads, () =>
    {
        float[] x = Inputs(100);
        var y = new float[200];
        var model = new Recorder();
        BatchSplit.Predict(model, x, 3, y, 2, parameters: 1L << 30);
        // Three parts: samples 0-32, 33-65 and 66-99, each called once, whichever thread ran it.
        Assert.Equal(new[] { (0f, 33), (33f, 33), (66f, 34) }, model.Calls.OrderBy(c => c.First).ToArray());
        for (int s = 0; s < 100; s++)
        {
            Assert.Equal(x[3 * s] + x[3 * s + 1], y[2 * s]);
            Assert.Equal(x[3 * s + 2], y[2 * s + 1]);
        }
    });

    [Fact]
    public void ASmallBatchIsOneCall()
    {
        var model = new Recorder();
        BatchSplit.Predict(model, Inputs(63), 3, new float[126], 2, parameters: 1L << 30);
        Assert.Equal(new[] { (0f, 63) }, model.Calls.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void APartsExceptionReachesTheCaller(int threads) => Threads.With(threads, () =>
    {
        var model = new Recorder { FailOnSample = 70 }; // in the third part
        var e = Assert.Throws<InvalidOperationException>(() => BatchSplit.Predict(model, Inputs(100), 3, new float[200], 2, parameters: 1L << 30));
        Assert.Equal("sample 70", e.Message);
    });

    [Fact]
    public void SpansOfDifferentSampleCountsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchSplit.Predict(new Recorder(), new float[3 * 64], 3, new float[2 * 65], 2, 1L << 30));
        Assert.Equal("inputs", e.ParamName);
        Assert.StartsWith("Expected inputs of 65 x 3 values for outputs of 130 floats (2 per sample) but got 192.", e.Message);
        e = Assert.Throws<ArgumentException>(() => BatchSplit.Predict(new Recorder(), new float[3 * 64], 3, new float[129], 2, 1L << 30));
        Assert.StartsWith("Expected inputs of 64 x 3 values for outputs of 129 floats (2 per sample) but got 192.", e.Message);
        Assert.Throws<ArgumentNullException>(() => BatchSplit.Predict<float>(null!, new float[3], 3, new float[2], 2, 1L << 30));
    }

    [Fact]
    public void ASplitBatchAllocatesNothingOnAnyThread() => Threads.With(2, () =>
    {
        float[] x = Inputs(128);
        var y = new float[256];
        var model = new NoAllocation { Caller = Environment.CurrentManagedThreadId };
        // A helper allocates once, the first time it runs a part (64 bytes here; the runtime's, not the pool's), and a caller this fast
        // often takes every part itself: warm up until a helper has run a part and the helpers have reported nothing new for 50 calls
        // since. Without the first condition the test failed about one run in three when run alone.
        int quiet = 0;
        for (int i = 0; i < 100_000 && quiet < 50; i++)
        {
            long seen = WorkerPool.HelperAllocatedBytes;
            BatchSplit.Predict(model, x, 3, y, 2, parameters: 1L << 30);
            quiet = Volatile.Read(ref model.RanOnAHelper) && WorkerPool.HelperAllocatedBytes == seen ? quiet + 1 : 0;
        }
        Assert.True(model.RanOnAHelper, "no helper ran a part in 100,000 split batches");
        long helpers = WorkerPool.HelperAllocatedBytes, caller = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) BatchSplit.Predict(model, x, 3, y, 2, parameters: 1L << 30);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        Assert.Equal(0, WorkerPool.HelperAllocatedBytes - helpers);
    });

    private sealed class NoAllocation : IPredictRows<float>
    {
        public int Caller;
        public bool RanOnAHelper;

        public void PredictRows(ReadOnlySpan<float> inputs, Span<float> outputs)
        {
            outputs.Fill(inputs[0]);
            if (Environment.CurrentManagedThreadId != Caller) Volatile.Write(ref RanOnAHelper, true);
        }
    }
}
