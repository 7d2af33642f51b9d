namespace Unroll.Models.Tests;

/// <summary>A token model trained from a data set of token ids, and its typed Predict fed from the same ids.</summary>
public class TokenDatasetTests
{
    [Fact]
    public void ATokenModelTrainsOnTokenIdsAndPredictsFromThem()
    {
        var random = new SeededRandom(3);
        const int rows = 70, length = 30;
        int[] ids = Enumerable.Range(0, rows * length).Select(_ => 1 + random.NextInt(3359)).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(r => ids[r * length] % 5).ToArray();
        Dataset data = Dataset.WithTokenIds(ids, length, labels, 5);
        var model = new NewsTitleClassifier(seed: 1);
        model.Fit(data, new FitOptions { Epochs = 1, BatchSize = 32 });
        Evaluation evaluation = model.Evaluate(data);
        float[] predicted = model.Predict(data.TokenIds!); // 70 samples, above MaxBatch = 64: chunked inside
        Assert.Equal(evaluation.Predictions, predicted);
        Assert.Equal(3, model.Iterations);

        Dataset bad = Dataset.WithTokenIds(ids.Select((id, i) => i == 5 * length + 2 ? 3360 : id).ToArray(), length, labels, 5);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(bad, new FitOptions { Epochs = 1 }));
        Assert.Contains("3360", e.Message);
        Assert.Equal(3, model.Iterations);
    }
}
