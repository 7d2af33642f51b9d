using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Unroll
{
    /// <summary>
    /// One tensor read from a safetensors file: its name, dtype, shape and raw little-endian bytes.
    /// The equivalent of one entry of PyTorch's <c>safetensors.torch.load_file(path)</c> dictionary.
    /// </summary>
    public sealed class SafeTensor
    {
        private readonly byte[] _data;
        private readonly int[] _shape;

        internal SafeTensor(string name, string dtype, int[] shape, long elementCount, byte[] data)
        {
            Name = name;
            DType = dtype;
            _shape = shape;
            ElementCount = elementCount;
            _data = data;
        }

        /// <summary>The tensor's key in the file, e.g. <c>hidden.weight</c>.</summary>
        public string Name { get; }

        /// <summary>The safetensors dtype string: <c>F32</c>, <c>F64</c>, <c>F16</c>, <c>BF16</c>, <c>I64</c>, ... (<c>torch.float32</c> is <c>F32</c>).</summary>
        public string DType { get; }

        /// <summary>Dimensions, row-major (C order), as in <c>tensor.shape</c>; empty for a scalar.</summary>
        public IReadOnlyList<int> Shape => _shape;

        /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar), as <c>tensor.numel()</c>.</summary>
        public long ElementCount { get; }

        /// <summary>The raw element bytes, little-endian, row-major, exactly as stored in the file.</summary>
        public ReadOnlyMemory<byte> Data => _data;

        /// <summary>
        /// The values converted to <see cref="float"/>, row-major, as <c>tensor.to(torch.float32).flatten()</c>:
        /// F32 is copied bit for bit, F16 and BF16 widen exactly, F64 rounds to nearest.
        /// </summary>
        /// <exception cref="InvalidOperationException">The dtype is not F32, F64, F16 or BF16; the message names it.</exception>
        public float[] ToFloat32()
        {
            ReadOnlySpan<byte> bytes = _data;
            var result = new float[ElementCount];
            switch (DType)
            {
                case "F32" when BitConverter.IsLittleEndian:
                    MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result);
                    break;
                case "F32":
                    for (int i = 0; i < result.Length; i++)
                        result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
                    break;
                case "F64":
                    for (int i = 0; i < result.Length; i++)
                        result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(8 * i));
                    break;
                case "F16":
                    for (int i = 0; i < result.Length; i++)
                        result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.Slice(2 * i));
                    break;
                case "BF16":
                    // bfloat16 is the upper half of a float32, so widening is a shift.
                    for (int i = 0; i < result.Length; i++)
                        result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(2 * i)) << 16);
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Tensor '{Name}' has dtype {DType}; ToFloat32 converts only F32, F64, F16 and BF16.");
            }
            return result;
        }

        /// <inheritdoc/>
        public override string ToString() => $"{Name} {DType} [{string.Join(", ", _shape)}]";
    }
}
