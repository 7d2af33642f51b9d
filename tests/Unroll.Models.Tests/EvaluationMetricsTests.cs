namespace Unroll.Models.Tests;

/// <summary>Evaluate keeps its predictions, so each kind of model reads its metrics from the result: regression errors and R², a binary
/// classifier's ROC AUC, top-k accuracy over several classes; each equals the metric computed from Predict's outputs.</summary>
public class EvaluationMetricsTests
{
    [Fact]
    public void ARegressorsErrorsAndR2()
    {
        var random = new SeededRandom(1);
        float[] x = Enumerable.Range(0, 40 * 3).Select(_ => random.NextNormal()).ToArray();
        float[] t = Enumerable.Range(0, 40 * 2).Select(_ => random.NextNormal()).ToArray();
        var model = new GoldenRegressionMlp(seed: 2);
        Evaluation e = model.Evaluate(Dataset.WithTargets(x, 3, t, 2));
        float[] predicted = model.Predict(x);
        Assert.Equal(predicted, e.Predictions);
        Assert.Equal(Metrics.MeanAbsoluteError(predicted, t), e.MeanAbsoluteError, 12);
        Assert.Equal(Metrics.MeanSquaredError(predicted, t), e.MeanSquaredError, 12);
        Assert.Equal(e.Loss, e.MeanSquaredError, 5); // the model's loss is the MSE
        Assert.Equal(Metrics.R2(predicted, t, 2), e.R2, 12);
        Assert.True(double.IsNaN(e.RocAuc) && double.IsNaN(e.TopKAccuracy(1)));
    }

    [Fact]
    public void ABinaryClassifiersRocAuc()
    {
        var random = new SeededRandom(3);
        float[] x = Enumerable.Range(0, 60 * 3).Select(_ => random.NextNormal()).ToArray();
        float[] t = Enumerable.Range(0, 60).Select(i => (float)(i % 2)).ToArray();
        var model = new DoorBinary(seed: 4);
        Evaluation e = model.Evaluate(Dataset.WithTargets(x, 3, t, 1));
        Assert.Equal(Metrics.RocAuc(model.Predict(x), t.Select(v => (int)v).ToArray()), e.RocAuc, 12);
        Assert.InRange(e.RocAuc, 0, 1);
    }

    [Fact]
    public void AMultiClassClassifiersTopK()
    {
        var random = new SeededRandom(5);
        float[] x = Enumerable.Range(0, 50 * 6).Select(_ => random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, 50).Select(i => i % 3).ToArray();
        var model = new SmallBatchNet(seed: 6);
        Evaluation e = model.Evaluate(Dataset.WithLabels(x, 6, labels, 3));
        Assert.Equal(e.Accuracy, e.TopKAccuracy(1), 12);
        Assert.Equal(1.0, e.TopKAccuracy(3));
        Assert.Equal(Metrics.TopKAccuracy(model.Predict(x), 3, labels, 2), e.TopKAccuracy(2), 12);
        Assert.True(double.IsNaN(e.MeanAbsoluteError));
        Assert.Equal(3, e.Confusion!.ClassCount); // precision, recall and F1 come from the confusion matrix
    }
}
