using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

/// <summary>
/// The checks at a model's door: a training member's float inputs, targets and given gradients must be finite, and a binary
/// cross-entropy target must be a probability. A vectorised scan (a few nanoseconds per thousand values) runs first; only when it
/// fails is the first offending value located, so the message can name its sample, step and feature.
/// </summary>
public static class ValueChecks
{
    /// <summary>Throws unless every value is finite. <paramref name="values"/> holds samples of <paramref name="steps"/> x
    /// <paramref name="features"/> values each (steps 1 for vectors), batch-major as the caller holds them.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite; the message names it, its sample, step and feature.</exception>
    /// <param name="values">The values, batch-major.</param>
    /// <param name="steps">Steps per sample (1 for vectors).</param>
    /// <param name="features">Values per step.</param>
    /// <param name="paramName">The argument the values came in.</param>
    /// <param name="what">What the message calls the values (default: <paramref name="paramName"/>).</param>
    public static void Finite(ReadOnlySpan<float> values, int steps, int features, string paramName, string? what = null)
    {
        if (TensorPrimitives.IsFiniteAll(values)) return;
        int i = 0;
        while (float.IsFinite(values[i])) i++;
        throw new ArgumentException($"{what ?? paramName}: {Text(values[i])} at {Where(i, steps, features)}; every value must be finite, so nothing was changed.", paramName);
    }

    /// <summary>Throws unless <paramref name="weights"/> is empty (no weights) or holds one finite, non-negative weight per sample of the batch.</summary>
    /// <exception cref="ArgumentException">The count is not the batch's, or a weight is negative, NaN or infinite; the message names the sample.</exception>
    /// <param name="weights">One weight per sample, or empty.</param>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="paramName">The argument the weights came in.</param>
    public static void SampleWeights(ReadOnlySpan<float> weights, int batch, string paramName)
    {
        if (weights.IsEmpty) return;
        if (weights.Length != batch)
            throw new ArgumentException($"{paramName} holds {weights.Length} weights for a batch of {batch} samples; one weight per sample (or none) was expected.", paramName);
        if (TensorPrimitives.IsFiniteAll(weights) && TensorPrimitives.Min(weights) >= 0f) return;
        int i = 0;
        while (float.IsFinite(weights[i]) && weights[i] >= 0f) i++;
        throw new ArgumentException($"{paramName}: {Text(weights[i])} at sample {i}; a sample weight must be finite and not negative, so nothing was changed.", paramName);
    }

    /// <summary>Throws unless every value is finite and in [0, 1]: the targets of binary cross-entropy are probabilities
    /// (PyTorch's <c>BCELoss</c> refuses others too).</summary>
    /// <exception cref="ArgumentException">A value is NaN, infinite or outside [0, 1]; the message names it, its sample, step and feature.</exception>
    /// <param name="values">The values, batch-major.</param>
    /// <param name="steps">Steps per sample (1 for vectors).</param>
    /// <param name="features">Values per step.</param>
    /// <param name="paramName">The argument the values came in.</param>
    /// <param name="what">What the message calls the values (default: <paramref name="paramName"/>).</param>
    public static void Probabilities(ReadOnlySpan<float> values, int steps, int features, string paramName, string? what = null)
    {
        if (values.IsEmpty || (TensorPrimitives.IsFiniteAll(values) && TensorPrimitives.Min(values) >= 0f && TensorPrimitives.Max(values) <= 1f)) return;
        int i = 0;
        while (values[i] >= 0f && values[i] <= 1f) i++;
        throw new ArgumentException(
            $"{what ?? paramName}: {Text(values[i])} at {Where(i, steps, features)}; binary cross-entropy takes targets in [0, 1], so nothing was changed.", paramName);
    }

    /// <summary>A value as the message shows it, whatever the culture: NaN, Infinity, -Infinity, 2.5.</summary>
    private static string Text(float value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Where(int index, int steps, int features)
    {
        int perSample = steps * features;
        int sample = index / perSample, step = index % perSample / features, feature = index % features;
        return steps > 1 ? $"sample {sample}, step {step}, feature {feature}" : $"sample {sample}, feature {feature}";
    }
}
