using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

namespace Unroll.Runtime.Tests;

public class AlignedFloatsTests
{
    /// <summary>Sixteen arrays of assorted lengths, allocated between arrays that shift the heap: each has room for its length from a 64-byte
    /// boundary, is zeroed, and keeps that boundary across a compacting collection (pinned). An array merely as aligned as the heap happens to
    /// give (start 0) fails: eight in nine addresses are not on a boundary.</summary>
    [Fact]
    public unsafe void EveryArrayHoldsItsLengthFromA64ByteBoundaryThatACollectionDoesNotMove()
    {
        var arrays = new List<(float[] Array, int Start, int Length)>();
        var ballast = new List<byte[]>();
        for (int i = 0; i < 16; i++)
        {
            int length = i * 37 % 101 + (i == 0 ? 0 : 1);
            ballast.Add(GC.AllocateArray<byte>(8 * i + 8, pinned: true)); // moves the next allocation by a few words
            float[] array = AlignedFloats.Allocate(length, out int start);
            arrays.Add((array, start, length));
        }
        ballast.Clear();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var starts = new HashSet<int>();
        foreach ((float[] array, int start, int length) in arrays)
        {
            Assert.InRange(start, 0, 15);
            Assert.True(start + length <= array.Length, $"start {start} + length {length} > {array.Length}");
            Assert.All(array, v => Assert.Equal(0f, v));
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) + start * sizeof(float);
            Assert.Equal(0, (int)(address % AlignedFloats.Alignment));
            starts.Add(start);
        }
        Assert.True(starts.Count > 1, "every start was the same: the test did not vary the heap's alignment");
    }

    [Fact]
    public void ANegativeLengthNamesWhatItExpected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AlignedFloats.Allocate(-1, out _));
        Assert.Equal("length", e.ParamName);
        Assert.Contains("Expected a length from 0 to", e.Message);
    }
}
