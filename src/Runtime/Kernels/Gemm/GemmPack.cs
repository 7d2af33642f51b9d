using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Unroll.Kernels;

/// <summary>
/// Copies blocks of A and B into the panel order the micro-kernels read sequentially: A as MR-row panels stored
/// k-major (MR values per k step), B as NR-column panels stored k-major (NR values per k step). Panels past the matrix
/// edge are zero-padded so the micro-kernel never needs a bounds check.
/// </summary>
/// <remarks>
/// Packing is O(mk + kn) against O(mnk) compute, but at n = 256 a scalar strided pack took about a third of the
/// total time, so both directions are vectorized: contiguous runs are copied with vectors, and the transposing
/// direction moves 4 x 4 blocks through registers.
/// </remarks>
internal static unsafe class GemmPack
{
    /// <summary>Packs the mb x kb block whose element (i, p) is src[i * rs + p * cs].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackA(float* dst, float* src, int mb, int kb, nint rs, nint cs, int mr)
    {
        for (int i0 = 0; i0 < mb; i0 += mr)
        {
            int rows = Math.Min(mr, mb - i0);
            float* d = dst + (nint)i0 * kb;
            float* s = src + i0 * rs;
            // Row-major A has its rows contiguous in p: transpose them into the panel. A stored transposed (TN) has
            // each k step's MR values contiguous: copy runs.
            if (cs == 1) Interleave(d, mr, s, rs, rows, kb);
            else CopyRuns(d, mr, s, cs, rows, kb);
        }
    }

    /// <summary>Packs the kb x nb block whose element (p, j) is src[p * rs + j * cs].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackB(float* dst, float* src, int kb, int nb, nint rs, nint cs, int nr)
    {
        for (int j0 = 0; j0 < nb; j0 += nr)
        {
            int cols = Math.Min(nr, nb - j0);
            float* d = dst + (nint)j0 * kb;
            float* s = src + j0 * cs;
            // Row-major B has each k step's NR values contiguous: copy runs. B stored transposed (NT, the dense
            // weight) has its columns contiguous in p: transpose them into the panel.
            if (cs == 1) CopyRuns(d, nr, s, rs, cols, kb);
            else Interleave(d, nr, s, cs, cols, kb);
        }
    }

    /// <summary>dst (cols x rows, row stride ldd) = transpose of src (rows x cols, row stride cols).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose(float* dst, int ldd, float* src, int rows, int cols) => Interleave(dst, ldd, src, cols, rows, cols);

    /// <summary>
    /// d[p * width + r] = s[p * ld + r] for r &lt; count, zero for count &lt;= r &lt; width, for every p &lt; kb.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRuns(float* d, int width, float* s, nint ld, int count, int kb)
    {
        for (int p = 0; p < kb; p++, d += width, s += ld)
        {
            int r = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; r + 16 <= count; r += 16) Vector512.Store(Vector512.Load(s + r), d + r);
            for (; r + 8 <= count; r += 8) Vector256.Store(Vector256.Load(s + r), d + r);
            for (; r + 4 <= count; r += 4) Vector128.Store(Vector128.Load(s + r), d + r);
            for (; r < count; r++) d[r] = s[r];
            for (; r < width; r++) d[r] = 0f;
        }
    }

    /// <summary>
    /// d[p * width + r] = s[r * ld + p] for r &lt; count, zero for count &lt;= r &lt; width, for every p &lt; kb: a
    /// transpose of <paramref name="count"/> source rows into a panel <paramref name="width"/> wide.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(float* d, int width, float* s, nint ld, int count, int kb)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            // Eight rows at a time through 8 x 8 register transposes: a third fewer shuffles per float than 4 x 4, and 32-byte stores.
            for (; r + 8 <= count; r += 8)
            {
                float* s0 = s + r * ld;
                float* dr = d + r;
                int p = 0;
                for (; p + 8 <= kb; p += 8)
                {
                    float* sp = s0 + p;
                    Transpose8x8(Vector256.Load(sp), Vector256.Load(sp + ld), Vector256.Load(sp + 2 * ld), Vector256.Load(sp + 3 * ld),
                        Vector256.Load(sp + 4 * ld), Vector256.Load(sp + 5 * ld), Vector256.Load(sp + 6 * ld), Vector256.Load(sp + 7 * ld),
                        dr + (nint)p * width, width);
                }
                for (; p < kb; p++)
                {
                    float* dp = dr + (nint)p * width;
                    for (int i = 0; i < 8; i++) dp[i] = s0[i * ld + p];
                }
            }
        }
        if (Sse.IsSupported)
        {
            for (; r + 4 <= count; r += 4)
            {
                float* s0 = s + r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
                float* dr = d + r;
                int p = 0;
                for (; p + 4 <= kb; p += 4)
                {
                    Transpose4x4(Vector128.Load(s0 + p), Vector128.Load(s1 + p), Vector128.Load(s2 + p), Vector128.Load(s3 + p),
                        dr + (nint)p * width, width);
                }
                for (; p < kb; p++)
                {
                    float* dp = dr + (nint)p * width;
                    dp[0] = s0[p]; dp[1] = s1[p]; dp[2] = s2[p]; dp[3] = s3[p];
                }
            }
        }
        for (; r < count; r++)
        {
            float* sr = s + r * ld;
            float* dr = d + r;
            for (int p = 0; p < kb; p++) dr[(nint)p * width] = sr[p];
        }
        if (count < width)
        {
            for (int p = 0; p < kb; p++)
                for (int z = count; z < width; z++) d[(nint)p * width + z] = 0f;
        }
    }

    /// <summary>Stores the transpose of the 8 x 8 block with rows r0..r7 as eight rows of stride <paramref name="ld"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* d, nint ld)
    {
        // Pairs of rows interleaved, then pairs of pairs, within each 128-bit lane; last, the lanes are exchanged.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).Store(d);
        Avx.Permute2x128(u1, u5, 0x20).Store(d + ld);
        Avx.Permute2x128(u2, u6, 0x20).Store(d + 2 * ld);
        Avx.Permute2x128(u3, u7, 0x20).Store(d + 3 * ld);
        Avx.Permute2x128(u0, u4, 0x31).Store(d + 4 * ld);
        Avx.Permute2x128(u1, u5, 0x31).Store(d + 5 * ld);
        Avx.Permute2x128(u2, u6, 0x31).Store(d + 6 * ld);
        Avx.Permute2x128(u3, u7, 0x31).Store(d + 7 * ld);
    }

    /// <summary>Stores the transpose of the 4 x 4 block with rows r0..r3 as four rows of stride <paramref name="ld"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(Vector128<float> r0, Vector128<float> r1, Vector128<float> r2, Vector128<float> r3, float* d, nint ld)
    {
        Vector128<float> t0 = Sse.UnpackLow(r0, r1);   // r0[0] r1[0] r0[1] r1[1]
        Vector128<float> t1 = Sse.UnpackLow(r2, r3);   // r2[0] r3[0] r2[1] r3[1]
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1);  // r0[2] r1[2] r0[3] r1[3]
        Vector128<float> t3 = Sse.UnpackHigh(r2, r3);  // r2[2] r3[2] r2[3] r3[3]
        Sse.MoveLowToHigh(t0, t1).Store(d);
        Sse.MoveHighToLow(t1, t0).Store(d + ld);
        Sse.MoveLowToHigh(t2, t3).Store(d + 2 * ld);
        Sse.MoveHighToLow(t3, t2).Store(d + 3 * ld);
    }
}
