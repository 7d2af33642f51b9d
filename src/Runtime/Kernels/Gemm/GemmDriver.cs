using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Unroll.Kernels;

/// <summary>Which of a thread's two step buffers a <see cref="RepeatedB"/> packs into: a recurrent layer keeps its input and its recurrent
/// weight packed at once.</summary>
internal enum RepeatedSlot { First, Second }

/// <summary>Which operand is transposed; fixes the element strides of A(i, p) and B(p, j).</summary>
internal enum GemmLayout { NN, TN, NT }

/// <summary>Micro-kernel family; the default is the widest the hardware runs natively, tests force the others.</summary>
internal enum GemmKernel { Vector128, Vector256, Vector512 }

/// <summary>Which algorithm: chosen by size, or forced by tests so both are checked on every shape.</summary>
internal enum GemmPath { Auto, Small, Packed }

/// <summary>
/// Dispatch between the unpacked small-problem kernels and the BLIS-style packed algorithm, and the per-thread
/// packing buffers the latter reuses.
/// </summary>
internal static unsafe class GemmDriver
{
    internal static readonly GemmKernel DefaultKernel =
        Vector512.IsHardwareAccelerated ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Vector128;

    /// <summary>
    /// Up to this many multiply-adds the unpacked kernels beat packing (measured on AVX-512 over MLP-sized shapes,
    /// batch 4..64 and 8..128 features; see tests/Unroll.Benchmarks/README.md). Thin shapes (fewer than 4 rows or 8
    /// columns) go unpacked at any size: a packed panel would be mostly zero padding, while the unpacked loops stream
    /// the big operand once.
    /// </summary>
    internal const long SmallThreshold = 64 * 64 * 64;

    // Blocking (BLIS terms transposed to row-major): a kc-deep A micro-panel (MR x KC, 18 KiB for 12 x 384) stays in
    // L1 while the B block (KC x NC, 720 KiB) streams from L2; the A block (MC x KC) is packed once per (MC, KC) block
    // and reused for every NC block. MC is a multiple of every MR (12, 6, 4), NC of every NR (32, 16, 8).
    internal const int KC = 384;
    internal const int MC = 1536;
    internal const int NC = 480;

    /// <summary>From this many multiply-adds a packed product splits its output columns (rows, when taller than wide) across <see cref="Parallelism.ThreadCount"/>
    /// threads (below it, waking a helper costs more than it saves).</summary>
    internal const long ParallelThreshold = 1 << 20;

    /// <summary>From this many multiply-adds a packed GEMV (<see cref="RunPackedGemv"/>) splits its panels across threads. The LSTM's
    /// 128-unit step (1 x 512 x 128, about 2 µs) is below it: split, it measured slower than on one thread.</summary>
    internal const long GemvParallelThreshold = 1 << 18;

    /// <summary>From this many multiply-adds a batch-of-one dense product (dot products over B's rows) splits across threads: B is read
    /// once from memory, so two cores read it faster (784 x 128, the mlp workload's first layer, is above it).</summary>
    internal const long DotParallelThreshold = 1 << 16;

    /// <summary>Largest B (in floats) the small NT path transposes into scratch; beyond it, dot products.</summary>
    internal const long MaxTransposeScratch = 1 << 20;

    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;
    [ThreadStatic] private static float[]? t_stepB;
    [ThreadStatic] private static float[]? t_stepB2;

    /// <summary>The micro-tile width of a kernel family.</summary>
    internal static int TileColumns(GemmKernel kernel) => kernel switch { GemmKernel.Vector512 => 32, GemmKernel.Vector256 => 16, _ => 8 };

    /// <summary>The micro-tile height (rows of an A panel) of a kernel family.</summary>
    internal static int TileRows(GemmKernel kernel) => kernel switch { GemmKernel.Vector512 => 12, GemmKernel.Vector256 => 6, _ => 4 };

    /// <summary>Whether the automatic rule sends an m x n x k product down the packed path.</summary>
    internal static bool IsPacked(int m, int n, int k) => !(m < 4 || n < 8 || (long)m * n * k <= SmallThreshold);

    /// <summary>
    /// Packs all of B (k x n, in <paramref name="layout"/>) once, in the order the packed algorithm reads it (per KC block, per
    /// nr-wide panel), into one of this thread's two step buffers, for many products with the same B: the weights of a recurrent layer
    /// across the steps of a sequence. Valid until the next call on this thread with the same <paramref name="slot"/>.
    /// </summary>
    internal static float* PackWhole(GemmKernel kernel, ReadOnlySpan<float> b, int n, int k, GemmLayout layout, RepeatedSlot slot = RepeatedSlot.First)
    {
        long length = PackedLength(kernel, n, k);
        float* packed = slot == RepeatedSlot.First ? Buffer(ref t_stepB, length) : Buffer(ref t_stepB2, length);
        PackWholeInto(kernel, packed, b, n, k, layout);
        return packed;
    }

    /// <summary>The floats <see cref="PackWholeInto"/> writes for a k x n B: k rows of n rounded up to whole panels.</summary>
    internal static long PackedLength(GemmKernel kernel, int n, int k) => (long)RoundUp(n, TileColumns(kernel)) * k;

    /// <summary>Packs all of B as <see cref="PackWhole"/> does, into <paramref name="packed"/> (<see cref="PackedLength"/> floats).</summary>
    internal static void PackWholeInto(GemmKernel kernel, float* packed, ReadOnlySpan<float> b, int n, int k, GemmLayout layout)
    {
        int nr = TileColumns(kernel);
        nint stride = RoundUp(n, nr);
        (nint rsB, nint csB) = layout == GemmLayout.NT ? ((nint)1, (nint)k) : ((nint)n, (nint)1);
        fixed (float* pb = b)
        {
            for (int pc = 0; pc < k; pc += KC)
            {
                int kb = Math.Min(KC, k - pc);
                for (int jc = 0; jc < n; jc += NC)
                    GemmPack.PackB(packed + pc * stride + (nint)kb * jc, pb + pc * rsB + jc * csB, kb, Math.Min(NC, n - jc), rsB, csB, nr);
            }
        }
    }

    /// <summary>C = (accumulate ? C : 0) + A·B with B packed by <see cref="PackWhole"/>: the packed algorithm without packing B, split
    /// across threads as <see cref="Run"/> splits it (bit-identical to it).</summary>
    internal static void RunPrepacked(GemmKernel kernel, Span<float> c, ReadOnlySpan<float> a, float* packedB, int m, int n, int k, bool accumulate)
    {
        if (m == 0 || n == 0) return;
        fixed (float* pc = c)
        fixed (float* pa = a)
            RunPackedSplit(kernel, pc, pa, null, m, n, k, k, 1, 0, 0, accumulate, packedB);
    }

    /// <summary>C = (accumulate ? C : 0) + A·B for one to three rows of A, with B packed by <see cref="PackWhole"/> for AVX-512
    /// (<see cref="GemmPackedGemv"/>).</summary>
    internal static void RunPackedGemv(Span<float> c, ReadOnlySpan<float> a, float* packedB, int m, int n, int k, bool accumulate)
    {
        int panels = (n + GemmPackedGemv.Nr - 1) / GemmPackedGemv.Nr;
        // Split on groups of four panels (the kernel's widest), at most one part per group.
        int parts = Math.Min(Parallelism.ThreadCount, (panels + 3) / 4);
        fixed (float* pc = c)
        fixed (float* pa = a)
        {
            var job = new Job { C = pc, A = pa, PackedB = packedB, M = m, N = n, K = k, Accumulate = accumulate, Tiles = panels };
            if (parts < 2 || (long)m * n * k < GemvParallelThreshold || !WorkerPool.TryRun(parts, &GemvPart, &job))
                GemmPackedGemv.Run(pc, pa, packedB, m, n, k, RoundUp(n, GemmPackedGemv.Nr), accumulate, 0, panels);
        }
    }

    /// <summary>One thread's share of a packed GEMV: a run of whole groups of four panels (the last part takes the remainder).</summary>
    private static void GemvPart(int part, int parts, void* context)
    {
        ref Job job = ref Unsafe.AsRef<Job>(context);
        int groups = (job.Tiles + 3) / 4;
        int first = (int)((long)groups * part / parts) * 4, end = Math.Min(job.Tiles, (int)((long)groups * (part + 1) / parts) * 4);
        if (first < end)
            GemmPackedGemv.Run(job.C, job.A, job.PackedB, job.M, job.N, job.K, RoundUp(job.N, GemmPackedGemv.Nr), job.Accumulate, first, end);
    }

    /// <summary>Rows <paramref name="r0"/> up to <paramref name="r1"/> of <see cref="RunPrepacked"/>'s product (A row-major, k wide), on this
    /// thread, always on the packed path: the micro-kernels compute every element over the same k blocks in the same order whichever
    /// rows share its panel, so the rows get the bits of the whole product.</summary>
    internal static void RunPrepackedRows(GemmKernel kernel, float* c, float* a, float* packedB, int m, int n, int k, int r0, int r1, bool accumulate)
    {
        if (r0 >= r1 || n == 0) return;
        int nr = TileColumns(kernel);
        Packed(kernel, c + (nint)r0 * n, a + (nint)r0 * k, null, r1 - r0, n, k, k, 1, 0, 0, accumulate, m, n, packedB, RoundUp(n, nr), 0);
    }

    internal static void Run(GemmKernel kernel, Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        int m, int n, int k, GemmLayout layout, bool accumulate, GemmPath path = GemmPath.Auto)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c.Clear();
            return;
        }

        // Element strides: A(i, p) = a[i * rsA + p * csA], B(p, j) = b[p * rsB + j * csB].
        nint rsA, csA, rsB, csB;
        switch (layout)
        {
            case GemmLayout.NN: rsA = k; csA = 1; rsB = n; csB = 1; break;
            case GemmLayout.TN: rsA = 1; csA = m; rsB = n; csB = 1; break;
            default: rsA = k; csA = 1; rsB = 1; csB = k; break;
        }

        if (path == GemmPath.Auto)
            path = m < 4 || n < 8 || (long)m * n * k <= SmallThreshold ? GemmPath.Small : GemmPath.Packed;

        fixed (float* pc = c)
        fixed (float* pa = a)
        fixed (float* pb = b)
        {
            if (path == GemmPath.Small)
            {
                if (layout != GemmLayout.NT)
                    GemmSmall.BroadcastRows(pc, n, pa, pb, n, m, n, k, rsA, csA, accumulate);
                // Ten to sixteen columns (one vector), eight rows or more, a short k: B transposed into one zero-padded panel.
                else if (GemmSmall.NarrowApplies(m, n, k))
                    GemmSmall.NarrowNT(pc, pa, pb, m, n, k, Buffer(ref t_packB, (long)GemmSmall.NarrowWidth * k), accumulate);
                // Dot products read B (n x k) in place but pay a horizontal sum per element: best for one or two rows,
                // or a few output columns over a long k; otherwise transposing B once lets the broadcast kernel run.
                else if (m <= 2 || (n <= 16 && k >= 2 * n) || (long)n * k > MaxTransposeScratch)
                {
                    if (m > 2 || (long)m * n * k < DotParallelThreshold || !DotRowsSplit(pc, pa, pb, m, n, k, accumulate))
                        GemmSmall.DotRows(pc, pa, pb, m, n, k, accumulate);
                }
                else
                    GemmSmall.TransposedB(pc, pa, pb, m, n, k, Buffer(ref t_packB, (long)GemmSmall.ScratchStride(n) * k), accumulate);
            }
            else
            {
                RunPackedSplit(kernel, pc, pa, pb, m, n, k, rsA, csA, rsB, csB, accumulate, null);
            }
        }
    }

    /// <summary>A batch-of-one (or two) NT product split across threads by runs of eight columns: every element is the same dot product
    /// as in one call. False, having done nothing, on one thread or when the pool is busy.</summary>
    private static bool DotRowsSplit(float* c, float* a, float* b, int m, int n, int k, bool accumulate)
    {
        int parts = Math.Min(Parallelism.ThreadCount, n / 8);
        if (parts < 2) return false;
        var job = new Job { C = c, A = a, B = b, M = m, N = n, K = k, Accumulate = accumulate, Tiles = n / 8 };
        return WorkerPool.TryRun(parts, &DotRowsPart, &job);
    }

    private static void DotRowsPart(int part, int parts, void* context)
    {
        ref Job job = ref Unsafe.AsRef<Job>(context);
        int j0 = (int)((long)job.Tiles * part / parts) * 8, j1 = part == parts - 1 ? job.N : (int)((long)job.Tiles * (part + 1) / parts) * 8;
        // One row at a time (the column range changes C's row stride); DotRows computes each element alike for one row or two.
        for (int i = 0; i < job.M; i++)
            GemmSmall.DotRows(job.C + (nint)i * job.N + j0, job.A + (nint)i * job.K, job.B + (nint)j0 * job.K, 1, j1 - j0, job.K, job.Accumulate);
    }

    private static void RunPackedSplit(GemmKernel kernel, float* pc, float* pa, float* pb, int m, int n, int k,
        nint rsA, nint csA, nint rsB, nint csB, bool accumulate, float* packedB)
    {
        int nr = TileColumns(kernel), mr = TileRows(kernel);
        // A part packs all of the operand it does not split, so split the dimension of the bigger one: output columns (B's) for a wide
        // product, output rows (A's) for a tall one, such as a recurrent layer's weight gradients (4*units x steps*batch times
        // steps*batch x inFeatures) and input gradient.
        bool byRows = m > n;
        int tiles = byRows ? (m + mr - 1) / mr : (n + nr - 1) / nr;
        int parts = Math.Min(Parallelism.ThreadCount, tiles);
        var job = new Job
        {
            Kernel = kernel, C = pc, A = pa, B = pb, M = m, N = n, K = k, RsA = rsA, CsA = csA, RsB = rsB, CsB = csB,
            Accumulate = accumulate, Tiles = tiles, ByRows = byRows, PackedB = packedB,
        };
        if (parts < 2 || (long)m * n * k < ParallelThreshold || !WorkerPool.TryRun(parts, &RunPart, &job))
            Packed(kernel, pc, pa, pb, m, n, k, rsA, csA, rsB, csB, accumulate, m, n, packedB, RoundUp(n, nr), 0);
    }

    /// <summary>A packed product split across threads: everything <see cref="RunPart"/> needs, on the caller's stack.</summary>
    private struct Job
    {
        public GemmKernel Kernel;
        public float* C, A, B, PackedB;
        public int M, N, K, Tiles;
        public nint RsA, CsA, RsB, CsB;
        public bool Accumulate, ByRows;
    }

    /// <summary>
    /// One thread's share of a packed product: a run of whole nr-wide column tiles, or of whole mr-high row panels. Every element is
    /// computed by a micro-kernel as one chain of fused multiply-adds per k block, the blocks added in order, whichever tile or panel holds
    /// it: the result is bit-identical for any thread count. Each thread packs the operand it does not split whole, and its own part
    /// of the other.
    /// </summary>
    private static void RunPart(int part, int parts, void* context)
    {
        ref Job job = ref Unsafe.AsRef<Job>(context);
        int first = (int)((long)job.Tiles * part / parts), last = (int)((long)job.Tiles * (part + 1) / parts);
        int mr = TileRows(job.Kernel), nr = TileColumns(job.Kernel);
        if (job.ByRows)
        {
            int i0 = first * mr, i1 = Math.Min(job.M, last * mr);
            if (i0 < i1)
                Packed(job.Kernel, job.C + (nint)i0 * job.N, job.A + i0 * job.RsA, job.B, i1 - i0, job.N, job.K, job.RsA, job.CsA, job.RsB, job.CsB,
                    job.Accumulate, job.M, job.N, job.PackedB, RoundUp(job.N, nr), 0);
            return;
        }
        int j0 = first * nr, j1 = Math.Min(job.N, last * nr);
        if (j0 >= j1) return;
        float* b = job.PackedB is null ? job.B + j0 * job.CsB : null;
        Packed(job.Kernel, job.C + j0, job.A, b, job.M, j1 - j0, job.K, job.RsA, job.CsA, job.RsB, job.CsB, job.Accumulate, job.M, job.N,
            job.PackedB, RoundUp(job.N, nr), j0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Packed(GemmKernel kernel, float* c, float* a, float* b, int m, int n, int k,
        nint rsA, nint csA, nint rsB, nint csB, bool accumulate, int wholeRows, nint ldc, float* packedB, nint packedStride, int column0)
    {
        int mr = TileRows(kernel), nr = TileColumns(kernel);
        delegate*<int, float*, float*, float*, nint, bool, void> micro = kernel switch
        {
            GemmKernel.Vector512 => &GemmMicroKernels.Kernel12x32,
            GemmKernel.Vector256 => &GemmMicroKernels.Kernel6x16,
            _ => &GemmMicroKernels.Kernel4x8,
        };

        int kcMax = Math.Min(k, KC);
        // Both buffers are sized by the whole product (its rows, its width ldc), not by this part of it, so what a thread allocates does not
        // depend on which parts it happened to run: after a first call, no call allocates, whichever thread claims which part.
        float* packA = Buffer(ref t_packA, (long)Math.Min(RoundUp(wholeRows, mr), MC) * kcMax);
        // With B packed whole beforehand (PackWhole), its panels are read in place: KC block pc starts at pc * stride, and the panel of
        // global column J (a multiple of nr) at kb * J within it.
        float* packB = packedB is null ? Buffer(ref t_packB, (long)Math.Min(RoundUp((int)ldc, nr), NC) * kcMax) : null;
        float* tile = stackalloc float[12 * 32];
        // Full 12-row panels of a row-major A read in place (Kernel12x32InPlace, the same bits); only a last, shorter panel is packed.
        bool inPlace = AInPlace(kernel, n, rsA, csA);

        for (int ic = 0; ic < m; ic += MC)
        {
            int mb = Math.Min(MC, m - ic);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kb = Math.Min(KC, k - pc);
                // Later k blocks add to what the first one wrote, so only the first honours accumulate=false.
                bool addToC = accumulate || pc > 0;
                int full = inPlace ? mb / mr * mr : 0; // rows read in place
                GemmPack.PackA(packA, a + (ic + full) * rsA + pc * csA, mb - full, kb, rsA, csA, mr);
                for (int jc = 0; jc < n; jc += NC)
                {
                    int nb = Math.Min(NC, n - jc);
                    if (packedB is null) GemmPack.PackB(packB, b + pc * rsB + jc * csB, kb, nb, rsB, csB, nr);
                    else packB = packedB + pc * packedStride + (nint)kb * (column0 + jc);
                    for (int ir = 0; ir < mb; ir += mr)
                    {
                        int rows = Math.Min(mr, mb - ir);
                        float* aPanel = packA + (nint)(ir - full) * kb;
                        float* cRow = c + (ic + ir) * ldc + jc;
                        for (int jr = 0; jr < nb; jr += nr)
                        {
                            int cols = Math.Min(nr, nb - jr);
                            float* bPanel = packB + (nint)jr * kb;
                            if (ir < full)
                            {
                                float* aRows = a + (ic + ir) * rsA + pc;
                                if (cols == nr)
                                {
                                    GemmMicroKernels.Kernel12x32InPlace(kb, aRows, rsA, bPanel, cRow + jr, ldc, addToC);
                                }
                                else
                                {
                                    // The packed B panel is zero-padded past the edge: compute the whole tile, copy in what exists.
                                    GemmMicroKernels.Kernel12x32InPlace(kb, aRows, rsA, bPanel, tile, nr, false);
                                    MergeTile(cRow + jr, ldc, tile, nr, rows, cols, addToC);
                                }
                            }
                            else if (rows == mr && cols == nr)
                            {
                                micro(kb, aPanel, bPanel, cRow + jr, ldc, addToC);
                            }
                            else
                            {
                                // Edge tile: run the narrowest kernel that covers it (AVX-512 has 4/8-row and
                                // 16-column siblings); if it still overhangs, compute into a scratch tile (the packed
                                // panels are zero-padded) and copy in only the part that exists.
                                int er = mr, ec = nr;
                                var edge = micro;
                                if (kernel == GemmKernel.Vector512) edge = Edge512(rows, cols, out er, out ec);
                                if (er == rows && ec == cols)
                                {
                                    edge(kb, aPanel, bPanel, cRow + jr, ldc, addToC);
                                }
                                else
                                {
                                    edge(kb, aPanel, bPanel, tile, nr, false);
                                    MergeTile(cRow + jr, ldc, tile, nr, rows, cols, addToC);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether the packed algorithm reads the full panels of A in place instead of packing them: A row-major (NN, NT) on AVX-512, and at
    /// most <see cref="InPlaceColumns"/> columns, so each panel is read by few column tiles and packing it would cost about as much as
    /// the reads it makes contiguous (the mlp workload's 64 x 784 input: 13 µs to pack, against 45-55 µs for the product on one core).
    /// Not when a row is a multiple of 1024 floats long: twelve rows 4 KiB apart fall in the same L1 sets.
    /// </summary>
    internal static bool AInPlace(GemmKernel kernel, int n, nint rsA, nint csA) =>
        kernel == GemmKernel.Vector512 && csA == 1 && n <= InPlaceColumns && rsA % 1024 != 0;

    /// <summary>The widest product (per thread) whose A <see cref="AInPlace"/> reads in place.</summary>
    internal const int InPlaceColumns = 256;

    /// <summary>The narrowest AVX-512 kernel covering a rows x cols edge tile, and the tile it actually computes.</summary>
    private static delegate*<int, float*, float*, float*, nint, bool, void> Edge512(int rows, int cols,
        out int kernelRows, out int kernelCols)
    {
        kernelRows = rows <= 4 ? 4 : rows <= 8 ? 8 : 12;
        kernelCols = cols <= 16 ? 16 : 32;
        return (kernelRows, kernelCols) switch
        {
            (4, 16) => &GemmMicroKernels.Kernel4x16,
            (8, 16) => &GemmMicroKernels.Kernel8x16,
            (12, 16) => &GemmMicroKernels.Kernel12x16,
            (4, 32) => &GemmMicroKernels.Kernel4x32,
            (8, 32) => &GemmMicroKernels.Kernel8x32,
            _ => &GemmMicroKernels.Kernel12x32,
        };
    }

    private static void MergeTile(float* c, nint ldc, float* tile, int ldt, int rows, int cols, bool addToC)
    {
        for (int r = 0; r < rows; r++)
        {
            float* dst = c + r * ldc;
            float* src = tile + r * ldt;
            if (addToC) for (int j = 0; j < cols; j++) dst[j] += src[j];
            else for (int j = 0; j < cols; j++) dst[j] = src[j];
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// A 64-byte-aligned pointer into this thread's buffer, grown (once per new maximum size) to hold
    /// <paramref name="floats"/>. The array lives on the pinned object heap, so the pointer stays valid without fixed.
    /// </summary>
    private static float* Buffer(ref float[]? buffer, long floats)
    {
        const int AlignFloats = 16;
        if (buffer is null || buffer.Length < floats + AlignFloats)
            buffer = GC.AllocateUninitializedArray<float>(checked((int)floats + AlignFloats), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((address + 63) & ~(nint)63);
    }
}
