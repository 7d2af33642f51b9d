namespace Unroll.Models.Tests;

/// <summary>IModel and IModel&lt;TInput&gt;: every generated model can be handled through them, so reusable code (a callback, a serving
/// helper) needs no per-model interface.</summary>
public class ModelInterfaceTests
{
    /// <summary>A serving helper written once against the interface.</summary>
    private static float[] Serve<TInput>(IModel<TInput> model, TInput[] inputs) where TInput : unmanaged => model.Predict(inputs);

    /// <summary>A user-defined callback that reaches the learning rate through the model it is given.</summary>
    private sealed class HalveEachEpoch : ICallback
    {
        public void OnTrainBegin(ITrainableModel model) { }
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            model.LearningRate /= 2;
            return false;
        }
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }

    [Fact]
    public void EveryModelIsAnIModelAndOneInputOneOutputModelsAreTyped()
    {
        IModel mlp = new ServingMlp(seed: 1);
        Assert.Equal(ServingMlp.ParameterCount, mlp.ParameterCount);
        Assert.Equal(ServingMlp.MaxBatch, mlp.MaxBatch);
        Assert.Equal(mlp.ParameterCount, mlp.Parameters.Length);
        Assert.Equal(mlp.ParameterCount, mlp.Tensors.Sum(t => t.Length));
        Assert.StartsWith("Model: \"ServingMlp\"", mlp.Summary);
        Assert.IsAssignableFrom<IModel<float>>(mlp);
        Assert.IsAssignableFrom<IModel<int>>(new ServingLstm());
        IModel functional = new GoldenFunctional(); // two inputs, two outputs: the untyped interface only
        Assert.False(functional is IModel<float> || functional is IModel<int>);
        Assert.Equal(GoldenFunctional.ParameterCount, functional.ParameterCount);
    }

    [Fact]
    public void CodeWrittenAgainstTheInterfacePredictsFitsAndSaves()
    {
        var mlp = new ServingMlp(seed: 2);
        var random = new SeededRandom(3);
        float[] features = Enumerable.Range(0, 20 * ServingMlp.InputSize).Select(_ => random.NextFloat()).ToArray();
        Assert.Equal(mlp.Predict(features), Serve(mlp, features));
        int[] tokens = Enumerable.Range(0, 5 * ServingLstm.InputSize).Select(_ => random.NextInt(100)).ToArray();
        var lstm = new ServingLstm(seed: 4);
        Assert.Equal(lstm.Predict(tokens), Serve(lstm, tokens));

        IModel<float> model = mlp;
        model.LearningRate = 0.008f;
        var data = Dataset.WithLabels(features, ServingMlp.InputSize, Enumerable.Range(0, 20).Select(i => i % 4).ToArray(), 4);
        model.Fit(data, new FitOptions { Epochs = 3, BatchSize = 8, Callbacks = { new HalveEachEpoch() } });
        Assert.Equal(0.001f, model.LearningRate);
        Assert.Equal(9, model.Iterations); // 3 epochs of 8, 8 and 4 samples

        using var stream = new MemoryStream();
        model.Save(stream);
        IModel copy = new ServingMlp(seed: 99);
        stream.Position = 0;
        copy.Load(stream);
        Assert.Equal(model.Parameters.ToArray(), copy.Parameters.ToArray());
    }

    /// <summary>Every model's parameters start on a 64-byte boundary (a cache line, an AVX-512 vector), also after a compacting collection,
    /// and the layers' views and Save/Load see the same span: the dense weight rows of a batch-of-one product load whole lines.</summary>
    [Fact]
    public unsafe void TheParametersStartOnACacheLineAndTheLayerViewsShareThem()
    {
        var models = Enumerable.Range(0, 12).Select(i => new ServingMlp(seed: (ulong)i)).ToList();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        foreach (ServingMlp model in models)
        {
            fixed (float* p = model.Parameters)
                Assert.Equal(0, (int)((nint)p % 64));
            Layer first = model.Layers.First(l => l.ParameterCount > 0);
            Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref model.Parameters[first.Offset], ref first.Parameters[0]));
        }
        var copy = new ServingMlp(seed: 99);
        using var stream = new MemoryStream();
        models[3].Save(stream);
        stream.Position = 0;
        copy.Load(stream);
        Assert.Equal(models[3].Parameters.ToArray(), copy.Parameters.ToArray());
    }
}
