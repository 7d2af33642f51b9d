namespace Unroll.Models.Tests;

/// <summary>Bad input to a sequence model gets a clear error naming what was expected and what came, and changes nothing.</summary>
public class RecurrentRobustnessTests
{
    [Fact]
    public void TokensThatAreNotWholeSamplesAreRejected()
    {
        var model = new NewsTitleClassifier();
        var e = Assert.Throws<ArgumentException>(() => model.Predict(new int[45], new float[5]));
        Assert.Contains("45 ids", e.Message);
        Assert.Contains("30 tokens", e.Message);
    }

    [Fact]
    public void ATokenOutsideTheVocabularyNamesItsPlaceAndChangesNothing()
    {
        var model = new NewsTitleClassifier(seed: 1);
        float[] before = model.Parameters.ToArray();
        int[] tokens = RecurrentAllocationTests.Tokens(2, 30, 3360, 3);
        tokens[30 + 4] = 3360;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.TrainStep(tokens, new[] { 0, 1 }));
        Assert.Contains("3360", e.Message);
        Assert.Contains("sample 1", e.Message);
        Assert.Contains("step 4", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Iterations);
    }

    [Fact]
    public void ADatasetValueThatIsNotATokenIdIsRejectedByFit()
    {
        var model = new NewsTitleClassifier();
        var features = new float[2 * 30];
        features[35] = 2.5f;
        var data = Dataset.WithLabels(features, 30, new[] { 0, 1 }, 5);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(data, epochs: 1, batchSize: 2));
        Assert.Contains("Row 1, step 5 of the data set 'train' holds 2.5", e.Message);
        Assert.Equal(0, model.Iterations);
    }

    [Fact]
    public void PerStepLabelsAreCheckedAndFitSaysWhyItCannotUseThem()
    {
        var model = new GoldenTbpttLstm();
        var e = Assert.Throws<ArgumentException>(() => model.TrainStep(new float[2 * 24], new int[2]));
        Assert.Contains("one class label per step (2 x 12 = 24)", e.Message);
        var data = Dataset.WithLabels(new float[2 * 24], 24, new[] { 0, 1 }, 3);
        var fit = Assert.Throws<NotSupportedException>(() => model.Fit(data, epochs: 1));
        Assert.Contains("a class at each of 12 steps", fit.Message);
    }

    [Fact]
    public void ANaNInAFloatSequenceFailsTheStepBeforeAnyUpdate()
    {
        // Plain BPTT: the inputs are checked at the door. Truncated BPTT: the batch is checked before the first window.
        var plain = new GoldenLstmHandoverBiGru(seed: 2);
        float[] before = plain.Parameters.ToArray();
        var inputs = new float[2 * 22];
        inputs[13] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => plain.TrainStep(inputs, new float[4]));
        Assert.StartsWith("inputs: NaN at sample 0, step 6, feature 1;", nan.Message);
        Assert.Equal(before, plain.Parameters.ToArray());

        var truncated = new SeedTruncatedBptt(seed: 2);
        before = truncated.Parameters.ToArray();
        var signal = new float[2 * 80];
        signal[80 + 70] = float.PositiveInfinity; // in the last window of the second sample
        var e = Assert.Throws<ArgumentException>(() => truncated.TrainStep(signal, new float[2 * 80]));
        Assert.Contains("sample 1, position 70", e.Message);
        Assert.Equal(before, truncated.Parameters.ToArray());
        Assert.Equal(0, truncated.Iterations);
    }

    [Fact]
    public void APretrainedEmbeddingOfTheWrongSizeIsRejectedWhole()
    {
        var model = new NewsTitleClassifier(seed: 4);
        float[] before = model.Embed.Weight.ToArray();
        var e = Assert.Throws<ArgumentException>(() => model.Embed.Load("weight", new float[3360 * 50]));
        Assert.Contains("336000", e.Message);
        Assert.Equal(before, model.Embed.Weight.ToArray());
    }
}
