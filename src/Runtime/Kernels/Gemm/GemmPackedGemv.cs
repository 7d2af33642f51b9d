using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Unroll.Kernels;

/// <summary>
/// One, two or three rows times a B packed whole by <see cref="GemmDriver.PackWhole"/> (AVX-512 panels, 32 columns per k step): the
/// batch-of-one recurrent step, a GEMV. Reading the panels streams B once, in order, with no horizontal sums; four panels at a time
/// give eight independent FMA chains, enough to keep both FMA pipes busy. Each output element is the k-ordered chain
/// c + a[0]·b[0] + a[1]·b[1] + ..., so a split on panel edges gives the same bits on any number of threads.
/// </summary>
internal static unsafe class GemmPackedGemv
{
    /// <summary>Panel width: the AVX-512 micro-tile (<see cref="GemmDriver.TileColumns"/>).</summary>
    internal const int Nr = 32;

    /// <summary>Whether an m x n x k product with a repeated B takes this path: a GEMV shape (fewer than 4 rows) with AVX-512.</summary>
    internal static bool Applies(GemmKernel kernel, int m, int n, int k) =>
        kernel == GemmKernel.Vector512 && m is >= 1 and < 4 && n >= Nr && k >= 8;

    /// <summary>
    /// C[m x n] = (accumulate ? C : 0) + A[m x k]·B for the columns of panels <paramref name="firstPanel"/> up to
    /// <paramref name="endPanel"/> (exclusive) of B packed whole (<paramref name="stride"/> = n rounded up to 32).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Run(float* c, float* a, float* packed, int m, int n, int k, nint stride, bool accumulate, int firstPanel, int endPanel)
    {
        float* tile = stackalloc float[Nr];
        for (int i = 0; i < m; i++)
        {
            float* row = a + (nint)i * k;
            float* cRow = c + (nint)i * n;
            for (int pc = 0; pc < k; pc += GemmDriver.KC)
            {
                int kb = Math.Min(GemmDriver.KC, k - pc);
                bool add = accumulate || pc > 0;
                float* block = packed + pc * stride;
                int t = firstPanel;
                // Whole groups of four panels (all 128 columns inside C), then the rest one panel at a time.
                for (; t + 4 <= endPanel && (t + 4) * Nr <= n; t += 4)
                    Group4(row + pc, block + (nint)kb * t * Nr, kb, cRow + t * Nr, add);
                for (; t < endPanel; t++)
                {
                    int j = t * Nr, cols = Math.Min(Nr, n - j);
                    float* b = block + (nint)kb * j;
                    if (cols == Nr)
                    {
                        Group1(row + pc, b, kb, cRow + j, add);
                    }
                    else
                    {
                        // The last panel overhangs C: work in a scratch tile (the packed panel is zero-padded, C is not).
                        var scratch = new Span<float>(tile, Nr);
                        scratch.Clear();
                        if (add) new Span<float>(cRow + j, cols).CopyTo(scratch);
                        Group1(row + pc, b, kb, tile, add: true);
                        scratch[..cols].CopyTo(new Span<float>(cRow + j, cols));
                    }
                }
            }
        }
    }

    /// <summary>c[0..128) = (add ? c : 0) + Σ_p x[p]·(four consecutive kb-deep panels)[p], eight chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group4(float* x, float* b, int kb, float* c, bool add)
    {
        Vector512<float> c0, c1, c2, c3, c4, c5, c6, c7;
        if (add)
        {
            c0 = Vector512.Load(c); c1 = Vector512.Load(c + 16); c2 = Vector512.Load(c + 32); c3 = Vector512.Load(c + 48);
            c4 = Vector512.Load(c + 64); c5 = Vector512.Load(c + 80); c6 = Vector512.Load(c + 96); c7 = Vector512.Load(c + 112);
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = Vector512<float>.Zero;
        }
        nint panel = (nint)kb * Nr;
        float* b0 = b, b1 = b + panel, b2 = b + 2 * panel, b3 = b + 3 * panel;
        for (int p = 0; p < kb; p++)
        {
            Vector512<float> t = Vector512.Create(x[p]);
            nint o = (nint)p * Nr;
            c0 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b0 + o), c0);
            c1 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b0 + o + 16), c1);
            c2 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b1 + o), c2);
            c3 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b1 + o + 16), c3);
            c4 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b2 + o), c4);
            c5 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b2 + o + 16), c5);
            c6 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b3 + o), c6);
            c7 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b3 + o + 16), c7);
        }
        c0.Store(c); c1.Store(c + 16); c2.Store(c + 32); c3.Store(c + 48);
        c4.Store(c + 64); c5.Store(c + 80); c6.Store(c + 96); c7.Store(c + 112);
    }

    /// <summary>c[0..32) = (add ? c : 0) + Σ_p x[p]·panel[p], two chains: for the panels left after the groups of four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group1(float* x, float* b, int kb, float* c, bool add)
    {
        Vector512<float> c0 = add ? Vector512.Load(c) : Vector512<float>.Zero, c1 = add ? Vector512.Load(c + 16) : Vector512<float>.Zero;
        for (int p = 0; p < kb; p++)
        {
            Vector512<float> t = Vector512.Create(x[p]);
            c0 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b + (nint)p * Nr), c0);
            c1 = Vector512.FusedMultiplyAdd(t, Vector512.Load(b + (nint)p * Nr + 16), c1);
        }
        c0.Store(c); c1.Store(c + 16);
    }
}
