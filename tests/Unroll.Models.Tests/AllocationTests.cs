namespace Unroll.Models.Tests;

/// <summary>A steady-state training step and inference call allocate nothing.</summary>
public class AllocationTests
{
    private static float[] Random(int count, int seed)
    {
        var r = new SeededRandom((ulong)seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = r.NextNormal();
        return values;
    }

    [Fact]
    public void ThousandTrainStepsAndPredictionsOfADropoutClassifierAllocateNothing()
    {
        var model = new DropoutClassifier(seed: 1);
        float[] inputs = Random(32 * 4, 2);
        int[] labels = Enumerable.Range(0, 32).Select(i => i % 3).ToArray();
        float[] outputs = new float[32 * 3];
        model.TrainStep(inputs, labels);
        model.Predict(inputs, outputs);

        // Three windows of a thousand calls each; the least any window allocated (an allocation per call shows in all three).
        Assert.Equal(0, Allocations.LeastPerWindow(() => { for (int i = 0; i < 1000; i++) model.TrainStep(inputs, labels); }));
        Assert.Equal(0, Allocations.LeastPerWindow(() => { for (int i = 0; i < 1000; i++) model.Predict(inputs, outputs); }));
        Assert.Equal(3001, model.Iterations);
    }

    [Fact]
    public void ThousandTrainStepsAndPredictionsOfAClippedRegressorAllocateNothing()
    {
        var model = new ClippedRegressor(seed: 3);
        float[] inputs = Random(16 * 6, 4);
        float[] targets = Random(16 * 2, 5);
        float[] outputs = new float[16 * 2];
        model.TrainStep(inputs, targets);
        model.Predict(inputs, outputs);

        // Three windows of a thousand calls each; the least any window allocated (an allocation per call shows in all three).
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            for (int i = 0; i < 1000; i++) model.TrainStep(inputs, targets);
            for (int i = 0; i < 1000; i++) model.Predict(inputs, outputs);
        }));
    }
}
