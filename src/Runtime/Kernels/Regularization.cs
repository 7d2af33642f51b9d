using System;

namespace Unroll.Kernels;

/// <summary>Weight penalties added to the loss, with their gradients.</summary>
public static class Regularization
{
    /// <summary>
    /// The elastic-net penalty l1 * sum|w| + l2 * sum w^2 (accumulated in double), returned so the caller can add
    /// it to the reported loss; adds its gradient l1 * sign(w) + 2 * l2 * w to <paramref name="gradient"/>, with
    /// sign(0) = 0 as PyTorch's |w|. An empty gradient span computes the penalty only. Keras
    /// <c>kernel_regularizer=L1L2(l1, l2)</c>; in PyTorch, adding the same expression to the loss (not the
    /// optimizer's weight_decay, which is 2 * l2 only for plain SGD).
    /// </summary>
    public static float L1L2(Span<float> gradient, ReadOnlySpan<float> weights, float l1, float l2)
    {
        KernelChecks.GradientLength(weights.Length, gradient.Length, nameof(weights), nameof(gradient));
        bool hasGradient = !gradient.IsEmpty;
        float twoL2 = 2f * l2;
        double absSum = 0, squareSum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            float w = weights[i];
            absSum += Math.Abs(w);
            squareSum += (double)w * w;
            if (hasGradient)
            {
                float sign = w > 0f ? 1f : w < 0f ? -1f : 0f;
                gradient[i] += l1 * sign + twoL2 * w;
            }
        }
        return (float)(l1 * absSum + l2 * squareSum);
    }
}
