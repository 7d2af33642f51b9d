using Unroll;

// The child process of the kill tests in Unroll.Runtime.Tests, killed at random moments:
//   <path>                 saves version A, then B, then A ... of a 4-million-float "model" to path until killed, printing "ready" after
//                          the first save. Version v holds v + i * 1e-3 at index i, so a reader can tell a whole version from a torn one.
//   fit <backup> <epochs>  trains BackupNet (2.1 million parameters, Adam: a 25 MB backup) with FitOptions.BackupPath = backup, kept at
//                          the end, printing "epoch k" after each epoch; run again on the same path, it resumes from the backup.
if (args.Length == 3 && args[0] == "fit")
{
    Fit(args[1], int.Parse(args[2]));
    return;
}

string path = args[0];
const int Count = 4 << 20;
var layout = new[] { new ParameterTensor("weight", "layer.weight", 0, Count) };
float[][] versions = { Version(1), Version(2) };
for (long i = 0; ; i++)
{
    ModelFile.Save(path, versions[i % 2], layout, "Child");
    if (i == 0) Console.WriteLine("ready");
}

static float[] Version(int v)
{
    var values = new float[Count];
    for (int i = 0; i < Count; i++) values[i] = v + (i % 1000) * 1e-3f;
    return values;
}

static void Fit(string backup, int epochs)
{
    var random = new SeededRandom(5);
    float[] features = Enumerable.Range(0, 96 * 1024).Select(_ => random.NextNormal()).ToArray();
    int[] labels = Enumerable.Range(0, 96).Select(i => i % 10).ToArray();
    var model = new BackupNet(seed: 1);
    model.Fit(Dataset.WithLabels(features, 1024, labels, 10), new FitOptions
    {
        Epochs = epochs, BatchSize = 32, BackupPath = backup, KeepBackup = true,
        OnEpoch = log => Console.WriteLine($"epoch {log.Epoch}"),
    });
    Console.WriteLine("done");
}

/// <summary>A model whose backup takes long enough to write that a kill often lands inside it; dropout so the random state matters.</summary>
[Model(Loss = Loss.SparseCategoricalCrossEntropy, Optimizer = Optimizer.Adam, MaxBatch = 32)]
public partial class BackupNet
{
    [Input(Features = 1024)] public partial Layer Features { get; }
    [Dense(Units = 2048, Activation = Activation.Relu)] public partial Layer Hidden { get; }
    [Dropout(0.2f)] public partial Layer Drop { get; }
    [Dense(Units = 10, Activation = Activation.Softmax)] public partial Layer Class { get; }
}
