// The ONNX Runtime peer of the workload benchmarks (WORKLOADS.md), inference only: the models of peers/mlp_peer.py and
// peers/rnn_peer.py (mlp, rnn-text, lstm-text, gru-text) as exported by peers/export_onnx.py, one file per batch size,
// timed for infer1 (batch 1) and inferB (batch B) with IntraOpNumThreads 1 and 2, median of rounds after warm-up.
// Input and output tensors are OrtValues over arrays allocated once, bound once to an OrtIoBinding; each call is one
// RunWithBinding that writes the probabilities into the same output array. Before timing, each model's first output
// row is checked against PyTorch's (recorded by the export). Prints one JSON line per measurement on stdout (system,
// workload, phase, threads, us, gflops); the version goes to stderr.
//
// Run: dotnet run -c Release --project tests/Unroll.Benchmarks/peers/OrtPeer -- [--models DIR] [workload ...] [--threads 1,2]
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

string models = Path.Combine(AppContext.BaseDirectory, "../../../../onnx");
var workloads = new List<string>();
int[] threadCounts = [1, 2];
double scale = 1;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads") threadCounts = args[++i].Split(',').Select(int.Parse).ToArray();
    else if (args[i] == "--models") models = args[++i];
    else if (args[i] == "--scale") scale = double.Parse(args[++i], CultureInfo.InvariantCulture);
    else workloads.Add(args[i]);
}
if (workloads.Count == 0) workloads.AddRange(["mlp", "rnn-text", "lstm-text", "gru-text"]);
models = Path.GetFullPath(models);

Console.Error.WriteLine($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, models in {models}");
foreach (string name in workloads)
{
    // Calls per round as the PyTorch peers make them for infer1 and inferB.
    int[] calls = name is "lstm-text" or "gru-text" ? [50, 10] : [500, 200];
    foreach (int threads in threadCounts)
    {
        string[] files = Directory.GetFiles(models, $"{name}-b*.onnx");
        if (files.Length != 2) throw new FileNotFoundException($"expected {name}-b1.onnx and one other batch size in {models}: run peers/export_onnx.py");
        foreach (string file in files.OrderBy(f => Meta.Load(f).Batch))
        {
            var meta = Meta.Load(file);
            string phase = meta.Batch == 1 ? "infer1" : "inferB";
            using var model = new BoundModel(file, meta, threads);
            model.Check();
            double us = PeerTiming.MedianMicroseconds(model.Run, Math.Max(1, (int)(calls[meta.Batch == 1 ? 0 : 1] * scale)));
            double flops = meta.Batch * meta.ForwardFlopsPerSample;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"system\":\"ort\",\"workload\":\"{name}\",\"phase\":\"{phase}\",\"threads\":{threads},\"us\":{us:F2},\"gflops\":{flops / us / 1e3:F3}}}"));
        }
    }
}


/// <summary>What export_onnx.py wrote beside a model: shapes, FLOPs, and one sample's input and PyTorch output.</summary>
internal sealed record Meta(int Batch, long[] InputShape, bool FloatInput, long[] OutputShape, double ForwardFlopsPerSample,
    double[] FirstInput, float[] FirstOutput)
{
    public static Meta Load(string onnxFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(onnxFile, ".json")));
        var root = doc.RootElement;
        return new Meta(root.GetProperty("batch").GetInt32(),
            root.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            root.GetProperty("input_type").GetString() == "float32",
            root.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            root.GetProperty("forward_flops_per_sample").GetDouble(),
            root.GetProperty("first_input").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            root.GetProperty("first_output").EnumerateArray().Select(e => e.GetSingle()).ToArray());
    }
}

/// <summary>A session with its input and output OrtValues allocated once and bound once.</summary>
internal sealed class BoundModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly RunOptions _run = new();
    private readonly OrtIoBinding _binding;
    private readonly OrtValue _input, _output;
    private readonly float[] _outputs;
    private readonly Meta _meta;

    public BoundModel(string file, Meta meta, int threads)
    {
        _meta = meta;
        _options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(file, _options);

        // Every row of the batch is the recorded sample: the work does not depend on the values.
        long rowLength = meta.InputShape[1];
        if (meta.FloatInput)
        {
            var inputs = new float[meta.Batch * rowLength];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)meta.FirstInput[i % rowLength];
            _input = OrtValue.CreateTensorValueFromMemory(inputs, meta.InputShape);
        }
        else
        {
            var inputs = new long[meta.Batch * rowLength];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = (long)meta.FirstInput[i % rowLength];
            _input = OrtValue.CreateTensorValueFromMemory(inputs, meta.InputShape);
        }
        _outputs = new float[meta.OutputShape.Aggregate(1L, (a, b) => a * b)];
        _output = OrtValue.CreateTensorValueFromMemory(_outputs, meta.OutputShape);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("input", _input);
        _binding.BindOutput("output", _output);
    }

    public void Run() => _session.RunWithBinding(_run, _binding);

    /// <summary>Runs once and compares the first row with PyTorch's output for the same sample.</summary>
    public void Check()
    {
        Run();
        for (int j = 0; j < _meta.FirstOutput.Length; j++)
            if (Math.Abs(_outputs[j] - _meta.FirstOutput[j]) > 1e-4f)
                throw new InvalidOperationException($"ONNX Runtime's output {j} is {_outputs[j]}, PyTorch's {_meta.FirstOutput[j]}");
    }

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        _run.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
