using System;

namespace Unroll
{
    /// <summary>
    /// Multiplies the learning rate by <see cref="Factor"/> when the monitored value has not improved for <see cref="Patience"/> epochs,
    /// then waits <see cref="Cooldown"/> epochs before counting again (Keras <c>ReduceLROnPlateau</c>, rule for rule: during the
    /// cooldown the wait stays 0; an improvement always resets it; the rate never goes below <see cref="MinimumRate"/>).
    /// </summary>
    public sealed class ReduceLROnPlateau : ICallback
    {
        private string _monitor = "val_loss";
        private double _best;
        private int _cooldownCounter;

        /// <summary>What to watch (Keras <c>monitor</c>). Default <c>"val_loss"</c>.</summary>
        public string Monitor { get => _monitor; set { Monitored.Check(value); _monitor = value; } }

        /// <summary>Whether lower or higher is better. Default <see cref="MonitorMode.Auto"/>.</summary>
        public MonitorMode Mode { get; set; }

        /// <summary>The factor the rate is multiplied by, in (0, 1). Default 0.1.</summary>
        public double Factor { get; set; } = 0.1;

        /// <summary>Epochs without improvement before the rate drops. Default 10.</summary>
        public int Patience { get; set; } = 10;

        /// <summary>How much better than the best a value must be to count (Keras <c>min_delta</c>). Default 1e-4.</summary>
        public double MinDelta { get; set; } = 1e-4;

        /// <summary>Epochs after a drop before the wait counts again. Default 0.</summary>
        public int Cooldown { get; set; }

        /// <summary>The lowest rate. Default 0.</summary>
        public double MinimumRate { get; set; }

        /// <summary>Epochs since the last improvement (Keras <c>wait</c>).</summary>
        public int Wait { get; private set; }

        /// <summary>How many times the rate was lowered in this run.</summary>
        public int Reductions { get; private set; }

        /// <inheritdoc/>
        public void OnTrainBegin(ITrainableModel model)
        {
            if (!(Factor > 0 && Factor < 1)) throw new InvalidOperationException($"ReduceLROnPlateau.Factor is {Factor}; it must be in (0, 1).");
            if (Patience < 0 || Cooldown < 0) throw new InvalidOperationException($"ReduceLROnPlateau.Patience ({Patience}) and Cooldown ({Cooldown}) cannot be negative.");
            if (!double.IsFinite(MinDelta) || !(MinimumRate >= 0) || double.IsInfinity(MinimumRate))
                throw new InvalidOperationException($"ReduceLROnPlateau.MinDelta ({MinDelta}) must be finite and MinimumRate ({MinimumRate}) finite and at least 0.");
            _best = Monitored.Minimizing(_monitor, Mode) ? double.PositiveInfinity : double.NegativeInfinity;
            Wait = 0;
            _cooldownCounter = 0;
            Reductions = 0;
        }

        /// <inheritdoc/>
        public bool OnEpochEnd(ITrainableModel model, EpochLog log)
        {
            double current = log.Monitored(_monitor, "ReduceLROnPlateau");
            if (_cooldownCounter > 0)
            {
                _cooldownCounter--;
                Wait = 0;
            }
            if (Monitored.Improves(current, _best, Monitored.Minimizing(_monitor, Mode), MinDelta))
            {
                _best = current;
                Wait = 0;
            }
            else if (_cooldownCounter == 0) // as Keras: asked after the decrement, so the epoch that ends the cooldown already counts
            {
                Wait++;
                if (Wait >= Patience)
                {
                    float old = model.LearningRate;
                    if (old > (float)MinimumRate)
                    {
                        model.LearningRate = (float)Math.Max(old * Factor, MinimumRate);
                        Reductions++;
                        _cooldownCounter = Cooldown;
                        Wait = 0;
                    }
                }
            }
            return false;
        }

        /// <inheritdoc/>
        public void OnTrainEnd(ITrainableModel model, History history) { }
    }
}
