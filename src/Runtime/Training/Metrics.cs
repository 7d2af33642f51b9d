using System;
using System.Numerics.Tensors;

namespace Unroll
{
    /// <summary>
    /// Classification metrics on model outputs. Accuracy follows what Keras picks for <c>metrics=["accuracy"]</c>:
    /// <list type="bullet">
    /// <item>class labels (<see cref="TargetKind.ClassLabels"/>): argmax of the outputs equals the label (<c>sparse_categorical_accuracy</c>);
    /// with a single output, the output above the decision threshold means class 1;</item>
    /// <item>one-hot targets (categorical cross-entropy): argmax of the outputs equals argmax of the targets (<c>categorical_accuracy</c>);</item>
    /// <item>binary targets (binary cross-entropy, hinge): each output above the decision threshold (see <see cref="DecisionThreshold"/>)
    /// equals its target above 0.5 (<c>binary_accuracy</c>; with several outputs a row scores the fraction it gets right);</item>
    /// <item>regression losses (MSE, MAE, Huber) with float targets: no accuracy (NaN).</item>
    /// </list>
    /// </summary>
    public static class Metrics
    {
        /// <summary>
        /// The index of the largest value, the first one on ties (NumPy <c>argmax</c>, PyTorch <c>argmax</c>);
        /// if the row holds a NaN, the index of the first NaN.
        /// </summary>
        public static int ArgMax(ReadOnlySpan<float> row)
        {
            if (row.IsEmpty)
                throw new ArgumentException("Expected at least 1 value, got 0.", nameof(row));
            return TensorPrimitives.IndexOfMax(row);
        }

        /// <summary>
        /// The output value above which a single-output binary model predicts class 1: 0.5 for sigmoid probabilities
        /// (binary cross-entropy), 0 for logits (<paramref name="fromLogits"/>, Keras <c>from_logits=True</c>) and for the
        /// raw margins a hinge model outputs.
        /// </summary>
        public static float DecisionThreshold(Loss loss, bool fromLogits) =>
            loss == Loss.Hinge || fromLogits ? 0f : 0.5f;

        /// <summary>Whether accuracy is defined for a model with this loss and kind of target (everything but regression).</summary>
        public static bool HasAccuracy(Loss loss, TargetKind targetKind) =>
            AccuracyRule.For(loss, targetKind, 2, false).Kind != AccuracyKind.None;

        /// <summary>
        /// How many of the <c>outputs.Length / outputSize</c> rows are predicted correctly, per the rules above (a multi-output
        /// binary row counts the fraction of its outputs that are right). Pass the targets or the labels, per <paramref name="targetKind"/>.
        /// Returns NaN when accuracy is not defined.
        /// </summary>
        public static double CorrectCount(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels,
            int outputSize, Loss loss, TargetKind targetKind, bool fromLogits = false)
        {
            if (outputSize <= 0)
                throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "The output size must be positive.");
            if (outputs.Length % outputSize != 0)
                throw new ArgumentException($"Expected a multiple of {outputSize} outputs (whole rows), got {outputs.Length}.", nameof(outputs));
            int rows = outputs.Length / outputSize;
            if (targetKind == TargetKind.ClassLabels && labels.Length != rows)
                throw new ArgumentException($"Expected {rows} labels (one per row), got {labels.Length}.", nameof(labels));
            if (targetKind == TargetKind.Values && targets.Length != outputs.Length)
                throw new ArgumentException($"Expected {outputs.Length} targets (one per output), got {targets.Length}.", nameof(targets));
            AccuracyRule rule = AccuracyRule.For(loss, targetKind, outputSize, fromLogits);
            return rule.Kind == AccuracyKind.None ? double.NaN : rule.Score(outputs, targets, labels, rows, null);
        }

        /// <summary>The share of rows whose label is among the <paramref name="k"/> highest of their <paramref name="classes"/> scores
        /// (sklearn <c>top_k_accuracy_score</c>; Keras <c>SparseTopKCategoricalAccuracy</c>).</summary>
        public static double TopKAccuracy(ReadOnlySpan<float> scores, int classes, ReadOnlySpan<int> labels, int k)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
            Rows(scores.Length, classes, labels.Length, nameof(scores));
            int hits = 0;
            for (int r = 0; r < labels.Length; r++)
            {
                ReadOnlySpan<float> row = scores.Slice(r * classes, classes);
                int label = labels[r];
                if ((uint)label >= (uint)classes)
                    throw new ArgumentOutOfRangeException(nameof(labels), label, $"Row {r} has label {label}; expected a class in [0, {classes}).");
                int above = 0; // classes scored strictly higher than the label
                foreach (float v in row) if (v > row[label]) above++;
                if (above < k) hits++;
            }
            return labels.IsEmpty ? double.NaN : (double)hits / labels.Length;
        }

        /// <summary>Mean absolute error over all values (sklearn <c>mean_absolute_error</c> with uniform averaging).</summary>
        public static double MeanAbsoluteError(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
        {
            Same(predicted.Length, actual.Length);
            double sum = 0;
            for (int i = 0; i < actual.Length; i++) sum += Math.Abs((double)predicted[i] - actual[i]);
            return sum / actual.Length;
        }

        /// <summary>Mean squared error over all values (sklearn <c>mean_squared_error</c>).</summary>
        public static double MeanSquaredError(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
        {
            Same(predicted.Length, actual.Length);
            double sum = 0;
            for (int i = 0; i < actual.Length; i++)
            {
                double e = (double)predicted[i] - actual[i];
                sum += e * e;
            }
            return sum / actual.Length;
        }

        /// <summary>The square root of <see cref="MeanSquaredError"/> (sklearn <c>root_mean_squared_error</c>).</summary>
        public static double RootMeanSquaredError(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual) => Math.Sqrt(MeanSquaredError(predicted, actual));

        /// <summary>The coefficient of determination 1 − SS_res / SS_tot, per output column of <paramref name="outputs"/>, then averaged
        /// (sklearn <c>r2_score</c>, <c>multioutput="uniform_average"</c>; a constant column scores 1 if predicted exactly, else 0).</summary>
        public static double R2(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual, int outputs = 1)
        {
            Same(predicted.Length, actual.Length);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
            if (actual.Length % outputs != 0)
                throw new ArgumentException($"actual holds {actual.Length} values, not a whole number of rows of {outputs} outputs.", nameof(actual));
            int rows = actual.Length / outputs;
            double total = 0;
            for (int o = 0; o < outputs; o++)
            {
                double mean = 0;
                for (int r = 0; r < rows; r++) mean += actual[r * outputs + o];
                mean /= rows;
                double residual = 0, spread = 0;
                for (int r = 0; r < rows; r++)
                {
                    double a = actual[r * outputs + o];
                    residual += (a - predicted[r * outputs + o]) * (a - predicted[r * outputs + o]);
                    spread += (a - mean) * (a - mean);
                }
                total += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / spread;
            }
            return total / outputs;
        }

        /// <summary>
        /// The area under the ROC curve of a binary classifier (sklearn <c>roc_auc_score</c>): the probability that a random positive
        /// scores above a random negative, ties counting half (the Mann-Whitney U statistic over average ranks).
        /// </summary>
        /// <exception cref="ArgumentException">A label is not 0 or 1, or only one class is present.</exception>
        public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
        {
            Same(scores.Length, labels.Length);
            int n = labels.Length;
            var order = new int[n];
            for (int i = 0; i < n; i++)
            {
                if (labels[i] is not (0 or 1))
                    throw new ArgumentException($"Row {i} has label {labels[i]}; ROC AUC takes binary labels 0 and 1.", nameof(labels));
                order[i] = i;
            }
            float[] keys = scores.ToArray();
            Array.Sort(keys, order);
            double positiveRanks = 0;
            long positives = 0;
            for (int i = 0; i < n;)
            {
                int j = i;
                while (j + 1 < n && keys[j + 1] == keys[i]) j++;
                double rank = (i + j) / 2.0 + 1; // the average rank of a run of ties
                for (int t = i; t <= j; t++)
                    if (labels[order[t]] == 1) { positiveRanks += rank; positives++; }
                i = j + 1;
            }
            long negatives = n - positives;
            if (positives == 0 || negatives == 0)
                throw new ArgumentException($"ROC AUC needs both classes; the labels hold {positives} positives and {negatives} negatives.", nameof(labels));
            return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
        }

        private static void Same(int predicted, int actual)
        {
            if (predicted != actual)
                throw new ArgumentException($"The predictions hold {predicted} values and the actual values {actual}; they must match.");
            if (actual == 0)
                throw new ArgumentException("There are no values to score.");
        }

        private static void Rows(int scores, int classes, int rows, string name)
        {
            if (scores != (long)rows * classes)
                throw new ArgumentException($"{name} holds {scores} values; {rows} rows of {classes} classes need {(long)rows * classes}.", name);
        }
    }

    internal enum AccuracyKind
    {
        None,
        LabelArgMax,
        LabelThreshold,
        TargetArgMax,
        TargetThreshold,
    }

    /// <summary>The accuracy rule of one model, decided once per Fit/Evaluate so the per-batch scoring only loops.</summary>
    internal readonly struct AccuracyRule
    {
        private AccuracyRule(AccuracyKind kind, int outputSize, float threshold)
        {
            Kind = kind;
            OutputSize = outputSize;
            Threshold = threshold;
        }

        public AccuracyKind Kind { get; }
        public int OutputSize { get; }
        public float Threshold { get; }

        /// <summary>Classes of the confusion matrix this rule can fill, or 0 when it cannot.</summary>
        public int ConfusionClasses => Kind switch
        {
            AccuracyKind.LabelArgMax or AccuracyKind.TargetArgMax => OutputSize,
            AccuracyKind.LabelThreshold => 2,
            AccuracyKind.TargetThreshold when OutputSize == 1 => 2,
            _ => 0,
        };

        /// <summary>No accuracy (regression losses, and sequence outputs, whose per-step accuracy over padded steps the trainer
        /// does not score).</summary>
        public static AccuracyRule None => new(AccuracyKind.None, 0, 0f);

        /// <summary>The rule for a model: <see cref="None"/> for a sequence output, else by loss and target kind.</summary>
        public static AccuracyRule For(ITrainableModel model, bool fromLogits) =>
            model.OutputSteps > 1 ? None : For(model.Loss, model.TargetKind, model.OutputSize, fromLogits);

        public static AccuracyRule For(Loss loss, TargetKind targetKind, int outputSize, bool fromLogits)
        {
            float threshold = Metrics.DecisionThreshold(loss, fromLogits);
            AccuracyKind kind = targetKind == TargetKind.ClassLabels
                ? (outputSize == 1 ? AccuracyKind.LabelThreshold : AccuracyKind.LabelArgMax)
                : loss switch
                {
                    Loss.CategoricalCrossEntropy or Loss.SparseCategoricalCrossEntropy => AccuracyKind.TargetArgMax,
                    Loss.BinaryCrossEntropy or Loss.Hinge => AccuracyKind.TargetThreshold,
                    _ => AccuracyKind.None,
                };
            return new AccuracyRule(kind, outputSize, threshold);
        }

        /// <summary>Sum of per-row scores over <paramref name="rows"/> rows, counting each row into <paramref name="confusion"/> if given.</summary>
        public double Score(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, int rows, ConfusionMatrix? confusion)
        {
            int width = OutputSize;
            double correct = 0;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> output = outputs.Slice(r * width, width);
                int actual, predicted;
                switch (Kind)
                {
                    case AccuracyKind.LabelArgMax:
                        actual = labels[r];
                        predicted = Metrics.ArgMax(output);
                        break;
                    case AccuracyKind.LabelThreshold:
                        actual = labels[r];
                        predicted = output[0] > Threshold ? 1 : 0;
                        break;
                    case AccuracyKind.TargetArgMax:
                        actual = Metrics.ArgMax(targets.Slice(r * width, width));
                        predicted = Metrics.ArgMax(output);
                        break;
                    case AccuracyKind.TargetThreshold:
                        if (width == 1)
                        {
                            actual = targets[r] > 0.5f ? 1 : 0;
                            predicted = output[0] > Threshold ? 1 : 0;
                            break;
                        }
                        int right = 0;
                        for (int j = 0; j < width; j++)
                        {
                            if (output[j] > Threshold == targets[r * width + j] > 0.5f) right++;
                        }
                        correct += (double)right / width;
                        continue;
                    default:
                        return double.NaN;
                }
                if (actual == predicted) correct++;
                confusion?.Add(actual, predicted);
            }
            return correct;
        }
    }
}
