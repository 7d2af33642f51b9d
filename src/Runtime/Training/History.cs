using System;
using System.Collections.Generic;

namespace Unroll
{
    /// <summary>The per-epoch record of a <see cref="Trainer.Fit{TModel}"/> run: Keras <c>History</c> (<c>history.history["loss"]</c>, ...).</summary>
    public sealed class History
    {
        private readonly List<EpochLog> _epochs;
        private readonly List<double> _loss, _accuracy, _validationLoss, _validationAccuracy;

        /// <summary>An empty history with room for <paramref name="capacity"/> epochs.</summary>
        public History(int capacity = 0)
        {
            if (capacity < 0)
                throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity cannot be negative.");
            _epochs = new List<EpochLog>(capacity);
            _loss = new List<double>(capacity);
            _accuracy = new List<double>(capacity);
            _validationLoss = new List<double>(capacity);
            _validationAccuracy = new List<double>(capacity);
        }

        /// <summary>One log per epoch run, in order.</summary>
        public IReadOnlyList<EpochLog> Epochs => _epochs;

        /// <summary>The training loss of each epoch.</summary>
        public IReadOnlyList<double> Loss => _loss;

        /// <summary>The training accuracy of each epoch (NaN where undefined).</summary>
        public IReadOnlyList<double> Accuracy => _accuracy;

        /// <summary>The validation loss of each epoch; empty when the run had no validation data.</summary>
        public IReadOnlyList<double> ValidationLoss => _validationLoss;

        /// <summary>The validation accuracy of each epoch; empty when the run had no validation data.</summary>
        public IReadOnlyList<double> ValidationAccuracy => _validationAccuracy;

        /// <summary>The 0-based index of the epoch after which a callback stopped training, or <see langword="null"/> if every requested epoch ran (Keras <c>EarlyStopping.stopped_epoch</c>).</summary>
        public int? StoppedEpoch { get; set; }

        /// <summary>One logged value per epoch by its name (Keras <c>history.history[name]</c>): <c>"loss"</c>, <c>"val_loss"</c>,
        /// <c>"accuracy"</c>, <c>"val_accuracy"</c>, <c>"learning_rate"</c> or a metric of <see cref="FitOptions.Metrics"/>; NaN for an epoch
        /// that did not measure it.</summary>
        /// <exception cref="ArgumentException">No epoch logged <paramref name="name"/>.</exception>
        public double[] Values(string name)
        {
            var values = new double[_epochs.Count];
            bool any = false;
            for (int i = 0; i < values.Length; i++)
            {
                EpochLog log = _epochs[i];
                bool known = name is "loss" or "val_loss" or "accuracy" or "val_accuracy" or "learning_rate" || log.Metrics.ContainsKey(name);
                double? value = known ? log.Value(name) : null;
                any |= known;
                values[i] = value ?? double.NaN;
            }
            if (!any && values.Length > 0)
                throw new ArgumentException($"No epoch logged '{name}'.", nameof(name));
            return values;
        }

        /// <summary>Appends one epoch's log.</summary>
        public void Add(EpochLog log)
        {
            ArgumentNullException.ThrowIfNull(log);
            _epochs.Add(log);
            _loss.Add(log.Loss);
            _accuracy.Add(log.Accuracy);
            if (log.ValidationLoss is double validationLoss) _validationLoss.Add(validationLoss);
            if (log.ValidationAccuracy is double validationAccuracy) _validationAccuracy.Add(validationAccuracy);
        }
    }
}
