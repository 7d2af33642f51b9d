using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds the Elman recurrent layer.
// Layout (see the recurrent kernel contract): sequences time-major [steps, batch, features]; states h in
// (steps + 1) slots of [batch, units], slot 0 the initial state when going forward, slot steps when going in reverse.
public static partial class Layers
{
    /// <summary>
    /// Elman recurrent layer forward pass over a whole time-major sequence:
    /// h_t = act(x_t·weightIhᵀ + bias + (h_{t-1} ⊙ recurrentMask)·weightHhᵀ), act = tanh or ReLU.
    /// PyTorch <c>nn.RNN(nonlinearity="tanh"|"relu")</c> with <c>bias = bias_ih + bias_hh</c> (one direction; the
    /// reverse direction of <c>bidirectional=True</c> when <paramref name="reverse"/>); Keras <c>SimpleRNN</c>
    /// (kernel = weightIhᵀ, recurrent_kernel = weightHhᵀ, <c>go_backwards</c> but with y kept aligned to input time).
    /// </summary>
    /// <param name="y">[steps, batch, units] output sequence, 0 at padded steps; empty when not wanted. Overwritten.</param>
    /// <param name="h">[(steps+1), batch, units] states. The initial slot (0, or <paramref name="steps"/> when
    /// <paramref name="reverse"/>) is read; the others are overwritten with the state after each step.</param>
    /// <param name="scratch">2*batch*units floats; holds the masked previous state when a recurrent mask is given.</param>
    /// <param name="x">[steps, batch, inFeatures] input sequence.</param>
    /// <param name="mask">[steps, batch], 1 = real step, 0 = padded (state carried unchanged); empty = all real.</param>
    /// <param name="recurrentMask">[batch, units] Keras recurrent_dropout mask multiplied into h_{t-1} before the recurrent product; empty = none.</param>
    /// <param name="weightIh">[units, inFeatures], PyTorch <c>weight_ih_l0</c>.</param>
    /// <param name="weightHh">[units, units], PyTorch <c>weight_hh_l0</c>.</param>
    /// <param name="bias">[units] = <c>bias_ih_l0 + bias_hh_l0</c>; empty = no bias.</param>
    /// <param name="steps">Time steps in this run.</param>
    /// <param name="batch">Samples in this run.</param>
    /// <param name="inFeatures">Input features per step.</param>
    /// <param name="units">State size.</param>
    /// <param name="relu">ReLU instead of tanh.</param>
    /// <param name="reverse">Process t = steps-1 down to 0.</param>
    /// <param name="packedIh">The packed copy of <paramref name="weightIh"/> (<see cref="PackedWeights.Current"/>), read instead of packing it;
    /// null = pack as needed. Either way the result has the same bits.</param>
    /// <param name="packedHh">The packed copy of <paramref name="weightHh"/>, likewise.</param>
    public static void SimpleRnn_Forward(Span<float> y, Span<float> h, Span<float> scratch,
        ReadOnlySpan<float> x, ReadOnlySpan<float> mask, ReadOnlySpan<float> recurrentMask,
        ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> bias,
        int steps, int batch, int inFeatures, int units, bool relu, bool reverse, PackedWeight? packedIh = null, PackedWeight? packedHh = null)
    {
        ValidateRecurrent(1, x.Length, mask.Length, recurrentMask.Length, weightIh.Length, weightHh.Length, h.Length,
            steps, batch, inFeatures, units);
        if (!bias.IsEmpty) Gemm.CheckLength(bias.Length, units, nameof(bias), "units (or 0)");
        if (!y.IsEmpty) Gemm.CheckLength(y.Length, (long)steps * batch * units, nameof(y), "steps*batch*units (or 0)");
        Gemm.CheckLength(scratch.Length, 2L * batch * units, nameof(scratch), "2*batch*units");
        packedIh?.CheckShape(units, inFeatures, nameof(packedIh));
        packedHh?.CheckShape(units, units, nameof(packedHh));

        int rowLength = batch * units;
        int all = steps * rowLength;
        Span<float> after = h.Slice(reverse ? 0 : rowLength, all);
        Span<float> masked = scratch.Slice(rowLength, rowLength);

        // The input projection of every step in one GEMM, straight into the "after" slots; each step then adds
        // its recurrent product and applies the activation in place.
        if (bias.IsEmpty)
        {
            Gemm.NTPacked(after, x, weightIh, packedIh, steps * batch, units, inFeatures, accumulate: false);
        }
        else
        {
            for (int r = 0; r < steps * batch; r++) bias.CopyTo(after.Slice(r * units, units));
            Gemm.NTPacked(after, x, weightIh, packedIh, steps * batch, units, inFeatures, accumulate: true);
        }

        // Packed once for every step, unless the model keeps it packed.
        RepeatedB recurrentWeight = packedHh is null ? new RepeatedB(weightHh, batch, units, units, GemmLayout.NT) : new RepeatedB(packedHh, batch);
        for (int i = 0; i < steps; i++)
        {
            int t = reverse ? steps - 1 - i : i;
            Span<float> current = h.Slice((reverse ? t : t + 1) * rowLength, rowLength);
            ReadOnlySpan<float> previous = h.Slice((reverse ? t + 1 : t) * rowLength, rowLength);
            ReadOnlySpan<float> recurrentInput = previous;
            if (!recurrentMask.IsEmpty)
            {
                TensorPrimitives.Multiply(previous, recurrentMask, masked);
                recurrentInput = masked;
            }
            recurrentWeight.Multiply(current, recurrentInput, weightHh, accumulate: true);
            if (relu) TensorPrimitives.Max(current, 0f, current);
            else RationalTanh.Tanh(current, current);

            Span<float> yStep = y.IsEmpty ? Span<float>.Empty : y.Slice(t * rowLength, rowLength);
            if (!yStep.IsEmpty) current.CopyTo(yStep);
            if (mask.IsEmpty) continue;
            for (int b = 0; b < batch; b++)
            {
                if (mask[t * batch + b] != 0f) continue;
                previous.Slice(b * units, units).CopyTo(current.Slice(b * units, units));
                if (!yStep.IsEmpty) yStep.Slice(b * units, units).Clear();
            }
        }
    }

    /// <summary>
    /// Backpropagation through time for <see cref="SimpleRnn_Forward"/>, accumulating into dx, dWeightIh, dWeightHh,
    /// dBias and dh0. The gradient reaching step t is dy[t] (ignored at padded steps, whose output was 0) plus the
    /// carry from the step processed after it, plus <paramref name="dhFinal"/> at the last processed step; padded
    /// steps pass the carry through unchanged. Only the recurrent carry runs step by step; the weight, bias and input
    /// gradients are single GEMMs over all steps (dWeightHh step by step when a recurrent mask is given).
    /// Matches PyTorch autograd through <c>nn.RNN</c> (bias gradient = the gradient of bias_ih, equal to that of bias_hh).
    /// </summary>
    /// <param name="dx">[steps, batch, inFeatures] += input gradient; empty when not wanted.</param>
    /// <param name="dWeightIh">[units, inFeatures] +=.</param>
    /// <param name="dWeightHh">[units, units] +=.</param>
    /// <param name="dBias">[units] +=; empty when the layer has no bias.</param>
    /// <param name="dh0">[batch, units] += gradient of the initial state; empty when not wanted.</param>
    /// <param name="dGates">[steps, batch, units] scratch, overwritten with the gradient of the pre-activations.</param>
    /// <param name="dhCarry">2*batch*units scratch, overwritten.</param>
    /// <param name="dy">[steps, batch, units] gradient of the output sequence; empty when none arrives.</param>
    /// <param name="dhFinal">[batch, units] gradient of the final state; empty when none arrives.</param>
    /// <param name="x">The forward input.</param>
    /// <param name="mask">The forward mask (empty = all real).</param>
    /// <param name="recurrentMask">The forward recurrent dropout mask (empty = none).</param>
    /// <param name="weightIh">[units, inFeatures], needed for dx.</param>
    /// <param name="weightHh">[units, units].</param>
    /// <param name="h">The states written by the forward pass, all steps + 1 slots.</param>
    /// <param name="steps">Time steps in this run.</param>
    /// <param name="batch">Samples in this run.</param>
    /// <param name="inFeatures">Input features per step.</param>
    /// <param name="units">State size.</param>
    /// <param name="relu">ReLU instead of tanh (as in the forward pass).</param>
    /// <param name="reverse">As in the forward pass.</param>
    public static void SimpleRnn_Backward(Span<float> dx, Span<float> dWeightIh, Span<float> dWeightHh, Span<float> dBias,
        Span<float> dh0, Span<float> dGates, Span<float> dhCarry,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> dhFinal,
        ReadOnlySpan<float> x, ReadOnlySpan<float> mask, ReadOnlySpan<float> recurrentMask,
        ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> h,
        int steps, int batch, int inFeatures, int units, bool relu, bool reverse)
    {
        ValidateRecurrent(1, x.Length, mask.Length, recurrentMask.Length, weightIh.Length, weightHh.Length, h.Length,
            steps, batch, inFeatures, units);
        long rowLengthLong = (long)batch * units;
        if (!dx.IsEmpty) Gemm.CheckLength(dx.Length, (long)steps * batch * inFeatures, nameof(dx), "steps*batch*inFeatures (or 0)");
        Gemm.CheckLength(dWeightIh.Length, (long)units * inFeatures, nameof(dWeightIh), "units*inFeatures");
        Gemm.CheckLength(dWeightHh.Length, (long)units * units, nameof(dWeightHh), "units*units");
        if (!dBias.IsEmpty) Gemm.CheckLength(dBias.Length, units, nameof(dBias), "units (or 0)");
        if (!dh0.IsEmpty) Gemm.CheckLength(dh0.Length, rowLengthLong, nameof(dh0), "batch*units (or 0)");
        Gemm.CheckLength(dGates.Length, steps * rowLengthLong, nameof(dGates), "steps*batch*units");
        Gemm.CheckLength(dhCarry.Length, 2 * rowLengthLong, nameof(dhCarry), "2*batch*units");
        if (!dy.IsEmpty) Gemm.CheckLength(dy.Length, steps * rowLengthLong, nameof(dy), "steps*batch*units (or 0)");
        if (!dhFinal.IsEmpty) Gemm.CheckLength(dhFinal.Length, rowLengthLong, nameof(dhFinal), "batch*units (or 0)");

        int rowLength = batch * units;
        Span<float> carry = dhCarry.Slice(0, rowLength);
        Span<float> next = dhCarry.Slice(rowLength, rowLength);
        if (dhFinal.IsEmpty) carry.Clear();
        else dhFinal.CopyTo(carry);

        var recurrentBack = new RepeatedB(weightHh, batch, units, units, GemmLayout.NN); // packed once for every step
        // Backward visits the steps in the opposite order of the forward pass.
        for (int i = 0; i < steps; i++)
        {
            int t = reverse ? i : steps - 1 - i;
            ReadOnlySpan<float> current = h.Slice((reverse ? t : t + 1) * rowLength, rowLength);
            ReadOnlySpan<float> previous = h.Slice((reverse ? t + 1 : t) * rowLength, rowLength);
            Span<float> dGatesStep = dGates.Slice(t * rowLength, rowLength);

            // carry becomes dL/dh_t: add the output gradient at real steps (a padded step's output was a constant 0).
            if (!dy.IsEmpty)
            {
                ReadOnlySpan<float> dyStep = dy.Slice(t * rowLength, rowLength);
                if (mask.IsEmpty) TensorPrimitives.Add(carry, dyStep, carry);
                else
                    for (int b = 0; b < batch; b++)
                        if (mask[t * batch + b] != 0f)
                            TensorPrimitives.Add(carry.Slice(b * units, units), dyStep.Slice(b * units, units), carry.Slice(b * units, units));
            }

            if (relu)
            {
                for (int k = 0; k < rowLength; k++) dGatesStep[k] = current[k] > 0f ? carry[k] : 0f;
            }
            else
            {
                // tanh' = 1 - h².
                TensorPrimitives.Multiply(current, current, dGatesStep);
                TensorPrimitives.Subtract(1f, dGatesStep, dGatesStep);
                TensorPrimitives.Multiply(dGatesStep, carry, dGatesStep);
            }
            if (!mask.IsEmpty)
                for (int b = 0; b < batch; b++)
                    if (mask[t * batch + b] == 0f) dGatesStep.Slice(b * units, units).Clear();

            if (!recurrentMask.IsEmpty)
            {
                // dWeightHh needs the masked previous state, which differs per step: use `next` as scratch first.
                TensorPrimitives.Multiply(previous, recurrentMask, next);
                Gemm.TN(dWeightHh, dGatesStep, next, units, units, batch, accumulate: true);
            }

            // dL/dh_{t-1} = (dGates_t·weightHh) ⊙ recurrentMask, or the carry itself at padded rows.
            recurrentBack.Multiply(next, dGatesStep, weightHh, accumulate: false);
            if (!recurrentMask.IsEmpty) TensorPrimitives.Multiply(next, recurrentMask, next);
            if (!mask.IsEmpty)
                for (int b = 0; b < batch; b++)
                    if (mask[t * batch + b] == 0f) carry.Slice(b * units, units).CopyTo(next.Slice(b * units, units));
            Span<float> swap = carry;
            carry = next;
            next = swap;
        }

        if (!dh0.IsEmpty) TensorPrimitives.Add(dh0, carry, dh0);

        int rows = steps * batch;
        Gemm.TN(dWeightIh, dGates, x, units, inFeatures, rows, accumulate: true);
        if (!dx.IsEmpty) Gemm.NN(dx, dGates, weightIh, rows, inFeatures, units, accumulate: true);
        if (recurrentMask.IsEmpty)
        {
            ReadOnlySpan<float> previousStates = h.Slice(reverse ? rowLength : 0, rows * units);
            Gemm.TN(dWeightHh, dGates, previousStates, units, units, rows, accumulate: true);
        }
        if (!dBias.IsEmpty)
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(dBias, dGates.Slice(r * units, units), dBias);
    }
}
