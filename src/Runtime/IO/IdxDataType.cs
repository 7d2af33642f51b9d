namespace Unroll
{
    /// <summary>The element types of the IDX format, by their type code.</summary>
    public enum IdxDataType : byte
    {
        /// <summary>Unsigned byte (0x08): MNIST's pixels and labels.</summary>
        UnsignedByte = 0x08,
        /// <summary>Signed byte (0x09).</summary>
        SignedByte = 0x09,
        /// <summary>Big-endian 16-bit integer (0x0B).</summary>
        Int16 = 0x0B,
        /// <summary>Big-endian 32-bit integer (0x0C).</summary>
        Int32 = 0x0C,
        /// <summary>Big-endian 32-bit float (0x0D).</summary>
        Single = 0x0D,
        /// <summary>Big-endian 64-bit float (0x0E).</summary>
        Double = 0x0E,
    }
}
