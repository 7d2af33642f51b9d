using System;

namespace Unroll.Kernels;

/// <summary>
/// Single-precision matrix multiply on row-major spans, the runtime's own SGEMM (System.Numerics.Tensors has none).
/// Large products run a BLIS-style blocked algorithm (packed panels, L1/L2 blocking, a register-blocked
/// Vector512 or Vector256 FMA micro-kernel); small ones run an unpacked kernel so tiny layers do not pay for packing.
/// Products of at least 2^20 multiply-adds split their output columns (or, when taller than wide, their rows) across <see cref="Parallelism.ThreadCount"/> threads, with
/// bit-identical results for every thread count. Packing buffers are per-thread and reused, so it allocates only when a thread first
/// needs a larger buffer than it has (at most a few MiB); repeated calls at a given size allocate nothing.
/// </summary>
/// <remarks>
/// Each span must have exactly the length its shape implies. With <c>accumulate</c> false, C is overwritten and its old
/// contents are never read (NaN garbage in C does not leak into the result).
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// C[m x n] = (accumulate ? C : 0) + A·B with A m x k and B k x n, all row-major.
    /// PyTorch: <c>torch.matmul(A, B)</c> (or <c>C.addmm_(A, B)</c> when accumulating).
    /// </summary>
    public static void NN(Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, bool accumulate)
    {
        Validate(c, a, b, m, n, k);
        GemmDriver.Run(GemmDriver.DefaultKernel, c, a, b, m, n, k, GemmLayout.NN, accumulate);
    }

    /// <summary>
    /// C[m x n] = (accumulate ? C : 0) + Aᵀ·B with A stored k x m and B k x n, all row-major; the weight gradient of a
    /// dense layer (dW += dYᵀ·X). PyTorch: <c>torch.matmul(A.T, B)</c>.
    /// </summary>
    public static void TN(Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, bool accumulate)
    {
        Validate(c, a, b, m, n, k);
        GemmDriver.Run(GemmDriver.DefaultKernel, c, a, b, m, n, k, GemmLayout.TN, accumulate);
    }

    /// <summary>
    /// C[m x n] = (accumulate ? C : 0) + A·Bᵀ with A m x k and B stored n x k, all row-major; the dense forward pass
    /// (Y = X·Wᵀ with PyTorch's (out, in) weight). PyTorch: <c>torch.matmul(A, B.T)</c>, <c>F.linear(A, B)</c>.
    /// </summary>
    public static void NT(Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, bool accumulate)
    {
        Validate(c, a, b, m, n, k);
        GemmDriver.Run(GemmDriver.DefaultKernel, c, a, b, m, n, k, GemmLayout.NT, accumulate);
    }

    /// <summary>
    /// <see cref="NT"/> with B's packed copy when there is one: a product that takes the packed path reads it instead of packing B, with
    /// the same bits (<see cref="GemmDriver.RunPrepacked"/>); any other product, or a null <paramref name="packedB"/>, runs as
    /// <see cref="NT"/>.
    /// </summary>
    internal static void NTPacked(Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, PackedWeight? packedB, int m, int n, int k, bool accumulate)
    {
        Validate(c, a, b, m, n, k);
        if (packedB is null || !GemmDriver.IsPacked(m, n, k))
        {
            GemmDriver.Run(GemmDriver.DefaultKernel, c, a, b, m, n, k, GemmLayout.NT, accumulate);
            return;
        }
        packedB.CheckShape(n, k, nameof(packedB));
        unsafe { GemmDriver.RunPrepacked(GemmDriver.DefaultKernel, c, a, packedB.Pointer, m, n, k, accumulate); }
    }

    internal static void Validate(ReadOnlySpan<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLength(c.Length, (long)m * n, nameof(c), "m*n");
        CheckLength(a.Length, (long)m * k, nameof(a), "m*k");
        CheckLength(b.Length, (long)k * n, nameof(b), "k*n");
    }

    internal static void CheckLength(int actual, long expected, string paramName, string shape)
    {
        if (actual != expected)
            throw new ArgumentException($"Expected length {expected} ({shape}) but got {actual}.", paramName);
    }
}

/// <summary>
/// The B operand of many products of one shape (a recurrent weight, the same at every step of a sequence): packed once, when the
/// products take the packed path, instead of once per product. Results are bit-identical to <see cref="Gemm.NN"/> / <see cref="Gemm.NT"/>
/// on the same operands, except with fewer than four rows on AVX-512: there the products are GEMVs over the packed panels
/// (<see cref="GemmPackedGemv"/>), whose sums run in k order, equal to the plain product within rounding. The packed copy lives in one of
/// two per-thread buffers (<see cref="RepeatedSlot"/>) until the next <see cref="RepeatedB"/> made on the thread with the same slot.
/// </summary>
internal readonly unsafe struct RepeatedB
{
    private readonly float* _packed;
    private readonly int _m, _n, _k;
    private readonly GemmLayout _layout;
    private readonly bool _gemv;

    /// <summary>For products C[m x n] (+)= A[m x k]·B with B k x n stored as <paramref name="layout"/> (NN or NT), packed into
    /// <paramref name="slot"/>.</summary>
    public RepeatedB(ReadOnlySpan<float> b, int m, int n, int k, GemmLayout layout, RepeatedSlot slot = RepeatedSlot.First)
    {
        if (layout == GemmLayout.TN) throw new ArgumentException("A repeated B is for NN and NT products (A row-major).", nameof(layout));
        Gemm.CheckLength(b.Length, (long)k * n, nameof(b), "k*n");
        (_m, _n, _k, _layout) = (m, n, k, layout);
        _gemv = GemmPackedGemv.Applies(GemmDriver.DefaultKernel, m, n, k);
        _packed = _gemv || GemmDriver.IsPacked(m, n, k) ? GemmDriver.PackWhole(GemmDriver.DefaultKernel, b, n, k, layout, slot) : null;
    }

    /// <summary>For products C[m x n] (+)= A[m x k]·Wᵀ with the weight W (n x k) already packed: nothing is packed. When the products take
    /// neither packed path, <see cref="Multiply"/> reads W itself, as for the other constructor.</summary>
    public RepeatedB(PackedWeight weight, int m)
    {
        (_m, _n, _k, _layout) = (m, weight.Rows, weight.Columns, GemmLayout.NT);
        _gemv = GemmPackedGemv.Applies(GemmDriver.DefaultKernel, m, _n, _k);
        _packed = _gemv || GemmDriver.IsPacked(m, _n, _k) ? weight.Pointer : null;
    }

    /// <summary>Whether a caller may split a batch-of-one GEMV's columns across threads itself (<see cref="MultiplyColumns"/>): the product
    /// takes the packed GEMV and is as large as the ones <see cref="GemmDriver.RunPackedGemv"/> splits.</summary>
    public bool ColumnSplittable => _gemv && (long)_m * _n * _k >= GemmDriver.GemvParallelThreshold;

    /// <summary>The column width a split must keep to (<see cref="MultiplyColumns"/>'s boundaries are multiples of it): a packed panel.</summary>
    public static int SplitColumns => GemmPackedGemv.Nr;

    /// <summary>Columns <paramref name="j0"/> up to <paramref name="j1"/> (multiples of <see cref="SplitColumns"/>, or n) of the GEMV
    /// C = (accumulate ? C : 0) + A·B on this thread, with the bits the whole product gives them; only when <see cref="ColumnSplittable"/>.</summary>
    public void MultiplyColumns(float* c, float* a, int j0, int j1, bool accumulate) =>
        GemmPackedGemv.Run(c, a, _packed, _m, _n, _k, (_n + GemmPackedGemv.Nr - 1) / GemmPackedGemv.Nr * GemmPackedGemv.Nr, accumulate,
            j0 / GemmPackedGemv.Nr, (j1 + GemmPackedGemv.Nr - 1) / GemmPackedGemv.Nr);

    /// <summary>Whether <see cref="MultiplyRows"/> may compute some rows of the product: B is packed for the packed GEMM (not the GEMV).</summary>
    public bool ComputesRows => _packed is not null && !_gemv;

    /// <summary>Whether a caller may split the rows of a run of <paramref name="products"/> such products across threads itself
    /// (<see cref="MultiplyRows"/>, the threads meeting once per run): <see cref="ComputesRows"/>, and the run is as large as the products
    /// <see cref="Gemm"/> splits.</summary>
    public bool RowSplittable(int products) => ComputesRows && (long)_m * _n * _k * products >= GemmDriver.ParallelThreshold;

    /// <summary>Rows <paramref name="r0"/> up to <paramref name="r1"/> of C = (accumulate ? C : 0) + A·B on this thread, with the bits the
    /// whole product gives them (each row of a packed product depends on its own row of A only); only when <see cref="ComputesRows"/>.</summary>
    public void MultiplyRows(float* c, float* a, int r0, int r1, bool accumulate) =>
        GemmDriver.RunPrepackedRows(GemmDriver.DefaultKernel, c, a, _packed, _m, _n, _k, r0, r1, accumulate);

    /// <summary>C = (accumulate ? C : 0) + A·B; <paramref name="b"/> is the same B the struct was made from (read when unpacked).</summary>
    public void Multiply(Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool accumulate)
    {
        Gemm.Validate(c, a, b, _m, _n, _k);
        if (_packed is null) GemmDriver.Run(GemmDriver.DefaultKernel, c, a, b, _m, _n, _k, _layout, accumulate);
        else if (_gemv) GemmDriver.RunPackedGemv(c, a, _packed, _m, _n, _k, accumulate);
        else GemmDriver.RunPrepacked(GemmDriver.DefaultKernel, c, a, _packed, _m, _n, _k, accumulate);
    }
}
