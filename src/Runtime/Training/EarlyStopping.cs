using System;

namespace Unroll
{
    /// <summary>Whether <see cref="EarlyStopping"/> wants its monitored value to go down or up (Keras <c>mode</c>).</summary>
    public enum MonitorMode
    {
        /// <summary>Inferred from the name: minimize losses, maximize accuracies.</summary>
        Auto,
        /// <summary>Lower is better.</summary>
        Min,
        /// <summary>Higher is better.</summary>
        Max,
    }

    /// <summary>
    /// Stops training when a monitored value has stopped improving: Keras 3 <c>keras.callbacks.EarlyStopping</c>, step for step.
    /// After each epoch (from <see cref="StartFromEpoch"/> on): the wait counter goes up by one; if the value is better than the
    /// best so far by more than <see cref="MinDelta"/> (<c>value + MinDelta &lt; best</c> when minimizing,
    /// <c>value - MinDelta &gt; best</c> when maximizing; the best starts at +/-infinity), it becomes the best and the counter
    /// resets to 0 (only if it also beats <see cref="Baseline"/>, when one is set); otherwise, once the counter reaches
    /// <see cref="Patience"/> and the epoch is not the first, training stops. A NaN value never improves.
    /// With <see cref="RestoreBestWeights"/>, the parameters of the best epoch (or of the first monitored epoch, if none
    /// improved) are copied into a buffer allocated once and written back when training ends, stopped or not (Keras 3).
    /// Unlike Keras, which warns and carries on, a monitored value missing from the log is an error.
    /// </summary>
    public sealed class EarlyStopping : ICallback
    {
        private string _monitor = "val_loss";
        private float[]? _bestWeights;
        private bool _hasBestWeights;

        /// <summary>What to watch: <c>"val_loss"</c> (default), <c>"loss"</c>, <c>"val_accuracy"</c> or <c>"accuracy"</c> (Keras <c>monitor</c>).</summary>
        public string Monitor
        {
            get => _monitor;
            set
            {
                Monitored.Check(value);
                _monitor = value;
            }
        }

        /// <summary>Whether lower or higher is better (Keras <c>mode</c>). Default <see cref="MonitorMode.Auto"/>: min for losses, max for accuracies.</summary>
        public MonitorMode Mode { get; set; }

        /// <summary>How much better than the best a value must be to count as an improvement; its sign is ignored (Keras <c>min_delta</c>). Default 0.</summary>
        public double MinDelta { get; set; }

        /// <summary>Epochs without improvement after which training stops (Keras <c>patience</c>). Default 0.</summary>
        public int Patience { get; set; }

        /// <summary>If set, the wait counter only resets on values that also beat this one (Keras <c>baseline</c>).</summary>
        public double? Baseline { get; set; }

        /// <summary>Whether to put back the parameters of the best epoch when training ends (Keras <c>restore_best_weights</c>). Default false.</summary>
        public bool RestoreBestWeights { get; set; }

        /// <summary>Epochs to ignore at the start, as a warm-up (Keras <c>start_from_epoch</c>). Default 0.</summary>
        public int StartFromEpoch { get; set; }

        /// <summary>Epochs since the last improvement (Keras <c>wait</c>).</summary>
        public int Wait { get; private set; }

        /// <summary>The best monitored value so far (+/-infinity before the first monitored epoch).</summary>
        public double Best { get; private set; }

        /// <summary>The 0-based epoch of <see cref="Best"/> (Keras <c>best_epoch</c>).</summary>
        public int BestEpoch { get; private set; }

        /// <summary>The 0-based epoch at which this callback stopped training, or <see langword="null"/> (Keras <c>stopped_epoch</c>).</summary>
        public int? StoppedEpoch { get; private set; }

        private bool Minimizing => Monitored.Minimizing(_monitor, Mode);

        /// <inheritdoc/>
        public void OnTrainBegin(ITrainableModel model)
        {
            ArgumentNullException.ThrowIfNull(model);
            if (Patience < 0)
                throw new InvalidOperationException($"EarlyStopping.Patience is {Patience}; it cannot be negative.");
            if (!double.IsFinite(MinDelta))
                throw new InvalidOperationException($"EarlyStopping.MinDelta is {MinDelta}; it must be finite (its sign is ignored, as in Keras).");
            if (Baseline is double baseline && !double.IsFinite(baseline))
                throw new InvalidOperationException($"EarlyStopping.Baseline is {baseline}; it must be finite (or null for none).");
            if (StartFromEpoch < 0)
                throw new InvalidOperationException($"EarlyStopping.StartFromEpoch is {StartFromEpoch}; it cannot be negative.");
            Wait = 0;
            StoppedEpoch = null;
            BestEpoch = 0;
            Best = Minimizing ? double.PositiveInfinity : double.NegativeInfinity;
            _hasBestWeights = false;
            if (RestoreBestWeights)
            {
                int length = model.ParameterCount;
                if (_bestWeights is null || _bestWeights.Length != length) _bestWeights = new float[length];
            }
        }

        /// <inheritdoc/>
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(log);
            if (log.Epoch < StartFromEpoch) return false;
            double current = MonitoredValue(log);

            if (RestoreBestWeights && !_hasBestWeights)
            {
                SaveWeights(model);
                BestEpoch = log.Epoch;
            }

            Wait++;
            if (IsImprovement(current, Best))
            {
                Best = current;
                BestEpoch = log.Epoch;
                if (RestoreBestWeights) SaveWeights(model);
                if (Baseline is not double baseline || IsImprovement(current, baseline)) Wait = 0;
                return false;
            }

            if (Wait >= Patience && log.Epoch > 0)
            {
                StoppedEpoch = log.Epoch;
                return true;
            }
            return false;
        }

        /// <inheritdoc/>
        public void OnTrainEnd(ITrainableModel model, History history)
        {
            ArgumentNullException.ThrowIfNull(model);
            if (RestoreBestWeights && _hasBestWeights)
            {
                if (model.ParameterCount != _bestWeights!.Length)
                    throw new InvalidOperationException(
                        $"The model has {model.ParameterCount} parameters; the saved best weights have {_bestWeights.Length}.");
                model.SetParameters(_bestWeights); // no view: Predict packs the restored weights and keeps them
            }
        }

        private bool IsImprovement(double value, double reference) =>
            Minimizing ? value + Math.Abs(MinDelta) < reference : value - Math.Abs(MinDelta) > reference;

        private void SaveWeights(ITrainableModel model)
        {
            if (_bestWeights is null || model.ParameterCount != _bestWeights.Length)
                throw new InvalidOperationException(
                    $"The model has {model.ParameterCount} parameters; OnTrainBegin prepared a buffer of {_bestWeights?.Length ?? 0}.");
            model.CopyParametersTo(_bestWeights); // no view: Predict keeps its packed weights
            _hasBestWeights = true;
        }

        private double MonitoredValue(EpochLog log) => log.Monitored(_monitor, "EarlyStopping");
    }
}
