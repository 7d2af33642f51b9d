namespace Unroll.Models.Tests;

/// <summary>The benchmark's MLP workload (784 -> 128 -> 64 -> 10, batch 64).</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 64)]
public partial class MlpWorkloadNet
{
    [Input(Features = 784)] public partial Layer Pixels { get; }
    [Dense(Units = 128, Activation = Activation.Relu)] public partial Layer Hidden1 { get; }
    [Dense(Units = 64, Activation = Activation.Relu)] public partial Layer Hidden2 { get; }
    [Dense(Units = 10, Activation = Activation.Softmax)] public partial Layer Output { get; }
}

/// <summary>Training and inference give the same bits on one thread and on several (Parallelism.ThreadCount), and allocate nothing.</summary>
[Collection(ThreadCountCollection.Name)]
public class ThreadCountTests
{
    private static (float[] Parameters, float[] Outputs, float[] Losses) Run(int threads)
    {
        int saved = Parallelism.ThreadCount;
        Parallelism.ThreadCount = threads;
        try
        {
            var random = new SeededRandom(4);
            float[] x = Enumerable.Range(0, 64 * 784).Select(_ => random.NextNormal()).ToArray();
            int[] y = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
            var model = new MlpWorkloadNet(seed: 2);
            var losses = new float[10];
            for (int step = 0; step < losses.Length; step++) losses[step] = model.TrainStep(x, y);
            return (model.Parameters.ToArray(), model.Predict(x), losses);
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Fact]
    public void OneAndTwoThreadsTrainToTheSameBits()
    {
        var one = Run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var many = Run(threads);
            Assert.Equal(one.Losses, many.Losses);
            Assert.True(one.Parameters.AsSpan().SequenceEqual(many.Parameters), $"{threads} threads: the parameters differ from one thread's");
            Assert.True(one.Outputs.AsSpan().SequenceEqual(many.Outputs), $"{threads} threads: the predictions differ from one thread's");
        }
    }

    [Fact]
    public void ATrainingStepOnTwoThreadsAllocatesNothing()
    {
        int saved = Parallelism.ThreadCount;
        Parallelism.ThreadCount = 2;
        try
        {
            var random = new SeededRandom(5);
            float[] x = Enumerable.Range(0, 64 * 784).Select(_ => random.NextNormal()).ToArray();
            int[] y = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
            var outputs = new float[64 * 10];
            var model = new MlpWorkloadNet(seed: 3);
            for (int i = 0; i < 3; i++)
            {
                model.TrainStep(x, y);
                model.Predict(x, outputs);
            }
            long caller = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                model.TrainStep(x, y);
                model.Predict(x, outputs);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }
}

/// <summary>Tests that change Parallelism.ThreadCount run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "Parallelism.ThreadCount";
}
