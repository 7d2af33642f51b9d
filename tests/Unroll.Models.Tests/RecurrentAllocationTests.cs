namespace Unroll.Models.Tests;

/// <summary>A steady-state training step and inference call of a sequence model allocate nothing: the workloads rnn-text,
/// lstm-text and gru-text of WORKLOADS.md, and a model with every recurrent option that draws masks or keeps extra buffers.</summary>
public class RecurrentAllocationTests
{
    /// <summary>Token ids in [1, vocabulary) with the tail of every other sample padded with 0.</summary>
    internal static int[] Tokens(int batch, int length, int vocabulary, int seed)
    {
        var r = new SeededRandom((ulong)seed);
        var tokens = new int[batch * length];
        for (int b = 0; b < batch; b++)
        {
            int real = b % 2 == 0 ? length : length / 2 + b % (length / 2);
            for (int t = 0; t < real; t++) tokens[b * length + t] = 1 + (int)(r.NextFloat() * (vocabulary - 1));
        }
        return tokens;
    }

    /// <summary>What <paramref name="steps"/> training steps, then as many predictions, allocate after one of each: the least over three
    /// windows (an allocation per call shows in all three).</summary>
    private static (long Training, long Inference) Measure(Func<float> trainStep, Action predict, int steps)
    {
        trainStep();
        predict();
        return (Allocations.LeastPerWindow(() => { for (int i = 0; i < steps; i++) trainStep(); }),
            Allocations.LeastPerWindow(() => { for (int i = 0; i < steps; i++) predict(); }));
    }

    [Fact]
    public void RnnTextWorkloadAllocatesNothing()
    {
        var model = new NewsTitleClassifier(seed: 1);
        int[] tokens = Tokens(64, 30, 3360, 2);
        int[] labels = Enumerable.Range(0, 64).Select(i => i % 5).ToArray();
        float[] outputs = new float[64 * 5];
        Assert.Equal((0L, 0L), Measure(() => model.TrainStep(tokens, labels), () => model.Predict(tokens, outputs), 20));
    }

    [Fact]
    public void LstmTextWorkloadAllocatesNothing()
    {
        var model = new LstmTextWorkload(seed: 1);
        int[] tokens = Tokens(32, 80, 10000, 3);
        float[] targets = Enumerable.Range(0, 32).Select(i => (float)(i % 2)).ToArray();
        float[] outputs = new float[32];
        Assert.Equal((0L, 0L), Measure(() => model.TrainStep(tokens, targets), () => model.Predict(tokens, outputs), 5));
    }

    [Fact]
    public void GruTextWorkloadAllocatesNothing()
    {
        var model = new GruTextWorkload(seed: 1);
        int[] tokens = Tokens(32, 80, 10000, 4);
        float[] targets = Enumerable.Range(0, 32).Select(i => (float)(i % 2)).ToArray();
        float[] outputs = new float[32];
        Assert.Equal((0L, 0L), Measure(() => model.TrainStep(tokens, targets), () => model.Predict(tokens, outputs), 5));
    }

    [Fact]
    public void DropoutBidirectionalHandoverModelAllocatesNothing()
    {
        var model = new RecurrentDropoutClassifier(seed: 1);
        int[] tokens = Tokens(16, 20, 50, 5);
        int[] labels = Enumerable.Range(0, 16).Select(i => i % 3).ToArray();
        float[] outputs = new float[16 * 3];
        Assert.Equal((0L, 0L), Measure(() => model.TrainStep(tokens, labels), () => model.Predict(tokens, outputs), 200));
    }
}
