using System;

namespace Unroll.Kernels;

/// <summary>
/// Copies blocks of A and B into the panel order the micro-kernels read sequentially: A as MR-row panels stored
/// k-major (MR values per k step), B as NR-column panels stored k-major (NR values per k step). Panels past the matrix
/// edge are zero-padded so the micro-kernel never needs a bounds check.
/// </summary>
internal static unsafe class GemmPack
{
    /// <summary>Packs the mb x kb block whose element (i, p) is src[i * rs + p * cs].</summary>
    internal static void PackA(float* dst, float* src, int mb, int kb, nint rs, nint cs, int mr)
    {
        for (int i0 = 0; i0 < mb; i0 += mr)
        {
            int rows = Math.Min(mr, mb - i0);
            float* d = dst + (nint)i0 * kb;
            float* s = src + i0 * rs;
            if (cs == 1)
            {
                // Rows are contiguous in p: read each row once, write with stride mr.
                for (int r = 0; r < rows; r++)
                {
                    float* sr = s + r * rs;
                    float* dr = d + r;
                    for (int p = 0; p < kb; p++) dr[(nint)p * mr] = sr[p];
                }
            }
            else
            {
                // Columns are contiguous in i (A stored transposed): each k step is one contiguous run.
                for (int p = 0; p < kb; p++)
                {
                    float* sp = s + p * cs;
                    float* dp = d + (nint)p * mr;
                    for (int r = 0; r < rows; r++) dp[r] = sp[r];
                }
            }
            if (rows < mr)
            {
                for (int p = 0; p < kb; p++)
                    for (int r = rows; r < mr; r++) d[(nint)p * mr + r] = 0f;
            }
        }
    }

    /// <summary>Packs the kb x nb block whose element (p, j) is src[p * rs + j * cs].</summary>
    internal static void PackB(float* dst, float* src, int kb, int nb, nint rs, nint cs, int nr)
    {
        for (int j0 = 0; j0 < nb; j0 += nr)
        {
            int cols = Math.Min(nr, nb - j0);
            float* d = dst + (nint)j0 * kb;
            float* s = src + j0 * cs;
            if (cs == 1)
            {
                // Rows of B are contiguous in j: each k step is one contiguous run.
                nint bytes = (nint)cols * sizeof(float);
                for (int p = 0; p < kb; p++)
                    System.Buffer.MemoryCopy(s + p * rs, d + (nint)p * nr, bytes, bytes);
            }
            else
            {
                // B stored transposed (n x k): each column is contiguous in p.
                for (int j = 0; j < cols; j++)
                {
                    float* sj = s + j * cs;
                    float* dj = d + j;
                    for (int p = 0; p < kb; p++) dj[(nint)p * nr] = sj[p];
                }
            }
            if (cols < nr)
            {
                for (int p = 0; p < kb; p++)
                    for (int j = cols; j < nr; j++) d[(nint)p * nr + j] = 0f;
            }
        }
    }
}
