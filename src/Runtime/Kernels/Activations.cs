using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

/// <summary>
/// Elementwise and row-wise activation kernels in llm.c style: <c>X_Forward(y, x, ...)</c> overwrites the output,
/// <c>X_Backward(dx, dy, ...)</c> adds the input gradient to <c>dx</c>. Each backward takes whichever of x and y
/// makes its derivative cheapest, so a model keeps that one alive from forward. Derivatives at the kinks match
/// PyTorch autograd (ReLU' (0) = 0, LeakyReLU'(0) = alpha, ELU'(0) = alpha).
/// </summary>
public static class Activations
{
    // torch.nn.SELU constants (Klambauer et al. 2017), as in aten/src/ATen/native/Activation.cpp.
    private const float SeluAlpha = 1.6732632423543772848170429916717f;
    private const float SeluScale = 1.0507009873554804934193349852946f;
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>y = 1 / (1 + exp(-x)). PyTorch <c>torch.sigmoid</c>; Keras <c>activation="sigmoid"</c>.</summary>
    public static void Sigmoid_Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        TensorPrimitives.Sigmoid(x, y);
    }

    /// <summary>dx += dy * y * (1 - y), from the sigmoid output y.</summary>
    public static void Sigmoid_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> y)
    {
        CheckBackward(dx, dy, y, nameof(y));
        for (int i = 0; i < dx.Length; i++)
            dx[i] += dy[i] * y[i] * (1f - y[i]);
    }

    /// <summary>y = tanh(x). PyTorch <c>torch.tanh</c>; Keras <c>activation="tanh"</c>.</summary>
    public static void Tanh_Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        TensorPrimitives.Tanh(x, y);
    }

    /// <summary>dx += dy * (1 - y^2), from the tanh output y.</summary>
    public static void Tanh_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> y)
    {
        CheckBackward(dx, dy, y, nameof(y));
        for (int i = 0; i < dx.Length; i++)
            dx[i] += dy[i] * (1f - y[i] * y[i]);
    }

    /// <summary>y = max(x, 0). PyTorch <c>F.relu</c>; Keras <c>activation="relu"</c>.</summary>
    public static void Relu_Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        TensorPrimitives.Max(x, 0f, y);
    }

    /// <summary>dx += x &gt; 0 ? dy : 0 (PyTorch's subgradient 0 at x = 0).</summary>
    public static void Relu_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x)
    {
        CheckBackward(dx, dy, x, nameof(x));
        for (int i = 0; i < dx.Length; i++)
            if (x[i] > 0f)
                dx[i] += dy[i];
    }

    /// <summary>
    /// y = x &gt; 0 ? x : alpha * x. PyTorch <c>F.leaky_relu(x, negative_slope=alpha)</c>; Keras <c>LeakyReLU</c>
    /// (whose default alpha is 0.3 in Keras 2, 0.2 as <c>negative_slope</c> in Keras 3; PyTorch's is 0.01).
    /// </summary>
    public static void LeakyRelu_Forward(Span<float> y, ReadOnlySpan<float> x, float alpha)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        for (int i = 0; i < y.Length; i++)
            y[i] = x[i] > 0f ? x[i] : alpha * x[i];
    }

    /// <summary>dx += x &gt; 0 ? dy : alpha * dy (alpha at x = 0, as PyTorch).</summary>
    public static void LeakyRelu_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float alpha)
    {
        CheckBackward(dx, dy, x, nameof(x));
        for (int i = 0; i < dx.Length; i++)
            dx[i] += x[i] > 0f ? dy[i] : alpha * dy[i];
    }

    /// <summary>
    /// y[r, c] = x &gt; 0 ? x : alpha[c] * x, one learned slope per unit. PyTorch <c>nn.PReLU(num_parameters=cols)</c>;
    /// Keras <c>PReLU(shared_axes=None)</c> on a (rows, cols) input.
    /// </summary>
    public static void PRelu_Forward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> alpha, int rows, int cols)
    {
        KernelChecks.MatrixLength(x.Length, rows, cols, nameof(x));
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        KernelChecks.SameLength(cols, alpha.Length, nameof(cols), nameof(alpha));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            Span<float> yr = y.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++)
                yr[c] = xr[c] > 0f ? xr[c] : alpha[c] * xr[c];
        }
    }

    /// <summary>
    /// dx += x &gt; 0 ? dy : alpha[c] * dy and dAlpha[c] += sum over rows of (x &gt; 0 ? 0 : x * dy). An empty
    /// <paramref name="dx"/> computes only the slopes' gradient (a PReLU straight after a model input).
    /// </summary>
    public static void PRelu_Backward(Span<float> dx, Span<float> dAlpha, ReadOnlySpan<float> dy, ReadOnlySpan<float> x,
        ReadOnlySpan<float> alpha, int rows, int cols)
    {
        KernelChecks.MatrixLength(x.Length, rows, cols, nameof(x));
        KernelChecks.SameLength(x.Length, dy.Length, nameof(x), nameof(dy));
        bool inputGradient = !dx.IsEmpty;
        if (inputGradient) KernelChecks.SameLength(x.Length, dx.Length, nameof(x), nameof(dx));
        KernelChecks.SameLength(cols, alpha.Length, nameof(cols), nameof(alpha));
        KernelChecks.SameLength(cols, dAlpha.Length, nameof(cols), nameof(dAlpha));
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            for (int c = 0; c < cols; c++)
            {
                float xv = x[o + c], g = dy[o + c];
                if (xv > 0f)
                {
                    if (inputGradient) dx[o + c] += g;
                }
                else
                {
                    if (inputGradient) dx[o + c] += alpha[c] * g;
                    dAlpha[c] += xv * g;
                }
            }
        }
    }

    /// <summary>y = x &gt; 0 ? x : alpha * (exp(x) - 1). PyTorch <c>F.elu(x, alpha)</c>; Keras <c>activation="elu"</c> (alpha 1).</summary>
    public static void Elu_Forward(Span<float> y, ReadOnlySpan<float> x, float alpha)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        for (int i = 0; i < y.Length; i++)
        {
            float v = x[i];
            // exp(x) - 1 in double: in float it loses all relative precision for the small |x| near the kink.
            y[i] = v > 0f ? v : (float)(alpha * (Math.Exp(v) - 1.0));
        }
    }

    /// <summary>dx += x &gt; 0 ? dy : dy * (y + alpha), using alpha * exp(x) = y + alpha.</summary>
    public static void Elu_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> y, float alpha)
    {
        CheckBackward(dx, dy, x, nameof(x));
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        for (int i = 0; i < dx.Length; i++)
            dx[i] += x[i] > 0f ? dy[i] : dy[i] * (y[i] + alpha);
    }

    /// <summary>
    /// y = scale * (x &gt; 0 ? x : alpha * (exp(x) - 1)) with PyTorch's constants alpha = 1.6732632…,
    /// scale = 1.0507009…. PyTorch <c>F.selu</c>; Keras <c>activation="selu"</c>.
    /// </summary>
    public static void Selu_Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        for (int i = 0; i < y.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0f ? SeluScale * v : (float)((double)SeluScale * SeluAlpha * (Math.Exp(v) - 1.0));
        }
    }

    /// <summary>dx += x &gt; 0 ? scale * dy : dy * (y + scale * alpha).</summary>
    public static void Selu_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckBackward(dx, dy, x, nameof(x));
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        const float scaleAlpha = SeluScale * SeluAlpha;
        for (int i = 0; i < dx.Length; i++)
            dx[i] += x[i] > 0f ? SeluScale * dy[i] : dy[i] * (y[i] + scaleAlpha);
    }

    /// <summary>
    /// The exact GELU y = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt 2)). PyTorch <c>F.gelu</c> (approximate="none",
    /// the default); Keras <c>activation="gelu"</c> with <c>approximate=False</c>.
    /// </summary>
    public static void Gelu_Forward(Span<float> y, ReadOnlySpan<float> x)
    {
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        for (int i = 0; i < y.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(v * NormalCdf(v));
        }
    }

    /// <summary>dx += dy * (Phi(x) + x * phi(x)), phi the standard normal density.</summary>
    public static void Gelu_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x)
    {
        CheckBackward(dx, dy, x, nameof(x));
        for (int i = 0; i < dx.Length; i++)
        {
            double v = x[i];
            double pdf = InvSqrt2Pi * Math.Exp(-0.5 * v * v);
            dx[i] += (float)(dy[i] * (NormalCdf(v) + v * pdf));
        }
    }

    // erfc rather than 1 + erf: for very negative x it keeps Phi(x) accurate in relative terms instead of
    // cancelling to 0.
    private static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x * InvSqrt2);

    /// <summary>
    /// Row-wise softmax y[r, :] = exp(x[r, :] - max) / sum(exp(x[r, :] - max)); subtracting the row maximum keeps
    /// every exponent at most 0, so logits of any magnitude are safe. PyTorch <c>F.softmax(x, dim=1)</c>; Keras
    /// <c>activation="softmax"</c>.
    /// </summary>
    public static void Softmax_Forward(Span<float> y, ReadOnlySpan<float> x, int rows, int cols)
    {
        KernelChecks.MatrixLength(x.Length, rows, cols, nameof(x));
        KernelChecks.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        if (cols == 0)
            return;
        if (cols <= ShortSoftmaxRow)
        {
            SoftmaxShortRows(y, x, rows, cols);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            Span<float> yr = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            float sum = TensorPrimitives.Sum(yr);
            TensorPrimitives.Divide(yr, sum, yr);
        }
    }

    /// <summary>The widest row <see cref="SoftmaxShortRows"/> takes.</summary>
    private const int ShortSoftmaxRow = 32;

    /// <summary>
    /// Softmax over rows of a few columns (a classifier's classes: 10 in the mlp workload), where five vector calls per row would cost more
    /// than their arithmetic: the maxima, sums and divisions run as scalar loops and the exponentials as one call over the whole matrix.
    /// </summary>
    private static void SoftmaxShortRows(Span<float> y, ReadOnlySpan<float> x, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            Span<float> yr = y.Slice(r * cols, cols);
            float max = xr[0];
            for (int c = 1; c < cols; c++) max = MathF.Max(max, xr[c]); // NaN stays NaN, as in TensorPrimitives.Max
            for (int c = 0; c < cols; c++) yr[c] = xr[c] - max;
        }
        Span<float> all = y.Slice(0, rows * cols);
        TensorPrimitives.Exp(all, all);
        for (int r = 0; r < rows; r++)
        {
            Span<float> yr = y.Slice(r * cols, cols);
            float sum = 0f;
            for (int c = 0; c < cols; c++) sum += yr[c];
            for (int c = 0; c < cols; c++) yr[c] /= sum;
        }
    }

    /// <summary>dx[r, :] += y[r, :] * (dy[r, :] - dot(dy[r, :], y[r, :])), from the softmax output y.</summary>
    public static void Softmax_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> y, int rows, int cols)
    {
        KernelChecks.MatrixLength(y.Length, rows, cols, nameof(y));
        CheckBackward(dx, dy, y, nameof(y));
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            ReadOnlySpan<float> yr = y.Slice(o, cols);
            ReadOnlySpan<float> dyr = dy.Slice(o, cols);
            Span<float> dxr = dx.Slice(o, cols);
            float dot = TensorPrimitives.Dot(dyr, yr);
            for (int c = 0; c < cols; c++)
                dxr[c] += yr[c] * (dyr[c] - dot);
        }
    }

    private static void CheckBackward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> saved, string savedName)
    {
        KernelChecks.SameLength(saved.Length, dx.Length, savedName, nameof(dx));
        KernelChecks.SameLength(saved.Length, dy.Length, savedName, nameof(dy));
    }
}
