using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Unroll
{
    /// <summary>
    /// The resumable checkpoint of <see cref="FitOptions.BackupPath"/> (Keras <c>BackupAndRestore</c>): one safetensors file with the
    /// parameters (under their own names), the optimizer's state buffers (<c>optimizer.first_moment</c>, ...), and in its metadata the
    /// next epoch, the optimizer step, the learning rate, the model's random state and the history so far. Written atomically after
    /// every epoch, so a run killed at any moment resumes from the last whole epoch and ends with exactly the weights of a run that
    /// never stopped.
    /// </summary>
    internal static class TrainingBackup
    {
        private const string Format = "unroll-backup-1";

        public static void Write(string path, ITrainableModel model, int nextEpoch, History history, RunStart start)
        {
            var parameters = new float[model.ParameterCount];
            model.CopyParametersTo(parameters); // no view: Predict keeps its packed weights
            var tensors = new List<(string Name, int[] Shape, ReadOnlyMemory<float> Data)>();
            foreach (ParameterTensor t in model.Tensors)
                tensors.Add((t.FullName, t.Shape.ToArray(), parameters.AsMemory(t.Offset, t.Length)));
            foreach ((string name, float[] values) in model.OptimizerState)
                tensors.Add(("optimizer." + name, new[] { values.Length }, values)); // written before Write returns: no copy needed
            CultureInfo inv = CultureInfo.InvariantCulture;
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["format"] = Format,
                ["epoch"] = nextEpoch.ToString(inv),
                ["iterations"] = model.Iterations.ToString(inv),
                ["start_iterations"] = start.Iterations.ToString(inv),
                ["start_learning_rate"] = BitConverter.SingleToUInt32Bits(start.LearningRate).ToString("X8", inv),
                ["learning_rate"] = BitConverter.SingleToUInt32Bits(model.LearningRate).ToString("X8", inv),
                ["random"] = string.Join(",", model.Random.SaveState().Select(v => v.ToString("X16", inv))),
                ["history"] = string.Join("|", history.Epochs.Select(e => string.Join(";",
                    Bits(e.Loss), Bits(e.Accuracy), e.ValidationLoss is double vl ? Bits(vl) : "", e.ValidationAccuracy is double va ? Bits(va) : "",
                    Bits(e.LearningRate), e.Elapsed.Ticks.ToString(inv), e.EpochCount.ToString(inv),
                    // Metric names are [a-z0-9_], so '=' and ',' cannot occur in them.
                    string.Join(",", e.Metrics.Select(m => m.Key + "=" + Bits(m.Value)))))),
            };
            SafeTensors.Write(path, tensors, metadata);
        }

        /// <summary>Restores the model from the backup at <paramref name="path"/>; returns the epoch to continue from and how the run began.</summary>
        public static (int NextEpoch, RunStart Start) Restore(string path, ITrainableModel model, History history)
        {
            IReadOnlyDictionary<string, string> metadata = SafeTensors.ReadMetadata(path);
            if (!metadata.TryGetValue("format", out string? format) || format != Format)
                throw new InvalidDataException($"'{path}' is not a training backup (its metadata has no format \"{Format}\"); give FitOptions.BackupPath a file of its own.");
            IReadOnlyDictionary<string, SafeTensor> file = SafeTensors.Read(path);
            var state = model.OptimizerState;
            var problems = new List<string>();
            foreach ((string name, float[] values) in state)
                if (!file.TryGetValue("optimizer." + name, out SafeTensor? t) || t.ElementCount != values.Length)
                    problems.Add($"optimizer.{name} of {values.Length} values");
            if (problems.Count > 0)
                throw new InvalidDataException($"'{path}' does not fit this model and optimizer: it lacks {string.Join(", ", problems)} (a backup of another model?).");

            // The parameters: validated and copied as Load does, then the rest.
            var parameters = new float[model.ParameterCount];
            ModelFile.Load(path, parameters, model.Tensors, allowExtraTensors: true);
            model.SetParameters(parameters);
            foreach ((string name, float[] values) in state)
                file["optimizer." + name].ToFloat32().CopyTo(values, 0);
            CultureInfo inv = CultureInfo.InvariantCulture;
            model.RestoreIterations(int.Parse(metadata["iterations"], inv));
            model.LearningRate = BitConverter.UInt32BitsToSingle(uint.Parse(metadata["learning_rate"], NumberStyles.HexNumber, inv));
            model.Random.RestoreState(metadata["random"].Split(',').Select(v => ulong.Parse(v, NumberStyles.HexNumber, inv)).ToArray());
            string entries = metadata["history"];
            int epoch = 0;
            if (entries.Length > 0)
                foreach (string entry in entries.Split('|'))
                {
                    string[] f = entry.Split(';');
                    history.Add(new EpochLog
                    {
                        Epoch = epoch++,
                        Loss = FromBits(f[0]),
                        Accuracy = FromBits(f[1]),
                        ValidationLoss = f[2].Length == 0 ? null : FromBits(f[2]),
                        ValidationAccuracy = f[3].Length == 0 ? null : FromBits(f[3]),
                        LearningRate = FromBits(f[4]),
                        Elapsed = TimeSpan.FromTicks(long.Parse(f[5], inv)),
                        EpochCount = int.Parse(f[6], inv),
                        Metrics = f.Length < 8 || f[7].Length == 0 ? EpochLog.NoMetrics : f[7].Split(',').Select(m => m.Split('='))
                            .ToDictionary(m => m[0], m => FromBits(m[1]), StringComparer.Ordinal),
                    });
                }
            var start = new RunStart(int.Parse(metadata["start_iterations"], inv),
                BitConverter.UInt32BitsToSingle(uint.Parse(metadata["start_learning_rate"], NumberStyles.HexNumber, inv)));
            return (int.Parse(metadata["epoch"], inv), start);
        }

        /// <summary>The optimizer step and learning rate when the run began: callbacks that remember them (a schedule's base rate and
        /// first step) are begun with the model showing these, so a resumed schedule continues where it was.</summary>
        internal readonly record struct RunStart(int Iterations, float LearningRate);

        private static string Bits(double value) => BitConverter.DoubleToUInt64Bits(value).ToString("X16", CultureInfo.InvariantCulture);

        private static double FromBits(string text) => BitConverter.UInt64BitsToDouble(ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
