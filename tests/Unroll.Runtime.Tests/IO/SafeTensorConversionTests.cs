using Xunit;
using static Unroll.Runtime.Tests.IO.SafeTensorsTestFiles;

namespace Unroll.Runtime.Tests.IO;

/// <summary>SafeTensor.ToFloat32 on hand-encoded bit patterns of each floating-point dtype.</summary>
public class SafeTensorConversionTests
{
    private static SafeTensor One(string dtype, int count, byte[] data)
    {
        string header = $"{{\"t\":{{\"dtype\":\"{dtype}\",\"shape\":[{count}],\"data_offsets\":[0,{data.Length}]}}}}";
        return SafeTensors.Read(Build(header, data), "conversion")["t"];
    }

    private static byte[] U16(params ushort[] values) => values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) }).ToArray();

    private static float Bits(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [Fact]
    public void F16WidensExactlyIncludingSubnormalsInfinityAndNegativeZero()
    {
        SafeTensor t = One("F16", 7, U16(0x3C00, 0xC000, 0x0001, 0x7C00, 0x8000, 0x7BFF, 0x3555));
        AssertSameBits(new[]
        {
            1f, -2f,
            Bits(0x33800000), // 2^-24, the smallest F16 subnormal
            float.PositiveInfinity, -0f, 65504f,
            Bits(0x3EAAA000), // 0.333251953125
        }, t.ToFloat32(), "F16");
    }

    [Fact]
    public void Bf16IsTheUpperHalfOfAFloat32()
    {
        SafeTensor t = One("BF16", 5, U16(0x3F80, 0xC049, 0x0001, 0xFF80, 0x7FC1));
        AssertSameBits(new[] { 1f, -3.140625f, Bits(0x00010000), float.NegativeInfinity, Bits(0x7FC10000) }, t.ToFloat32(), "BF16");
    }

    [Fact]
    public void F64RoundsToNearestFloat()
    {
        byte[] data = new[] { 0.1, -1e300, 1e-50, 16777217.0 }.SelectMany(BitConverter.GetBytes).ToArray();
        SafeTensor t = One("F64", 4, data);
        AssertSameBits(new[] { 0.1f, float.NegativeInfinity, 0f, 16777216f }, t.ToFloat32(), "F64");
        Assert.Equal(32, t.Data.Length);
    }

    [Fact]
    public void F32KeepsEveryBitPattern()
    {
        uint[] bits = { 0x7FA00001, 0xFFC00000, 0x80000000, 0x00000001, 0x3F800000 };
        SafeTensor t = One("F32", bits.Length, bits.SelectMany(BitConverter.GetBytes).ToArray());
        AssertSameBits(bits.Select(Bits).ToArray(), t.ToFloat32(), "F32");
    }

    [Theory]
    [InlineData("I64", 8)]
    [InlineData("U8", 1)]
    [InlineData("BOOL", 1)]
    [InlineData("I32", 4)]
    public void NonFloatDtypesThrowNamingTheDtype(string dtype, int size)
    {
        SafeTensor t = One(dtype, 2, new byte[2 * size]);
        Assert.Equal(dtype, t.DType);
        var e = Assert.Throws<InvalidOperationException>(() => t.ToFloat32());
        Assert.Contains(dtype, e.Message);
        Assert.Contains("'t'", e.Message);
    }
}
