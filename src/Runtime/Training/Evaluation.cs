using System;

namespace Unroll
{
    /// <summary>The result of <see cref="Trainer.Evaluate{TModel}"/>: Keras <c>model.evaluate(x, y)</c> returning loss and accuracy, with the
    /// predictions kept so that the metrics of the model's kind can be read: precision, recall and F1 from <see cref="Confusion"/> for
    /// classifiers, <see cref="RocAuc"/> for binary ones, <see cref="TopKAccuracy"/> for several classes, MAE, MSE, RMSE and R² for
    /// regression.</summary>
    public sealed class Evaluation
    {
        private readonly float[]? _targets;
        private readonly int[]? _labels;
        private readonly int _targetWidth;
        private readonly bool _binary;

        /// <summary>Creates a result without predictions (the metrics that need them are NaN).</summary>
        public Evaluation(double loss, double accuracy, int count, ConfusionMatrix? confusion)
        {
            Loss = loss;
            Accuracy = accuracy;
            Count = count;
            Confusion = confusion;
            Predictions = Array.Empty<float>();
        }

        internal Evaluation(double loss, double accuracy, int count, ConfusionMatrix? confusion, float[] predictions, Dataset data, bool binary)
            : this(loss, accuracy, count, confusion, predictions, data.Targets, data.Labels, data.TargetWidth, binary)
        {
        }

        /// <summary>A result over <paramref name="count"/> rows whose predictions, and targets or labels, are the first rows of the given arrays
        /// (the trainer's per-epoch buffers).</summary>
        internal Evaluation(double loss, double accuracy, int count, ConfusionMatrix? confusion, float[] predictions, float[]? targets, int[]? labels,
            int targetWidth, bool binary)
            : this(loss, accuracy, count, confusion)
        {
            Predictions = predictions;
            _targets = targets;
            _labels = labels;
            _targetWidth = targetWidth;
            _binary = binary;
        }

        /// <summary>The mean loss per sample over the whole data set.</summary>
        public double Loss { get; }

        /// <summary>The accuracy over the whole data set (see <see cref="Metrics"/>); NaN for regression losses.</summary>
        public double Accuracy { get; }

        /// <summary>Number of samples evaluated.</summary>
        public int Count { get; }

        /// <summary>Actual versus predicted classes, for single-label classifiers (class labels, one-hot targets, or one binary output); otherwise <see langword="null"/>.</summary>
        public ConfusionMatrix? Confusion { get; }

        /// <summary>The model's outputs, OutputSize floats per sample, in the data set's order.</summary>
        public float[] Predictions { get; }

        private float[]? Targets => _targets;

        /// <summary>A metric over this evaluation's predictions (<see cref="Metric"/>; the ones <c>Fit</c> logs per epoch).</summary>
        public double Score(Metric metric)
        {
            ArgumentNullException.ThrowIfNull(metric);
            return metric.Score(this);
        }

        /// <summary>Mean absolute error against float targets (sklearn <c>mean_absolute_error</c>); NaN for class labels.</summary>
        public double MeanAbsoluteError => Targets is { } t ? Metrics.MeanAbsoluteError(Predictions, t) : double.NaN;

        /// <summary>Mean squared error against float targets; NaN for class labels.</summary>
        public double MeanSquaredError => Targets is { } t ? Metrics.MeanSquaredError(Predictions, t) : double.NaN;

        /// <summary>Root mean squared error against float targets; NaN for class labels.</summary>
        public double RootMeanSquaredError => Targets is { } t ? Metrics.RootMeanSquaredError(Predictions, t) : double.NaN;

        /// <summary>R² against float targets, averaged over the outputs (sklearn <c>r2_score</c>); NaN for class labels.</summary>
        public double R2 => Targets is { } t ? Metrics.R2(Predictions, t, _targetWidth) : double.NaN;

        /// <summary>The area under the ROC curve of a binary classifier with one output (scores are its outputs, probabilities or logits);
        /// NaN for other models or when the data holds one class only.</summary>
        public double RocAuc
        {
            get
            {
                if (!_binary || (_labels is null && _targets is null) || Predictions.Length != Count) return double.NaN;
                var labels = new int[Count];
                for (int i = 0; i < Count; i++)
                    labels[i] = _labels is { } l ? l[i] : _targets![i] > 0.5f ? 1 : 0;
                int positives = 0;
                foreach (int l in labels) positives += l;
                return positives == 0 || positives == Count ? double.NaN : Metrics.RocAuc(Predictions, labels);
            }
        }

        /// <summary>The share of samples whose class is among the <paramref name="k"/> highest outputs, for models that predict several
        /// classes from class labels (Keras <c>SparseTopKCategoricalAccuracy</c>); NaN for other models.</summary>
        public double TopKAccuracy(int k)
        {
            if (_labels is not { } labels || Count == 0 || Predictions.Length / Count < 2) return double.NaN;
            return Metrics.TopKAccuracy(Predictions, Predictions.Length / Count, labels, k);
        }
    }
}
