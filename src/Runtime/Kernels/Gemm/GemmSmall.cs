using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Unroll.Kernels;

/// <summary>
/// Unpacked kernels for products too small (or too thin) to repay packing: typical MLP layers of a few to a hundred
/// features at batch 1..64, and matrix-vector shapes. They read the operands in place and still keep a small block
/// of C in registers across the whole k loop.
/// </summary>
internal static unsafe class GemmSmall
{
    /// <summary>
    /// NN and TN: B is row-major k x n (unit column stride), so a block of C rows is built from broadcasts of A times
    /// contiguous vectors of B. A(i, p) = a[i * rsA + p * csA].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BroadcastRows(float* c, nint ldc, float* a, float* b, nint ldb, int m, int n, int k, nint rsA, nint csA, bool accumulate)
    {
        int i = 0;
        for (; i + 4 <= m; i += 4) Rows4(c + i * ldc, ldc, a + i * rsA, b, ldb, n, k, rsA, csA, accumulate);
        for (; i < m; i++) Row1(c + i * ldc, a + i * rsA, b, ldb, n, k, csA, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4(float* c, nint ldc, float* a, float* b, nint ldb, int n, int k, nint rsA, nint csA, bool accumulate)
    {
        float* a0 = a, a1 = a + rsA, a2 = a + 2 * rsA, a3 = a + 3 * rsA;
        float* c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc;
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // 4 x 32 block: eight independent FMA chains, enough to cover the FMA latency on two ports.
            for (; j + 32 <= n; j += 32)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    Vector512<float> v = Vector512.Load(bp), w = Vector512.Load(bp + 16);
                    nint ap = p * csA;
                    Vector512<float> x0 = Vector512.Create(a0[ap]), x1 = Vector512.Create(a1[ap]);
                    Vector512<float> x2 = Vector512.Create(a2[ap]), x3 = Vector512.Create(a3[ap]);
                    s0 = Vector512.FusedMultiplyAdd(x0, v, s0); t0 = Vector512.FusedMultiplyAdd(x0, w, t0);
                    s1 = Vector512.FusedMultiplyAdd(x1, v, s1); t1 = Vector512.FusedMultiplyAdd(x1, w, t1);
                    s2 = Vector512.FusedMultiplyAdd(x2, v, s2); t2 = Vector512.FusedMultiplyAdd(x2, w, t2);
                    s3 = Vector512.FusedMultiplyAdd(x3, v, s3); t3 = Vector512.FusedMultiplyAdd(x3, w, t3);
                }
                if (accumulate)
                {
                    s0 += Vector512.Load(c0 + j); s1 += Vector512.Load(c1 + j);
                    s2 += Vector512.Load(c2 + j); s3 += Vector512.Load(c3 + j);
                    t0 += Vector512.Load(c0 + j + 16); t1 += Vector512.Load(c1 + j + 16);
                    t2 += Vector512.Load(c2 + j + 16); t3 += Vector512.Load(c3 + j + 16);
                }
                s0.Store(c0 + j); s1.Store(c1 + j); s2.Store(c2 + j); s3.Store(c3 + j);
                t0.Store(c0 + j + 16); t1.Store(c1 + j + 16); t2.Store(c2 + j + 16); t3.Store(c3 + j + 16);
            }
            for (; j + 16 <= n; j += 16)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    Vector512<float> v = Vector512.Load(bp);
                    nint ap = p * csA;
                    s0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[ap]), v, s0);
                    s1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[ap]), v, s1);
                    s2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[ap]), v, s2);
                    s3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[ap]), v, s3);
                }
                if (accumulate)
                {
                    s0 += Vector512.Load(c0 + j); s1 += Vector512.Load(c1 + j);
                    s2 += Vector512.Load(c2 + j); s3 += Vector512.Load(c3 + j);
                }
                s0.Store(c0 + j); s1.Store(c1 + j); s2.Store(c2 + j); s3.Store(c3 + j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= n; j += 8)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    Vector256<float> v = Vector256.Load(bp);
                    nint ap = p * csA;
                    s0 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[ap]), v, s0);
                    s1 = Vector256.MultiplyAddEstimate(Vector256.Create(a1[ap]), v, s1);
                    s2 = Vector256.MultiplyAddEstimate(Vector256.Create(a2[ap]), v, s2);
                    s3 = Vector256.MultiplyAddEstimate(Vector256.Create(a3[ap]), v, s3);
                }
                if (accumulate)
                {
                    s0 += Vector256.Load(c0 + j); s1 += Vector256.Load(c1 + j);
                    s2 += Vector256.Load(c2 + j); s3 += Vector256.Load(c3 + j);
                }
                s0.Store(c0 + j); s1.Store(c1 + j); s2.Store(c2 + j); s3.Store(c3 + j);
            }
        }
        for (; j + 4 <= n; j += 4)
        {
            Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                Vector128<float> v = Vector128.Load(bp);
                nint ap = p * csA;
                s0 = Vector128.MultiplyAddEstimate(Vector128.Create(a0[ap]), v, s0);
                s1 = Vector128.MultiplyAddEstimate(Vector128.Create(a1[ap]), v, s1);
                s2 = Vector128.MultiplyAddEstimate(Vector128.Create(a2[ap]), v, s2);
                s3 = Vector128.MultiplyAddEstimate(Vector128.Create(a3[ap]), v, s3);
            }
            if (accumulate)
            {
                s0 += Vector128.Load(c0 + j); s1 += Vector128.Load(c1 + j);
                s2 += Vector128.Load(c2 + j); s3 += Vector128.Load(c3 + j);
            }
            s0.Store(c0 + j); s1.Store(c1 + j); s2.Store(c2 + j); s3.Store(c3 + j);
        }
        for (; j < n; j++)
        {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                float v = *bp;
                nint ap = p * csA;
                s0 += a0[ap] * v; s1 += a1[ap] * v; s2 += a2[ap] * v; s3 += a3[ap] * v;
            }
            if (accumulate) { c0[j] += s0; c1[j] += s1; c2[j] += s2; c3[j] += s3; }
            else { c0[j] = s0; c1[j] = s1; c2[j] = s2; c3[j] = s3; }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1(float* c, float* a, float* b, nint ldb, int n, int k, nint csA, bool accumulate)
    {
        int j = 0;
        // One row is a vector-matrix product: two independent accumulators per step hide the FMA latency.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 32 <= n; j += 32)
            {
                Vector512<float> s0 = default, s1 = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    Vector512<float> av = Vector512.Create(a[p * csA]);
                    s0 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp), s0);
                    s1 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 16), s1);
                }
                if (accumulate) { s0 += Vector512.Load(c + j); s1 += Vector512.Load(c + j + 16); }
                s0.Store(c + j); s1.Store(c + j + 16);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= n; j += 8)
            {
                Vector256<float> s = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                    s = Vector256.MultiplyAddEstimate(Vector256.Create(a[p * csA]), Vector256.Load(bp), s);
                if (accumulate) s += Vector256.Load(c + j);
                s.Store(c + j);
            }
        }
        for (; j + 4 <= n; j += 4)
        {
            Vector128<float> s = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
                s = Vector128.MultiplyAddEstimate(Vector128.Create(a[p * csA]), Vector128.Load(bp), s);
            if (accumulate) s += Vector128.Load(c + j);
            s.Store(c + j);
        }
        for (; j < n; j++)
        {
            float s = 0;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb) s += a[p * csA] * *bp;
            if (accumulate) c[j] += s; else c[j] = s;
        }
    }

    /// <summary>
    /// NT with several rows: B (n x k) is transposed once into <paramref name="scratch"/> (k x n, one pass over B) so
    /// the broadcast kernel can run, which beats per-element dot products with their horizontal sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TransposedB(float* c, float* a, float* b, int m, int n, int k, float* scratch, bool accumulate)
    {
        // Row strides of 512-byte multiples map every row of a column chunk to the same few L1 sets (and alias
        // loads with stores 4 KiB apart), so the scratch copy gets a padded stride.
        int ldb = ScratchStride(n);
        GemmPack.Transpose(scratch, ldb, b, n, k);
        BroadcastRows(c, n, a, scratch, ldb, m, n, k, k, 1, accumulate);
    }

    /// <summary>Whether <see cref="NarrowNT"/> takes an m x n x k NT product: AVX-512, at least eight rows (one group of eight chains), ten to
    /// sixteen columns (one vector, most of it used) and k up to 128. Measured at 32 and 64 rows against <see cref="DotRows"/>, which such
    /// products took before (tests/Unroll.Benchmarks/README.md): at k = 64 1.5-3.9x faster, at k = 128 as fast to 2.5x faster, beyond that
    /// even or slower (a broadcast per FMA, and B no longer stays in L1).</summary>
    internal static bool NarrowApplies(int m, int n, int k) => Vector512.IsHardwareAccelerated && m >= 8 && n is >= 10 and <= NarrowWidth && k <= 128;

    /// <summary>The columns of <see cref="NarrowNT"/>'s scratch panel: one Vector512.</summary>
    internal const int NarrowWidth = 16;

    /// <summary>
    /// NT with ten to sixteen columns and eight or more rows, such as a classifier's last layer (the mlp workload's 64 x 10 x 64): B (n x k)
    /// is transposed once into a k x 16 panel of <paramref name="scratch"/>, zero past n, and each row of C is one Vector512 chain of fused
    /// multiply-adds over k, eight rows at a time so eight chains cover the FMA latency. Dot products (<see cref="DotRows"/>) would pay a
    /// horizontal sum per element, and <see cref="BroadcastRows"/> would run these columns as an 8-wide block, then one at a time. Each element
    /// is the chain over p = 0..k-1 from zero, then C added, as in <see cref="BroadcastRows"/> and the packed kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NarrowNT(float* c, float* a, float* b, int m, int n, int k, float* scratch, bool accumulate)
    {
        GemmPack.Transpose(scratch, NarrowWidth, b, n, k);
        float* tile = stackalloc float[NarrowWidth];
        int i = 0;
        for (; i + 8 <= m; i += 8)
        {
            float* a0 = a + (nint)i * k, a4 = a0 + 4 * (nint)k;
            nint l1 = k, l2 = 2 * (nint)k, l3 = 3 * (nint)k;
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            float* bp = scratch;
            for (int p = 0; p < k; p++, bp += NarrowWidth)
            {
                Vector512<float> v = Vector512.Load(bp);
                s0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[p]), v, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[l1 + p]), v, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[l2 + p]), v, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[l3 + p]), v, s3);
                s4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[p]), v, s4);
                s5 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[l1 + p]), v, s5);
                s6 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[l2 + p]), v, s6);
                s7 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[l3 + p]), v, s7);
            }
            float* ci = c + (nint)i * n;
            NarrowStore(ci, s0, tile, n, accumulate);
            NarrowStore(ci + n, s1, tile, n, accumulate);
            NarrowStore(ci + 2 * n, s2, tile, n, accumulate);
            NarrowStore(ci + 3 * n, s3, tile, n, accumulate);
            NarrowStore(ci + 4 * n, s4, tile, n, accumulate);
            NarrowStore(ci + 5 * n, s5, tile, n, accumulate);
            NarrowStore(ci + 6 * n, s6, tile, n, accumulate);
            NarrowStore(ci + 7 * n, s7, tile, n, accumulate);
        }
        for (; i < m; i++)
        {
            float* ai = a + (nint)i * k;
            Vector512<float> s = default;
            for (int p = 0; p < k; p++) s = Vector512.FusedMultiplyAdd(Vector512.Create(ai[p]), Vector512.Load(scratch + p * NarrowWidth), s);
            NarrowStore(c + (nint)i * n, s, tile, n, accumulate);
        }
    }

    /// <summary>The first n lanes of <paramref name="s"/> (plus C's when accumulating) into c[0..n], through <paramref name="tile"/> when
    /// n is short of a vector: nothing past n is read or written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NarrowStore(float* c, Vector512<float> s, float* tile, int n, bool accumulate)
    {
        if (n == NarrowWidth)
        {
            if (accumulate) s += Vector512.Load(c);
            s.Store(c);
            return;
        }
        s.Store(tile);
        if (accumulate) for (int j = 0; j < n; j++) c[j] += tile[j];
        else for (int j = 0; j < n; j++) c[j] = tile[j];
    }

    /// <summary>
    /// NT with one or two rows (batch-1 inference): each C element is a dot product of contiguous rows, B is read
    /// exactly once and four rows of B share each load of A.
    /// </summary>
    internal static int ScratchStride(int n) => (n & 127) == 0 ? n + 16 : n;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DotRows(float* c, float* a, float* b, int m, int n, int k, bool accumulate)
    {
        // Rows of B outermost: each group of eight (or four) is read from memory once and reused from cache by every row of A.
        // Eight independent accumulators keep both AVX-512 FMA pipes busy: a batch-of-one dense or recurrent product is a GEMV.
        int j = 0;
        if (Vector512.IsHardwareAccelerated && k >= 64)
        {
            for (; j + 8 <= n; j += 8)
            {
                float* b0 = b + (nint)j * k;
                for (int i = 0; i < m; i++)
                {
                    float* ci = c + (nint)i * n + j;
                    Dot8(a + (nint)i * k, b0, k, ci, accumulate);
                }
            }
        }
        for (; j + 4 <= n; j += 4)
        {
            float* b0 = b + (nint)j * k;
            for (int i = 0; i < m; i++)
            {
                float* ci = c + (nint)i * n + j;
                Dot4(a + (nint)i * k, b0, b0 + k, b0 + 2 * k, b0 + 3 * k, k, out float s0, out float s1, out float s2, out float s3);
                if (accumulate) { ci[0] += s0; ci[1] += s1; ci[2] += s2; ci[3] += s3; }
                else { ci[0] = s0; ci[1] = s1; ci[2] = s2; ci[3] = s3; }
            }
        }
        for (; j < n; j++)
        {
            float* bj = b + (nint)j * k;
            for (int i = 0; i < m; i++)
            {
                float s = Dot1(a + (nint)i * k, bj, k);
                float* ci = c + (nint)i * n + j;
                if (accumulate) *ci += s; else *ci = s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(float* a, float* b0, float* b1, float* b2, float* b3, int k,
        out float s0, out float s1, out float s2, out float s3)
    {
        s0 = 0; s1 = 0; s2 = 0; s3 = 0;
        int p = 0;
        if (Vector512.IsHardwareAccelerated && k >= 16)
        {
            Vector512<float> v0 = default, v1 = default, v2 = default, v3 = default;
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> av = Vector512.Load(a + p);
                v0 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b0 + p), v0);
                v1 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b1 + p), v1);
                v2 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b2 + p), v2);
                v3 = Vector512.FusedMultiplyAdd(av, Vector512.Load(b3 + p), v3);
            }
            s0 = Vector512.Sum(v0); s1 = Vector512.Sum(v1); s2 = Vector512.Sum(v2); s3 = Vector512.Sum(v3);
        }
        if (Vector256.IsHardwareAccelerated && p + 8 <= k)
        {
            Vector256<float> v0 = default, v1 = default, v2 = default, v3 = default;
            for (; p + 8 <= k; p += 8)
            {
                Vector256<float> av = Vector256.Load(a + p);
                v0 = Vector256.MultiplyAddEstimate(av, Vector256.Load(b0 + p), v0);
                v1 = Vector256.MultiplyAddEstimate(av, Vector256.Load(b1 + p), v1);
                v2 = Vector256.MultiplyAddEstimate(av, Vector256.Load(b2 + p), v2);
                v3 = Vector256.MultiplyAddEstimate(av, Vector256.Load(b3 + p), v3);
            }
            s0 += Vector256.Sum(v0); s1 += Vector256.Sum(v1); s2 += Vector256.Sum(v2); s3 += Vector256.Sum(v3);
        }
        if (p + 4 <= k)
        {
            Vector128<float> v0 = default, v1 = default, v2 = default, v3 = default;
            for (; p + 4 <= k; p += 4)
            {
                Vector128<float> av = Vector128.Load(a + p);
                v0 = Vector128.MultiplyAddEstimate(av, Vector128.Load(b0 + p), v0);
                v1 = Vector128.MultiplyAddEstimate(av, Vector128.Load(b1 + p), v1);
                v2 = Vector128.MultiplyAddEstimate(av, Vector128.Load(b2 + p), v2);
                v3 = Vector128.MultiplyAddEstimate(av, Vector128.Load(b3 + p), v3);
            }
            s0 += Vector128.Sum(v0); s1 += Vector128.Sum(v1); s2 += Vector128.Sum(v2); s3 += Vector128.Sum(v3);
        }
        for (; p < k; p++)
        {
            float av = a[p];
            s0 += av * b0[p]; s1 += av * b1[p]; s2 += av * b2[p]; s3 += av * b3[p];
        }
    }

    /// <summary>Eight dot products of <paramref name="a"/> with eight consecutive rows of B (row stride k), into c[0..8].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot8(float* a, float* b, int k, float* c, bool accumulate)
    {
        Vector512<float> v0 = default, v1 = default, v2 = default, v3 = default, v4 = default, v5 = default, v6 = default, v7 = default;
        nint ld = k;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            Vector512<float> av = Vector512.Load(a + p);
            float* bp = b + p;
            v0 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp), v0);
            v1 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + ld), v1);
            v2 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 2 * ld), v2);
            v3 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 3 * ld), v3);
            v4 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 4 * ld), v4);
            v5 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 5 * ld), v5);
            v6 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 6 * ld), v6);
            v7 = Vector512.FusedMultiplyAdd(av, Vector512.Load(bp + 7 * ld), v7);
        }
        float* s = stackalloc float[8];
        s[0] = Vector512.Sum(v0); s[1] = Vector512.Sum(v1); s[2] = Vector512.Sum(v2); s[3] = Vector512.Sum(v3);
        s[4] = Vector512.Sum(v4); s[5] = Vector512.Sum(v5); s[6] = Vector512.Sum(v6); s[7] = Vector512.Sum(v7);
        for (; p < k; p++)
        {
            float av = a[p];
            for (int r = 0; r < 8; r++) s[r] += av * b[r * ld + p];
        }
        for (int r = 0; r < 8; r++) c[r] = accumulate ? c[r] + s[r] : s[r];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot1(float* a, float* b, int k)
    {
        float s = 0;
        int p = 0;
        if (Vector512.IsHardwareAccelerated && k >= 16)
        {
            Vector512<float> v = default;
            for (; p + 16 <= k; p += 16) v = Vector512.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(b + p), v);
            s = Vector512.Sum(v);
        }
        if (Vector256.IsHardwareAccelerated && p + 8 <= k)
        {
            Vector256<float> v = default;
            for (; p + 8 <= k; p += 8) v = Vector256.MultiplyAddEstimate(Vector256.Load(a + p), Vector256.Load(b + p), v);
            s += Vector256.Sum(v);
        }
        for (; p < k; p++) s += a[p] * b[p];
        return s;
    }
}
