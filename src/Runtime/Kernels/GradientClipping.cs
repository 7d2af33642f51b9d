using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

/// <summary>Gradient clipping applied between backward and the optimizer step, on the flat gradient arena.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Clamps every gradient to [-clipValue, clipValue]. PyTorch <c>torch.nn.utils.clip_grad_value_</c>; Keras
    /// optimizer <c>clipvalue</c>.
    /// </summary>
    public static void ByValue(Span<float> gradients, float clipValue)
    {
        if (!(clipValue >= 0f))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "The clip value must be non-negative.");
        TensorPrimitives.Min(gradients, clipValue, gradients);
        TensorPrimitives.Max(gradients, -clipValue, gradients);
    }

    /// <summary>
    /// Computes the L2 norm of all gradients together (in double) and, when it exceeds
    /// <paramref name="maxNorm"/>, scales them by maxNorm / (norm + 1e-6); returns the norm before clipping.
    /// PyTorch <c>torch.nn.utils.clip_grad_norm_(parameters, maxNorm)</c> exactly, including its 1e-6 and its
    /// default <c>error_if_nonfinite=False</c> (a non-finite norm is returned, and the scaling proceeds); Keras
    /// <c>global_clipnorm</c> (which has no 1e-6).
    /// </summary>
    public static float ByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm >= 0f))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be non-negative.");
        double squares = 0;
        for (int i = 0; i < gradients.Length; i++)
            squares += (double)gradients[i] * gradients[i];
        double norm = Math.Sqrt(squares);
        double coefficient = maxNorm / (norm + 1e-6);
        // Written so that a NaN coefficient also scales, as torch.clamp(coef, max=1) passes NaN through.
        if (!(coefficient >= 1.0))
            TensorPrimitives.Multiply(gradients, (float)coefficient, gradients);
        return (float)norm;
    }
}
