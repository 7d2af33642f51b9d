using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Unroll.Kernels;

public static partial class Layers
{
    /// <summary>
    /// GRU forward pass over a whole time-major sequence, PyTorch <c>nn.GRU</c> = Keras <c>GRU(reset_after=True)</c>:
    /// r = σ(x·W_irᵀ + b_ir + hm·W_hrᵀ + b_hr), z = σ(x·W_izᵀ + b_iz + hm·W_hzᵀ + b_hz),
    /// n = tanh(x·W_inᵀ + b_in + r⊙(hm·W_hnᵀ + b_hn)), h_t = (1 − z)⊙n + z⊙h_{t−1}, with hm = h_{t−1}⊙recurrentMask
    /// (or h_{t−1} when there is no recurrent mask; the z⊙h_{t−1} term always uses the unmasked state, as Keras).
    /// </summary>
    /// <param name="y">Output sequence [steps, batch, units] (overwritten; 0 at padded steps), or empty if not wanted.</param>
    /// <param name="h">State slots [(steps+1), batch, units]: the initial-state slot (0, or steps when
    /// <paramref name="reverse"/>) is read, the others are overwritten with the state after each step. Or, at inference,
    /// [2, batch, units]: slot s is slot <c>s &amp; 1</c> (see <see cref="Lstm_Forward"/>).</param>
    /// <param name="gates">Saved for backward, [steps, batch, 3*units]: post-activation r, z, n per row. Or, at inference,
    /// [block, batch, 3*units] for any block of at least one step: the gates are then computed a block of steps at a time.</param>
    /// <param name="hiddenN">Saved for backward, [steps, batch, units]: hm·W_hnᵀ + b_hn, before multiplying by r; at inference
    /// as many steps as <paramref name="gates"/>.</param>
    /// <param name="scratch">4*batch*units floats: the per-step recurrent product and the masked previous state.</param>
    /// <param name="x">Input sequence [steps, batch, inFeatures], time-major.</param>
    /// <param name="mask">[steps, batch], 1 = real step, 0 = padded (state carried, output 0); empty = all real.</param>
    /// <param name="recurrentMask">Keras recurrent_dropout mask [batch, units] (0 or 1/(1−p)), or empty.</param>
    /// <param name="weightIh">[3*units, inFeatures], blocks r, z, n (PyTorch <c>weight_ih_l0</c>).</param>
    /// <param name="weightHh">[3*units, units], blocks r, z, n (PyTorch <c>weight_hh_l0</c>).</param>
    /// <param name="biasIh">[3*units] (PyTorch <c>bias_ih_l0</c>; Keras bias[0]), or empty.</param>
    /// <param name="biasHh">[3*units] (PyTorch <c>bias_hh_l0</c>; Keras bias[1]), or empty.</param>
    /// <param name="steps">Time steps.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="inFeatures">Input features per step.</param>
    /// <param name="units">Hidden units.</param>
    /// <param name="reverse">Process t = steps−1 down to 0 (Keras go_backwards, PyTorch's reverse direction);
    /// y[t] is still the state after consuming x[t].</param>
    /// <param name="packedIh">The packed copy of <paramref name="weightIh"/> (<see cref="PackedWeights.Current"/>), read instead of packing it;
    /// null = pack as needed. Either way the result has the same bits.</param>
    /// <param name="packedHh">The packed copy of <paramref name="weightHh"/>, likewise.</param>
    public static void Gru_Forward(Span<float> y, Span<float> h, Span<float> gates, Span<float> hiddenN, Span<float> scratch,
        ReadOnlySpan<float> x, ReadOnlySpan<float> mask, ReadOnlySpan<float> recurrentMask,
        ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        int steps, int batch, int inFeatures, int units, bool reverse, PackedWeight? packedIh = null, PackedWeight? packedHh = null)
    {
        ValidateRecurrentForward(3, x.Length, mask.Length, recurrentMask.Length, weightIh.Length, weightHh.Length, h.Length, gates.Length,
            steps, batch, inFeatures, units);
        Gemm.CheckLength(hiddenN.Length, (long)gates.Length / 3, nameof(hiddenN), "batch*units per step of gates");
        CheckOptionalLength(y.Length, (long)steps * batch * units, nameof(y), "steps*batch*units");
        CheckOptionalLength(biasIh.Length, 3L * units, nameof(biasIh), "3*units");
        CheckOptionalLength(biasHh.Length, 3L * units, nameof(biasHh), "3*units");
        Gemm.CheckLength(scratch.Length, 4L * batch * units, nameof(scratch), "4*batch*units");
        if (steps == 0 || batch == 0 || units == 0) return;

        int g3 = 3 * units, bu = batch * units;
        // Training keeps every slot and every step's gates for the backward pass; inference rolls through two slots and a block of steps.
        bool rolling = h.Length == 2 * bu && steps > 1;
        int block = Math.Min(steps, gates.Length / (batch * g3));
        packedIh?.CheckShape(g3, inFeatures, nameof(packedIh));
        packedHh?.CheckShape(g3, units, nameof(packedHh));
        // Packed once for every step, unless the model keeps it packed.
        RepeatedB recurrentWeight = packedHh is null ? new RepeatedB(weightHh, batch, g3, units, GemmLayout.NT) : new RepeatedB(packedHh, batch);
        // When both products take the packed path, each step projects its own input rows just before its recurrent product (whatever the
        // thread count); otherwise a block's projection is one GEMM.
        RepeatedB input = !recurrentWeight.ComputesRows ? default
            : packedIh is null ? new RepeatedB(weightIh, batch, g3, inFeatures, GemmLayout.NT, RepeatedSlot.Second) : new RepeatedB(packedIh, batch);
        bool projectSteps = input.ComputesRows;
        // Each block of steps splits across threads by rows (samples, at least four each): a thread runs its rows through the whole block.
        int parts = recurrentWeight.RowSplittable(block) ? SampleParts(batch) : 1;
        // Steps that run on one thread with every step's gates at hand (a batch of one, at inference) project their input in chunks, a
        // helper thread projecting ahead of the steps.
        int chunk = !projectSteps && block == steps && parts < 2 && !recurrentWeight.ColumnSplittable ? ProjectionChunk(steps, batch, g3, inFeatures) : 0;
        if (chunk > 0)
            input = packedIh is null ? new RepeatedB(weightIh, chunk * batch, g3, inFeatures, GemmLayout.NT, RepeatedSlot.Second) : new RepeatedB(packedIh, chunk * batch);
        unsafe
        {
            fixed (float* ph = h, pg = gates, pn = hiddenN, py = y, pm = mask, prm = recurrentMask, pw = weightHh, pb = biasHh, pScratch = scratch,
                   px = x, pbi = biasIh)
            {
                var run = new GruRun
                {
                    H = ph, Gates = pg, HiddenN = pn, Y = py, Mask = pm, RecurrentMask = prm, WeightHh = pw, BiasHh = pb, X = px, BiasIh = pbi,
                    Recurrent = pScratch, Masked = pScratch + batch * g3, Weight = recurrentWeight, Input = input, Steps = steps, Batch = batch,
                    Units = units, InFeatures = inFeatures, Reverse = reverse, Rolling = rolling, ProjectSteps = projectSteps,
                };
                if (chunk > 0)
                {
                    RunChunked(input, pg, px, pbi, chunk, steps, batch, g3, inFeatures, reverse, &GruSteps, &run);
                    return;
                }
                for (int s0 = 0; s0 < steps; s0 += block)
                {
                    (run.Origin, run.Count) = projectSteps ? StepBlock(s0, block, steps, reverse)
                        : ProjectBlock(gates, x, weightIh, packedIh, biasIh, s0, block, steps, batch, g3, inFeatures, reverse);
                    run.First = s0;
                    if (parts < 2 || !WorkerPool.TryRun(parts, &GruRowsPart, &run)) GruRows(ref run, 0, batch);
                }
            }
        }
    }

    /// <summary>A run of forward steps (one block), on the caller's stack: everything <see cref="GruRows"/> reads.</summary>
    private unsafe struct GruRun
    {
        public float* H, Gates, HiddenN, Y, Mask, RecurrentMask, WeightHh, BiasHh, Recurrent, Masked, X, BiasIh;
        public RepeatedB Weight, Input;
        public int Steps, Batch, Units, InFeatures, First, Count, Origin;
        public bool Reverse, Rolling, ProjectSteps;
    }

    /// <summary>The steps <paramref name="first"/> up to <paramref name="first"/> + <paramref name="count"/> (processing order) of a run whose
    /// gates hold every step, all rows, on this thread (<see cref="RunChunked"/>).</summary>
    private static unsafe void GruSteps(void* context, int first, int count)
    {
        ref GruRun run = ref System.Runtime.CompilerServices.Unsafe.AsRef<GruRun>(context);
        (run.First, run.Count, run.Origin) = (first, count, 0);
        GruRows(ref run, 0, run.Batch);
    }

    private static unsafe void GruRowsPart(int part, int parts, void* context)
    {
        ref GruRun run = ref System.Runtime.CompilerServices.Unsafe.AsRef<GruRun>(context);
        GruRows(ref run, SampleStart(run.Batch, part, parts), SampleStart(run.Batch, part + 1, parts));
    }

    /// <summary>Rows [<paramref name="b0"/>, <paramref name="b1"/>) of a run of forward steps: per step, the input projection (unless the
    /// block's was one GEMM), the masked previous state, the recurrent product (seeded with b_hh) and the cell update. A subset of the rows computes its product with
    /// <see cref="RepeatedB.MultiplyRows"/>, with the bits of the whole product.</summary>
    private static unsafe void GruRows(ref GruRun r, int b0, int b1)
    {
        int g3 = 3 * r.Units, bu = r.Batch * r.Units;
        bool all = b0 == 0 && b1 == r.Batch;
        var recurrent = new Span<float>(r.Recurrent, r.Batch * g3);
        for (int s = r.First; s < r.First + r.Count; s++)
        {
            int t = r.Reverse ? r.Steps - 1 - s : s;
            (int prev, int next) = StateSlots(t, r.Reverse, r.Rolling);
            float* stepGates = r.Gates + (nint)(t - r.Origin) * r.Batch * g3;
            if (r.ProjectSteps) ProjectRows(r.Input, stepGates, r.X + (nint)t * r.Batch * r.InFeatures, r.BiasIh, b0, b1, g3);
            var hPrev = new ReadOnlySpan<float>(r.H + (nint)prev * bu, bu);
            float* hIn = r.H + (nint)prev * bu;
            if (r.RecurrentMask is not null)
            {
                int at = b0 * r.Units, length = (b1 - b0) * r.Units;
                TensorPrimitives.Multiply(hPrev.Slice(at, length), new ReadOnlySpan<float>(r.RecurrentMask + at, length), new Span<float>(r.Masked + at, length));
                hIn = r.Masked;
            }
            if (r.BiasHh is not null)
                for (int b = b0; b < b1; b++) new ReadOnlySpan<float>(r.BiasHh, g3).CopyTo(recurrent.Slice(b * g3, g3));
            if (all) r.Weight.Multiply(recurrent, new ReadOnlySpan<float>(hIn, bu), new ReadOnlySpan<float>(r.WeightHh, g3 * r.Units), accumulate: r.BiasHh is not null);
            else r.Weight.MultiplyRows(r.Recurrent, hIn, b0, b1, accumulate: r.BiasHh is not null);
            GruCells(new Span<float>(stepGates, r.Batch * g3), recurrent,
                new Span<float>(r.HiddenN + (nint)(t - r.Origin) * bu, bu), hPrev, new Span<float>(r.H + (nint)next * bu, bu),
                r.Y is null ? default : new Span<float>(r.Y + (nint)t * bu, bu), r.Mask is null ? default : new ReadOnlySpan<float>(r.Mask + (nint)t * r.Batch, r.Batch),
                r.Units, b0, b1);
        }
    }

    /// <summary>
    /// Rows [<paramref name="b0"/>, <paramref name="b1"/>) of one step after its recurrent product: r, z = σ(input + recurrent side),
    /// n = tanh(input side + r⊙(recurrent side)), h = n + z⊙(h_prev − n); a padded row carries its state and outputs 0.
    /// </summary>
    private static void GruCells(Span<float> gates, ReadOnlySpan<float> recurrent, Span<float> hiddenN, ReadOnlySpan<float> hPrev, Span<float> hNext,
        Span<float> y, ReadOnlySpan<float> mask, int units, int b0, int b1)
    {
        int g3 = 3 * units;
        for (int b = b0; b < b1; b++)
        {
            // One pass: r and z, the new gate n (its recurrent part kept for the backward pass), then h; the gates are written back
            // after their nonlinearities, as the backward pass reads them.
            Span<float> g = gates.Slice(b * g3, g3);
            Span<float> gr = g[..units], gz = g.Slice(units, units), gn = g.Slice(2 * units, units);
            ReadOnlySpan<float> rec = recurrent.Slice(b * g3, g3);
            ReadOnlySpan<float> recR = rec[..units], recZ = rec.Slice(units, units), recN = rec.Slice(2 * units, units);
            Span<float> keptN = hiddenN.Slice(b * units, units);
            ReadOnlySpan<float> hp = hPrev.Slice(b * units, units);
            Span<float> hn = hNext.Slice(b * units, units);
            bool real = mask.IsEmpty || mask[b] != 0f;
            int u = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; u + 16 <= units; u += 16)
                {
                    Vector512<float> r = RationalTanh.Sigmoid(Vector512.Create(gr.Slice(u, 16)) + Vector512.Create(recR.Slice(u, 16)));
                    Vector512<float> z = RationalTanh.Sigmoid(Vector512.Create(gz.Slice(u, 16)) + Vector512.Create(recZ.Slice(u, 16)));
                    Vector512<float> rn = Vector512.Create(recN.Slice(u, 16));
                    Vector512<float> n = RationalTanh.Tanh(Vector512.FusedMultiplyAdd(r, rn, Vector512.Create(gn.Slice(u, 16))));
                    r.CopyTo(gr.Slice(u, 16));
                    z.CopyTo(gz.Slice(u, 16));
                    n.CopyTo(gn.Slice(u, 16));
                    rn.CopyTo(keptN.Slice(u, 16));
                    // (1 − z)⊙n + z⊙h_prev = n + z⊙(h_prev − n)
                    if (real) Vector512.FusedMultiplyAdd(z, Vector512.Create(hp.Slice(u, 16)) - n, n).CopyTo(hn.Slice(u, 16));
                }
            }
            else if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
            {
                for (; u + 8 <= units; u += 8)
                {
                    Vector256<float> r = RationalTanh.Sigmoid(Vector256.Create(gr.Slice(u, 8)) + Vector256.Create(recR.Slice(u, 8)));
                    Vector256<float> z = RationalTanh.Sigmoid(Vector256.Create(gz.Slice(u, 8)) + Vector256.Create(recZ.Slice(u, 8)));
                    Vector256<float> rn = Vector256.Create(recN.Slice(u, 8));
                    Vector256<float> n = RationalTanh.Tanh(Vector256.FusedMultiplyAdd(r, rn, Vector256.Create(gn.Slice(u, 8))));
                    r.CopyTo(gr.Slice(u, 8));
                    z.CopyTo(gz.Slice(u, 8));
                    n.CopyTo(gn.Slice(u, 8));
                    rn.CopyTo(keptN.Slice(u, 8));
                    if (real) Vector256.FusedMultiplyAdd(z, Vector256.Create(hp.Slice(u, 8)) - n, n).CopyTo(hn.Slice(u, 8));
                }
            }
            for (; u < units; u++)
            {
                float r = RationalTanh.Sigmoid(gr[u] + recR[u]), z = RationalTanh.Sigmoid(gz[u] + recZ[u]), rn = recN[u];
                float n = RationalTanh.Tanh(MathF.FusedMultiplyAdd(r, rn, gn[u]));
                (gr[u], gz[u], gn[u], keptN[u]) = (r, z, n, rn);
                if (real) hn[u] = MathF.FusedMultiplyAdd(z, hp[u] - n, n);
            }
            if (!real) hp.CopyTo(hn);
            if (!y.IsEmpty)
            {
                Span<float> yRow = y.Slice(b * units, units);
                if (real) hn.CopyTo(yRow);
                else yRow.Clear();
            }
        }
    }

    /// <summary>
    /// GRU backward pass (backpropagation through time) for <see cref="Gru_Forward"/>, accumulating into every gradient:
    /// the gradients PyTorch's autograd gives <c>nn.GRU</c> for upstream gradients <paramref name="dy"/> (sequence
    /// output) and <paramref name="dhFinal"/> (final state). Padded steps get no gradient; their state gradient passes
    /// through unchanged.
    /// </summary>
    /// <remarks>
    /// On return <paramref name="dGates"/> holds, per row, the gradients of the recurrent-side pre-activations
    /// (r, z, and r⊙dn for the n block, which is what W_hn and b_hn see); during the input-side products it held the
    /// input-side ones (dn itself). Per step: one GEMM for the state gradient carry (plus one for dWeightHh when a
    /// recurrent mask is given); dx, dWeightIh and dWeightHh (no recurrent mask) are single GEMMs over all steps.
    /// </remarks>
    /// <param name="dx">+= gradient of x [steps, batch, inFeatures], or empty if not wanted.</param>
    /// <param name="dWeightIh">+= gradient of weightIh [3*units, inFeatures].</param>
    /// <param name="dWeightHh">+= gradient of weightHh [3*units, units].</param>
    /// <param name="dBiasIh">+= gradient of biasIh [3*units], or empty (no bias).</param>
    /// <param name="dBiasHh">+= gradient of biasHh [3*units], or empty (no bias).</param>
    /// <param name="dh0">+= gradient of the initial state [batch, units], or empty if not wanted.</param>
    /// <param name="dGates">Scratch [steps, batch, 3*units] (overwritten).</param>
    /// <param name="dhCarry">Scratch 2*batch*units (overwritten): the state gradient ping-pong.</param>
    /// <param name="dy">Gradient of y [steps, batch, units], or empty.</param>
    /// <param name="dhFinal">Gradient of the final state [batch, units], or empty.</param>
    /// <param name="x">The forward input.</param>
    /// <param name="mask">The forward step mask, or empty.</param>
    /// <param name="recurrentMask">The forward recurrent mask, or empty.</param>
    /// <param name="weightIh">The forward input weight (needed for dx).</param>
    /// <param name="weightHh">The forward recurrent weight.</param>
    /// <param name="h">The forward state slots.</param>
    /// <param name="gates">The forward's saved gates.</param>
    /// <param name="hiddenN">The forward's saved n-block recurrent product.</param>
    /// <param name="steps">Time steps.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="inFeatures">Input features per step.</param>
    /// <param name="units">Hidden units.</param>
    /// <param name="reverse">As in the forward pass.</param>
    public static void Gru_Backward(Span<float> dx, Span<float> dWeightIh, Span<float> dWeightHh, Span<float> dBiasIh,
        Span<float> dBiasHh, Span<float> dh0, Span<float> dGates, Span<float> dhCarry,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> dhFinal,
        ReadOnlySpan<float> x, ReadOnlySpan<float> mask, ReadOnlySpan<float> recurrentMask,
        ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> h, ReadOnlySpan<float> gates,
        ReadOnlySpan<float> hiddenN, int steps, int batch, int inFeatures, int units, bool reverse)
    {
        GruValidate(x.Length, mask.Length, recurrentMask.Length, weightIh.Length, weightHh.Length, h.Length,
            gates.Length, hiddenN.Length, steps, batch, inFeatures, units);
        long seq = (long)steps * batch;
        CheckOptionalLength(dx.Length, seq * inFeatures, nameof(dx), "steps*batch*inFeatures");
        Gemm.CheckLength(dWeightIh.Length, 3L * units * inFeatures, nameof(dWeightIh), "3*units*inFeatures");
        Gemm.CheckLength(dWeightHh.Length, 3L * units * units, nameof(dWeightHh), "3*units*units");
        CheckOptionalLength(dBiasIh.Length, 3L * units, nameof(dBiasIh), "3*units");
        CheckOptionalLength(dBiasHh.Length, 3L * units, nameof(dBiasHh), "3*units");
        CheckOptionalLength(dh0.Length, (long)batch * units, nameof(dh0), "batch*units");
        Gemm.CheckLength(dGates.Length, seq * 3 * units, nameof(dGates), "steps*batch*3*units");
        Gemm.CheckLength(dhCarry.Length, 2L * batch * units, nameof(dhCarry), "2*batch*units");
        CheckOptionalLength(dy.Length, seq * units, nameof(dy), "steps*batch*units");
        CheckOptionalLength(dhFinal.Length, (long)batch * units, nameof(dhFinal), "batch*units");

        int g3 = 3 * units, bu = batch * units, rows = steps * batch;
        if (dhFinal.IsEmpty) dhCarry[..bu].Clear();
        else dhFinal.CopyTo(dhCarry);

        var recurrentBack = new RepeatedB(weightHh, batch, units, g3, GemmLayout.NN); // packed once for every step
        // Without recurrent dropout the steps split across threads by rows (samples), at least four each, and each thread runs its rows
        // through every step. With it, dWeightHh is a sum over rows per step, so the steps stay on one thread.
        int parts = recurrentBack.RowSplittable(steps) && recurrentMask.IsEmpty ? SampleParts(batch) : 1;
        unsafe
        {
            fixed (float* pdg = dGates, pdh = dhCarry, pdy = dy, pg = gates, pn = hiddenN, ph = h, pm = mask, prm = recurrentMask, pw = weightHh,
                   pdw = dWeightHh)
            {
                var run = new GruBackRun
                {
                    DGates = pdg, DhCarry = pdh, Dy = pdy, Gates = pg, HiddenN = pn, H = ph, Mask = pm, RecurrentMask = prm, WeightHh = pw,
                    DWeightHh = pdw, Weight = recurrentBack, Steps = steps, Batch = batch, Units = units, Reverse = reverse,
                };
                if (parts < 2 || !WorkerPool.TryRun(parts, &GruBackRowsPart, &run)) GruBackRows(ref run, 0, batch);
            }
        }
        // The carries swap halves after every step: the gradient of the initial state ends in half steps & 1.
        Span<float> dh = dhCarry.Slice((steps & 1) * bu, bu);
        if (!dh0.IsEmpty) TensorPrimitives.Add(dh0, dh, dh0);
        if (rows == 0 || units == 0) return;

        // Input side, all steps at once.
        if (!dx.IsEmpty) Gemm.NN(dx, dGates, weightIh, rows, inFeatures, g3, accumulate: true);
        Gemm.TN(dWeightIh, dGates, x, g3, inFeatures, rows, accumulate: true);
        if (!dBiasIh.IsEmpty)
            for (int i = 0; i < rows; i++) TensorPrimitives.Add(dBiasIh, dGates.Slice(i * g3, g3), dBiasIh);

        // Recurrent side: the n block scaled by r again.
        for (int i = 0; i < rows; i++)
        {
            if (!mask.IsEmpty && mask[i] == 0f) continue; // already 0; r there may be anything
            Span<float> dgN = dGates.Slice(i * g3 + 2 * units, units);
            TensorPrimitives.Multiply(dgN, gates.Slice(i * g3, units), dgN);
        }
        if (recurrentMask.IsEmpty)
        {
            ReadOnlySpan<float> hPrevAll = h.Slice(reverse ? bu : 0, rows * units);
            Gemm.TN(dWeightHh, dGates, hPrevAll, g3, units, rows, accumulate: true);
        }
        if (!dBiasHh.IsEmpty)
            for (int i = 0; i < rows; i++) TensorPrimitives.Add(dBiasHh, dGates.Slice(i * g3, g3), dBiasHh);
    }

    /// <summary>Rows [<paramref name="b0"/>, <paramref name="b1"/>) of one backward step's recurrent-side pre-activation gradients
    /// (dr, dz, r⊙dn), dy joining the carried dh first; a padded row gets none.</summary>
    private static void GruBackwardCells(Span<float> dg, Span<float> dh, ReadOnlySpan<float> dy, ReadOnlySpan<float> gates, ReadOnlySpan<float> hiddenN,
        ReadOnlySpan<float> hPrev, ReadOnlySpan<float> mask, int units, int b0, int b1)
    {
        int g3 = 3 * units;
        for (int b = b0; b < b1; b++)
        {
            Span<float> dgRow = dg.Slice(b * g3, g3);
            if (!mask.IsEmpty && mask[b] == 0f)
            {
                dgRow.Clear();
                continue;
            }
            Span<float> dhRow = dh.Slice(b * units, units);
            if (!dy.IsEmpty) TensorPrimitives.Add(dhRow, dy.Slice(b * units, units), dhRow);
            ReadOnlySpan<float> g = gates.Slice(b * g3, g3);
            ReadOnlySpan<float> hn = hiddenN.Slice(b * units, units);
            ReadOnlySpan<float> hp = hPrev.Slice(b * units, units);
            int u = 0;
            if (System.Numerics.Vector.IsHardwareAccelerated)
            {
                var one = System.Numerics.Vector<float>.One;
                for (int w = System.Numerics.Vector<float>.Count; u <= units - w; u += w)
                {
                    var r = new System.Numerics.Vector<float>(g[u..]);
                    var z = new System.Numerics.Vector<float>(g[(units + u)..]);
                    var n = new System.Numerics.Vector<float>(g[(2 * units + u)..]);
                    var d = new System.Numerics.Vector<float>(dhRow[u..]);
                    var dn = d * (one - z) * (one - n * n);
                    (dn * new System.Numerics.Vector<float>(hn[u..]) * r * (one - r)).CopyTo(dgRow[u..]);
                    (d * (new System.Numerics.Vector<float>(hp[u..]) - n) * z * (one - z)).CopyTo(dgRow[(units + u)..]);
                    (dn * r).CopyTo(dgRow[(2 * units + u)..]);
                }
            }
            for (; u < units; u++)
            {
                float r = g[u], z = g[units + u], n = g[2 * units + u], d = dhRow[u];
                float dn = d * (1f - z) * (1f - n * n);
                dgRow[u] = dn * hn[u] * r * (1f - r);
                dgRow[units + u] = d * (hp[u] - n) * z * (1f - z);
                dgRow[2 * units + u] = dn * r;
            }
        }
    }

    /// <summary>Rows [<paramref name="b0"/>, <paramref name="b1"/>) of dh_{t-1} after its product (times the recurrent-dropout mask, plus
    /// z⊙dh; a padded row's dh carried through), and of the n block's input-side gradient.</summary>
    private static void GruBackwardCarry(Span<float> dg, ReadOnlySpan<float> dh, Span<float> dhPrev, ReadOnlySpan<float> recurrentMask,
        ReadOnlySpan<float> gates, ReadOnlySpan<float> mask, int units, int b0, int b1)
    {
        int g3 = 3 * units;
        for (int b = b0; b < b1; b++)
        {
            ReadOnlySpan<float> dhRow = dh.Slice(b * units, units);
            Span<float> dhPrevRow = dhPrev.Slice(b * units, units);
            if (!mask.IsEmpty && mask[b] == 0f)
            {
                dhRow.CopyTo(dhPrevRow);
                continue;
            }
            if (!recurrentMask.IsEmpty)
                TensorPrimitives.Multiply(dhPrevRow, recurrentMask.Slice(b * units, units), dhPrevRow);
            ReadOnlySpan<float> g = gates.Slice(b * g3, g3);
            TensorPrimitives.FusedMultiplyAdd(dhRow, g.Slice(units, units), dhPrevRow, dhPrevRow);

            // Back to the input side for the n block: dn, without the factor r (recomputed, not divided).
            Span<float> dgN = dg.Slice(b * g3 + 2 * units, units);
            for (int u = 0; u < units; u++)
            {
                float z = g[units + u], n = g[2 * units + u];
                dgN[u] = dhRow[u] * (1f - z) * (1f - n * n);
            }
        }
    }

    /// <summary>The backward steps, on the caller's stack: everything <see cref="GruBackRows"/> reads.</summary>
    private unsafe struct GruBackRun
    {
        public float* DGates, DhCarry, Dy, Gates, HiddenN, H, Mask, RecurrentMask, WeightHh, DWeightHh;
        public RepeatedB Weight;
        public int Steps, Batch, Units;
        public bool Reverse;
    }

    private static unsafe void GruBackRowsPart(int part, int parts, void* context)
    {
        ref GruBackRun run = ref System.Runtime.CompilerServices.Unsafe.AsRef<GruBackRun>(context);
        GruBackRows(ref run, SampleStart(run.Batch, part, parts), SampleStart(run.Batch, part + 1, parts));
    }

    /// <summary>
    /// Rows [<paramref name="b0"/>, <paramref name="b1"/>) of every backward step, in the opposite order to the forward pass; the halves of
    /// dhCarry take turns as in <see cref="LstmBackRows"/>. With a recurrent mask (all rows only) each step also adds its dWeightHh
    /// product, which needs the masked previous state of that step.
    /// </summary>
    private static unsafe void GruBackRows(ref GruBackRun r, int b0, int b1)
    {
        int g3 = 3 * r.Units, bu = r.Batch * r.Units;
        bool all = b0 == 0 && b1 == r.Batch;
        ReadOnlySpan<float> recurrentMask = r.RecurrentMask is null ? default : new ReadOnlySpan<float>(r.RecurrentMask, bu);
        for (int s = 0; s < r.Steps; s++)
        {
            int t = r.Reverse ? s : r.Steps - 1 - s; // the reverse of the forward order
            var hPrev = new ReadOnlySpan<float>(r.H + (nint)(r.Reverse ? t + 1 : t) * bu, bu);
            float* dgAt = r.DGates + (nint)t * r.Batch * g3;
            var dg = new Span<float>(dgAt, r.Batch * g3);
            var stepGates = new ReadOnlySpan<float>(r.Gates + (nint)t * r.Batch * g3, r.Batch * g3);
            var dh = new Span<float>(r.DhCarry + (s & 1) * bu, bu);
            float* dhPrevAt = r.DhCarry + ((s + 1) & 1) * bu;
            var dhPrev = new Span<float>(dhPrevAt, bu);
            ReadOnlySpan<float> mask = r.Mask is null ? default : new ReadOnlySpan<float>(r.Mask + (nint)t * r.Batch, r.Batch);
            // Recurrent-side pre-activation gradients of this step: (dr, dz, r⊙dn).
            GruBackwardCells(dg, dh, r.Dy is null ? default : new ReadOnlySpan<float>(r.Dy + (nint)t * bu, bu), stepGates,
                new ReadOnlySpan<float>(r.HiddenN + (nint)t * bu, bu), hPrev, mask, r.Units, b0, b1);
            if (!recurrentMask.IsEmpty)
            {
                // dWeightHh needs the masked previous state, which differs per step: one product per step (all rows only).
                TensorPrimitives.Multiply(hPrev, recurrentMask, dhPrev);
                Gemm.TN(new Span<float>(r.DWeightHh, g3 * r.Units), dg, dhPrev, g3, r.Units, r.Batch, accumulate: true);
            }
            if (all) r.Weight.Multiply(dhPrev, dg, new ReadOnlySpan<float>(r.WeightHh, g3 * r.Units), accumulate: false);
            else r.Weight.MultiplyRows(dhPrevAt, dgAt, b0, b1, accumulate: false);
            GruBackwardCarry(dg, dh, dhPrev, recurrentMask, stepGates, mask, r.Units, b0, b1);
        }
    }

    private static void GruValidate(int xLength, int maskLength, int recurrentMaskLength, int weightIhLength,
        int weightHhLength, int hLength, int gatesLength, int hiddenNLength, int steps, int batch, int inFeatures, int units)
    {
        ValidateRecurrent(3, xLength, maskLength, recurrentMaskLength, weightIhLength, weightHhLength, hLength, steps, batch, inFeatures, units);
        long seq = (long)steps * batch;
        Gemm.CheckLength(gatesLength, seq * 3 * units, "gates", "steps*batch*3*units");
        Gemm.CheckLength(hiddenNLength, seq * units, "hiddenN", "steps*batch*units");
    }
}
