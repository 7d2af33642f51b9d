using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

/// <summary>Layer kernels in llm.c style: outputs first, then inputs, then sizes; backward kernels accumulate.</summary>
public static partial class Layers
{
    /// <summary>
    /// Fully connected forward pass: y[batch, out] = x[batch, in] · weightᵀ + bias, with the weight in PyTorch
    /// <c>nn.Linear</c> layout (outFeatures, inFeatures). Overwrites <paramref name="y"/>. An empty
    /// <paramref name="bias"/> means the layer has none. PyTorch: <c>F.linear(x, weight, bias)</c>; Keras: <c>Dense</c>
    /// without activation (whose kernel is this weight transposed). <paramref name="packedWeight"/> is the weight's packed copy
    /// (<see cref="PackedWeights.Current"/>), read instead of packing the weight when the product takes the packed path; null = pack as
    /// needed. Either way the result has the same bits.
    /// </summary>
    public static void Dense_Forward(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, int batch, int inFeatures, int outFeatures, PackedWeight? packedWeight = null)
    {
        ValidateDense(x.Length, weight.Length, bias.Length, nameof(bias), batch, inFeatures, outFeatures);
        Gemm.CheckLength(y.Length, (long)batch * outFeatures, nameof(y), "batch*outFeatures");
        packedWeight?.CheckShape(outFeatures, inFeatures, nameof(packedWeight));

        if (bias.IsEmpty)
        {
            Gemm.NTPacked(y, x, weight, packedWeight, batch, outFeatures, inFeatures, accumulate: false);
            return;
        }
        // Seeding y with the bias lets the GEMM add it for free in its final store.
        for (int i = 0; i < batch; i++) bias.CopyTo(y.Slice(i * outFeatures, outFeatures));
        Gemm.NTPacked(y, x, weight, packedWeight, batch, outFeatures, inFeatures, accumulate: true);
    }

    /// <summary>
    /// Fully connected backward pass, accumulating into every gradient: dx += dy · weight, dWeight += dyᵀ · x,
    /// dBias += the column sums of dy. An empty <paramref name="dx"/> skips the input gradient (first layer); an empty
    /// <paramref name="dBias"/> means the layer has no bias. Matches the gradients PyTorch's autograd gives
    /// <c>nn.Linear</c> for upstream gradient dy.
    /// </summary>
    public static void Dense_Backward(Span<float> dx, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, int batch, int inFeatures, int outFeatures)
    {
        ValidateDense(x.Length, weight.Length, dBias.Length, nameof(dBias), batch, inFeatures, outFeatures);
        Gemm.CheckLength(dy.Length, (long)batch * outFeatures, nameof(dy), "batch*outFeatures");
        Gemm.CheckLength(dWeight.Length, (long)outFeatures * inFeatures, nameof(dWeight), "outFeatures*inFeatures");
        if (!dx.IsEmpty) Gemm.CheckLength(dx.Length, (long)batch * inFeatures, nameof(dx), "batch*inFeatures (or 0)");

        if (!dx.IsEmpty) Gemm.NN(dx, dy, weight, batch, inFeatures, outFeatures, accumulate: true);
        Gemm.TN(dWeight, dy, x, outFeatures, inFeatures, batch, accumulate: true);
        if (!dBias.IsEmpty)
        {
            for (int i = 0; i < batch; i++) TensorPrimitives.Add(dBias, dy.Slice(i * outFeatures, outFeatures), dBias);
        }
    }

    private static void ValidateDense(int xLength, int weightLength, int biasLength, string biasName, int batch, int inFeatures, int outFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        Gemm.CheckLength(xLength, (long)batch * inFeatures, "x", "batch*inFeatures");
        Gemm.CheckLength(weightLength, (long)outFeatures * inFeatures, "weight", "outFeatures*inFeatures");
        if (biasLength != 0) Gemm.CheckLength(biasLength, outFeatures, biasName, "outFeatures (or 0)");
    }
}
