using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Unroll.Kernels;

/// <summary>
/// Register-blocked micro-kernels: C tile (MR x NR, row stride ldc) (+)= packed A panel (kc steps of MR values) times
/// packed B panel (kc steps of NR values). Every accumulator lives in a vector register for the whole k loop, so the
/// inner loop is NR/width loads, MR broadcasts and MR*NR/width FMAs per step and nothing else.
/// </summary>
/// <remarks>
/// The kernels are unrolled by hand (rows x vectors) because the JIT keeps locals, not arrays, in registers. The
/// AVX-512 family (GemmMicroKernels.Avx512.cs) has narrower siblings that read the same 12 x 32 packed panels but
/// compute only 8 or 4 rows and/or 16 columns: an edge tile then wastes at most 3 rows and 15 columns of work
/// instead of up to 11 and 31.
/// </remarks>
internal static unsafe partial class GemmMicroKernels
{
    /// <summary>AVX2+FMA: 12 ymm accumulators + 2 B vectors + 1 broadcast fit the 16 ymm registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel6x16(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector256<float> c0_0 = default, c0_1 = default;
        Vector256<float> c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default;
        Vector256<float> c3_0 = default, c3_1 = default;
        Vector256<float> c4_0 = default, c4_1 = default;
        Vector256<float> c5_0 = default, c5_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> t;
            t = Vector256.Create(a[0]); c0_0 = Vector256.FusedMultiplyAdd(t, b0, c0_0); c0_1 = Vector256.FusedMultiplyAdd(t, b1, c0_1);
            t = Vector256.Create(a[1]); c1_0 = Vector256.FusedMultiplyAdd(t, b0, c1_0); c1_1 = Vector256.FusedMultiplyAdd(t, b1, c1_1);
            t = Vector256.Create(a[2]); c2_0 = Vector256.FusedMultiplyAdd(t, b0, c2_0); c2_1 = Vector256.FusedMultiplyAdd(t, b1, c2_1);
            t = Vector256.Create(a[3]); c3_0 = Vector256.FusedMultiplyAdd(t, b0, c3_0); c3_1 = Vector256.FusedMultiplyAdd(t, b1, c3_1);
            t = Vector256.Create(a[4]); c4_0 = Vector256.FusedMultiplyAdd(t, b0, c4_0); c4_1 = Vector256.FusedMultiplyAdd(t, b1, c4_1);
            t = Vector256.Create(a[5]); c5_0 = Vector256.FusedMultiplyAdd(t, b0, c5_0); c5_1 = Vector256.FusedMultiplyAdd(t, b1, c5_1);
            a += 6;
            b += 16;
        }
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector256.Load(r0)).Store(r0);
            (c0_1 + Vector256.Load(r0 + 8)).Store(r0 + 8);
            float* r1 = c + ldc;
            (c1_0 + Vector256.Load(r1)).Store(r1);
            (c1_1 + Vector256.Load(r1 + 8)).Store(r1 + 8);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector256.Load(r2)).Store(r2);
            (c2_1 + Vector256.Load(r2 + 8)).Store(r2 + 8);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector256.Load(r3)).Store(r3);
            (c3_1 + Vector256.Load(r3 + 8)).Store(r3 + 8);
            float* r4 = c + 4 * ldc;
            (c4_0 + Vector256.Load(r4)).Store(r4);
            (c4_1 + Vector256.Load(r4 + 8)).Store(r4 + 8);
            float* r5 = c + 5 * ldc;
            (c5_0 + Vector256.Load(r5)).Store(r5);
            (c5_1 + Vector256.Load(r5 + 8)).Store(r5 + 8);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            c0_1.Store(r0 + 8);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            c1_1.Store(r1 + 8);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            c2_1.Store(r2 + 8);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
            c3_1.Store(r3 + 8);
            float* r4 = c + 4 * ldc;
            c4_0.Store(r4);
            c4_1.Store(r4 + 8);
            float* r5 = c + 5 * ldc;
            c5_0.Store(r5);
            c5_1.Store(r5 + 8);
        }
    }

    /// <summary>Portable fallback: Vector128 (SSE/NEON, or software) with fused multiply-add where the hardware has it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel4x8(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector128<float> c0_0 = default, c0_1 = default;
        Vector128<float> c1_0 = default, c1_1 = default;
        Vector128<float> c2_0 = default, c2_1 = default;
        Vector128<float> c3_0 = default, c3_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b);
            Vector128<float> b1 = Vector128.Load(b + 4);
            Vector128<float> t;
            t = Vector128.Create(a[0]); c0_0 = Vector128.MultiplyAddEstimate(t, b0, c0_0); c0_1 = Vector128.MultiplyAddEstimate(t, b1, c0_1);
            t = Vector128.Create(a[1]); c1_0 = Vector128.MultiplyAddEstimate(t, b0, c1_0); c1_1 = Vector128.MultiplyAddEstimate(t, b1, c1_1);
            t = Vector128.Create(a[2]); c2_0 = Vector128.MultiplyAddEstimate(t, b0, c2_0); c2_1 = Vector128.MultiplyAddEstimate(t, b1, c2_1);
            t = Vector128.Create(a[3]); c3_0 = Vector128.MultiplyAddEstimate(t, b0, c3_0); c3_1 = Vector128.MultiplyAddEstimate(t, b1, c3_1);
            a += 4;
            b += 8;
        }
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector128.Load(r0)).Store(r0);
            (c0_1 + Vector128.Load(r0 + 4)).Store(r0 + 4);
            float* r1 = c + ldc;
            (c1_0 + Vector128.Load(r1)).Store(r1);
            (c1_1 + Vector128.Load(r1 + 4)).Store(r1 + 4);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector128.Load(r2)).Store(r2);
            (c2_1 + Vector128.Load(r2 + 4)).Store(r2 + 4);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector128.Load(r3)).Store(r3);
            (c3_1 + Vector128.Load(r3 + 4)).Store(r3 + 4);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            c0_1.Store(r0 + 4);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            c1_1.Store(r1 + 4);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            c2_1.Store(r2 + 4);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
            c3_1.Store(r3 + 4);
        }
    }
}
