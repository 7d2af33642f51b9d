namespace Unroll.Runtime.Tests.Training;

/// <summary>The IModel side of the hand-written test models: what the Trainer and callbacks may read, nothing they need to run.</summary>
internal abstract class TestModelBase : IModel
{
    public abstract Span<float> Parameters { get; }
    public void ParametersChanged() { }
    public void CopyParametersTo(Span<float> destination) => Parameters.CopyTo(destination);
    public void SetParameters(ReadOnlySpan<float> values) => values.CopyTo(Parameters);
    public abstract int BatchCapacity { get; }
    public string Summary => GetType().Name;
    public int ParameterCount => Parameters.Length;
    public int MaxBatch => BatchCapacity;
    public float LearningRate { get; set; } = 0.1f;
    public int Iterations => 0;
    public Span<float> Gradients => Span<float>.Empty;
    public IReadOnlyList<ParameterTensor> Tensors => Array.Empty<ParameterTensor>();
    public IReadOnlyList<Layer> Layers => Array.Empty<Layer>();
    public void ApplyGradients() { }
    public void Save(string path) => throw new NotSupportedException();
    public void Save(Stream stream) => throw new NotSupportedException();
    public void Load(string path, bool allowNonFinite = false) => throw new NotSupportedException();
    public void Load(Stream stream, bool allowNonFinite = false) => throw new NotSupportedException();
    public IReadOnlyList<(string Name, float[] Values)> OptimizerState => Array.Empty<(string, float[])>();
    public void RestoreIterations(int iterations) { }
}

/// <summary>
/// A hand-written linear classifier trained with plain SGD, to drive the Trainer without the generator.
/// classes &gt; 1: softmax regression on class labels (sparse categorical cross-entropy).
/// classes == 1: logistic regression on 0/1 float targets (binary cross-entropy on a sigmoid output).
/// Allocates only in its constructor, as generated models do.
/// </summary>
internal sealed class LinearClassifier : TestModelBase, ITrainableModel
{
    private readonly float[] _parameters; // W (OutputSize x InputSize), then b (OutputSize)
    private readonly float[] _gradients;
    private readonly float[] _probabilities; // (BatchCapacity, OutputSize)
    private readonly float _learningRate;

    public LinearClassifier(int features, int classes, int batchCapacity, ulong seed, float learningRate = 0.1f)
    {
        InputSize = features;
        OutputSize = classes;
        BatchCapacity = batchCapacity;
        Random = new SeededRandom(seed);
        _learningRate = learningRate;
        _parameters = new float[classes * features + classes];
        _gradients = new float[_parameters.Length];
        _probabilities = new float[batchCapacity * classes];
        for (int i = 0; i < classes * features; i++) _parameters[i] = 0.01f * Random.NextNormal();
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public override int BatchCapacity { get; }
    public Loss Loss => OutputSize == 1 ? Loss.BinaryCrossEntropy : Loss.SparseCategoricalCrossEntropy;
    public TargetKind TargetKind => OutputSize == 1 ? TargetKind.Values : TargetKind.ClassLabels;
    public SeededRandom Random { get; }
    public override Span<float> Parameters => _parameters;
    public int TrainSteps { get; private set; }

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs) =>
        throw new NotSupportedException("this test model trains only through TrainBatch");

    public float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs)
    {
        int batch = inputs.Length / InputSize;
        Span<float> p = _probabilities.AsSpan(0, batch * OutputSize);
        float loss = Forward(inputs, targets, labels, p);
        if (!outputs.IsEmpty) p.CopyTo(outputs);
        // d(mean loss)/d(logits) = (p - y) / batch for softmax + CE and for sigmoid + BCE alike.
        Array.Clear(_gradients);
        int k = OutputSize, f = InputSize;
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < k; c++)
            {
                float y = k == 1 ? targets[b] : (labels[b] == c ? 1f : 0f);
                float delta = (p[b * k + c] - y) / batch;
                for (int j = 0; j < f; j++) _gradients[c * f + j] += delta * inputs[b * f + j];
                _gradients[k * f + c] += delta;
            }
        }
        for (int i = 0; i < _parameters.Length; i++) _parameters[i] -= _learningRate * _gradients[i];
        TrainSteps++;
        return loss;
    }

    public float EvaluateBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs) =>
        Forward(inputs, targets, labels, outputs);

    private float Forward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, Span<float> p)
    {
        int k = OutputSize, f = InputSize, batch = inputs.Length / f;
        if (inputs.Length != batch * f || batch > BatchCapacity || p.Length != batch * k)
            throw new ArgumentException($"bad batch: {inputs.Length} inputs, {p.Length} outputs");
        if (k == 1 ? targets.Length != batch || !labels.IsEmpty : labels.Length != batch || !targets.IsEmpty)
            throw new ArgumentException($"bad targets: {targets.Length} targets, {labels.Length} labels for {batch} rows");
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            Span<float> row = p.Slice(b * k, k);
            for (int c = 0; c < k; c++)
            {
                float z = _parameters[k * f + c];
                for (int j = 0; j < f; j++) z += _parameters[c * f + j] * inputs[b * f + j];
                row[c] = z;
            }
            if (k == 1)
            {
                row[0] = 1f / (1f + MathF.Exp(-row[0]));
                float q = Math.Clamp(row[0], 1e-7f, 1 - 1e-7f);
                loss -= targets[b] * Math.Log(q) + (1 - targets[b]) * Math.Log(1 - q);
            }
            else
            {
                float max = row[0];
                for (int c = 1; c < k; c++) max = Math.Max(max, row[c]);
                float sum = 0;
                for (int c = 0; c < k; c++) sum += row[c] = MathF.Exp(row[c] - max);
                for (int c = 0; c < k; c++) row[c] /= sum;
                loss -= Math.Log(Math.Max(row[labels[b]], 1e-7f));
            }
        }
        return (float)(loss / batch);
    }
}

/// <summary>
/// A model whose "loss" is a known function of what it is fed, to test the loop itself: TrainBatch records the
/// rows it sees (feature 0 of each row) and returns their mean, or the next scripted loss; EvaluateBatch returns
/// the mean of its inputs and copies them to the outputs. Parameters[0] counts training steps.
/// </summary>
internal sealed class ScriptedModel : TestModelBase, ITrainableModel
{
    private readonly float[] _parameters = new float[3];
    private readonly float[]? _script;
    private int _scriptIndex;

    public ScriptedModel(int batchCapacity, ulong seed, float[]? script = null, TargetKind targetKind = TargetKind.Values)
    {
        BatchCapacity = batchCapacity;
        Random = new SeededRandom(seed);
        _script = script;
        TargetKind = targetKind;
    }

    public int InputSize => 1;
    public int OutputSize => TargetKind == TargetKind.Values ? 1 : 2;
    public override int BatchCapacity { get; }
    public Loss Loss => TargetKind == TargetKind.Values ? Loss.MeanSquaredError : Loss.SparseCategoricalCrossEntropy;
    public TargetKind TargetKind { get; }
    public SeededRandom Random { get; }
    public override Span<float> Parameters => _parameters;

    public List<float[]> TrainedBatches { get; } = new();
    public List<int> EvaluatedRows { get; } = new();
    public List<bool> TrainingOutputsRequested { get; } = new();

    public float ComputeGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs) =>
        throw new NotSupportedException("this test model trains only through TrainBatch");

    public float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs)
    {
        if (inputs.Length > BatchCapacity)
            throw new ArgumentException($"batch of {inputs.Length} over capacity {BatchCapacity}");
        if (TargetKind == TargetKind.Values ? targets.Length != inputs.Length : labels.Length != inputs.Length)
            throw new ArgumentException("targets do not match inputs");
        TrainedBatches.Add(inputs.ToArray());
        TrainingOutputsRequested.Add(!outputs.IsEmpty);
        for (int i = 0; i < inputs.Length && !outputs.IsEmpty; i++)
            for (int c = 0; c < OutputSize; c++) outputs[i * OutputSize + c] = c == 0 ? inputs[i] : 0f;
        _parameters[0] += 1;
        if (_script is not null) return _script[_scriptIndex++];
        double sum = 0;
        foreach (float x in inputs) sum += x;
        return (float)(sum / inputs.Length);
    }

    public float EvaluateBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<float> sampleWeights, Span<float> outputs)
    {
        EvaluatedRows.Add(inputs.Length);
        double sum = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            sum += inputs[i];
            for (int c = 0; c < OutputSize; c++) outputs[i * OutputSize + c] = c == 0 ? inputs[i] : 0f;
        }
        return (float)(sum / inputs.Length);
    }

    /// <summary>Rows 0..n-1 with feature = row index and target = 0 (or label = row % 2).</summary>
    public static Dataset Rows(int n, TargetKind kind = TargetKind.Values)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i;
        if (kind == TargetKind.Values) return Dataset.WithTargets(x, 1, new float[n], 1);
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 2;
        return Dataset.WithLabels(x, 1, labels, 2);
    }
}

internal static class TabularFiles
{
    /// <summary>The iris copy the test project ships in Goldens/.</summary>
    public static string Iris => Path.Combine(AppContext.BaseDirectory, "Goldens", "iris.csv");

    /// <summary>A CSV of samples/Tabular/data, found by walking up from the test binaries to the repository root.</summary>
    public static string Sample(string fileName)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generator.sln")))
                return Path.Combine(dir.FullName, "samples", "Tabular", "data", fileName);
        }
        throw new InvalidOperationException($"No Generator.sln above {AppContext.BaseDirectory}");
    }
}
