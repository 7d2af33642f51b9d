using System.Text.Json;
using Xunit;

namespace Unroll.Runtime.Tests.Training;

/// <summary>Every metric against scikit-learn 1.2 on committed fixtures (tools/reference/metrics.py): the confusion matrix, per-class
/// precision, recall, F1 and support, macro and weighted averages (a class absent from both sides left out, as sklearn does), top-k
/// accuracy, MAE, MSE, RMSE, R² over three outputs, and ROC AUC with ties.</summary>
public class MetricsGoldenTests
{
    private static readonly JsonElement Fixtures = Golden.Load("metrics.json");

    [Theory]
    [InlineData("classes")]
    [InlineData("absent")]
    public void ClassificationMetricsMatchScikitLearn(string name)
    {
        JsonElement c = Fixtures.GetProperty(name);
        int classes = c.GetProperty("classes").GetInt32();
        float[] scores = c.GetProperty("scores").Floats();
        int[] labels = c.GetProperty("labels").Ints();
        var confusion = new ConfusionMatrix(classes);
        for (int r = 0; r < labels.Length; r++) confusion.Add(labels[r], Metrics.ArgMax(scores.AsSpan(r * classes, classes)));

        int[] expected = c.GetProperty("confusion").Ints();
        for (int a = 0; a < classes; a++)
            for (int p = 0; p < classes; p++)
                Assert.Equal(expected[a * classes + p], confusion[a, p]);
        Golden.AssertClose(c.GetProperty("accuracy").GetDouble(), confusion.Accuracy, "accuracy");
        float[] precision = c.GetProperty("precision").Floats(), recall = c.GetProperty("recall").Floats(), f1 = c.GetProperty("f1").Floats();
        int[] support = c.GetProperty("support").Ints();
        for (int k = 0; k < classes; k++)
        {
            Assert.Equal(support[k], confusion.Support(k));
            Golden.AssertClose(f1[k], confusion.F1(k), $"F1 of class {k}");
            if (support[k] > 0) Golden.AssertClose(recall[k], confusion.Recall(k), $"recall of class {k}");
            double ownPrecision = confusion.Precision(k);
            Golden.AssertClose(precision[k], double.IsNaN(ownPrecision) ? 0 : ownPrecision, $"precision of class {k}"); // undefined: sklearn's 0
        }
        float[] macro = c.GetProperty("macro").Floats(), weighted = c.GetProperty("weighted").Floats();
        Golden.AssertClose(macro, new[] { (float)confusion.Macro.Precision, (float)confusion.Macro.Recall, (float)confusion.Macro.F1 }, "macro averages");
        Golden.AssertClose(weighted, new[] { (float)confusion.Weighted.Precision, (float)confusion.Weighted.Recall, (float)confusion.Weighted.F1 }, "weighted averages");
        Golden.AssertClose(c.GetProperty("top2").GetDouble(), Metrics.TopKAccuracy(scores, classes, labels, 2), "top-2 accuracy");
        Golden.AssertClose(c.GetProperty("top3").GetDouble(), Metrics.TopKAccuracy(scores, classes, labels, 3), "top-3 accuracy");
        Assert.Equal(confusion.Accuracy, Metrics.TopKAccuracy(scores, classes, labels, 1), 12);
    }

    [Fact]
    public void RegressionMetricsMatchScikitLearn()
    {
        JsonElement c = Fixtures.GetProperty("regression");
        float[] actual = c.GetProperty("actual").Floats(), predicted = c.GetProperty("predicted").Floats();
        Golden.AssertClose(c.GetProperty("mae").GetDouble(), Metrics.MeanAbsoluteError(predicted, actual), "MAE");
        Golden.AssertClose(c.GetProperty("mse").GetDouble(), Metrics.MeanSquaredError(predicted, actual), "MSE");
        Golden.AssertClose(c.GetProperty("rmse").GetDouble(), Metrics.RootMeanSquaredError(predicted, actual), "RMSE");
        Golden.AssertClose(c.GetProperty("r2").GetDouble(), Metrics.R2(predicted, actual, outputs: c.GetProperty("outputs").GetInt32()), "R2");
    }

    [Fact]
    public void RocAucMatchesScikitLearnWithTies()
    {
        JsonElement c = Fixtures.GetProperty("binary");
        Golden.AssertClose(c.GetProperty("auc").GetDouble(), Metrics.RocAuc(c.GetProperty("scores").Floats(), c.GetProperty("labels").Ints()), "ROC AUC");
    }

    [Fact]
    public void BadInputsAreRejected()
    {
        Assert.StartsWith("ROC AUC needs both classes", Assert.Throws<ArgumentException>(() => Metrics.RocAuc(new[] { 0.1f, 0.2f }, new[] { 1, 1 })).Message);
        Assert.StartsWith("Row 1 has label 2", Assert.Throws<ArgumentException>(() => Metrics.RocAuc(new[] { 0.1f, 0.2f }, new[] { 1, 2 })).Message);
        Assert.StartsWith("The predictions hold 2 values and the actual values 3", Assert.Throws<ArgumentException>(() => Metrics.MeanSquaredError(new float[2], new float[3])).Message);
        Assert.StartsWith("scores holds 5 values; 2 rows of 3 classes need 6.", Assert.Throws<ArgumentException>(() => Metrics.TopKAccuracy(new float[5], 3, new[] { 0, 1 }, 1)).Message);
    }
}
