using System;

namespace Unroll.Kernels;

// What the three recurrent kernels (SimpleRnn, Lstm, Gru) check alike: sizes, the input, the masks, the weights and the
// state slots, with messages that name the expected shape and the length that came.
public static partial class Layers
{
    // gates: the gate blocks, 1 SimpleRnn, 4 LSTM, 3 GRU.
    private static void ValidateRecurrent(int gates, int xLength, int maskLength, int recurrentMaskLength, int weightIhLength,
        int weightHhLength, int hLength, int steps, int batch, int inFeatures, int units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        Gemm.CheckLength(xLength, (long)steps * batch * inFeatures, "x", "steps*batch*inFeatures");
        CheckOptionalLength(maskLength, (long)steps * batch, "mask", "steps*batch");
        CheckOptionalLength(recurrentMaskLength, (long)batch * units, "recurrentMask", "batch*units");
        // Constant shape strings: a check that passes must not allocate.
        Gemm.CheckLength(weightIhLength, (long)gates * units * inFeatures, "weightIh",
            gates switch { 1 => "units*inFeatures", 3 => "3*units*inFeatures", _ => "4*units*inFeatures" });
        Gemm.CheckLength(weightHhLength, (long)gates * units * units, "weightHh",
            gates switch { 1 => "units*units", 3 => "3*units*units", _ => "4*units*units" });
        Gemm.CheckLength(hLength, (steps + 1L) * batch * units, "h", "(steps+1)*batch*units");
    }

    /// <summary>
    /// The forward kernels' checks: as <see cref="ValidateRecurrent"/>, except that h may also be two rolling slots (inference) and the
    /// gates (<paramref name="gates"/> blocks of units per row) may hold any whole number of steps, at least one: fewer than the steps
    /// make the kernel work a block at a time, more (an inference block sized for the declared length, a shorter run) are not used.
    /// </summary>
    private static void ValidateRecurrentForward(int gates, int xLength, int maskLength, int recurrentMaskLength, int weightIhLength,
        int weightHhLength, int hLength, int gatesLength, int steps, int batch, int inFeatures, int units)
    {
        bool rolling = batch > 0 && units > 0 && hLength == 2L * batch * units;
        ValidateRecurrent(gates, xLength, maskLength, recurrentMaskLength, weightIhLength, weightHhLength,
            rolling ? (int)((steps + 1L) * batch * units) : hLength, steps, batch, inFeatures, units);
        long row = (long)batch * gates * units;
        if (row > 0 && steps > 0 && (gatesLength == 0 || gatesLength % row != 0))
            throw new ArgumentException($"Expected length {steps * row} (steps*batch*{gates}*units; at inference a whole number of steps, {row} floats each) but got {gatesLength}.",
                "gates");
    }

    /// <summary>
    /// The input projection of one block of a forward kernel: the steps n0 up to n0 + <paramref name="block"/> in processing order
    /// (fewer at the end), into the gate rows. The gates hold either every step (the block is all of them) or one block, whose first row
    /// belongs to the block's earliest step in time. Returns that step (the time of gate row 0) and the block's step count.
    /// </summary>
    private static (int Origin, int Count) ProjectBlock(Span<float> gates, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, PackedWeight? packed, ReadOnlySpan<float> bias,
        int n0, int block, int steps, int batch, int width, int inFeatures, bool reverse)
    {
        (int origin, int count) = StepBlock(n0, block, steps, reverse);
        int first = reverse ? steps - n0 - count : n0;
        ProjectInput(gates.Slice((first - origin) * batch * width, count * batch * width), x.Slice(first * batch * inFeatures, count * batch * inFeatures),
            weight, packed, bias, count * batch, width, inFeatures);
        return (origin, count);
    }

    /// <summary>The block of steps n0 up to n0 + <paramref name="block"/> in processing order (fewer at the end): the time of gate row 0 (see
    /// <see cref="ProjectBlock"/>) and the block's step count.</summary>
    private static (int Origin, int Count) StepBlock(int n0, int block, int steps, bool reverse)
    {
        int count = Math.Min(block, steps - n0);
        return (block == steps ? 0 : reverse ? steps - n0 - count : n0, count);
    }

    /// <summary>
    /// Rows [<paramref name="b0"/>, <paramref name="b1"/>) of one step's input projection, into its gate rows: z = bias + x_t·weightᵀ with the
    /// weight packed once (<see cref="RepeatedB.MultiplyRows"/>). A thread that runs its rows through the steps projects them too, so the gates
    /// it reads and writes never come from another core's cache.
    /// </summary>
    private static unsafe void ProjectRows(in RepeatedB input, float* z, float* x, float* bias, int b0, int b1, int width)
    {
        if (bias is not null)
            for (int b = b0; b < b1; b++) new ReadOnlySpan<float>(bias, width).CopyTo(new Span<float>(z + (nint)b * width, width));
        input.MultiplyRows(z, x, b0, b1, accumulate: bias is not null);
    }

    /// <summary>The state slots a forward step at time <paramref name="t"/> reads and writes: t and t + 1 (swapped when reverse), each
    /// taken modulo 2 when the kernel rolls through two slots.</summary>
    private static (int Previous, int Next) StateSlots(int t, bool reverse, bool rolling)
    {
        int previous = reverse ? t + 1 : t, next = reverse ? t : t + 1;
        return rolling ? (previous & 1, next & 1) : (previous, next);
    }

    /// <summary>
    /// The input projection of a run of steps in one GEMM, straight into the gate rows: z = bias + x·weightᵀ. Seeding the rows with the
    /// bias lets the GEMM add it for free.
    /// </summary>
    private static void ProjectInput(Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, PackedWeight? packed, ReadOnlySpan<float> bias, int rows, int width, int inFeatures)
    {
        if (bias.IsEmpty)
        {
            Gemm.NTPacked(z, x, weight, packed, rows, width, inFeatures, accumulate: false);
            return;
        }
        for (int r = 0; r < rows; r++) bias.CopyTo(z.Slice(r * width, width));
        Gemm.NTPacked(z, x, weight, packed, rows, width, inFeatures, accumulate: true);
    }

    /// <summary>
    /// Steps per chunk when a forward kernel whose gates hold every step projects its input in chunks (<see cref="RunChunked"/>), or 0 to
    /// project the whole sequence in one GEMM. Chunks are used only when every chunk's product takes the packed path, as the whole one
    /// does: rows of a packed product have the bits of the whole product, so chunking changes no result. About sixteen chunks (the first
    /// is the only one the steps wait for), rounded up to whole row panels of the micro-kernel when the batch divides one: lstm-text's
    /// projection of one sample took 150-183 µs in 16 chunks of 5 rows, 63-86 µs in chunks of 12 or 24.
    /// </summary>
    internal static int ProjectionChunk(int steps, int batch, int width, int inFeatures)
    {
        if (batch == 0 || width < 8 || !GemmDriver.IsPacked(steps * batch, width, inFeatures)) return 0;
        long packedRows = Math.Max(4, GemmDriver.SmallThreshold / ((long)width * inFeatures) + 1);
        int chunk = (int)Math.Max((packedRows + batch - 1) / batch, (steps + 15) / 16);
        int mr = GemmDriver.TileRows(GemmDriver.DefaultKernel);
        if (mr % batch == 0) chunk = (chunk * batch + mr - 1) / mr * mr / batch; // whole row panels: the full micro-kernel
        return chunk < steps ? chunk : 0;
    }

    /// <summary>A sequence's input projection in chunks of steps, shared by the thread that runs the steps and a helper that projects
    /// ahead of it: on the caller's stack.</summary>
    private unsafe struct ChunkedRun
    {
        public RepeatedB Input;
        public float* Gates, X, Bias;
        public int* State; // per chunk: 0 not started, 1 being projected, 2 projected
        public int Chunk, Chunks, Steps, Batch, Width, InFeatures;
        public bool Reverse;
        public delegate*<void*, int, int, void> RunSteps; // (run, first, count): the steps first..first+count-1 in processing order
        public void* Run;
    }

    /// <summary>
    /// Runs the steps of a forward kernel whose gates hold every step (origin 0) with its input projected in chunks of
    /// <paramref name="chunk"/> steps (<see cref="ProjectionChunk"/>): each chunk is projected by whichever thread claims it first, the
    /// caller just before its steps or a helper thread ahead of them, so on two cores the projection runs beside the recurrence instead of
    /// before it. A chunk is the same product whoever computes it: the bits do not depend on the thread count.
    /// </summary>
    private static unsafe void RunChunked(in RepeatedB input, float* gates, float* x, float* bias, int chunk, int steps, int batch, int width,
        int inFeatures, bool reverse, delegate*<void*, int, int, void> runSteps, void* run)
    {
        int chunks = (steps + chunk - 1) / chunk;
        int* state = stackalloc int[chunks];
        for (int j = 0; j < chunks; j++) state[j] = 0;
        var job = new ChunkedRun
        {
            Input = input, Gates = gates, X = x, Bias = bias, State = state, Chunk = chunk, Chunks = chunks, Steps = steps, Batch = batch,
            Width = width, InFeatures = inFeatures, Reverse = reverse, RunSteps = runSteps, Run = run,
        };
        if (Parallelism.ThreadCount < 2 || !WorkerPool.TryRun(2, &ChunkedPart, &job)) ChunkedPart(0, 1, &job);
    }

    /// <summary>Part 0 runs the steps, projecting each chunk it finds unclaimed and waiting for one a helper is projecting; part 1 projects
    /// every chunk it can claim, in order.</summary>
    private static unsafe void ChunkedPart(int part, int parts, void* context)
    {
        ref ChunkedRun job = ref System.Runtime.CompilerServices.Unsafe.AsRef<ChunkedRun>(context);
        if (part == 1)
        {
            for (int j = 1; j < job.Chunks; j++) ProjectChunk(ref job, j);
            return;
        }
        for (int j = 0; j < job.Chunks; j++)
        {
            if (!ProjectChunk(ref job, j))
                for (int spins = 0; System.Threading.Volatile.Read(ref job.State[j]) != 2; spins++)
                {
                    if (spins < 2000) System.Threading.Thread.SpinWait(1);
                    else System.Threading.Thread.Yield(); // the helper projecting it may need this core
                }
            int first = j * job.Chunk;
            job.RunSteps(job.Run, first, Math.Min(job.Chunk, job.Steps - first));
        }
    }

    /// <summary>Projects chunk <paramref name="j"/> if no thread has claimed it yet; false when another thread had.</summary>
    private static unsafe bool ProjectChunk(ref ChunkedRun job, int j)
    {
        if (System.Threading.Interlocked.CompareExchange(ref job.State[j], 1, 0) != 0) return false;
        int n0 = j * job.Chunk, count = Math.Min(job.Chunk, job.Steps - n0);
        int first = job.Reverse ? job.Steps - n0 - count : n0; // the chunk's earliest step in time
        int rows = count * job.Batch;
        float* z = job.Gates + (nint)first * job.Batch * job.Width;
        if (job.Bias is not null)
            for (int r = 0; r < rows; r++) new ReadOnlySpan<float>(job.Bias, job.Width).CopyTo(new Span<float>(z + (nint)r * job.Width, job.Width));
        // The chunk's rows of the whole projection's product (a packed product: the bits of the one GEMM), on this thread.
        job.Input.MultiplyRows(z, job.X + (nint)first * job.Batch * job.InFeatures, 0, rows, accumulate: job.Bias is not null);
        System.Threading.Volatile.Write(ref job.State[j], 2);
        return true;
    }

    /// <summary>How many parts a run over <paramref name="batch"/> samples splits into across threads: at least four samples each.</summary>
    private static int SampleParts(int batch) => Math.Min(Parallelism.ThreadCount, batch / 4);

    /// <summary>The first sample of part <paramref name="part"/> of <paramref name="parts"/> (the end of the last part when part = parts). The
    /// embedding lookup and the recurrent kernels share these boundaries, so a thread reads the rows it wrote itself.</summary>
    private static int SampleStart(int batch, int part, int parts) => batch * part / parts;

    /// <summary>An optional span: empty, or exactly the given length (the message is built only when throwing).</summary>
    private static void CheckOptionalLength(int actual, long expected, string paramName, string shape)
    {
        if (actual != 0 && actual != expected) Gemm.CheckLength(actual, expected, paramName, shape + " (or 0)");
    }
}
