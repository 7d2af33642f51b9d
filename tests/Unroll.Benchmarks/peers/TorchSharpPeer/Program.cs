// The TorchSharp peer of the workload benchmarks (WORKLOADS.md): the same models as peers/mlp_peer.py and peers/rnn_peer.py
// (mlp, rnn-text, lstm-text, gru-text), timed for train (one Adam step on a batch of B), infer1 (forward on one sample)
// and inferB (forward on B) at 1 and 2 threads, median of rounds after warm-up. Prints one JSON line per measurement
// on stdout (system, workload, phase, threads, us, gflops); the versions go to stderr.
//
// Native memory: TorchSharp tensors are handles to native tensors, freed when disposed or, failing that, by the finalizer.
// Every temporary a step makes (activations, the loss, gradients' wrappers, Adam's intermediate tensors) is made inside
// a torch.NewDisposeScope() that ends with the step, so nothing is left to the finalizers (without it one lstm-text train
// step leaves about 9-10 MB of native tensors to the garbage collector, and the resident set grows until it runs). The
// model and the optimizer are built outside any scope (TorchSharp's Adam makes its moment tensors in its constructor
// and updates them in place), so they live on. Each line's "rss_mb" is the resident set after that measurement, and
// "live_tensor_growth" the tensors alive after it minus before (0 with the scopes; --no-dispose-scope shows the leak).
//
// Run: dotnet run -c Release --project tests/Unroll.Benchmarks/peers/TorchSharpPeer -- [workload ...] [--threads 1,2]
using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

var workloads = new List<string>();
int[] threadCounts = [1, 2];
double scale = 1;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads") threadCounts = args[++i].Split(',').Select(int.Parse).ToArray();
    else if (args[i] == "--scale") scale = double.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--no-dispose-scope") Workloads.Scoped = false; // shows the leak the scopes prevent (rss_mb)
    else workloads.Add(args[i]);
}
if (workloads.Count == 0) workloads.AddRange(Workloads.Names);

Console.Error.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}");
foreach (string name in workloads)
    foreach (int threads in threadCounts)
        Workloads.Run(name, threads, scale);

/// <summary>The models, their data and the timing loop.</summary>
internal static class Workloads
{
    public static readonly string[] Names = ["mlp", "rnn-text", "lstm-text", "gru-text"];

    /// <summary>Whether each step runs in its own dispose scope (the default; --no-dispose-scope turns it off).</summary>
    public static bool Scoped = true;

    /// <summary>Builds the workload's model afresh (seed 0), sets the thread count and prints train, infer1 and inferB.</summary>
    public static void Run(string name, int threads, double scale)
    {
        torch.set_num_threads(threads);
        torch.manual_seed(0);
        var w = Spec.Of(name);
        Module<Tensor, Tensor> model = w.Build();
        model.train();
        var optimizer = torch.optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-7);

        Tensor inputs = w.Recurrent ? torch.randint(1, w.Vocabulary, [w.Batch, w.Steps], dtype: ScalarType.Int64)
                                    : torch.randn(w.Batch, 784);
        Tensor inputs1 = inputs[..1].clone();
        Tensor targets = w.Outputs == 1 ? torch.randint(0, 2, [w.Batch, 1]).to_type(ScalarType.Float32)
                                        : torch.randint(0, w.Outputs, [w.Batch], dtype: ScalarType.Int64);

        void Train()
        {
            using var scope = Scoped ? torch.NewDisposeScope() : null;
            optimizer.zero_grad();
            Tensor logits = model.forward(inputs);
            Tensor loss = w.Outputs == 1 ? functional.binary_cross_entropy_with_logits(logits, targets)
                                         : functional.cross_entropy(logits, targets);
            loss.backward();
            optimizer.step();
        }

        void Infer(Tensor x)
        {
            using var scope = Scoped ? torch.NewDisposeScope() : null;
            using var mode = torch.inference_mode();
            Tensor logits = model.forward(x);
            Tensor probabilities = w.Outputs == 1 ? torch.sigmoid(logits) : torch.softmax(logits, 1);
            probabilities.data<float>()[0].GetHashCode(); // the result is read, as a user would
        }

        foreach (var (phase, fn, flops, calls) in new (string, Action, double, int)[]
                 {
                     ("train", Train, 3.0 * w.Batch * w.ForwardFlops, w.Calls[0]),
                     ("infer1", () => Infer(inputs1), w.ForwardFlops, w.Calls[1]),
                     ("inferB", () => Infer(inputs), w.Batch * w.ForwardFlops, w.Calls[2]),
                 })
        {
            long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            double us = PeerTiming.MedianMicroseconds(fn, Math.Max(1, (int)(calls * scale)));
            long liveGrowth = DisposeScopeManager.Statistics.ThreadTotalLiveCount - liveBefore;
            long rss = Process.GetCurrentProcess().WorkingSet64;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"system\":\"torchsharp\",\"workload\":\"{name}\",\"phase\":\"{phase}\",\"threads\":{threads},\"us\":{us:F2},\"gflops\":{flops / us / 1e3:F3},\"rss_mb\":{rss / 1048576.0:F0},\"live_tensor_growth\":{liveGrowth}}}"));
        }
        model.Dispose();
        optimizer.Dispose();
        inputs.Dispose();
        inputs1.Dispose();
        targets.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
}

/// <summary>One workload of WORKLOADS.md, as peers/mlp_peer.py and peers/rnn_peer.py define it.</summary>
internal sealed record Spec(string Cell, int Vocabulary, int Embedding, int Units, int Gates, int Outputs, int Steps, int Batch,
    int[] Calls)
{
    public bool Recurrent => Cell != "mlp";

    /// <summary>2 x multiply-adds of the matrix products of one sample's forward pass.</summary>
    public double ForwardFlops => Recurrent
        ? 2.0 * ((double)Steps * Embedding * Gates * Units + (double)Steps * Units * Gates * Units + Units * Outputs)
        : 2.0 * (784 * 128 + 128 * 64 + 64 * 10);

    public static Spec Of(string name) => name switch
    {
        "mlp" => new("mlp", 0, 0, 0, 0, 10, 0, 64, [50, 500, 200]),
        "rnn-text" => new("rnn", 3360, 100, 50, 1, 5, 30, 64, [50, 500, 200]),
        "lstm-text" => new("lstm", 10000, 128, 128, 4, 1, 80, 32, [5, 50, 10]),
        "gru-text" => new("gru", 10000, 128, 128, 3, 1, 80, 32, [5, 50, 10]),
        _ => throw new ArgumentException($"unknown workload '{name}' (known: mlp, rnn-text, lstm-text, gru-text)"),
    };

    public Module<Tensor, Tensor> Build() => Recurrent
        ? new TextClassifier(this)
        : Sequential(("hidden1", Linear(784, 128)), ("relu1", ReLU()), ("hidden2", Linear(128, 64)), ("relu2", ReLU()),
                     ("output", Linear(64, 10)));
}

/// <summary>Embedding -> RNN/LSTM/GRU (batch first) -> Linear on the last step's output, as rnn_peer.py's TextClassifier.</summary>
internal sealed class TextClassifier : Module<Tensor, Tensor>
{
    private readonly Embedding embed;
    private readonly Module rnn;
    private readonly Linear output;
    private readonly string _cell;

    public TextClassifier(Spec w) : base("TextClassifier")
    {
        _cell = w.Cell;
        embed = Embedding(w.Vocabulary, w.Embedding);
        rnn = w.Cell switch
        {
            "rnn" => RNN(w.Embedding, w.Units, batchFirst: true),
            "lstm" => LSTM(w.Embedding, w.Units, batchFirst: true),
            _ => GRU(w.Embedding, w.Units, batchFirst: true),
        };
        output = Linear(w.Units, w.Outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        Tensor x = embed.forward(tokens);
        Tensor sequence = _cell switch
        {
            "rnn" => ((RNN)rnn).forward(x, null).Item1,
            "lstm" => ((LSTM)rnn).forward(x, null).Item1,
            _ => ((GRU)rnn).forward(x, null).Item1,
        };
        return output.forward(sequence[.., -1]);
    }
}
