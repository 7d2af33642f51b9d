using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Unroll
{
    /// <summary>
    /// Float buffers whose first element sits on a 64-byte boundary, so that no 64-byte vector load of a row that starts on one straddles
    /// two cache lines. A generated model keeps its weights in one: a batch-of-one dense product streams each weight row with 512-bit
    /// loads, and measured 1.5x slower when the rows started 8 or 16 bytes off a line (tests/Unroll.Benchmarks/README.md). An ordinary
    /// array gives no such guarantee (its data starts 16 bytes into an 8-byte aligned object, and the collector may move it).
    /// </summary>
    public static class AlignedFloats
    {
        /// <summary>The boundary, in bytes: one cache line, one AVX-512 vector.</summary>
        public const int Alignment = 64;

        /// <summary>
        /// A zeroed array on the pinned object heap (it never moves) with room for <paramref name="length"/> floats from index
        /// <paramref name="start"/>, whose address is a multiple of <see cref="Alignment"/>. The array is up to 15 floats longer than
        /// <paramref name="length"/>; use <c>new Span&lt;float&gt;(array, start, length)</c>.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or leaves no room for the padding.</exception>
        public static unsafe float[] Allocate(int length, out int start)
        {
            const int Pad = Alignment / sizeof(float) - 1;
            if (length < 0 || length > Array.MaxLength - Pad)
                throw new ArgumentOutOfRangeException(nameof(length), length, $"Expected a length from 0 to {Array.MaxLength - Pad}.");
            float[] array = GC.AllocateArray<float>(length + Pad, pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            start = (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1)) / sizeof(float);
            return array;
        }
    }
}
