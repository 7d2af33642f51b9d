namespace Unroll.Models.Tests;

/// <summary>What masking and recurrent dropout promise, observed on whole generated models.</summary>
public class RecurrentBehaviourTests
{
    [Fact]
    public void PaddingIsInvisibleToAMaskedModelWhereverItIs()
    {
        // The same 5 words padded on the right, on the left, and split by padding: a masked model reads only the words.
        var model = new NewsTitleClassifier(seed: 7);
        int[] words = { 17, 256, 3, 3000, 42 };
        var tokens = new int[3 * 30];
        words.CopyTo(tokens, 0);
        words.CopyTo(tokens, 30 + 25);
        int[] holes = { 0, 17, 0, 0, 256, 3, 0, 3000, 0, 42 };
        holes.CopyTo(tokens, 60);
        var outputs = new float[3 * 5];
        model.Predict(tokens, outputs);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(outputs[k], outputs[5 + k], 6);
            Assert.Equal(outputs[k], outputs[10 + k], 6);
        }

        // And a padded step gets no gradient: the embedding row of token 0 stays exactly zero in the gradient.
        model.Forward(tokens);
        model.Backward(new[] { 1, 2, 3 });
        Assert.All(model.Embed.GradientOf("weight").Slice(0, 100).ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(model.Embed.GradientOf("weight").Slice(17 * 100, 100).ToArray(), g => g != 0f);
    }

    [Fact]
    public void RecurrentDropoutActsOnlyWhileTraining()
    {
        var model = new RecurrentDropoutClassifier(seed: 5);
        int[] tokens = RecurrentAllocationTests.Tokens(4, 20, 50, 6);
        var predicted = new float[4 * 3];
        model.Predict(tokens, predicted);

        float[] inference = model.Forward(tokens, training: false).ToArray();
        Assert.Equal(predicted, inference);
        float[] first = model.Forward(tokens, training: true).ToArray();
        float[] second = model.Forward(tokens, training: true).ToArray();
        Assert.NotEqual(predicted, first);  // masks drawn: the outputs move
        Assert.NotEqual(first, second);     // and new masks each pass
        float[] again = new float[predicted.Length];
        model.Predict(tokens, again);
        Assert.Equal(predicted, again);     // inference ignores them and the training passes left no trace
    }
}
