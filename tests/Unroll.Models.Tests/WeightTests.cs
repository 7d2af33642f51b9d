namespace Unroll.Models.Tests;

/// <summary>Sample and class weights (Keras <c>sample_weight</c> and <c>class_weight</c>): each row's loss times its weight, the sum
/// divided by the batch size. The kernels are checked against PyTorch in LossTests; these check the plumbing through the generated
/// members and Fit.</summary>
public class WeightTests
{
    private static Dataset Data(int rows, ulong seed, int features = 6, int classes = 3)
    {
        var random = new SeededRandom(seed);
        float[] x = Enumerable.Range(0, rows * features).Select(_ => random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(_ => random.NextInt(classes)).ToArray();
        return Dataset.WithLabels(x, features, labels, classes);
    }

    [Fact]
    public void AWeightOfTwoCountsARowTwiceAndAWeightOfZeroIgnoresIt()
    {
        // Rows a, b, c weighted 2, 1, 0 against the batch a, a, b: both divide by 3, so loss and gradients agree.
        Dataset data = Data(3, 11, features: 5, classes: 4);
        var weighted = new GoldenSoftmaxMlp(seed: 2);
        var duplicated = new GoldenSoftmaxMlp(seed: 2);
        weighted.Forward(data.Features, training: false);
        float weightedLoss = weighted.Backward(data.Labels!, sampleWeights: [2f, 1f, 0f]);
        float[] rows = [.. data.Row(0), .. data.Row(0), .. data.Row(1)];
        duplicated.Forward(rows, training: false);
        float duplicatedLoss = duplicated.Backward([data.Labels![0], data.Labels[0], data.Labels[1]]);

        Golden.AssertClose(duplicatedLoss, weightedLoss, "loss", abs: 1e-6, rel: 0);
        Golden.AssertClose(duplicated.Gradients.ToArray(), weighted.Gradients.ToArray(), "gradients", abs: 1e-6, rel: 0);
        var unweighted = new GoldenSoftmaxMlp(seed: 2);
        unweighted.Forward(data.Features, training: false);
        Assert.NotEqual(weightedLoss, unweighted.Backward(data.Labels!));
    }

    [Fact]
    public void ClassWeightsAreTheSampleWeightsOfEachRowsClass()
    {
        Dataset data = Data(96, 12);
        float[] classWeights = [1f, 2.5f, 0.25f];
        var byClass = new LargeBatchNet(seed: 3);
        var bySample = new LargeBatchNet(seed: 3);
        var plain = new LargeBatchNet(seed: 3);
        byClass.Fit(data, new FitOptions { Epochs = 2, BatchSize = 16, ClassWeights = classWeights });
        bySample.Fit(data.WithSampleWeights(data.Labels!.Select(l => classWeights[l]).ToArray()), new FitOptions { Epochs = 2, BatchSize = 16 });
        plain.Fit(data, new FitOptions { Epochs = 2, BatchSize = 16 });

        Assert.Equal(bySample.Parameters.ToArray(), byClass.Parameters.ToArray());
        Assert.NotEqual(plain.Parameters.ToArray(), byClass.Parameters.ToArray());
    }

    [Fact]
    public void ClassAndSampleWeightsMultiply()
    {
        Dataset data = Data(64, 13);
        float[] sample = Enumerable.Range(0, 64).Select(i => 0.5f + i % 3).ToArray();
        float[] classWeights = [2f, 1f, 0.5f];
        var both = new LargeBatchNet(seed: 4);
        var product = new LargeBatchNet(seed: 4);
        both.Fit(data.WithSampleWeights(sample), new FitOptions { Epochs = 1, BatchSize = 32, ClassWeights = classWeights });
        product.Fit(data.WithSampleWeights(sample.Select((w, i) => w * classWeights[data.Labels![i]]).ToArray()), new FitOptions { Epochs = 1, BatchSize = 32 });
        Assert.Equal(product.Parameters.ToArray(), both.Parameters.ToArray());
    }

    [Fact]
    public void WeightedMicroBatchesGiveTheWeightedGradientOfOneBigBatch()
    {
        Dataset data = Data(128, 14);
        float[] weights = Enumerable.Range(0, 128).Select(i => (i * 7 % 5) * 0.5f).ToArray();
        var small = new SmallBatchNet(seed: 5);
        var large = new LargeBatchNet(seed: 5);
        History history = small.Fit(data.WithSampleWeights(weights), new FitOptions { Epochs = 1, BatchSize = 128, Shuffle = false });
        large.Forward(data.Features);
        float loss = large.Backward(data.Labels!, sampleWeights: weights);

        Golden.AssertClose(large.Gradients.ToArray(), small.Gradients.ToArray(), "accumulated weighted gradient", abs: 1e-6, rel: 0);
        Golden.AssertClose(loss, history.Loss[0], "weighted loss", abs: 1e-6, rel: 0);
    }

    [Fact]
    public void EvaluateReportsTheWeightedLossAndTheSplitKeepsTheWeights()
    {
        Dataset data = Data(40, 15);
        float[] weights = Enumerable.Range(0, 40).Select(i => i < 20 ? 1f : 3f).ToArray();
        var model = new LargeBatchNet(seed: 6);
        Evaluation plain = model.Evaluate(data);
        Evaluation weighted = model.Evaluate(data.WithSampleWeights(weights));
        float[] perRow = Enumerable.Range(0, 40).Select(r =>
        {
            model.Forward(data.Row(r), training: false);
            return model.Backward(data.Labels!.AsSpan(r, 1)) - L2Penalty(model);
        }).ToArray();
        double expected = perRow.Select((l, r) => (double)l * weights[r]).Sum() / 40 + L2Penalty(model);
        Golden.AssertClose(expected, weighted.Loss, "weighted evaluation loss", abs: 1e-5, rel: 0);
        Assert.NotEqual(plain.Loss, weighted.Loss);

        (Dataset train, Dataset validation) = data.WithSampleWeights(weights).SplitTail(0.25);
        Assert.Equal(weights[..30], train.SampleWeights);
        Assert.Equal(weights[30..], validation.SampleWeights);
    }

    private static float L2Penalty(LargeBatchNet model) =>
        0.01f * model.Hidden.Parameters[..(16 * 6)].ToArray().Sum(w => w * w);

    [Fact]
    public void BadWeightsAreRefusedWithTheirRowAndChangeNothing()
    {
        Dataset data = Data(8, 16);
        var e = Assert.Throws<ArgumentException>(() => data.WithSampleWeights([1, 1, 1, -2, 1, 1, 1, 1]));
        Assert.Contains("-2 at sample 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => data.WithSampleWeights([1, 1]));
        Assert.Contains("one sample weight per row (8), got 2", e.Message);

        var model = new LargeBatchNet(seed: 7);
        float[] before = model.Parameters.ToArray();
        e = Assert.Throws<ArgumentException>(() => model.TrainStep(data.Features, data.Labels!, [1f, float.NaN, 1, 1, 1, 1, 1, 1]));
        Assert.Contains("NaN at sample 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.TrainStep(data.Features, data.Labels!, [1f, 1f]));
        Assert.Contains("2 weights for a batch of 8 samples", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { ClassWeights = [1f, 2f] }));
        Assert.Contains("holds 2 weights; the model predicts 3 classes", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Fit(data, new FitOptions { ClassWeights = [1f, float.PositiveInfinity, 1f] }));
        Assert.Contains("ClassWeights[1]", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Iterations);
    }

    [Fact]
    public void BinaryTargetsTakeTheClassWeightOfTheirSide()
    {
        var random = new SeededRandom(17);
        float[] x = Enumerable.Range(0, 64 * 2).Select(_ => random.NextNormal()).ToArray();
        float[] y = Enumerable.Range(0, 64).Select(i => x[2 * i] > 0 ? 1f : 0f).ToArray();
        Dataset data = Dataset.WithTargets(x, 2, y, 1);
        var byClass = new LogitClassifier(seed: 8);
        var bySample = new LogitClassifier(seed: 8);
        byClass.Fit(data, new FitOptions { Epochs = 1, BatchSize = 16, ClassWeights = [0.2f, 3f] });
        bySample.Fit(data.WithSampleWeights(y.Select(t => t > 0.5f ? 3f : 0.2f).ToArray()), new FitOptions { Epochs = 1, BatchSize = 16 });
        Assert.Equal(bySample.Parameters.ToArray(), byClass.Parameters.ToArray());
    }
}
