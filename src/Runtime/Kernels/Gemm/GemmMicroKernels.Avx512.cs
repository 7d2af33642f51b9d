using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Unroll.Kernels;

internal static unsafe partial class GemmMicroKernels
{
    /// <summary>AVX-512 main kernel: 24 zmm accumulators + 2 B vectors + 1 broadcast of the 32 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel12x32(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default;
        Vector512<float> c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default;
        Vector512<float> c11_0 = default, c11_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> t;
            t = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(t, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(t, b1, c0_1);
            t = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(t, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(t, b1, c1_1);
            t = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(t, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(t, b1, c2_1);
            t = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(t, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(t, b1, c3_1);
            t = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(t, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(t, b1, c4_1);
            t = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(t, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(t, b1, c5_1);
            t = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(t, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(t, b1, c6_1);
            t = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(t, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(t, b1, c7_1);
            t = Vector512.Create(a[8]); c8_0 = Vector512.FusedMultiplyAdd(t, b0, c8_0); c8_1 = Vector512.FusedMultiplyAdd(t, b1, c8_1);
            t = Vector512.Create(a[9]); c9_0 = Vector512.FusedMultiplyAdd(t, b0, c9_0); c9_1 = Vector512.FusedMultiplyAdd(t, b1, c9_1);
            t = Vector512.Create(a[10]); c10_0 = Vector512.FusedMultiplyAdd(t, b0, c10_0); c10_1 = Vector512.FusedMultiplyAdd(t, b1, c10_1);
            t = Vector512.Create(a[11]); c11_0 = Vector512.FusedMultiplyAdd(t, b0, c11_0); c11_1 = Vector512.FusedMultiplyAdd(t, b1, c11_1);
            a += 12;
            b += 32;
        }
        Store12x32(c, ldc, accumulate,
            c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1,
            c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1,
            c8_0, c8_1, c9_0, c9_1, c10_0, c10_1, c11_0, c11_1);
    }

    /// <summary>
    /// <see cref="Kernel12x32"/> reading A in place: twelve rows of a row-major A, <paramref name="lda"/> floats apart, instead of a packed
    /// panel. The same fused multiply-adds in the same order, so the same bits; it saves packing A when few column tiles read each panel
    /// (a small batch times a weight packed beforehand). The rows are reached from four pointers, three rows each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel12x32InPlace(int kc, float* a, nint lda, float* b, float* c, nint ldc, bool accumulate)
    {
        float* a0 = a, a3 = a + 3 * lda, a6 = a + 6 * lda, a9 = a + 9 * lda;
        nint l2 = 2 * lda;
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default;
        Vector512<float> c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default;
        Vector512<float> c11_0 = default, c11_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> t;
            t = Vector512.Create(a0[0]); c0_0 = Vector512.FusedMultiplyAdd(t, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(t, b1, c0_1);
            t = Vector512.Create(a0[lda]); c1_0 = Vector512.FusedMultiplyAdd(t, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(t, b1, c1_1);
            t = Vector512.Create(a0[l2]); c2_0 = Vector512.FusedMultiplyAdd(t, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(t, b1, c2_1);
            t = Vector512.Create(a3[0]); c3_0 = Vector512.FusedMultiplyAdd(t, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(t, b1, c3_1);
            t = Vector512.Create(a3[lda]); c4_0 = Vector512.FusedMultiplyAdd(t, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(t, b1, c4_1);
            t = Vector512.Create(a3[l2]); c5_0 = Vector512.FusedMultiplyAdd(t, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(t, b1, c5_1);
            t = Vector512.Create(a6[0]); c6_0 = Vector512.FusedMultiplyAdd(t, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(t, b1, c6_1);
            t = Vector512.Create(a6[lda]); c7_0 = Vector512.FusedMultiplyAdd(t, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(t, b1, c7_1);
            t = Vector512.Create(a6[l2]); c8_0 = Vector512.FusedMultiplyAdd(t, b0, c8_0); c8_1 = Vector512.FusedMultiplyAdd(t, b1, c8_1);
            t = Vector512.Create(a9[0]); c9_0 = Vector512.FusedMultiplyAdd(t, b0, c9_0); c9_1 = Vector512.FusedMultiplyAdd(t, b1, c9_1);
            t = Vector512.Create(a9[lda]); c10_0 = Vector512.FusedMultiplyAdd(t, b0, c10_0); c10_1 = Vector512.FusedMultiplyAdd(t, b1, c10_1);
            t = Vector512.Create(a9[l2]); c11_0 = Vector512.FusedMultiplyAdd(t, b0, c11_0); c11_1 = Vector512.FusedMultiplyAdd(t, b1, c11_1);
            a0++;
            a3++;
            a6++;
            a9++;
            b += 32;
        }
        Store12x32(c, ldc, accumulate,
            c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1,
            c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1,
            c8_0, c8_1, c9_0, c9_1, c10_0, c10_1, c11_0, c11_1);
    }

    /// <summary>The end of the 12 x 32 kernels: the accumulators added to C (accumulate) or written over it, row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store12x32(float* c, nint ldc, bool accumulate,
        Vector512<float> c0_0, Vector512<float> c0_1, Vector512<float> c1_0, Vector512<float> c1_1, Vector512<float> c2_0, Vector512<float> c2_1,
        Vector512<float> c3_0, Vector512<float> c3_1, Vector512<float> c4_0, Vector512<float> c4_1, Vector512<float> c5_0, Vector512<float> c5_1,
        Vector512<float> c6_0, Vector512<float> c6_1, Vector512<float> c7_0, Vector512<float> c7_1, Vector512<float> c8_0, Vector512<float> c8_1,
        Vector512<float> c9_0, Vector512<float> c9_1, Vector512<float> c10_0, Vector512<float> c10_1, Vector512<float> c11_0, Vector512<float> c11_1)
    {
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector512.Load(r0)).Store(r0);
            (c0_1 + Vector512.Load(r0 + 16)).Store(r0 + 16);
            float* r1 = c + ldc;
            (c1_0 + Vector512.Load(r1)).Store(r1);
            (c1_1 + Vector512.Load(r1 + 16)).Store(r1 + 16);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector512.Load(r2)).Store(r2);
            (c2_1 + Vector512.Load(r2 + 16)).Store(r2 + 16);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector512.Load(r3)).Store(r3);
            (c3_1 + Vector512.Load(r3 + 16)).Store(r3 + 16);
            float* r4 = c + 4 * ldc;
            (c4_0 + Vector512.Load(r4)).Store(r4);
            (c4_1 + Vector512.Load(r4 + 16)).Store(r4 + 16);
            float* r5 = c + 5 * ldc;
            (c5_0 + Vector512.Load(r5)).Store(r5);
            (c5_1 + Vector512.Load(r5 + 16)).Store(r5 + 16);
            float* r6 = c + 6 * ldc;
            (c6_0 + Vector512.Load(r6)).Store(r6);
            (c6_1 + Vector512.Load(r6 + 16)).Store(r6 + 16);
            float* r7 = c + 7 * ldc;
            (c7_0 + Vector512.Load(r7)).Store(r7);
            (c7_1 + Vector512.Load(r7 + 16)).Store(r7 + 16);
            float* r8 = c + 8 * ldc;
            (c8_0 + Vector512.Load(r8)).Store(r8);
            (c8_1 + Vector512.Load(r8 + 16)).Store(r8 + 16);
            float* r9 = c + 9 * ldc;
            (c9_0 + Vector512.Load(r9)).Store(r9);
            (c9_1 + Vector512.Load(r9 + 16)).Store(r9 + 16);
            float* r10 = c + 10 * ldc;
            (c10_0 + Vector512.Load(r10)).Store(r10);
            (c10_1 + Vector512.Load(r10 + 16)).Store(r10 + 16);
            float* r11 = c + 11 * ldc;
            (c11_0 + Vector512.Load(r11)).Store(r11);
            (c11_1 + Vector512.Load(r11 + 16)).Store(r11 + 16);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            c0_1.Store(r0 + 16);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            c1_1.Store(r1 + 16);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            c2_1.Store(r2 + 16);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
            c3_1.Store(r3 + 16);
            float* r4 = c + 4 * ldc;
            c4_0.Store(r4);
            c4_1.Store(r4 + 16);
            float* r5 = c + 5 * ldc;
            c5_0.Store(r5);
            c5_1.Store(r5 + 16);
            float* r6 = c + 6 * ldc;
            c6_0.Store(r6);
            c6_1.Store(r6 + 16);
            float* r7 = c + 7 * ldc;
            c7_0.Store(r7);
            c7_1.Store(r7 + 16);
            float* r8 = c + 8 * ldc;
            c8_0.Store(r8);
            c8_1.Store(r8 + 16);
            float* r9 = c + 9 * ldc;
            c9_0.Store(r9);
            c9_1.Store(r9 + 16);
            float* r10 = c + 10 * ldc;
            c10_0.Store(r10);
            c10_1.Store(r10 + 16);
            float* r11 = c + 11 * ldc;
            c11_0.Store(r11);
            c11_1.Store(r11 + 16);
        }
    }

    /// <summary>AVX-512 edge kernel: the first 8 rows and 32 columns of a 12 x 32 packed tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel8x32(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> t;
            t = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(t, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(t, b1, c0_1);
            t = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(t, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(t, b1, c1_1);
            t = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(t, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(t, b1, c2_1);
            t = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(t, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(t, b1, c3_1);
            t = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(t, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(t, b1, c4_1);
            t = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(t, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(t, b1, c5_1);
            t = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(t, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(t, b1, c6_1);
            t = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(t, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(t, b1, c7_1);
            a += 12;
            b += 32;
        }
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector512.Load(r0)).Store(r0);
            (c0_1 + Vector512.Load(r0 + 16)).Store(r0 + 16);
            float* r1 = c + ldc;
            (c1_0 + Vector512.Load(r1)).Store(r1);
            (c1_1 + Vector512.Load(r1 + 16)).Store(r1 + 16);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector512.Load(r2)).Store(r2);
            (c2_1 + Vector512.Load(r2 + 16)).Store(r2 + 16);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector512.Load(r3)).Store(r3);
            (c3_1 + Vector512.Load(r3 + 16)).Store(r3 + 16);
            float* r4 = c + 4 * ldc;
            (c4_0 + Vector512.Load(r4)).Store(r4);
            (c4_1 + Vector512.Load(r4 + 16)).Store(r4 + 16);
            float* r5 = c + 5 * ldc;
            (c5_0 + Vector512.Load(r5)).Store(r5);
            (c5_1 + Vector512.Load(r5 + 16)).Store(r5 + 16);
            float* r6 = c + 6 * ldc;
            (c6_0 + Vector512.Load(r6)).Store(r6);
            (c6_1 + Vector512.Load(r6 + 16)).Store(r6 + 16);
            float* r7 = c + 7 * ldc;
            (c7_0 + Vector512.Load(r7)).Store(r7);
            (c7_1 + Vector512.Load(r7 + 16)).Store(r7 + 16);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            c0_1.Store(r0 + 16);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            c1_1.Store(r1 + 16);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            c2_1.Store(r2 + 16);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
            c3_1.Store(r3 + 16);
            float* r4 = c + 4 * ldc;
            c4_0.Store(r4);
            c4_1.Store(r4 + 16);
            float* r5 = c + 5 * ldc;
            c5_0.Store(r5);
            c5_1.Store(r5 + 16);
            float* r6 = c + 6 * ldc;
            c6_0.Store(r6);
            c6_1.Store(r6 + 16);
            float* r7 = c + 7 * ldc;
            c7_0.Store(r7);
            c7_1.Store(r7 + 16);
        }
    }

    /// <summary>AVX-512 edge kernel: the first 4 rows and 32 columns of a 12 x 32 packed tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel4x32(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> t;
            t = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(t, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(t, b1, c0_1);
            t = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(t, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(t, b1, c1_1);
            t = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(t, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(t, b1, c2_1);
            t = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(t, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(t, b1, c3_1);
            a += 12;
            b += 32;
        }
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector512.Load(r0)).Store(r0);
            (c0_1 + Vector512.Load(r0 + 16)).Store(r0 + 16);
            float* r1 = c + ldc;
            (c1_0 + Vector512.Load(r1)).Store(r1);
            (c1_1 + Vector512.Load(r1 + 16)).Store(r1 + 16);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector512.Load(r2)).Store(r2);
            (c2_1 + Vector512.Load(r2 + 16)).Store(r2 + 16);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector512.Load(r3)).Store(r3);
            (c3_1 + Vector512.Load(r3 + 16)).Store(r3 + 16);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            c0_1.Store(r0 + 16);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            c1_1.Store(r1 + 16);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            c2_1.Store(r2 + 16);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
            c3_1.Store(r3 + 16);
        }
    }

    /// <summary>AVX-512 edge kernel: the first 12 rows and 16 columns of a 12 x 32 packed tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel12x16(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c0_0 = default;
        Vector512<float> c1_0 = default;
        Vector512<float> c2_0 = default;
        Vector512<float> c3_0 = default;
        Vector512<float> c4_0 = default;
        Vector512<float> c5_0 = default;
        Vector512<float> c6_0 = default;
        Vector512<float> c7_0 = default;
        Vector512<float> c8_0 = default;
        Vector512<float> c9_0 = default;
        Vector512<float> c10_0 = default;
        Vector512<float> c11_0 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> t;
            t = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(t, b0, c0_0);
            t = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(t, b0, c1_0);
            t = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(t, b0, c2_0);
            t = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(t, b0, c3_0);
            t = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(t, b0, c4_0);
            t = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(t, b0, c5_0);
            t = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(t, b0, c6_0);
            t = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(t, b0, c7_0);
            t = Vector512.Create(a[8]); c8_0 = Vector512.FusedMultiplyAdd(t, b0, c8_0);
            t = Vector512.Create(a[9]); c9_0 = Vector512.FusedMultiplyAdd(t, b0, c9_0);
            t = Vector512.Create(a[10]); c10_0 = Vector512.FusedMultiplyAdd(t, b0, c10_0);
            t = Vector512.Create(a[11]); c11_0 = Vector512.FusedMultiplyAdd(t, b0, c11_0);
            a += 12;
            b += 32;
        }
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector512.Load(r0)).Store(r0);
            float* r1 = c + ldc;
            (c1_0 + Vector512.Load(r1)).Store(r1);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector512.Load(r2)).Store(r2);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector512.Load(r3)).Store(r3);
            float* r4 = c + 4 * ldc;
            (c4_0 + Vector512.Load(r4)).Store(r4);
            float* r5 = c + 5 * ldc;
            (c5_0 + Vector512.Load(r5)).Store(r5);
            float* r6 = c + 6 * ldc;
            (c6_0 + Vector512.Load(r6)).Store(r6);
            float* r7 = c + 7 * ldc;
            (c7_0 + Vector512.Load(r7)).Store(r7);
            float* r8 = c + 8 * ldc;
            (c8_0 + Vector512.Load(r8)).Store(r8);
            float* r9 = c + 9 * ldc;
            (c9_0 + Vector512.Load(r9)).Store(r9);
            float* r10 = c + 10 * ldc;
            (c10_0 + Vector512.Load(r10)).Store(r10);
            float* r11 = c + 11 * ldc;
            (c11_0 + Vector512.Load(r11)).Store(r11);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
            float* r4 = c + 4 * ldc;
            c4_0.Store(r4);
            float* r5 = c + 5 * ldc;
            c5_0.Store(r5);
            float* r6 = c + 6 * ldc;
            c6_0.Store(r6);
            float* r7 = c + 7 * ldc;
            c7_0.Store(r7);
            float* r8 = c + 8 * ldc;
            c8_0.Store(r8);
            float* r9 = c + 9 * ldc;
            c9_0.Store(r9);
            float* r10 = c + 10 * ldc;
            c10_0.Store(r10);
            float* r11 = c + 11 * ldc;
            c11_0.Store(r11);
        }
    }

    /// <summary>AVX-512 edge kernel: the first 8 rows and 16 columns of a 12 x 32 packed tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel8x16(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c0_0 = default;
        Vector512<float> c1_0 = default;
        Vector512<float> c2_0 = default;
        Vector512<float> c3_0 = default;
        Vector512<float> c4_0 = default;
        Vector512<float> c5_0 = default;
        Vector512<float> c6_0 = default;
        Vector512<float> c7_0 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> t;
            t = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(t, b0, c0_0);
            t = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(t, b0, c1_0);
            t = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(t, b0, c2_0);
            t = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(t, b0, c3_0);
            t = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(t, b0, c4_0);
            t = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(t, b0, c5_0);
            t = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(t, b0, c6_0);
            t = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(t, b0, c7_0);
            a += 12;
            b += 32;
        }
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector512.Load(r0)).Store(r0);
            float* r1 = c + ldc;
            (c1_0 + Vector512.Load(r1)).Store(r1);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector512.Load(r2)).Store(r2);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector512.Load(r3)).Store(r3);
            float* r4 = c + 4 * ldc;
            (c4_0 + Vector512.Load(r4)).Store(r4);
            float* r5 = c + 5 * ldc;
            (c5_0 + Vector512.Load(r5)).Store(r5);
            float* r6 = c + 6 * ldc;
            (c6_0 + Vector512.Load(r6)).Store(r6);
            float* r7 = c + 7 * ldc;
            (c7_0 + Vector512.Load(r7)).Store(r7);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
            float* r4 = c + 4 * ldc;
            c4_0.Store(r4);
            float* r5 = c + 5 * ldc;
            c5_0.Store(r5);
            float* r6 = c + 6 * ldc;
            c6_0.Store(r6);
            float* r7 = c + 7 * ldc;
            c7_0.Store(r7);
        }
    }

    /// <summary>AVX-512 edge kernel: the first 4 rows and 16 columns of a 12 x 32 packed tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Kernel4x16(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c0_0 = default;
        Vector512<float> c1_0 = default;
        Vector512<float> c2_0 = default;
        Vector512<float> c3_0 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> t;
            t = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(t, b0, c0_0);
            t = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(t, b0, c1_0);
            t = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(t, b0, c2_0);
            t = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(t, b0, c3_0);
            a += 12;
            b += 32;
        }
        if (accumulate)
        {
            float* r0 = c;
            (c0_0 + Vector512.Load(r0)).Store(r0);
            float* r1 = c + ldc;
            (c1_0 + Vector512.Load(r1)).Store(r1);
            float* r2 = c + 2 * ldc;
            (c2_0 + Vector512.Load(r2)).Store(r2);
            float* r3 = c + 3 * ldc;
            (c3_0 + Vector512.Load(r3)).Store(r3);
        }
        else
        {
            float* r0 = c;
            c0_0.Store(r0);
            float* r1 = c + ldc;
            c1_0.Store(r1);
            float* r2 = c + 2 * ldc;
            c2_0.Store(r2);
            float* r3 = c + 3 * ldc;
            c3_0.Store(r3);
        }
    }
}
