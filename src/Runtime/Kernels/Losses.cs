using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

/// <summary>
/// Loss kernels. Each returns the mean loss of the batch, accumulated in double, and OVERWRITES its gradient
/// span with d(mean loss)/d(input), the seed of the backward pass; an empty gradient span computes the loss only
/// (evaluation). Matrices are row-major (rows = batch, cols = classes); "mean" follows PyTorch's
/// <c>reduction="mean"</c> (over all elements for elementwise losses, over rows for cross-entropies). An empty
/// batch has loss 0.
/// <para>Every kernel takes optional per-sample weights (Keras <c>sample_weight</c>, one non-negative weight per row; empty for
/// none): each row's loss and gradient are multiplied by its weight and the sum is still divided by the batch (Keras'
/// <c>sum_over_batch_size</c> reduction; PyTorch <c>(w * loss(reduction="none")).mean()</c>). Weights of 1 give the unweighted
/// gradient bit for bit and its loss to the rounding of the sum. For the elementwise losses a row is <c>length / weights.Length</c>
/// consecutive elements.</para>
/// </summary>
/// <remarks>
/// The kernels named after a fused pair (<see cref="SigmoidBinaryCrossEntropy"/>, <see cref="SoftmaxCrossEntropy"/>,
/// <see cref="SparseSoftmaxCrossEntropy"/>) take the activation's output but return the gradient with respect to
/// its input, the logits: the generated model then skips the activation's backward, whose product with the
/// cross-entropy gradient is the simple, stable p - y.
/// </remarks>
public static class Losses
{
    /// <summary>Keras' backend epsilon: probabilities are clamped away from 0 and 1 by it before the logarithm.</summary>
    private const double Epsilon = 1e-7;

    /// <summary>mean((pred - target)^2) over all elements. PyTorch <c>nn.MSELoss()</c>; Keras <c>"mse"</c>.</summary>
    public static float MeanSquaredError(Span<float> dPred, ReadOnlySpan<float> pred, ReadOnlySpan<float> target,
        ReadOnlySpan<float> sampleWeights = default)
    {
        CheckElementwise(dPred, pred, target, nameof(dPred), nameof(pred));
        int n = pred.Length;
        if (n == 0)
            return 0f;
        int width = RowWidth(n, sampleWeights);
        bool gradient = !dPred.IsEmpty;
        double scale = 2.0 / n;
        double sum = 0;
        for (int start = 0, row = 0; start < n; start += width, row++)
        {
            double w = Weight(sampleWeights, row), rowSum = 0, rowScale = scale * w;
            for (int i = start; i < start + width; i++)
            {
                double d = (double)pred[i] - target[i];
                rowSum += d * d;
                if (gradient)
                    dPred[i] = (float)(rowScale * d);
            }
            sum += w * rowSum;
        }
        return (float)(sum / n);
    }

    /// <summary>
    /// mean(|pred - target|), gradient sign(pred - target) / N with sign(0) = 0. PyTorch <c>nn.L1Loss()</c>;
    /// Keras <c>"mae"</c>.
    /// </summary>
    public static float MeanAbsoluteError(Span<float> dPred, ReadOnlySpan<float> pred, ReadOnlySpan<float> target,
        ReadOnlySpan<float> sampleWeights = default)
    {
        CheckElementwise(dPred, pred, target, nameof(dPred), nameof(pred));
        int n = pred.Length;
        if (n == 0)
            return 0f;
        int width = RowWidth(n, sampleWeights);
        bool gradient = !dPred.IsEmpty;
        double sum = 0;
        for (int start = 0, row = 0; start < n; start += width, row++)
        {
            double w = Weight(sampleWeights, row), rowSum = 0;
            float step = (float)(w / n);
            for (int i = start; i < start + width; i++)
            {
                double d = (double)pred[i] - target[i];
                rowSum += Math.Abs(d);
                if (gradient)
                    dPred[i] = d > 0 ? step : d < 0 ? -step : 0f;
            }
            sum += w * rowSum;
        }
        return (float)(sum / n);
    }

    /// <summary>
    /// mean of 0.5 d^2 where |d| &lt; delta, else delta (|d| - 0.5 delta), with d = pred - target; gradient
    /// clamp(d, -delta, delta) / N. PyTorch <c>nn.HuberLoss(delta=delta)</c>; Keras <c>Huber(delta)</c>.
    /// </summary>
    public static float Huber(Span<float> dPred, ReadOnlySpan<float> pred, ReadOnlySpan<float> target, float delta,
        ReadOnlySpan<float> sampleWeights = default)
    {
        CheckElementwise(dPred, pred, target, nameof(dPred), nameof(pred));
        if (!(delta > 0f))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "The Huber delta must be positive.");
        int n = pred.Length;
        if (n == 0)
            return 0f;
        int width = RowWidth(n, sampleWeights);
        bool gradient = !dPred.IsEmpty;
        double sum = 0;
        for (int start = 0, row = 0; start < n; start += width, row++)
        {
            double w = Weight(sampleWeights, row), rowSum = 0, inv = w / n;
            for (int i = start; i < start + width; i++)
            {
                double d = (double)pred[i] - target[i];
                double a = Math.Abs(d);
                rowSum += a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
                if (gradient)
                    dPred[i] = (float)(Math.Clamp(d, -delta, delta) * inv);
            }
            sum += w * rowSum;
        }
        return (float)(sum / n);
    }

    /// <summary>
    /// mean(-(t log p + (1 - t) log(1 - p))) over all elements, p clamped to [1e-7, 1 - 1e-7] as Keras does; the
    /// gradient with respect to the probabilities is (p - t) / (p (1 - p)) / N, and 0 where the clamp is active
    /// (the derivative of the clamp, as in Keras and PyTorch autograd). Keras <c>"binary_crossentropy"</c>;
    /// PyTorch <c>nn.BCELoss()</c> on clamped probabilities. Prefer <see cref="SigmoidBinaryCrossEntropy"/> after
    /// a sigmoid: its gradient does not vanish when the sigmoid saturates.
    /// </summary>
    public static float BinaryCrossEntropy(Span<float> dPred, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target,
        ReadOnlySpan<float> sampleWeights = default)
    {
        CheckElementwise(dPred, probabilities, target, nameof(dPred), nameof(probabilities));
        int n = probabilities.Length;
        if (n == 0)
            return 0f;
        int width = RowWidth(n, sampleWeights);
        bool gradient = !dPred.IsEmpty;
        double sum = 0;
        for (int start = 0, row = 0; start < n; start += width, row++)
        {
            double w = Weight(sampleWeights, row), rowSum = 0, inv = w / n;
            for (int i = start; i < start + width; i++)
            {
                double p = probabilities[i], t = target[i];
                rowSum += ClampedBinaryCrossEntropy(p, t);
                if (gradient)
                    dPred[i] = p >= Epsilon && p <= 1.0 - Epsilon ? (float)((p - t) / (p * (1.0 - p)) * inv) : 0f;
            }
            sum += w * rowSum;
        }
        return (float)(sum / n);
    }

    /// <summary>
    /// mean(max(z, 0) - z t + log(1 + exp(-|z|))), binary cross-entropy of sigmoid(z) in a form that neither
    /// overflows nor saturates; gradient (sigmoid(z) - t) / N. PyTorch <c>nn.BCEWithLogitsLoss()</c>; Keras
    /// <c>BinaryCrossentropy(from_logits=True)</c>.
    /// </summary>
    public static float BinaryCrossEntropyWithLogits(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<float> target,
        ReadOnlySpan<float> sampleWeights = default)
    {
        CheckElementwise(dLogits, logits, target, nameof(dLogits), nameof(logits));
        int n = logits.Length;
        if (n == 0)
            return 0f;
        int width = RowWidth(n, sampleWeights);
        bool gradient = !dLogits.IsEmpty;
        double sum = 0;
        for (int start = 0, row = 0; start < n; start += width, row++)
        {
            double w = Weight(sampleWeights, row), rowSum = 0, inv = w / n;
            for (int i = start; i < start + width; i++)
            {
                double z = logits[i], t = target[i];
                rowSum += Math.Max(z, 0.0) - z * t + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));
                if (gradient)
                    dLogits[i] = (float)((Sigmoid(z) - t) * inv);
            }
            sum += w * rowSum;
        }
        return (float)(sum / n);
    }

    /// <summary>
    /// Fused sigmoid + binary cross-entropy: the loss is <see cref="BinaryCrossEntropy"/> of the sigmoid outputs
    /// p (clamped as Keras does), the gradient is with respect to the LOGITS that produced them, (p - t) / N.
    /// What Keras computes for <c>Dense(activation="sigmoid")</c> + <c>"binary_crossentropy"</c>, minus the
    /// vanishing gradient at saturation; PyTorch's <c>nn.BCEWithLogitsLoss()</c> gradient.
    /// </summary>
    public static float SigmoidBinaryCrossEntropy(Span<float> dLogits, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target,
        ReadOnlySpan<float> sampleWeights = default)
    {
        CheckElementwise(dLogits, probabilities, target, nameof(dLogits), nameof(probabilities));
        int n = probabilities.Length;
        if (n == 0)
            return 0f;
        int width = RowWidth(n, sampleWeights);
        bool gradient = !dLogits.IsEmpty;
        double sum = 0;
        for (int start = 0, row = 0; start < n; start += width, row++)
        {
            double w = Weight(sampleWeights, row), rowSum = 0, inv = w / n;
            for (int i = start; i < start + width; i++)
            {
                double p = probabilities[i], t = target[i];
                rowSum += ClampedBinaryCrossEntropy(p, t);
                if (gradient)
                    dLogits[i] = (float)((p - t) * inv);
            }
            sum += w * rowSum;
        }
        return (float)(sum / n);
    }

    /// <summary>
    /// -sum(y log p) / rows with p clamped below at 1e-7; gradient with respect to the probabilities -y / p / rows
    /// (0 where the clamp is active). Targets may be soft. Keras <c>"categorical_crossentropy"</c> on probabilities
    /// that already sum to 1; prefer <see cref="SoftmaxCrossEntropy"/> after a softmax.
    /// </summary>
    public static float CategoricalCrossEntropy(Span<float> dProb, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target,
        int rows, int cols, ReadOnlySpan<float> sampleWeights = default)
    {
        CheckClasses(dProb, probabilities, target, rows, cols, nameof(dProb), nameof(probabilities));
        CheckWeights(sampleWeights, rows);
        if (rows == 0)
            return 0f;
        bool gradient = !dProb.IsEmpty;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            double w = Weight(sampleWeights, r), rowSum = 0, inv = w / rows;
            for (int i = r * cols; i < (r + 1) * cols; i++)
            {
                double p = probabilities[i], y = target[i];
                rowSum -= y * Math.Log(Math.Max(p, Epsilon));
                if (gradient)
                    dProb[i] = p >= Epsilon ? (float)(-y / p * inv) : 0f;
            }
            sum += w * rowSum;
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// Fused softmax + categorical cross-entropy: the loss is <see cref="CategoricalCrossEntropy"/> of the softmax
    /// outputs p, the gradient is with respect to the LOGITS, (p * sum(y) - y) / rows per row (p - y for targets
    /// that sum to 1). Keras <c>Dense(activation="softmax")</c> + <c>"categorical_crossentropy"</c>.
    /// </summary>
    public static float SoftmaxCrossEntropy(Span<float> dLogits, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target,
        int rows, int cols, ReadOnlySpan<float> sampleWeights = default)
    {
        CheckClasses(dLogits, probabilities, target, rows, cols, nameof(dLogits), nameof(probabilities));
        CheckWeights(sampleWeights, rows);
        if (rows == 0)
            return 0f;
        bool gradient = !dLogits.IsEmpty;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            double w = Weight(sampleWeights, r), inv = w / rows, targetSum = 0, rowSum = 0;
            for (int c = 0; c < cols; c++)
            {
                double y = target[o + c];
                targetSum += y;
                rowSum -= y * Math.Log(Math.Max(probabilities[o + c], Epsilon));
            }
            sum += w * rowSum;
            if (gradient)
            {
                for (int c = 0; c < cols; c++)
                    dLogits[o + c] = (float)((probabilities[o + c] * targetSum - target[o + c]) * inv);
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// -sum(y log_softmax(z)) / rows from logits, through log-sum-exp with the row maximum subtracted (stable for
    /// logits of any magnitude, no clamp); gradient (softmax(z) * sum(y) - y) / rows. PyTorch
    /// <c>nn.CrossEntropyLoss()</c> with probability targets; Keras <c>CategoricalCrossentropy(from_logits=True)</c>.
    /// When a gradient is requested its span holds exp(z - max) between passes, so no scratch buffer is needed.
    /// </summary>
    public static float SoftmaxCrossEntropyWithLogits(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<float> target,
        int rows, int cols, ReadOnlySpan<float> sampleWeights = default)
    {
        CheckClasses(dLogits, logits, target, rows, cols, nameof(dLogits), nameof(logits));
        CheckWeights(sampleWeights, rows);
        if (rows == 0 || cols == 0)
            return 0f;
        bool gradient = !dLogits.IsEmpty;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            double w = Weight(sampleWeights, r), inv = w / rows;
            double max = TensorPrimitives.Max(logits.Slice(o, cols));
            double expSum = 0, targetSum = 0, targetDotShifted = 0;
            for (int c = 0; c < cols; c++)
            {
                double shifted = logits[o + c] - max;
                double e = Math.Exp(shifted);
                double y = target[o + c];
                expSum += e;
                targetSum += y;
                targetDotShifted += y * shifted;
                if (gradient)
                    dLogits[o + c] = (float)e;
            }
            // sum_c y_c (logsumexp - z_c), with both terms shifted by the row maximum.
            sum += w * (targetSum * Math.Log(expSum) - targetDotShifted);
            if (gradient)
            {
                double scale = targetSum / expSum;
                for (int c = 0; c < cols; c++)
                    dLogits[o + c] = (float)((dLogits[o + c] * scale - target[o + c]) * inv);
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// -sum over rows of log p[label] / rows with p clamped below at 1e-7; gradient with respect to the
    /// probabilities -1 / p[label] / rows at the label, 0 elsewhere (and 0 where the clamp is active). Keras
    /// <c>"sparse_categorical_crossentropy"</c>; PyTorch <c>nn.NLLLoss()</c> of the clamped log-probabilities.
    /// </summary>
    public static float SparseCategoricalCrossEntropy(Span<float> dProb, ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels,
        int rows, int cols, ReadOnlySpan<float> sampleWeights = default)
    {
        CheckSparse(dProb, probabilities, labels, rows, cols, nameof(dProb), nameof(probabilities));
        CheckWeights(sampleWeights, rows);
        if (rows == 0)
            return 0f;
        bool gradient = !dProb.IsEmpty;
        if (gradient)
            dProb.Clear();
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            int i = r * cols + labels[r];
            double p = probabilities[i], w = Weight(sampleWeights, r), inv = w / rows;
            sum -= w * Math.Log(Math.Max(p, Epsilon));
            if (gradient && p >= Epsilon)
                dProb[i] = (float)(-inv / p);
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// Fused softmax + sparse categorical cross-entropy: the loss is <see cref="SparseCategoricalCrossEntropy"/> of
    /// the softmax outputs p, the gradient is with respect to the LOGITS, (p - onehot(label)) / rows. Keras
    /// <c>Dense(activation="softmax")</c> + <c>"sparse_categorical_crossentropy"</c>.
    /// </summary>
    public static float SparseSoftmaxCrossEntropy(Span<float> dLogits, ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels,
        int rows, int cols, ReadOnlySpan<float> sampleWeights = default)
    {
        CheckSparse(dLogits, probabilities, labels, rows, cols, nameof(dLogits), nameof(probabilities));
        CheckWeights(sampleWeights, rows);
        if (rows == 0)
            return 0f;
        bool gradient = !dLogits.IsEmpty;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols, label = labels[r];
            double w = Weight(sampleWeights, r);
            sum -= w * Math.Log(Math.Max(probabilities[o + label], Epsilon));
            if (gradient)
            {
                Span<float> d = dLogits.Slice(o, cols);
                TensorPrimitives.Multiply(probabilities.Slice(o, cols), (float)(w / rows), d);
                d[label] = (float)((probabilities[o + label] - 1.0) * w / rows);
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// -sum over rows of log_softmax(z)[label] / rows from logits, through a max-shifted log-sum-exp; gradient
    /// (softmax(z) - onehot(label)) / rows. PyTorch <c>nn.CrossEntropyLoss()</c> with class indices; Keras
    /// <c>SparseCategoricalCrossentropy(from_logits=True)</c>.
    /// </summary>
    public static float SparseSoftmaxCrossEntropyWithLogits(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels,
        int rows, int cols, ReadOnlySpan<float> sampleWeights = default)
    {
        CheckSparse(dLogits, logits, labels, rows, cols, nameof(dLogits), nameof(logits));
        CheckWeights(sampleWeights, rows);
        if (rows == 0)
            return 0f;
        bool gradient = !dLogits.IsEmpty;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols, label = labels[r];
            double w = Weight(sampleWeights, r), inv = w / rows;
            double max = TensorPrimitives.Max(logits.Slice(o, cols));
            double expSum = 0;
            for (int c = 0; c < cols; c++)
            {
                double e = Math.Exp(logits[o + c] - max);
                expSum += e;
                if (gradient)
                    dLogits[o + c] = (float)e;
            }
            sum += w * (Math.Log(expSum) - (logits[o + label] - max));
            if (gradient)
            {
                double scale = inv / expSum;
                for (int c = 0; c < cols; c++)
                    dLogits[o + c] = (float)(dLogits[o + c] * scale);
                // From the double exponential, not the stored float: p - 1 cancels when the model is confident.
                double eLabel = Math.Exp(logits[o + label] - max);
                dLogits[o + label] = (float)((eLabel - expSum) * scale);
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>
    /// mean(max(0, 1 - t * pred)) with targets 0 read as -1 (Keras' 0/1 label convention; -1 and 1 are kept);
    /// gradient -t / N where the margin 1 - t * pred is at least 0 (PyTorch's clamp passes the gradient at the
    /// bound), else 0. Keras <c>"hinge"</c>; PyTorch <c>torch.clamp(1 - t * pred, min=0).mean()</c>.
    /// </summary>
    public static float Hinge(Span<float> dPred, ReadOnlySpan<float> pred, ReadOnlySpan<float> target,
        ReadOnlySpan<float> sampleWeights = default)
    {
        CheckElementwise(dPred, pred, target, nameof(dPred), nameof(pred));
        int n = pred.Length;
        if (n == 0)
            return 0f;
        int width = RowWidth(n, sampleWeights);
        bool gradient = !dPred.IsEmpty;
        double sum = 0;
        for (int start = 0, row = 0; start < n; start += width, row++)
        {
            double w = Weight(sampleWeights, row), rowSum = 0, inv = w / n;
            for (int i = start; i < start + width; i++)
            {
                double t = target[i] == 0f ? -1.0 : target[i];
                double margin = 1.0 - t * pred[i];
                rowSum += Math.Max(margin, 0.0);
                if (gradient)
                    dPred[i] = margin >= 0 ? (float)(-t * inv) : 0f;
            }
            sum += w * rowSum;
        }
        return (float)(sum / n);
    }

    /// <summary>The weight of a row; 1 without weights.</summary>
    private static double Weight(ReadOnlySpan<float> sampleWeights, int row) => sampleWeights.IsEmpty ? 1.0 : sampleWeights[row];

    /// <summary>Elements per weighted row of an elementwise loss over <paramref name="length"/> elements (all of them without weights).</summary>
    private static int RowWidth(int length, ReadOnlySpan<float> sampleWeights)
    {
        if (sampleWeights.IsEmpty)
            return length;
        if (length % sampleWeights.Length != 0)
            throw new ArgumentException(
                $"sampleWeights holds {sampleWeights.Length} weights, which does not divide the {length} outputs into whole rows; one weight per sample was expected.",
                nameof(sampleWeights));
        return length / sampleWeights.Length;
    }

    private static void CheckWeights(ReadOnlySpan<float> sampleWeights, int rows)
    {
        if (!sampleWeights.IsEmpty && sampleWeights.Length != rows)
            throw new ArgumentException($"sampleWeights holds {sampleWeights.Length} weights for {rows} rows; one weight per row was expected.", nameof(sampleWeights));
    }

    private static double ClampedBinaryCrossEntropy(double p, double t)
    {
        double clamped = Math.Clamp(p, Epsilon, 1.0 - Epsilon);
        return -(t * Math.Log(clamped) + (1.0 - t) * Math.Log(1.0 - clamped));
    }

    private static double Sigmoid(double z)
    {
        if (z >= 0)
            return 1.0 / (1.0 + Math.Exp(-z));
        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    private static void CheckElementwise(Span<float> gradient, ReadOnlySpan<float> input, ReadOnlySpan<float> target,
        string gradientName, string inputName)
    {
        KernelChecks.SameLength(input.Length, target.Length, inputName, nameof(target));
        KernelChecks.GradientLength(input.Length, gradient.Length, inputName, gradientName);
    }

    private static void CheckClasses(Span<float> gradient, ReadOnlySpan<float> input, ReadOnlySpan<float> target,
        int rows, int cols, string gradientName, string inputName)
    {
        KernelChecks.MatrixLength(input.Length, rows, cols, inputName);
        KernelChecks.SameLength(input.Length, target.Length, inputName, nameof(target));
        KernelChecks.GradientLength(input.Length, gradient.Length, inputName, gradientName);
    }

    private static void CheckSparse(Span<float> gradient, ReadOnlySpan<float> input, ReadOnlySpan<int> labels,
        int rows, int cols, string gradientName, string inputName)
    {
        KernelChecks.MatrixLength(input.Length, rows, cols, inputName);
        KernelChecks.SameLength(rows, labels.Length, nameof(rows), nameof(labels));
        KernelChecks.GradientLength(input.Length, gradient.Length, inputName, gradientName);
        // Checked before any output is written, so a bad label leaves the gradient untouched.
        for (int r = 0; r < labels.Length; r++)
        {
            if ((uint)labels[r] >= (uint)cols)
                ThrowLabel(labels[r], r, cols);
        }
    }

    private static void ThrowLabel(int label, int row, int cols) =>
        throw new ArgumentOutOfRangeException("labels", label,
            $"Label {label} in row {row} is outside [0, {cols}): the model has {cols} classes.");
}
