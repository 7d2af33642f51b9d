using System;

namespace Unroll
{
    /// <summary>
    /// A callback that sets the model's learning rate before every training batch from a rule of the epoch and the optimizer step
    /// (PyTorch's <c>lr_scheduler</c>, Keras' <c>LearningRateSchedule</c>). The rate the model has when training begins is the base
    /// rate, unless <see cref="BaseRate"/> is given.
    /// </summary>
    public abstract class LearningRateSchedule : ICallback
    {
        private int _firstStep;

        /// <summary>The rate the rule scales; <see langword="null"/> (default) takes the model's learning rate when training begins.</summary>
        public float? BaseRate { get; set; }

        /// <summary>The base rate of the current run.</summary>
        protected float Base { get; private set; }

        private int _epoch;

        /// <summary>The rate for optimizer step <paramref name="step"/> (0-based, counted from the start of this Fit) in epoch <paramref name="epoch"/>.</summary>
        public abstract double Rate(int step, int epoch);

        /// <inheritdoc/>
        public virtual void OnTrainBegin(ITrainableModel model)
        {
            ArgumentNullException.ThrowIfNull(model);
            Base = BaseRate ?? model.LearningRate;
            if (!float.IsFinite(Base) || Base < 0)
                throw new InvalidOperationException($"{GetType().Name}.BaseRate is {Base}; it must be finite and at least 0.");
            _firstStep = model.Iterations;
        }

        /// <inheritdoc/>
        public void OnEpochBegin(ITrainableModel model, int epoch) => _epoch = epoch;

        /// <inheritdoc/>
        public void OnBatchBegin(ITrainableModel model, int batch) => model.LearningRate = (float)Rate(model.Iterations - _firstStep, _epoch);

        /// <inheritdoc/>
        public virtual bool OnEpochEnd(ITrainableModel model, EpochLog log) => false;

        /// <inheritdoc/>
        public virtual void OnTrainEnd(ITrainableModel model, History history) { }
    }

    /// <summary>The base rate times <see cref="Gamma"/> every <see cref="StepSize"/> epochs: base · γ^⌊epoch / stepSize⌋ (PyTorch <c>StepLR</c>).</summary>
    public sealed class StepDecay : LearningRateSchedule
    {
        /// <summary>Decays every <paramref name="stepSize"/> epochs by <paramref name="gamma"/>.</summary>
        public StepDecay(int stepSize, double gamma = 0.1)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
            if (!(gamma > 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be finite and positive.");
            StepSize = stepSize;
            Gamma = gamma;
        }

        /// <summary>Epochs between decays.</summary>
        public int StepSize { get; }

        /// <summary>The factor of each decay.</summary>
        public double Gamma { get; }

        /// <inheritdoc/>
        public override double Rate(int step, int epoch) => Base * Math.Pow(Gamma, epoch / StepSize);
    }

    /// <summary>The base rate times <see cref="Gamma"/> every epoch: base · γ^epoch (PyTorch <c>ExponentialLR</c>).</summary>
    public sealed class ExponentialDecay : LearningRateSchedule
    {
        /// <summary>Decays every epoch by <paramref name="gamma"/>.</summary>
        public ExponentialDecay(double gamma)
        {
            if (!(gamma > 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be finite and positive.");
            Gamma = gamma;
        }

        /// <summary>The factor per epoch.</summary>
        public double Gamma { get; }

        /// <inheritdoc/>
        public override double Rate(int step, int epoch) => Base * Math.Pow(Gamma, epoch);
    }

    /// <summary>
    /// A linear warm-up from 0 to the base rate over <see cref="WarmupSteps"/> optimizer steps, then a half cosine down to
    /// <see cref="MinimumRate"/> at <see cref="TotalSteps"/>, where it stays (Hugging Face's <c>get_cosine_schedule_with_warmup</c>;
    /// PyTorch <c>CosineAnnealingLR</c> after a <c>LinearLR</c> warm-up): step s &lt; w gives base · s / w; after it,
    /// min + (base − min) · (1 + cos(π · (s − w) / (T − w))) / 2.
    /// </summary>
    public sealed class CosineDecay : LearningRateSchedule
    {
        /// <summary>Warms up over <paramref name="warmupSteps"/> and decays until <paramref name="totalSteps"/>.</summary>
        public CosineDecay(int totalSteps, int warmupSteps = 0, double minimumRate = 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
            ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
            if (warmupSteps >= totalSteps) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"The warm-up must be shorter than the {totalSteps} steps.");
            if (!(minimumRate >= 0) || double.IsInfinity(minimumRate)) throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, "The minimum rate must be finite and at least 0.");
            TotalSteps = totalSteps;
            WarmupSteps = warmupSteps;
            MinimumRate = minimumRate;
        }

        /// <summary>Steps until the rate reaches <see cref="MinimumRate"/>.</summary>
        public int TotalSteps { get; }

        /// <summary>Steps of the linear warm-up.</summary>
        public int WarmupSteps { get; }

        /// <summary>The rate at the end of the decay.</summary>
        public double MinimumRate { get; }

        /// <inheritdoc/>
        public override double Rate(int step, int epoch)
        {
            if (step < WarmupSteps) return Base * step / WarmupSteps;
            double progress = Math.Min(1.0, (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps));
            return MinimumRate + (Base - MinimumRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
        }
    }
}
