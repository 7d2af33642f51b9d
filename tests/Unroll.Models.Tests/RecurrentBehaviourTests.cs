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

    /// <summary>At MaxBatch the LSTM and GRU of the text workloads compute their gates 16 steps at a time at inference; a smaller batch gets
    /// a block of as many more steps as the same floats hold (all 80 for one sample). Whatever the block, a sample's prediction is its
    /// row of a full batch's, and the training path's in inference mode.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APredictionDoesNotDependOnTheBatchItCameIn(bool gru)
    {
        int[] tokens = RecurrentAllocationTests.Tokens(32, 80, 10000, 11);
        var whole = new float[32];
        var alone = new float[1];
        var five = new float[5];
        LstmTextWorkload lstm = new(seed: 3);
        GruTextWorkload gruModel = new(seed: 3);
        void Predict(ReadOnlySpan<int> t, Span<float> o) { if (gru) gruModel.Predict(t, o); else lstm.Predict(t, o); }
        Predict(tokens, whole);
        Predict(tokens.AsSpan(7 * 80, 5 * 80), five);
        for (int i = 0; i < 5; i++) Assert.Equal(whole[7 + i], five[i], 5e-6f);
        foreach (int sample in new[] { 0, 13, 31 })
        {
            Predict(tokens.AsSpan(sample * 80, 80), alone);
            Assert.Equal(whole[sample], alone[0], 5e-6f);
        }
        float[] forward = gru ? gruModel.Forward(tokens.AsSpan(0, 80), training: false).ToArray() : lstm.Forward(tokens.AsSpan(0, 80), training: false).ToArray();
        Predict(tokens.AsSpan(0, 80), alone);
        Assert.Equal(forward[0], alone[0], 5e-6f);
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
