using System.Reflection;
using Unroll.Kernels;

namespace Unroll.Models.Tests;

/// <summary>
/// Predict keeps the weights it multiplies packed between calls (Unroll.Kernels.PackedWeights): its outputs have the bits of the unpacked
/// path, every change the model makes is seen, and a write through a view of the parameters is never missed. The twin of each model takes
/// a view of its parameters first, so it predicts without the packed copies: the reference.
/// </summary>
public class PackedWeightsTests
{
    private static PackedWeights PackedOf(object model) =>
        (PackedWeights)model.GetType().GetField("_packedWeights", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(model)!;

    private static (float[] X, int[] Y) MlpData(ulong seed, int batch = 64)
    {
        var random = new SeededRandom(seed);
        return (Enumerable.Range(0, batch * 784).Select(_ => random.NextNormal()).ToArray(), Enumerable.Range(0, batch).Select(i => i % 10).ToArray());
    }

    private static int[] Tokens(ulong seed, int samples, int length, int vocabulary)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, samples * length).Select(_ => 1 + random.NextInt(vocabulary - 1)).ToArray();
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what) =>
        Assert.True(expected.AsSpan().SequenceEqual(actual), what + ": the predictions from the packed weights differ from the unpacked ones");

    [Fact]
    public void AnMlpPredictsFromItsPackedWeightsWithTheBitsOfTheUnpackedPath()
    {
        (float[] x, int[] y) = MlpData(1);
        var packed = new MlpWorkloadNet(seed: 5);
        var twin = new MlpWorkloadNet(seed: 5);
        _ = twin.Parameters; // a view is out: the twin packs on every call, as before
        for (int step = 0; step < 3; step++)
        {
            packed.TrainStep(x, y);
            twin.TrainStep(x, y);
            // After each step the packed copies are stale: the next Predict packs the new weights.
            AssertSameBits(twin.Predict(x), packed.Predict(x), "after step " + step);
            Assert.True(PackedOf(packed).InUse);
            Assert.False(PackedOf(twin).InUse);
        }
        // A second call reuses the copies; one sample runs the batch-of-one dot products, which never pack.
        AssertSameBits(twin.Predict(x), packed.Predict(x), "a second call");
        AssertSameBits(twin.Predict(x.AsSpan(0, 784)), packed.Predict(x.AsSpan(0, 784)), "one sample");
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("simple-rnn")]
    public void ARecurrentModelPredictsFromItsPackedWeightsWithTheBitsOfTheUnpackedPath(string kind)
    {
        // Batch 32 runs the packed GEMMs (the recurrent one at every step, the input projection per step or per block); one sample the packed GEMV.
        (IModel<int> packed, IModel<int> twin, Func<IModel<int>, int[], float[], float> train, int length, int vocabulary) = kind switch
        {
            "lstm" => (new LstmWorkloadNet(seed: 2), new LstmWorkloadNet(seed: 2),
                (m, t, y) => ((LstmWorkloadNet)m).TrainStep(t, y), 20, 1000),
            "gru" => (new GruWorkloadNet(seed: 2), new GruWorkloadNet(seed: 2),
                (m, t, y) => ((GruWorkloadNet)m).TrainStep(t, y), 20, 1000),
            _ => ((IModel<int>)new NewsTitleClassifier(seed: 2), (IModel<int>)new NewsTitleClassifier(seed: 2),
                (Func<IModel<int>, int[], float[], float>)((m, t, y) => ((NewsTitleClassifier)m).TrainStep(t, y.Select(v => (int)v).ToArray())), 30, 3360),
        };
        int batch = packed.MaxBatch;
        int[] tokens = Tokens(3, batch, length, vocabulary);
        float[] targets = Enumerable.Range(0, batch).Select(i => (float)(i % 2)).ToArray();
        _ = twin.Parameters;
        for (int step = 0; step < 2; step++)
        {
            train(packed, tokens, targets);
            train(twin, tokens, targets);
            AssertSameBits(twin.Predict(tokens), packed.Predict(tokens), kind + " batch after step " + step);
            AssertSameBits(twin.Predict(tokens.AsSpan(0, length)), packed.Predict(tokens.AsSpan(0, length)), kind + " one sample after step " + step);
        }
        Assert.True(PackedOf(packed).InUse);
    }

    [Fact]
    public void EveryChangeTheModelMakesIsSeenByTheNextPrediction()
    {
        (float[] x, int[] y) = MlpData(2);
        var model = new MlpWorkloadNet(seed: 6);
        var twin = new MlpWorkloadNet(seed: 6);
        _ = twin.Parameters;
        model.TrainStep(x, y);
        twin.TrainStep(x, y);
        float[] before = model.Predict(x);

        // Layer.Load copies values in: the model sees it.
        var random = new SeededRandom(9);
        float[] weight = Enumerable.Range(0, 128 * 784).Select(_ => 0.05f * random.NextNormal()).ToArray();
        model.Hidden1.Load("weight", weight);
        twin.Hidden1.Load("weight", weight);
        float[] loaded = model.Predict(x);
        Assert.False(before.AsSpan().SequenceEqual(loaded), "the new first-layer weight changed nothing");
        AssertSameBits(twin.Predict(x), loaded, "after Layer.Load");
        Assert.True(PackedOf(model).InUse, "Layer.Load is not a view: the packed copies stay in use");

        // Load from a file: the weights of a third model.
        var other = new MlpWorkloadNet(seed: 7);
        other.TrainStep(x, y);
        string path = Path.Combine(Path.GetTempPath(), $"unroll-packed-{Guid.NewGuid():N}.safetensors");
        try
        {
            other.Save(path);
            model.Load(path);
            AssertSameBits(other.Predict(x), model.Predict(x), "after Load");
            Assert.True(PackedOf(model).InUse);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AWriteThroughAViewKeptAcrossPredictionsIsNeverMissed()
    {
        (float[] x, int[] y) = MlpData(3);
        var model = new MlpWorkloadNet(seed: 8);
        model.TrainStep(x, y);
        float[] packedBefore = model.Predict(x); // packs
        Assert.True(PackedOf(model).InUse);

        Span<float> weight = model.Hidden1.Weight; // a view: from now on Predict does not use the packed copies
        Assert.False(PackedOf(model).InUse);
        AssertSameBits(packedBefore, model.Predict(x), "the same weights, unpacked");
        for (int i = 0; i < 784; i++) weight[i] *= -3f; // written after a Predict call, through the view taken before it
        float[] written = model.Predict(x);
        Assert.False(packedBefore.AsSpan().SequenceEqual(written), "the write through the view was missed");

        var twin = new MlpWorkloadNet(seed: 8);
        twin.TrainStep(x, y);
        Span<float> twinWeight = twin.Hidden1.Weight;
        for (int i = 0; i < 784; i++) twinWeight[i] *= -3f;
        AssertSameBits(twin.Predict(x), written, "after the write");

        // Done writing: the next call packs the written weights and the copies are used again.
        model.ParametersChanged();
        Assert.True(PackedOf(model).InUse);
        AssertSameBits(written, model.Predict(x), "packed again after ParametersChanged");

        // The model's own Parameters view counts as well.
        Span<float> all = model.Parameters;
        Assert.False(PackedOf(model).InUse);
        all[5] += 1f;
        Assert.False(written.AsSpan().SequenceEqual(model.Predict(x)), "the write through Parameters was missed");
    }

    [Fact]
    public void SavingReadingTheModelOrItsGradientsTakesNoView()
    {
        (float[] x, int[] y) = MlpData(4);
        var model = new MlpWorkloadNet(seed: 9);
        model.TrainStep(x, y);
        model.Predict(x);
        using (var stream = new MemoryStream()) model.Save(stream);
        _ = model.Gradients;
        _ = model.Hidden1.Gradients;
        _ = model.Tensors;
        Assert.True(PackedOf(model).InUse);
    }

    [Fact]
    public void RestoringTheBestWeightsAfterFitKeepsThePackedCopiesInUse()
    {
        (float[] x, int[] y) = MlpData(5);
        var model = new MlpWorkloadNet(seed: 10);
        var stopping = new EarlyStopping { Monitor = "loss", Patience = 1, RestoreBestWeights = true };
        model.Fit(Dataset.WithLabels(x, 784, y, 10), new FitOptions { Epochs = 3, BatchSize = 64, Callbacks = { stopping } });
        // EarlyStopping read and wrote the weights without a view (CopyParametersTo, SetParameters).
        Assert.True(PackedOf(model).InUse);
        var weights = new float[MlpWorkloadNet.ParameterCount];
        model.CopyParametersTo(weights);
        var twin = new MlpWorkloadNet(seed: 10);
        weights.CopyTo(twin.Parameters); // the twin predicts unpacked: the reference
        AssertSameBits(twin.Predict(x), model.Predict(x), "after Fit with restored weights");
        Assert.True(PackedOf(model).InUse);
    }

    [Fact]
    public void AViewTakenBeforeFitStaysOutAfterIt()
    {
        // Fit's own copies of the weights must not say the caller's view is done with.
        (float[] x, int[] y) = MlpData(8);
        var model = new MlpWorkloadNet(seed: 13);
        Span<float> bias = model.Hidden2.Bias;
        var stopping = new EarlyStopping { Monitor = "loss", Patience = 1, RestoreBestWeights = true };
        model.Fit(Dataset.WithLabels(x, 784, y, 10), new FitOptions { Epochs = 2, BatchSize = 64, Callbacks = { stopping } });
        Assert.False(PackedOf(model).InUse);
        float[] before = model.Predict(x);
        bias[0] += 10f;
        Assert.False(before.AsSpan().SequenceEqual(model.Predict(x)), "the write through the view taken before Fit was missed");
    }

    [Fact]
    public void SetParametersIsSeenAndCopyParametersToTakesNoView()
    {
        (float[] x, int[] y) = MlpData(9);
        var model = new MlpWorkloadNet(seed: 14);
        var other = new MlpWorkloadNet(seed: 15);
        model.Predict(x);
        var weights = new float[MlpWorkloadNet.ParameterCount];
        other.CopyParametersTo(weights);
        model.SetParameters(weights);
        Assert.True(PackedOf(model).InUse);
        Assert.True(PackedOf(other).InUse);
        AssertSameBits(other.Predict(x), model.Predict(x), "after SetParameters");

        var e = Assert.Throws<ArgumentException>(() => model.SetParameters(weights.AsSpan(1)));
        Assert.Equal("values", e.ParamName);
        Assert.StartsWith($"Expected {MlpWorkloadNet.ParameterCount} floats, one per parameter, but values holds {weights.Length - 1}.", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.CopyParametersTo(new float[3]));
        Assert.Equal("destination", e.ParamName);
        Assert.StartsWith($"Expected {MlpWorkloadNet.ParameterCount} floats, one per parameter, but destination holds 3.", e.Message);
        AssertSameBits(other.Predict(x), model.Predict(x), "a refused SetParameters changes nothing");
    }

    [Fact]
    public void ManyThreadsPackingAFreshModelAtOnceGetTheSameBits()
    {
        (float[] x, int[] y) = MlpData(6);
        var twin = new MlpWorkloadNet(seed: 11);
        _ = twin.Parameters;
        float[] expected = twin.Predict(x);
        for (int round = 0; round < 5; round++)
        {
            var model = new MlpWorkloadNet(seed: 11); // never packed: the first calls race to pack it
            var results = new float[8][];
            Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = model.Predict(x));
            foreach (float[] r in results) AssertSameBits(expected, r, "round " + round);
        }
    }

    [Fact]
    public void PredictingFromPackedWeightsAllocatesNothing()
    {
        (float[] x, int[] y) = MlpData(7);
        var model = new MlpWorkloadNet(seed: 12);
        var outputs = new float[64 * 10];
        model.TrainStep(x, y);
        model.Predict(x, outputs);
        Assert.True(PackedOf(model).InUse);
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            for (int i = 0; i < 20; i++) model.Predict(x, outputs);
        }));
        // Repacking after each change reuses the copies' storage.
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                model.Hidden2.Load("bias", outputs.AsSpan(0, 64));
                model.Predict(x, outputs);
            }
        }));
    }
}
