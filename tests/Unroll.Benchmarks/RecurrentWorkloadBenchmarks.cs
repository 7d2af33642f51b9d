using BenchmarkDotNet.Attributes;

namespace Unroll.Benchmarks;

// The recurrent text workloads of WORKLOADS.md. No MaskZero: every step of every sample is computed, as in the PyTorch
// peer (peers/rnn_peer.py), and token ids are drawn from [1, vocabulary). FLOPs count 2 x multiply-adds of the matrix
// products: the input projection (steps x inputs x gates*units), the recurrent product (steps x units x gates*units) and
// the dense layer; the embedding lookup is not a product.

/// <summary>The <c>rnn-text</c> workload: Embedding(3360, 100) -> SimpleRNN(50, tanh) -> Dense(5) softmax, sparse categorical
/// cross-entropy, Adam(lr 1e-3), batch 64 of 30 tokens (343,805 parameters in Keras counting).</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 64)]
public partial class RnnTextWorkload
{
    [Input(Length = 30, Vocabulary = 3360)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 100)] public partial Layer Embed { get; }
    [SimpleRnn(Units = 50)] public partial Layer Rnn { get; }
    [Dense(Units = 5, Activation = Activation.Softmax)] public partial Layer Output { get; }

    /// <summary>2 x multiply-adds of the matrix products of one forward pass of one sample.</summary>
    public const double ForwardFlopsPerSample = 2.0 * (30 * 100 * 50 + 30 * 50 * 50 + 50 * 5);
}

/// <summary>The <c>lstm-text</c> workload: Embedding(10000, 128) -> LSTM(128) -> Dense(1) sigmoid, binary cross-entropy,
/// Adam(lr 1e-3), batch 32 of 80 tokens.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 32)]
public partial class LstmTextWorkload
{
    [Input(Length = 80, Vocabulary = 10000)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 128)] public partial Layer Embed { get; }
    [Lstm(Units = 128)] public partial Layer Lstm { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }

    /// <summary>2 x multiply-adds of the matrix products of one forward pass of one sample.</summary>
    public const double ForwardFlopsPerSample = 2.0 * (80 * 128 * 4 * 128 + 80 * 128 * 4 * 128 + 128 * 1);
}

/// <summary>The <c>gru-text</c> workload: Embedding(10000, 128) -> GRU(128, reset_after) -> Dense(1) sigmoid, binary
/// cross-entropy, Adam(lr 1e-3), batch 32 of 80 tokens.</summary>
[Model(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.001f, MaxBatch = 32)]
public partial class GruTextWorkload
{
    [Input(Length = 80, Vocabulary = 10000)] public partial Layer Tokens { get; }
    [Embedding(Dimension = 128)] public partial Layer Embed { get; }
    [Gru(Units = 128)] public partial Layer Gru { get; }
    [Dense(Units = 1, Activation = Activation.Sigmoid)] public partial Layer Output { get; }

    /// <summary>2 x multiply-adds of the matrix products of one forward pass of one sample.</summary>
    public const double ForwardFlopsPerSample = 2.0 * (80 * 128 * 3 * 128 + 80 * 128 * 3 * 128 + 128 * 1);
}

/// <summary>Token ids and targets shared by the recurrent workload benchmarks.</summary>
internal static class WorkloadData
{
    /// <summary>Random token ids in [1, vocabulary): no padding, so every step is real work.</summary>
    public static int[] Tokens(int batch, int length, int vocabulary, ulong seed)
    {
        var random = new SeededRandom(seed);
        var tokens = new int[batch * length];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = 1 + random.NextInt(vocabulary - 1);
        return tokens;
    }

    /// <summary>FLOPs per call as WORKLOADS.md counts them: train is 3x the forward pass.</summary>
    public static double Flops(string method, int batch, double forwardFlopsPerSample) => method switch
    {
        "Train" => 3 * batch * forwardFlopsPerSample,
        "Infer1" => forwardFlopsPerSample,
        _ => batch * forwardFlopsPerSample,
    };
}

/// <summary>rnn-text: train (one TrainStep on 64 samples), infer1 (Predict on one), inferB (Predict on 64), single-threaded.</summary>
[Config(typeof(WorkloadConfig))]
public class RnnTextWorkloadBenchmarks
{
    private const int Batch = 64;
    private readonly RnnTextWorkload _model = new(seed: 1);
    private readonly int[] _tokens = WorkloadData.Tokens(Batch, RnnTextWorkload.InputSize, 3360, 2);
    private readonly int[] _labels = new int[Batch];
    private readonly float[] _outputs = new float[Batch * RnnTextWorkload.OutputSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(3);
        for (int i = 0; i < Batch; i++) _labels[i] = random.NextInt(RnnTextWorkload.OutputSize);
        _model.TrainStep(_tokens, _labels);
        _model.Predict(_tokens, _outputs);
    }

    [Benchmark(Description = "rnn-text train")]
    public float Train() => _model.TrainStep(_tokens, _labels);

    [Benchmark(Description = "rnn-text infer1")]
    public void Infer1() => _model.Predict(_tokens.AsSpan(0, RnnTextWorkload.InputSize), _outputs.AsSpan(0, RnnTextWorkload.OutputSize));

    [Benchmark(Description = "rnn-text inferB")]
    public void InferBatch() => _model.Predict(_tokens, _outputs);

    /// <summary>FLOPs per call of a benchmark method.</summary>
    public static double Flops(string method) => WorkloadData.Flops(method, Batch, RnnTextWorkload.ForwardFlopsPerSample);
}

/// <summary>lstm-text: train (one TrainStep on 32 samples), infer1 (Predict on one), inferB (Predict on 32), single-threaded.</summary>
[Config(typeof(WorkloadConfig))]
public class LstmTextWorkloadBenchmarks
{
    private const int Batch = 32;
    private readonly LstmTextWorkload _model = new(seed: 1);
    private readonly int[] _tokens = WorkloadData.Tokens(Batch, LstmTextWorkload.InputSize, 10000, 2);
    private readonly float[] _targets = new float[Batch];
    private readonly float[] _outputs = new float[Batch * LstmTextWorkload.OutputSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(3);
        for (int i = 0; i < Batch; i++) _targets[i] = random.NextInt(2);
        _model.TrainStep(_tokens, _targets);
        _model.Predict(_tokens, _outputs);
    }

    [Benchmark(Description = "lstm-text train")]
    public float Train() => _model.TrainStep(_tokens, _targets);

    [Benchmark(Description = "lstm-text infer1")]
    public void Infer1() => _model.Predict(_tokens.AsSpan(0, LstmTextWorkload.InputSize), _outputs.AsSpan(0, LstmTextWorkload.OutputSize));

    [Benchmark(Description = "lstm-text inferB")]
    public void InferBatch() => _model.Predict(_tokens, _outputs);

    /// <summary>FLOPs per call of a benchmark method.</summary>
    public static double Flops(string method) => WorkloadData.Flops(method, Batch, LstmTextWorkload.ForwardFlopsPerSample);
}

/// <summary>gru-text: train (one TrainStep on 32 samples), infer1 (Predict on one), inferB (Predict on 32), single-threaded.</summary>
[Config(typeof(WorkloadConfig))]
public class GruTextWorkloadBenchmarks
{
    private const int Batch = 32;
    private readonly GruTextWorkload _model = new(seed: 1);
    private readonly int[] _tokens = WorkloadData.Tokens(Batch, GruTextWorkload.InputSize, 10000, 2);
    private readonly float[] _targets = new float[Batch];
    private readonly float[] _outputs = new float[Batch * GruTextWorkload.OutputSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(3);
        for (int i = 0; i < Batch; i++) _targets[i] = random.NextInt(2);
        _model.TrainStep(_tokens, _targets);
        _model.Predict(_tokens, _outputs);
    }

    [Benchmark(Description = "gru-text train")]
    public float Train() => _model.TrainStep(_tokens, _targets);

    [Benchmark(Description = "gru-text infer1")]
    public void Infer1() => _model.Predict(_tokens.AsSpan(0, GruTextWorkload.InputSize), _outputs.AsSpan(0, GruTextWorkload.OutputSize));

    [Benchmark(Description = "gru-text inferB")]
    public void InferBatch() => _model.Predict(_tokens, _outputs);

    /// <summary>FLOPs per call of a benchmark method.</summary>
    public static double Flops(string method) => WorkloadData.Flops(method, Batch, GruTextWorkload.ForwardFlopsPerSample);
}
