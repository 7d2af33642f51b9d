using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Unroll
{
    /// <summary>One tensor read from an IDX file: its element type, shape and data in the file's (big-endian) byte order.</summary>
    public sealed class IdxTensor
    {
        private readonly byte[] _data;

        internal IdxTensor(IdxDataType dataType, int[] shape, int elementCount, byte[] data, string source)
        {
            DataType = dataType;
            Shape = shape;
            ElementCount = elementCount;
            _data = data;
            Source = source;
        }

        /// <summary>The element type the header declares.</summary>
        public IdxDataType DataType { get; }

        /// <summary>The sizes of the dimensions, outermost first: (60000, 28, 28) for MNIST's training images.</summary>
        public IReadOnlyList<int> Shape { get; }

        /// <summary>The product of the sizes.</summary>
        public int ElementCount { get; }

        /// <summary>The file (or source name) the tensor came from.</summary>
        public string Source { get; }

        /// <summary>The number of items along the first dimension (images, labels).</summary>
        public int Count => Shape[0];

        /// <summary>The elements per item: the product of every size after the first (784 for 28x28 images, 1 for labels).</summary>
        public int ItemSize => Shape[0] == 0 ? 0 : ElementCount / Shape[0];

        /// <summary>The raw bytes of an unsigned-byte tensor (pixels 0..255, labels).</summary>
        /// <exception cref="InvalidOperationException">The tensor holds another type.</exception>
        public ReadOnlySpan<byte> Bytes =>
            DataType == IdxDataType.UnsignedByte
                ? _data
                : throw new InvalidOperationException($"'{Source}' holds {Idx.TypeName(DataType)} elements; Bytes is for ubyte tensors. Use ToSingles or ToInt32.");

        /// <summary>Every element converted to <see langword="float"/>, in row-major order.</summary>
        public float[] ToSingles()
        {
            var result = new float[ElementCount];
            for (int i = 0; i < result.Length; i++)
                result[i] = DataType switch
                {
                    IdxDataType.UnsignedByte => _data[i],
                    IdxDataType.SignedByte => (sbyte)_data[i],
                    IdxDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(_data.AsSpan(2 * i)),
                    IdxDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(4 * i)),
                    IdxDataType.Single => BinaryPrimitives.ReadSingleBigEndian(_data.AsSpan(4 * i)),
                    _ => (float)BinaryPrimitives.ReadDoubleBigEndian(_data.AsSpan(8 * i)),
                };
            return result;
        }

        /// <summary>Every element as an <see langword="int"/>, for label files (integer types only).</summary>
        /// <exception cref="InvalidOperationException">The tensor holds floating-point elements.</exception>
        public int[] ToInt32()
        {
            if (DataType is IdxDataType.Single or IdxDataType.Double)
                throw new InvalidOperationException($"'{Source}' holds {Idx.TypeName(DataType)} elements; ToInt32 is for integer tensors such as labels.");
            var result = new int[ElementCount];
            for (int i = 0; i < result.Length; i++)
                result[i] = DataType switch
                {
                    IdxDataType.UnsignedByte => _data[i],
                    IdxDataType.SignedByte => (sbyte)_data[i],
                    IdxDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(_data.AsSpan(2 * i)),
                    _ => BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(4 * i)),
                };
            return result;
        }
    }
}
