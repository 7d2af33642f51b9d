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
