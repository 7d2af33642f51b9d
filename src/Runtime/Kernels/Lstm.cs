using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Unroll.Kernels;

public static partial class Layers
{
    /// <summary>
    /// LSTM forward pass over a whole time-major sequence (see the recurrent kernel contract for the layouts):
    /// with z = x_t·weightIhᵀ + bias + (h_{t-1}⊙recurrentMask)·weightHhᵀ split into gate blocks (i, f, g, o),
    /// i, f, o = σ(·), g = tanh(·), c_t = f⊙c_{t-1} + i⊙g and h_t = o⊙tanh(c_t).
    /// PyTorch: <c>nn.LSTM</c> (one layer, <c>batch_first=False</c>; the reverse half of <c>bidirectional=True</c> when
    /// <paramref name="reverse"/>) with <c>bias_ih + bias_hh</c> = <paramref name="bias"/>;
    /// Keras: <c>LSTM(return_sequences=True, return_state=True)</c> (kernel = weightIhᵀ, recurrent_kernel = weightHhᵀ,
    /// same gate order i, f, c, o; <c>go_backwards</c> for reverse, but Keras then returns y in reversed time).
    /// </summary>
    /// <param name="y">[steps, batch, units] the state after each step, 0 at padded steps; overwritten. Empty = not wanted.</param>
    /// <param name="h">[(steps+1), batch, units] state slots: the initial-state slot (0, or <c>steps</c> when
    /// <paramref name="reverse"/>) is read, every other slot is overwritten with the state after its step. Or, at inference,
    /// [2, batch, units]: slot s of the above is slot <c>s &amp; 1</c>, so the initial state is read from slot 0 (<c>steps &amp; 1</c>
    /// when reverse) and the final state is left in slot <c>steps &amp; 1</c> (0 when reverse).</param>
    /// <param name="c">Cell-state slots, laid out like <paramref name="h"/>.</param>
    /// <param name="gates">[steps, batch, 4*units] overwritten with the post-activation gates i, f, g, o that the backward
    /// pass reads. Rows of padded steps hold values the backward pass never reads. Or, at inference, [block, batch, 4*units]
    /// for any block of at least one step: the gates are then computed a block of steps at a time.</param>
    /// <param name="scratch">[5*batch*units] working space; overwritten.</param>
    /// <param name="x">[steps, batch, inFeatures] the input sequence.</param>
    /// <param name="mask">[steps, batch] 1 = real step, 0 = padded step (the state is carried through unchanged); empty =
    /// every step is real.</param>
    /// <param name="recurrentMask">[batch, units] Keras recurrent-dropout mask multiplied into h_{t-1} before the
    /// recurrent product only; empty = none.</param>
    /// <param name="weightIh">[4*units, inFeatures] PyTorch <c>weight_ih_l0</c>.</param>
    /// <param name="weightHh">[4*units, units] PyTorch <c>weight_hh_l0</c>.</param>
    /// <param name="bias">[4*units] PyTorch <c>bias_ih_l0 + bias_hh_l0</c>; empty = no bias.</param>
    /// <param name="steps">Time steps in this run.</param>
    /// <param name="batch">Samples in this run.</param>
    /// <param name="inFeatures">Input features per step.</param>
    /// <param name="units">State size.</param>
    /// <param name="reverse">Process the steps from last to first (y stays aligned with input time).</param>
    /// <param name="packedIh">The packed copy of <paramref name="weightIh"/> (<see cref="PackedWeights.Current"/>), read instead of packing it;
    /// null = pack as needed. Either way the result has the same bits.</param>
    /// <param name="packedHh">The packed copy of <paramref name="weightHh"/>, likewise.</param>
    public static void Lstm_Forward(Span<float> y, Span<float> h, Span<float> c, Span<float> gates, Span<float> scratch,
        ReadOnlySpan<float> x, ReadOnlySpan<float> mask, ReadOnlySpan<float> recurrentMask,
        ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> bias,
        int steps, int batch, int inFeatures, int units, bool reverse, PackedWeight? packedIh = null, PackedWeight? packedHh = null)
    {
        ValidateRecurrentForward(4, x.Length, mask.Length, recurrentMask.Length, weightIh.Length, weightHh.Length, h.Length, gates.Length,
            steps, batch, inFeatures, units);
        CheckOptionalLength(bias.Length, 4L * units, nameof(bias), "4*units");
        Gemm.CheckLength(c.Length, h.Length, nameof(c), h.Length == 2L * batch * units ? "2*batch*units, as h" : "(steps+1)*batch*units");
        if (!y.IsEmpty) Gemm.CheckLength(y.Length, (long)steps * batch * units, nameof(y), "steps*batch*units (or 0)");
        Gemm.CheckLength(scratch.Length, 5L * batch * units, nameof(scratch), "5*batch*units");
        if (steps == 0 || batch == 0 || units == 0) return;

        int state = batch * units, width = 4 * units;
        // Training keeps every slot and every step's gates for the backward pass; inference rolls through two slots and a block of steps.
        bool rolling = h.Length == 2 * state && steps > 1;
        int block = Math.Min(steps, gates.Length / (batch * width));
        packedIh?.CheckShape(width, inFeatures, nameof(packedIh));
        packedHh?.CheckShape(width, units, nameof(packedHh));
        // Packed once for every step, unless the model keeps it packed.
        RepeatedB recurrent = packedHh is null ? new RepeatedB(weightHh, batch, width, units, GemmLayout.NT) : new RepeatedB(packedHh, batch);
        // When both products take the packed path, each step projects its own input rows just before its recurrent product (whatever the
        // thread count, so the bits do not depend on it); otherwise a block's projection is one GEMM.
        RepeatedB input = !recurrent.ComputesRows ? default
            : packedIh is null ? new RepeatedB(weightIh, batch, width, inFeatures, GemmLayout.NT, RepeatedSlot.Second) : new RepeatedB(packedIh, batch);
        bool projectSteps = input.ComputesRows;
        // Each block of steps splits across threads by rows (samples, at least four each): a sample's steps need only its own row, so a
        // thread runs its rows through the whole block and the threads meet once per block, not once per step. A batch-of-one GEMV splits
        // each step by units instead (whole panels of the packed weight in each gate block).
        int rowParts = recurrent.RowSplittable(block) ? SampleParts(batch) : 1;
        int unitParts = units % RepeatedB.SplitColumns == 0 && recurrent.ColumnSplittable ? Math.Min(Parallelism.ThreadCount, units / RepeatedB.SplitColumns) : 1;
        // Steps that run on one thread with every step's gates at hand (a batch of one, at inference) project their input in chunks, a
        // helper thread projecting ahead of the steps.
        int chunk = !projectSteps && block == steps && rowParts < 2 && !recurrent.ColumnSplittable ? ProjectionChunk(steps, batch, width, inFeatures) : 0;
        if (chunk > 0)
            input = packedIh is null ? new RepeatedB(weightIh, chunk * batch, width, inFeatures, GemmLayout.NT, RepeatedSlot.Second) : new RepeatedB(packedIh, chunk * batch);
        unsafe
        {
            fixed (float* ph = h, pc = c, pg = gates, py = y, pm = mask, prm = recurrentMask, pw = weightHh, pScratch = scratch, px = x, pb = bias)
            {
                var run = new LstmRun
                {
                    H = ph, C = pc, Gates = pg, Y = py, Mask = pm, RecurrentMask = prm, MaskedH = pScratch + 4 * state, WeightHh = pw, X = px, Bias = pb,
                    Recurrent = recurrent, Input = input, Steps = steps, Batch = batch, Units = units, InFeatures = inFeatures, UnitParts = unitParts,
                    Reverse = reverse, Rolling = rolling, ProjectSteps = projectSteps,
                };
                if (chunk > 0)
                {
                    RunChunked(input, pg, px, pb, chunk, steps, batch, width, inFeatures, reverse, &LstmSteps, &run);
                    return;
                }
                for (int n0 = 0; n0 < steps; n0 += block)
                {
                    (run.Origin, run.Count) = projectSteps ? StepBlock(n0, block, steps, reverse)
                        : ProjectBlock(gates, x, weightIh, packedIh, bias, n0, block, steps, batch, width, inFeatures, reverse);
                    run.First = n0;
                    if (rowParts < 2 || !WorkerPool.TryRun(rowParts, &LstmRowsPart, &run)) LstmRows(ref run, 0, batch);
                }
            }
        }
    }

    /// <summary>A run of forward steps (one block), on the caller's stack: everything <see cref="LstmRows"/> reads.</summary>
    private unsafe struct LstmRun
    {
        public float* H, C, Gates, Y, Mask, RecurrentMask, MaskedH, WeightHh, X, Bias;
        public RepeatedB Recurrent, Input;
        public int Steps, Batch, Units, InFeatures, UnitParts, First, Count, Origin;
        public bool Reverse, Rolling, ProjectSteps;
    }

    /// <summary>The steps <paramref name="first"/> up to <paramref name="first"/> + <paramref name="count"/> (processing order) of a run whose
    /// gates hold every step, all rows, on this thread (<see cref="RunChunked"/>).</summary>
    private static unsafe void LstmSteps(void* context, int first, int count)
    {
        ref LstmRun run = ref System.Runtime.CompilerServices.Unsafe.AsRef<LstmRun>(context);
        (run.First, run.Count, run.Origin) = (first, count, 0);
        LstmRows(ref run, 0, run.Batch);
    }

    private static unsafe void LstmRowsPart(int part, int parts, void* context)
    {
        ref LstmRun run = ref System.Runtime.CompilerServices.Unsafe.AsRef<LstmRun>(context);
        LstmRows(ref run, SampleStart(run.Batch, part, parts), SampleStart(run.Batch, part + 1, parts));
    }

    /// <summary>
    /// Rows [<paramref name="b0"/>, <paramref name="b1"/>) of a run of forward steps: per step, the input projection (unless the block's was
    /// one GEMM), the masked previous state, the recurrent product and the cell update. A subset of the rows computes its product with
    /// <see cref="RepeatedB.MultiplyRows"/> (rows of a packed product have the bits of the whole one), so any split gives every thread count
    /// the same bits.
    /// </summary>
    private static unsafe void LstmRows(ref LstmRun r, int b0, int b1)
    {
        int state = r.Batch * r.Units, width = 4 * r.Units;
        bool all = b0 == 0 && b1 == r.Batch;
        for (int n = r.First; n < r.First + r.Count; n++)
        {
            int t = r.Reverse ? r.Steps - 1 - n : n;
            (int prev, int next) = StateSlots(t, r.Reverse, r.Rolling);
            float* stepGates = r.Gates + (nint)(t - r.Origin) * r.Batch * width;
            if (r.ProjectSteps) ProjectRows(r.Input, stepGates, r.X + (nint)t * r.Batch * r.InFeatures, r.Bias, b0, b1, width);
            var gates = new Span<float>(stepGates, r.Batch * width);
            var hPrev = new ReadOnlySpan<float>(r.H + (nint)prev * state, state);
            var cPrev = new ReadOnlySpan<float>(r.C + (nint)prev * state, state);
            var hNext = new Span<float>(r.H + (nint)next * state, state);
            var cNext = new Span<float>(r.C + (nint)next * state, state);
            Span<float> y = r.Y is null ? default : new Span<float>(r.Y + (nint)t * state, state);
            ReadOnlySpan<float> mask = r.Mask is null ? default : new ReadOnlySpan<float>(r.Mask + (nint)t * r.Batch, r.Batch);
            float* hIn = r.H + (nint)prev * state;
            if (r.RecurrentMask is not null)
            {
                int at = b0 * r.Units, length = (b1 - b0) * r.Units;
                TensorPrimitives.Multiply(hPrev.Slice(at, length), new ReadOnlySpan<float>(r.RecurrentMask + at, length), new Span<float>(r.MaskedH + at, length));
                hIn = r.MaskedH;
            }
            if (!all)
            {
                r.Recurrent.MultiplyRows(stepGates, hIn, b0, b1, accumulate: true);
            }
            else
            {
                if (r.UnitParts > 1 && LstmUnitsStep(r.UnitParts, r.Recurrent, gates, hIn, hPrev, cPrev, hNext, cNext, y, mask, r.Batch, r.Units)) continue;
                r.Recurrent.Multiply(gates, new ReadOnlySpan<float>(hIn, state), new ReadOnlySpan<float>(r.WeightHh, width * r.Units), accumulate: true);
            }
            LstmCells(gates, hPrev, cPrev, hNext, cNext, y, mask, r.Units, b0, b1, 0, r.Units);
        }
    }

    /// <summary>
    /// Rows [<paramref name="b0"/>, <paramref name="b1"/>) and units [<paramref name="u0"/>, <paramref name="u1"/>) of one step's cell
    /// update, in one pass per vector: the gate nonlinearities (i, f, o = σ, g = tanh, written back for the backward pass),
    /// c = f⊙c_prev + i⊙g and h = o⊙tanh(c), with <see cref="RationalTanh"/>; a padded row carries its state and outputs 0.
    /// </summary>
    private static void LstmCells(Span<float> gates, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> cPrev, Span<float> hNext, Span<float> cNext,
        Span<float> y, ReadOnlySpan<float> mask, int units, int b0, int b1, int u0, int u1)
    {
        int w = u1 - u0, width = 4 * units;
        for (int b = b0; b < b1; b++)
        {
            int s = b * units + u0;
            Span<float> hRow = hNext.Slice(s, w), cRow = cNext.Slice(s, w);
            Span<float> yRow = y.IsEmpty ? default : y.Slice(s, w);
            if (!mask.IsEmpty && mask[b] == 0f)
            {
                hPrev.Slice(s, w).CopyTo(hRow);
                cPrev.Slice(s, w).CopyTo(cRow);
                yRow.Clear();
                continue;
            }

            // One pass: the four gates through their nonlinearities (written back for the backward pass), then c and h.
            Span<float> row = gates.Slice(b * width, width);
            Span<float> input = row.Slice(u0, w), forget = row.Slice(units + u0, w), cell = row.Slice(2 * units + u0, w), output = row.Slice(3 * units + u0, w);
            ReadOnlySpan<float> cp = cPrev.Slice(s, w);
            int u = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; u + 16 <= w; u += 16)
                {
                    Vector512<float> i = RationalTanh.Sigmoid(Vector512.Create(input.Slice(u, 16)));
                    Vector512<float> f = RationalTanh.Sigmoid(Vector512.Create(forget.Slice(u, 16)));
                    Vector512<float> g = RationalTanh.Tanh(Vector512.Create(cell.Slice(u, 16)));
                    Vector512<float> o = RationalTanh.Sigmoid(Vector512.Create(output.Slice(u, 16)));
                    Vector512<float> c = Vector512.FusedMultiplyAdd(i, g, f * Vector512.Create(cp.Slice(u, 16)));
                    i.CopyTo(input.Slice(u, 16));
                    f.CopyTo(forget.Slice(u, 16));
                    g.CopyTo(cell.Slice(u, 16));
                    o.CopyTo(output.Slice(u, 16));
                    c.CopyTo(cRow.Slice(u, 16));
                    (RationalTanh.Tanh(c) * o).CopyTo(hRow.Slice(u, 16));
                }
            }
            else if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
            {
                for (; u + 8 <= w; u += 8)
                {
                    Vector256<float> i = RationalTanh.Sigmoid(Vector256.Create(input.Slice(u, 8)));
                    Vector256<float> f = RationalTanh.Sigmoid(Vector256.Create(forget.Slice(u, 8)));
                    Vector256<float> g = RationalTanh.Tanh(Vector256.Create(cell.Slice(u, 8)));
                    Vector256<float> o = RationalTanh.Sigmoid(Vector256.Create(output.Slice(u, 8)));
                    Vector256<float> c = Vector256.FusedMultiplyAdd(i, g, f * Vector256.Create(cp.Slice(u, 8)));
                    i.CopyTo(input.Slice(u, 8));
                    f.CopyTo(forget.Slice(u, 8));
                    g.CopyTo(cell.Slice(u, 8));
                    o.CopyTo(output.Slice(u, 8));
                    c.CopyTo(cRow.Slice(u, 8));
                    (RationalTanh.Tanh(c) * o).CopyTo(hRow.Slice(u, 8));
                }
            }
            for (; u < w; u++)
            {
                float i = RationalTanh.Sigmoid(input[u]), f = RationalTanh.Sigmoid(forget[u]), g = RationalTanh.Tanh(cell[u]), o = RationalTanh.Sigmoid(output[u]);
                float c = MathF.FusedMultiplyAdd(i, g, f * cp[u]);
                (input[u], forget[u], cell[u], output[u], cRow[u]) = (i, f, g, o, c);
                hRow[u] = RationalTanh.Tanh(c) * o;
            }
            if (!y.IsEmpty) hRow.CopyTo(yRow);
        }
    }

    /// <summary>One step's pointers for <see cref="LstmUnitsPart"/>, on the caller's stack.</summary>
    private unsafe struct LstmStep
    {
        public float* Gates, HIn, HPrev, CPrev, HNext, CNext, Y, Mask;
        public RepeatedB Recurrent;
        public int Batch, Units;
    }

    /// <summary>
    /// One step of a batch-of-one GEMV split across threads by units, one synchronisation per step: each part computes its units' columns
    /// in all four gate blocks (on panel edges, the bits of the whole product), then their cell update; a part needs nothing from the
    /// others. Returns false, having done nothing, when the worker pool is busy.
    /// </summary>
    private static unsafe bool LstmUnitsStep(int parts, RepeatedB recurrent, Span<float> gates, float* hIn, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> cPrev, Span<float> hNext, Span<float> cNext, Span<float> y, ReadOnlySpan<float> mask, int batch, int units)
    {
        fixed (float* g = gates, hp = hPrev, cp = cPrev, hn = hNext, cn = cNext, py = y, m = mask)
        {
            var job = new LstmStep
            {
                Gates = g, HIn = hIn, HPrev = hp, CPrev = cp, HNext = hn, CNext = cn, Y = py, Mask = m, Recurrent = recurrent, Batch = batch, Units = units,
            };
            return WorkerPool.TryRun(parts, &LstmUnitsPart, &job);
        }
    }

    private static unsafe void LstmUnitsPart(int part, int parts, void* context)
    {
        ref LstmStep s = ref System.Runtime.CompilerServices.Unsafe.AsRef<LstmStep>(context);
        int tile = RepeatedB.SplitColumns, tiles = s.Units / tile;
        int u0 = tiles * part / parts * tile, u1 = tiles * (part + 1) / parts * tile;
        if (u0 >= u1) return;
        for (int gate = 0; gate < 4; gate++)
            s.Recurrent.MultiplyColumns(s.Gates, s.HIn, gate * s.Units + u0, gate * s.Units + u1, accumulate: true);
        int state = s.Batch * s.Units;
        LstmCells(new Span<float>(s.Gates, 4 * state), new ReadOnlySpan<float>(s.HPrev, state), new ReadOnlySpan<float>(s.CPrev, state),
            new Span<float>(s.HNext, state), new Span<float>(s.CNext, state), s.Y is null ? default : new Span<float>(s.Y, state),
            s.Mask is null ? default : new ReadOnlySpan<float>(s.Mask, s.Batch), s.Units, 0, s.Batch, u0, u1);
    }

    /// <summary>
    /// LSTM backward pass (backpropagation through time) for <see cref="Lstm_Forward"/>, from the states and gates it
    /// left in <paramref name="h"/>, <paramref name="c"/> and <paramref name="gates"/>. Accumulates (+=) into
    /// <paramref name="dx"/>, <paramref name="dWeightIh"/>, <paramref name="dWeightHh"/>, <paramref name="dBias"/>,
    /// <paramref name="dh0"/> and <paramref name="dc0"/>; any of dx, dBias, dh0, dc0 may be empty (not wanted).
    /// The gradient reaching step t's state is dy[t] plus the carry from the step processed after it (plus
    /// dhFinal/dcFinal at the last processed step); padded steps pass the carry through and get no gate gradient.
    /// Matches PyTorch autograd through <c>nn.LSTM</c> (bias gradient = that of bias_ih, which equals that of bias_hh).
    /// </summary>
    /// <param name="dx">[steps, batch, inFeatures] input gradient (+=); empty = not wanted.</param>
    /// <param name="dWeightIh">[4*units, inFeatures] (+=).</param>
    /// <param name="dWeightHh">[4*units, units] (+=).</param>
    /// <param name="dBias">[4*units] (+=); empty = no bias.</param>
    /// <param name="dh0">[batch, units] gradient of the initial h (+=); empty = not wanted.</param>
    /// <param name="dc0">[batch, units] gradient of the initial c (+=); empty = not wanted.</param>
    /// <param name="dGates">[steps, batch, 4*units] overwritten with the pre-activation gate gradients.</param>
    /// <param name="dhCarry">[2*batch*units] working space; overwritten.</param>
    /// <param name="dcCarry">[batch*units] working space; overwritten.</param>
    /// <param name="dy">[steps, batch, units] gradient of y; empty = none arrives through the sequence.</param>
    /// <param name="dhFinal">[batch, units] gradient of the final h; empty = none.</param>
    /// <param name="dcFinal">[batch, units] gradient of the final c; empty = none.</param>
    /// <param name="x">The forward input.</param>
    /// <param name="mask">The forward mask (empty = every step real).</param>
    /// <param name="recurrentMask">The forward recurrent-dropout mask (empty = none).</param>
    /// <param name="weightIh">[4*units, inFeatures] the forward input weight (for dx).</param>
    /// <param name="weightHh">[4*units, units] the forward recurrent weight.</param>
    /// <param name="h">The forward h slots.</param>
    /// <param name="c">The forward c slots.</param>
    /// <param name="gates">The forward post-activation gates.</param>
    /// <param name="steps">Time steps in this run.</param>
    /// <param name="batch">Samples in this run.</param>
    /// <param name="inFeatures">Input features per step.</param>
    /// <param name="units">State size.</param>
    /// <param name="reverse">As in the forward pass.</param>
    public static void Lstm_Backward(Span<float> dx, Span<float> dWeightIh, Span<float> dWeightHh, Span<float> dBias,
        Span<float> dh0, Span<float> dc0, Span<float> dGates, Span<float> dhCarry, Span<float> dcCarry,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> dhFinal, ReadOnlySpan<float> dcFinal,
        ReadOnlySpan<float> x, ReadOnlySpan<float> mask, ReadOnlySpan<float> recurrentMask,
        ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> h, ReadOnlySpan<float> c,
        ReadOnlySpan<float> gates, int steps, int batch, int inFeatures, int units, bool reverse)
    {
        ValidateLstm(x.Length, mask.Length, recurrentMask.Length, weightIh.Length, weightHh.Length, dBias.Length,
            nameof(dBias), h.Length, c.Length, gates.Length, steps, batch, inFeatures, units);
        int state = batch * units, width = 4 * units, rows = steps * batch;
        Gemm.CheckLength(dGates.Length, (long)rows * width, nameof(dGates), "steps*batch*4*units");
        Gemm.CheckLength(dWeightIh.Length, (long)width * inFeatures, nameof(dWeightIh), "4*units*inFeatures");
        Gemm.CheckLength(dWeightHh.Length, (long)width * units, nameof(dWeightHh), "4*units*units");
        Gemm.CheckLength(dhCarry.Length, 2L * state, nameof(dhCarry), "2*batch*units");
        Gemm.CheckLength(dcCarry.Length, state, nameof(dcCarry), "batch*units");
        if (!dx.IsEmpty) Gemm.CheckLength(dx.Length, (long)rows * inFeatures, nameof(dx), "steps*batch*inFeatures (or 0)");
        if (!dy.IsEmpty) Gemm.CheckLength(dy.Length, (long)rows * units, nameof(dy), "steps*batch*units (or 0)");
        if (!dhFinal.IsEmpty) Gemm.CheckLength(dhFinal.Length, state, nameof(dhFinal), "batch*units (or 0)");
        if (!dcFinal.IsEmpty) Gemm.CheckLength(dcFinal.Length, state, nameof(dcFinal), "batch*units (or 0)");
        if (!dh0.IsEmpty) Gemm.CheckLength(dh0.Length, state, nameof(dh0), "batch*units (or 0)");
        if (!dc0.IsEmpty) Gemm.CheckLength(dc0.Length, state, nameof(dc0), "batch*units (or 0)");

        if (dhFinal.IsEmpty) dhCarry[..state].Clear(); else dhFinal.CopyTo(dhCarry);
        if (dcFinal.IsEmpty) dcCarry.Clear(); else dcFinal.CopyTo(dcCarry);

        var recurrent = new RepeatedB(weightHh, batch, units, width, GemmLayout.NN); // packed once for every step
        // The steps split across threads by rows (samples), at least four each, as in the forward pass: a row's gradients need only its
        // own row, so each thread runs its rows through every step and the threads meet once.
        int parts = recurrent.RowSplittable(steps) ? SampleParts(batch) : 1;
        unsafe
        {
            fixed (float* pdg = dGates, pdh = dhCarry, pdc = dcCarry, pdy = dy, pg = gates, pc = c, pm = mask, prm = recurrentMask, pw = weightHh)
            {
                var run = new LstmBackRun
                {
                    DGates = pdg, DhCarry = pdh, Dc = pdc, Dy = pdy, Gates = pg, C = pc, Mask = pm, RecurrentMask = prm, WeightHh = pw, Recurrent = recurrent,
                    Steps = steps, Batch = batch, Units = units, Reverse = reverse,
                };
                if (parts < 2 || !WorkerPool.TryRun(parts, &LstmBackRowsPart, &run)) LstmBackRows(ref run, 0, batch);
            }
        }
        // The carries swap halves after every step: the gradient of the initial state ends in half steps & 1.
        Span<float> dh = dhCarry.Slice((steps & 1) * state, state);

        if (!dh0.IsEmpty) TensorPrimitives.Add(dh0, dh, dh0);
        if (!dc0.IsEmpty) TensorPrimitives.Add(dc0, dcCarry, dc0);

        // Parameter and input gradients over all steps at once.
        Gemm.TN(dWeightIh, dGates, x, width, inFeatures, rows, accumulate: true);
        if (!dx.IsEmpty) Gemm.NN(dx, dGates, weightIh, rows, inFeatures, width, accumulate: true);
        if (recurrentMask.IsEmpty)
        {
            // The previous states of steps 0..steps-1 are one contiguous block of slots, row-aligned with dGates.
            ReadOnlySpan<float> hPrevBlock = h.Slice(reverse ? state : 0, rows * units);
            Gemm.TN(dWeightHh, dGates, hPrevBlock, width, units, rows, accumulate: true);
        }
        else
        {
            Span<float> maskedH = dhCarry[..state]; // the carries are spent by now
            for (int t = 0; t < steps; t++)
            {
                int prev = reverse ? t + 1 : t;
                TensorPrimitives.Multiply(h.Slice(prev * state, state), recurrentMask, maskedH);
                Gemm.TN(dWeightHh, dGates.Slice(t * batch * width, batch * width), maskedH, width, units, batch, accumulate: true);
            }
        }
        if (!dBias.IsEmpty)
        {
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(dBias, dGates.Slice(r * width, width), dBias);
        }
    }

    /// <summary>Rows [<paramref name="b0"/>, <paramref name="b1"/>) of one backward step's gate gradients: dy joins the carried dh, then
    /// the cell's backward; a padded row gets no gate gradient.</summary>
    private static void LstmBackwardCells(Span<float> dGates, Span<float> dh, Span<float> dc, ReadOnlySpan<float> dy, ReadOnlySpan<float> gates,
        ReadOnlySpan<float> cPrev, ReadOnlySpan<float> cNext, ReadOnlySpan<float> mask, int units, int b0, int b1)
    {
        int width = 4 * units;
        for (int b = b0; b < b1; b++)
        {
            int s = b * units;
            Span<float> dRow = dGates.Slice(b * width, width);
            if (!mask.IsEmpty && mask[b] == 0f)
            {
                dRow.Clear(); // y[t] was 0 here, so dy[t] adds nothing; the carries pass through below
                continue;
            }
            Span<float> dhRow = dh.Slice(s, units), dcRow = dc.Slice(s, units);
            if (!dy.IsEmpty) TensorPrimitives.Add(dhRow, dy.Slice(s, units), dhRow);
            LstmCellBackward(dRow, dhRow, dcRow, gates.Slice(b * width, width), cPrev.Slice(s, units), cNext.Slice(s, units), units);
        }
    }

    /// <summary>Rows [<paramref name="b0"/>, <paramref name="b1"/>) of dh_{t-1} after its product: times the recurrent-dropout mask, and
    /// a padded row's dh carried through unchanged.</summary>
    private static void LstmBackwardCarry(Span<float> dhPrev, ReadOnlySpan<float> dh, ReadOnlySpan<float> recurrentMask, ReadOnlySpan<float> mask,
        int units, int b0, int b1)
    {
        int at = b0 * units, length = (b1 - b0) * units;
        if (!recurrentMask.IsEmpty) TensorPrimitives.Multiply(dhPrev.Slice(at, length), recurrentMask.Slice(at, length), dhPrev.Slice(at, length));
        if (mask.IsEmpty) return;
        for (int b = b0; b < b1; b++)
            if (mask[b] == 0f) dh.Slice(b * units, units).CopyTo(dhPrev.Slice(b * units, units));
    }

    /// <summary>The backward steps, on the caller's stack: everything <see cref="LstmBackRows"/> reads.</summary>
    private unsafe struct LstmBackRun
    {
        public float* DGates, DhCarry, Dc, Dy, Gates, C, Mask, RecurrentMask, WeightHh;
        public RepeatedB Recurrent;
        public int Steps, Batch, Units;
        public bool Reverse;
    }

    private static unsafe void LstmBackRowsPart(int part, int parts, void* context)
    {
        ref LstmBackRun run = ref System.Runtime.CompilerServices.Unsafe.AsRef<LstmBackRun>(context);
        LstmBackRows(ref run, SampleStart(run.Batch, part, parts), SampleStart(run.Batch, part + 1, parts));
    }

    /// <summary>
    /// Rows [<paramref name="b0"/>, <paramref name="b1"/>) of every backward step, in the opposite order to the forward pass. The two halves
    /// of dhCarry take turns: at step n, half n &amp; 1 holds the gradient reaching the step's output state (dy joins it), and the product of
    /// the step's gate gradients with the recurrent weight fills the other half with the gradient of its previous state. A subset of the
    /// rows computes its product with <see cref="RepeatedB.MultiplyRows"/>, with the bits of the whole product.
    /// </summary>
    private static unsafe void LstmBackRows(ref LstmBackRun r, int b0, int b1)
    {
        int state = r.Batch * r.Units, width = 4 * r.Units;
        bool all = b0 == 0 && b1 == r.Batch;
        var dc = new Span<float>(r.Dc, state);
        ReadOnlySpan<float> recurrentMask = r.RecurrentMask is null ? default : new ReadOnlySpan<float>(r.RecurrentMask, state);
        for (int n = 0; n < r.Steps; n++)
        {
            int t = r.Reverse ? n : r.Steps - 1 - n;
            int prev = r.Reverse ? t + 1 : t, next = r.Reverse ? t : t + 1;
            float* dGates = r.DGates + (nint)t * r.Batch * width;
            var stepDGates = new Span<float>(dGates, r.Batch * width);
            var dh = new Span<float>(r.DhCarry + (n & 1) * state, state);
            float* dhPrev = r.DhCarry + ((n + 1) & 1) * state;
            ReadOnlySpan<float> mask = r.Mask is null ? default : new ReadOnlySpan<float>(r.Mask + (nint)t * r.Batch, r.Batch);
            LstmBackwardCells(stepDGates, dh, dc, r.Dy is null ? default : new ReadOnlySpan<float>(r.Dy + (nint)t * state, state),
                new ReadOnlySpan<float>(r.Gates + (nint)t * r.Batch * width, r.Batch * width), new ReadOnlySpan<float>(r.C + (nint)prev * state, state),
                new ReadOnlySpan<float>(r.C + (nint)next * state, state), mask, r.Units, b0, b1);
            // dh_{t-1} = (dGates_t · weightHh) ⊙ recurrentMask; padded rows carry dh through unchanged.
            if (all) r.Recurrent.Multiply(new Span<float>(dhPrev, state), stepDGates, new ReadOnlySpan<float>(r.WeightHh, width * r.Units), accumulate: false);
            else r.Recurrent.MultiplyRows(dhPrev, dGates, b0, b1, accumulate: false);
            LstmBackwardCarry(new Span<float>(dhPrev, state), dh, recurrentMask, mask, r.Units, b0, b1);
        }
    }

    /// <summary>
    /// One sample's step: from dh (gradient of h_t, dy included) and dc (gradient of c_t from later steps) writes the
    /// pre-activation gate gradients into <paramref name="dGates"/> and replaces dc with the gradient of c_{t-1}.
    /// Vectorised: tanh(c_t) goes first into the output gate's slot (a vectorised tanh), then one pass of SIMD arithmetic
    /// writes all four gate gradients and the carry.
    /// </summary>
    private static void LstmCellBackward(Span<float> dGates, ReadOnlySpan<float> dh, Span<float> dc,
        ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> c, int units)
    {
        Span<float> dI = dGates[..units], dF = dGates.Slice(units, units), dG = dGates.Slice(2 * units, units), dO = dGates.Slice(3 * units, units);
        ReadOnlySpan<float> gi = gates[..units], gf = gates.Slice(units, units), gg = gates.Slice(2 * units, units), go = gates.Slice(3 * units, units);
        RationalTanh.Tanh(c[..units], dO); // tanh(c_t) as the forward pass computed it, read before dO is written below
        int j = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int w = System.Numerics.Vector<float>.Count;
            var one = System.Numerics.Vector<float>.One;
            for (; j <= units - w; j += w)
            {
                var i = new System.Numerics.Vector<float>(gi[j..]);
                var f = new System.Numerics.Vector<float>(gf[j..]);
                var g = new System.Numerics.Vector<float>(gg[j..]);
                var o = new System.Numerics.Vector<float>(go[j..]);
                var tanhC = new System.Numerics.Vector<float>(dO[j..]);
                var dhj = new System.Numerics.Vector<float>(dh[j..]);
                var dcj = new System.Numerics.Vector<float>(dc[j..]) + dhj * o * (one - tanhC * tanhC);
                (dcj * g * i * (one - i)).CopyTo(dI[j..]);
                (dcj * new System.Numerics.Vector<float>(cPrev[j..]) * f * (one - f)).CopyTo(dF[j..]);
                (dcj * i * (one - g * g)).CopyTo(dG[j..]);
                (dhj * tanhC * o * (one - o)).CopyTo(dO[j..]);
                (dcj * f).CopyTo(dc[j..]);
            }
        }
        for (; j < units; j++)
        {
            float i = gi[j], f = gf[j], g = gg[j], o = go[j], tanhC = dO[j], dhj = dh[j];
            float dcj = dc[j] + dhj * o * (1f - tanhC * tanhC);
            dI[j] = dcj * g * i * (1f - i);
            dF[j] = dcj * cPrev[j] * f * (1f - f);
            dG[j] = dcj * i * (1f - g * g);
            dO[j] = dhj * tanhC * o * (1f - o);
            dc[j] = dcj * f;
        }
    }

    private static void ValidateLstm(int xLength, int maskLength, int recurrentMaskLength, int weightIhLength,
        int weightHhLength, int biasLength, string biasName, int hLength, int cLength, int gatesLength,
        int steps, int batch, int inFeatures, int units)
    {
        ValidateRecurrent(4, xLength, maskLength, recurrentMaskLength, weightIhLength, weightHhLength, hLength, steps, batch, inFeatures, units);
        CheckOptionalLength(biasLength, 4L * units, biasName, "4*units");
        Gemm.CheckLength(cLength, (steps + 1L) * batch * units, "c", "(steps+1)*batch*units");
        Gemm.CheckLength(gatesLength, (long)steps * batch * 4 * units, "gates", "steps*batch*4*units");
    }
}
