using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds the Dot merge and the L2 normalization its Normalize uses.
public static partial class Layers
{
    /// <summary>
    /// Batched dot product along one axis: each sample of a is (beforeA, size, afterA) and of b (beforeB, size, afterB);
    /// y[b, i, j, k, l] = sum over s of a[b, i, s, j] * b[b, k, s, l], laid out (beforeA, afterA, beforeB, afterB). Two vectors of
    /// one size (all of before/after 1) give one value per sample. Keras <c>Dot(axes)</c> (<c>batch_dot</c>).
    /// When the contracted axis is the last of both (afterA = afterB = 1) the rows are contiguous and each sum is a vectorised
    /// float dot product; otherwise the strided sums are taken in double.
    /// </summary>
    public static void Dot_Forward(Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int batch,
        int beforeA, int afterA, int beforeB, int afterB, int size)
    {
        CheckDot(y.Length, a.Length, b.Length, batch, beforeA, afterA, beforeB, afterB, size);
        int aSample = beforeA * size * afterA, bSample = beforeB * size * afterB, ySample = beforeA * afterA * beforeB * afterB;
        if (afterA == 1 && afterB == 1)
        {
            // The contracted axis is the last of both: every product is of two contiguous rows (a skip-gram's word and context).
            for (int n = 0; n < batch; n++)
                for (int i = 0; i < beforeA; i++)
                    for (int k = 0; k < beforeB; k++)
                        y[(n * beforeA + i) * beforeB + k] = TensorPrimitives.Dot(a.Slice((n * beforeA + i) * size, size), b.Slice((n * beforeB + k) * size, size));
            return;
        }
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> an = a.Slice(n * aSample, aSample), bn = b.Slice(n * bSample, bSample);
            Span<float> yn = y.Slice(n * ySample, ySample);
            int o = 0;
            for (int i = 0; i < beforeA; i++)
                for (int j = 0; j < afterA; j++)
                    for (int k = 0; k < beforeB; k++)
                        for (int l = 0; l < afterB; l++)
                        {
                            double sum = 0;
                            for (int s = 0; s < size; s++)
                                sum += (double)an[(i * size + s) * afterA + j] * bn[(k * size + s) * afterB + l];
                            yn[o++] = (float)sum;
                        }
        }
    }

    /// <summary>The gradients of <see cref="Dot_Forward"/>: da += dy contracted with b, db += dy contracted with a. An empty da or db is skipped.</summary>
    public static void Dot_Backward(Span<float> da, Span<float> db, ReadOnlySpan<float> dy, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int batch,
        int beforeA, int afterA, int beforeB, int afterB, int size)
    {
        CheckDot(dy.Length, a.Length, b.Length, batch, beforeA, afterA, beforeB, afterB, size);
        KernelChecks.GradientLength(a.Length, da.Length, nameof(a), nameof(da));
        KernelChecks.GradientLength(b.Length, db.Length, nameof(b), nameof(db));
        int aSample = beforeA * size * afterA, bSample = beforeB * size * afterB, ySample = beforeA * afterA * beforeB * afterB;
        if (afterA == 1 && afterB == 1)
        {
            for (int n = 0; n < batch; n++)
                for (int i = 0; i < beforeA; i++)
                    for (int k = 0; k < beforeB; k++)
                    {
                        float g = dy[(n * beforeA + i) * beforeB + k];
                        ReadOnlySpan<float> ai = a.Slice((n * beforeA + i) * size, size), bk = b.Slice((n * beforeB + k) * size, size);
                        if (!da.IsEmpty) TensorPrimitives.MultiplyAdd(bk, g, da.Slice((n * beforeA + i) * size, size), da.Slice((n * beforeA + i) * size, size));
                        if (!db.IsEmpty) TensorPrimitives.MultiplyAdd(ai, g, db.Slice((n * beforeB + k) * size, size), db.Slice((n * beforeB + k) * size, size));
                    }
            return;
        }
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> an = a.Slice(n * aSample, aSample), bn = b.Slice(n * bSample, bSample), dyn = dy.Slice(n * ySample, ySample);
            int o = 0;
            for (int i = 0; i < beforeA; i++)
                for (int j = 0; j < afterA; j++)
                    for (int k = 0; k < beforeB; k++)
                        for (int l = 0; l < afterB; l++)
                        {
                            float g = dyn[o++];
                            for (int s = 0; s < size; s++)
                            {
                                int ai = (i * size + s) * afterA + j, bi = (k * size + s) * afterB + l;
                                if (!da.IsEmpty) da[n * aSample + ai] += g * bn[bi];
                                if (!db.IsEmpty) db[n * bSample + bi] += g * an[ai];
                            }
                        }
        }
    }

    private static void CheckDot(int yLength, int aLength, int bLength, int batch, int beforeA, int afterA, int beforeB, int afterB, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Gemm.CheckLength(aLength, (long)batch * beforeA * size * afterA, "a", "batch*beforeA*size*afterA");
        Gemm.CheckLength(bLength, (long)batch * beforeB * size * afterB, "b", "batch*beforeB*size*afterB");
        Gemm.CheckLength(yLength, (long)batch * beforeA * afterA * beforeB * afterB, "y", "batch*beforeA*afterA*beforeB*afterB");
    }

    /// <summary>
    /// L2 normalization along the middle axis of x (rows, size, after): y = x / n with n = sqrt(max(sum of x^2, 1e-12)) per fiber,
    /// the norms kept for backward. Keras <c>l2_normalize</c> (what <c>Dot(normalize=True)</c> applies); PyTorch
    /// <c>F.normalize</c> up to its eps.
    /// </summary>
    public static void L2Normalize_Forward(Span<float> y, Span<float> norms, ReadOnlySpan<float> x, int rows, int size, int after)
    {
        CheckNormalize(y.Length, x.Length, norms.Length, rows, size, after);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < after; j++)
            {
                double sum = 0;
                for (int s = 0; s < size; s++)
                {
                    double v = x[(r * size + s) * after + j];
                    sum += v * v;
                }
                float norm = (float)Math.Sqrt(Math.Max(sum, 1e-12));
                norms[r * after + j] = norm;
                for (int s = 0; s < size; s++)
                {
                    int i = (r * size + s) * after + j;
                    y[i] = x[i] / norm;
                }
            }
    }

    /// <summary>dx += (dy - y * dot(y, dy)) / n per fiber, the gradient of <see cref="L2Normalize_Forward"/> (for norms above the floor).
    /// An empty dx is skipped.</summary>
    public static void L2Normalize_Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> y, ReadOnlySpan<float> norms, int rows, int size, int after)
    {
        if (dx.IsEmpty) return;
        CheckNormalize(y.Length, dx.Length, norms.Length, rows, size, after);
        KernelChecks.SameLength(y.Length, dy.Length, nameof(y), nameof(dy));
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < after; j++)
            {
                double dot = 0;
                for (int s = 0; s < size; s++)
                {
                    int i = (r * size + s) * after + j;
                    dot += (double)y[i] * dy[i];
                }
                float norm = norms[r * after + j];
                for (int s = 0; s < size; s++)
                {
                    int i = (r * size + s) * after + j;
                    dx[i] += (float)((dy[i] - y[i] * dot) / norm);
                }
            }
    }

    private static void CheckNormalize(int yLength, int xLength, int normsLength, int rows, int size, int after)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(after);
        Gemm.CheckLength(xLength, (long)rows * size * after, "x", "rows*size*after");
        KernelChecks.SameLength(xLength, yLength, "x", "y");
        Gemm.CheckLength(normsLength, (long)rows * after, "norms", "rows*after");
    }
}
