using System;

namespace Unroll
{
    /// <summary>How precision, recall and F1 combine the classes (scikit-learn's <c>average</c>).</summary>
    public enum MetricAverage
    {
        /// <summary>The positive class (1) of a two-class model only (scikit-learn <c>average="binary"</c>, Keras <c>Precision()</c>).</summary>
        Binary,
        /// <summary>The unweighted mean over the classes (<c>average="macro"</c>).</summary>
        Macro,
        /// <summary>The mean over the classes weighted by their support (<c>average="weighted"</c>).</summary>
        Weighted,
    }

    /// <summary>
    /// A metric chosen for one <c>Fit</c> call (Keras <c>compile(metrics=[...])</c>) through <see cref="FitOptions.Metrics"/>, or read from an
    /// <see cref="Evaluation"/> with <see cref="Evaluation.Score"/>. Each epoch <c>Fit</c> scores it on the epoch's training outputs (taken
    /// in training mode, before each batch's update, as Keras does) under <see cref="Name"/>, and on the validation data under
    /// <c>val_</c> + <see cref="Name"/>; both appear in the epoch's log (<see cref="EpochLog.Value"/>), the progress line and the
    /// <see cref="CsvLogger"/>, and callbacks can monitor them. Define your own with the constructor.
    /// </summary>
    public sealed class Metric
    {
        private readonly Func<Evaluation, double> _score;

        /// <summary>A metric named <paramref name="name"/> (lower-case letters, digits and underscores, as Keras names them) computed by
        /// <paramref name="score"/> from the predictions and targets an <see cref="Evaluation"/> holds.</summary>
        /// <param name="name">The log's name for it, e.g. <c>"f1"</c>; not <c>loss</c> or <c>accuracy</c>, which are always logged.</param>
        /// <param name="score">The value over a whole data set.</param>
        /// <param name="higherIsBetter">Which way callbacks monitoring it in <see cref="MonitorMode.Auto"/> want it to move.</param>
        public Metric(string name, Func<Evaluation, double> score, bool higherIsBetter)
        {
            ArgumentNullException.ThrowIfNull(score);
            CheckName(name);
            Name = name;
            _score = score;
            HigherIsBetter = higherIsBetter;
        }

        /// <summary>The name in the epoch's log (the validation value is <c>val_</c> + this).</summary>
        public string Name { get; }

        /// <summary>Whether a larger value is better (accuracies, F1, AUC, R²) or a smaller one (errors).</summary>
        public bool HigherIsBetter { get; }

        /// <summary>The metric over the data an evaluation holds.</summary>
        public double Score(Evaluation evaluation)
        {
            ArgumentNullException.ThrowIfNull(evaluation);
            return _score(evaluation);
        }

        /// <inheritdoc/>
        public override string ToString() => Name;

        /// <summary>Mean absolute error against float targets (Keras <c>"mae"</c>).</summary>
        public static Metric MeanAbsoluteError { get; } = new("mae", e => e.MeanAbsoluteError, higherIsBetter: false);

        /// <summary>Mean squared error against float targets (Keras <c>"mse"</c>).</summary>
        public static Metric MeanSquaredError { get; } = new("mse", e => e.MeanSquaredError, higherIsBetter: false);

        /// <summary>Root mean squared error against float targets (Keras <c>RootMeanSquaredError</c>, <c>"rmse"</c>).</summary>
        public static Metric RootMeanSquaredError { get; } = new("rmse", e => e.RootMeanSquaredError, higherIsBetter: false);

        /// <summary>R² against float targets, averaged over the outputs (Keras <c>R2Score</c>, scikit-learn <c>r2_score</c>).</summary>
        public static Metric R2 { get; } = new("r2", e => e.R2, higherIsBetter: true);

        /// <summary>The area under the ROC curve of a binary classifier with one output (Keras <c>AUC()</c> computes an approximation of it; this is
        /// exact, as scikit-learn's <c>roc_auc_score</c>).</summary>
        public static Metric RocAuc { get; } = new("auc", e => e.RocAuc, higherIsBetter: true);

        /// <summary>The share of samples whose class is among the <paramref name="k"/> highest outputs (Keras <c>SparseTopKCategoricalAccuracy</c>),
        /// named <c>top_k_accuracy</c> with k written out.</summary>
        public static Metric TopKAccuracy(int k)
        {
            if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
            return new Metric("top_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_accuracy", e => e.TopKAccuracy(k), higherIsBetter: true);
        }

        /// <summary>Precision of a classifier (scikit-learn <c>precision_score</c>), named <c>precision</c> (binary), <c>precision_macro</c> or
        /// <c>precision_weighted</c>.</summary>
        public static Metric Precision(MetricAverage average = MetricAverage.Macro) =>
            FromConfusion("precision", average, (c, k) => c.Precision(k), m => m.Macro.Precision, m => m.Weighted.Precision);

        /// <summary>Recall of a classifier (scikit-learn <c>recall_score</c>), named as <see cref="Precision"/>.</summary>
        public static Metric Recall(MetricAverage average = MetricAverage.Macro) =>
            FromConfusion("recall", average, (c, k) => c.Recall(k), m => m.Macro.Recall, m => m.Weighted.Recall);

        /// <summary>F1 of a classifier (scikit-learn <c>f1_score</c>), named as <see cref="Precision"/>.</summary>
        public static Metric F1(MetricAverage average = MetricAverage.Macro) =>
            FromConfusion("f1", average, (c, k) => c.F1(k), m => m.Macro.F1, m => m.Weighted.F1);

        private static Metric FromConfusion(string name, MetricAverage average, Func<ConfusionMatrix, int, double> perClass,
            Func<ConfusionMatrix, double> macro, Func<ConfusionMatrix, double> weighted) => average switch
        {
            MetricAverage.Binary => new Metric(name, e => e.Confusion is { ClassCount: 2 } m ? perClass(m, 1) : double.NaN, higherIsBetter: true),
            MetricAverage.Macro => new Metric(name + "_macro", e => e.Confusion is { } m ? macro(m) : double.NaN, higherIsBetter: true),
            MetricAverage.Weighted => new Metric(name + "_weighted", e => e.Confusion is { } m ? weighted(m) : double.NaN, higherIsBetter: true),
            _ => throw new ArgumentOutOfRangeException(nameof(average), average, "Expected Binary, Macro or Weighted."),
        };

        internal static void CheckName(string name)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (NameProblem(name) is string problem) throw new ArgumentException(problem, nameof(name));
        }

        /// <summary>What is wrong with <paramref name="name"/> as a metric's name, or <see langword="null"/> when nothing is.</summary>
        internal static string? NameProblem(string? name)
        {
            if (string.IsNullOrEmpty(name)) return "A metric needs a name.";
            foreach (char c in name)
            {
                if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
                    return $"The metric name '{name}' has '{c}'; use lower-case letters, digits and underscores, as Keras names metrics.";
            }
            if (name is "loss" or "accuracy" or "learning_rate" || name.StartsWith("val_", StringComparison.Ordinal))
                return $"The metric name '{name}' is taken: loss, accuracy and learning_rate are always logged, and val_ names the validation value.";
            return null;
        }
    }
}
