using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Unroll
{
    /// <summary>What one epoch of <see cref="Trainer.Fit{TModel}"/> measured: the <c>logs</c> dictionary Keras passes to <c>on_epoch_end</c>.</summary>
    public sealed class EpochLog
    {
        /// <summary>The 0-based index of the epoch (Keras passes the same index to callbacks, and prints it plus 1).</summary>
        public int Epoch { get; init; }

        /// <summary>How many epochs the run was asked for (for "Epoch 3/10" progress lines).</summary>
        public int EpochCount { get; init; }

        /// <summary>The epoch's training loss: the mean of the batch losses weighted by batch size, i.e. the mean loss per sample (Keras <c>loss</c>).</summary>
        public double Loss { get; init; }

        /// <summary>The training accuracy over the epoch (Keras <c>accuracy</c>), measured on each batch just before its update;
        /// NaN for regression losses or when <see cref="FitOptions.TrainingAccuracy"/> is off. See <see cref="Metrics"/> for the rules.</summary>
        public double Accuracy { get; init; } = double.NaN;

        /// <summary>The loss on the validation data after the epoch (Keras <c>val_loss</c>); <see langword="null"/> without validation data.</summary>
        public double? ValidationLoss { get; init; }

        /// <summary>The accuracy on the validation data after the epoch (Keras <c>val_accuracy</c>); <see langword="null"/> without validation data, NaN for regression losses.</summary>
        public double? ValidationAccuracy { get; init; }

        /// <summary>Wall-clock time of the epoch, validation included.</summary>
        public TimeSpan Elapsed { get; init; }

        /// <summary>The learning rate at the end of the epoch (Keras logs it as <c>learning_rate</c> when a schedule changes it).</summary>
        public double LearningRate { get; init; } = double.NaN;

        internal static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>();

        /// <summary>The values of <see cref="FitOptions.Metrics"/> by name, in the order they were chosen: each metric on the epoch's training
        /// outputs under its name, and on the validation data under <c>val_</c> + its name. Empty without metrics.</summary>
        public IReadOnlyDictionary<string, double> Metrics { get; init; } = NoMetrics;

        /// <summary>A measured value by its Keras name: <c>"loss"</c>, <c>"val_loss"</c>, <c>"accuracy"</c>, <c>"val_accuracy"</c>,
        /// <c>"learning_rate"</c>, or a name in <see cref="Metrics"/>; <see langword="null"/> when the epoch did not measure it (or the metric is
        /// undefined for the data, NaN).</summary>
        /// <exception cref="ArgumentException">A name that is none of these.</exception>
        public double? Value(string name) => name switch
        {
            "loss" => Loss,
            "val_loss" => ValidationLoss,
            "accuracy" => double.IsNaN(Accuracy) ? null : Accuracy,
            "val_accuracy" => ValidationAccuracy is double a && !double.IsNaN(a) ? a : null,
            "learning_rate" => double.IsNaN(LearningRate) ? null : LearningRate,
            _ when Metrics.TryGetValue(name, out double value) => double.IsNaN(value) ? null : value,
            _ => throw new ArgumentException($"There is no '{name}' in the log of epoch {Epoch}; expected \"loss\", \"val_loss\", \"accuracy\", \"val_accuracy\", \"learning_rate\"" +
                (Metrics.Count == 0 ? " (or a metric of FitOptions.Metrics)." : " or one of the metrics: " + string.Join(", ", Metrics.Keys) + "."), nameof(name)),
        };

        /// <summary>The value a callback monitors; throws a message naming the callback when the epoch did not measure it.</summary>
        internal double Monitored(string name, string callback)
        {
            if (name is not ("loss" or "val_loss" or "accuracy" or "val_accuracy") && !Metrics.ContainsKey(name))
                throw new InvalidOperationException(
                    $"{callback} monitors '{name}', which is not in the log of epoch {Epoch}: add a metric of that name to FitOptions.Metrics" +
                    (Metrics.Count == 0 ? "." : " (the log has " + string.Join(", ", Metrics.Keys) + ")."));
            if (Value(name) is double v) return v;
            throw new InvalidOperationException(
                $"{callback} monitors '{name}', which epoch {Epoch} did not measure " +
                (name.StartsWith("val_", StringComparison.Ordinal)
                    ? "(give FitOptions.Validation or ValidationSplit, and a classification loss for val_accuracy)."
                    : "(accuracy needs a classification loss and FitOptions.TrainingAccuracy)."));
        }

        /// <summary>A Keras-style progress line, e.g. <c>Epoch 3/10 - 12 ms - loss: 0.4123 - accuracy: 0.9167 - val_loss: 0.5012 - val_accuracy: 0.8667</c>.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            CultureInfo inv = CultureInfo.InvariantCulture;
            text.Append(inv, $"Epoch {Epoch + 1}/{EpochCount} - {Elapsed.TotalMilliseconds:F0} ms - loss: {Loss:F4}");
            if (!double.IsNaN(Accuracy)) text.Append(inv, $" - accuracy: {Accuracy:F4}");
            if (ValidationLoss is double validationLoss) text.Append(inv, $" - val_loss: {validationLoss:F4}");
            if (ValidationAccuracy is double validationAccuracy && !double.IsNaN(validationAccuracy))
                text.Append(inv, $" - val_accuracy: {validationAccuracy:F4}");
            AppendMetrics(text);
            return text.ToString();
        }

        /// <summary>Appends <c> - name: value</c> for every metric, in <see cref="MetricsInLogOrder"/>.</summary>
        internal void AppendMetrics(StringBuilder text)
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            foreach (KeyValuePair<string, double> m in MetricsInLogOrder())
                text.Append(inv, $" - {m.Key}: {m.Value:F4}");
        }

        /// <summary>The metrics as Keras prints and logs them: training values first, then validation ones, each in the order chosen.</summary>
        internal IEnumerable<KeyValuePair<string, double>> MetricsInLogOrder()
        {
            foreach (KeyValuePair<string, double> m in Metrics)
                if (!m.Key.StartsWith("val_", StringComparison.Ordinal)) yield return m;
            foreach (KeyValuePair<string, double> m in Metrics)
                if (m.Key.StartsWith("val_", StringComparison.Ordinal)) yield return m;
        }
    }
}
