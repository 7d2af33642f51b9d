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
