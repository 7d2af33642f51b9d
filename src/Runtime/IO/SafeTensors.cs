using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Unroll
{
    /// <summary>
    /// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
    /// little-endian header length N, N bytes of JSON describing each tensor's dtype, shape and byte range,
    /// then the raw little-endian data. Files are interchangeable with PyTorch's
    /// <c>safetensors.torch.save_file</c> / <c>load_file</c>.
    /// </summary>
    /// <remarks>
    /// Reading validates the whole header before returning anything: header length, JSON syntax, known dtypes,
    /// byte counts that match dtype and shape, offsets that tile the data buffer exactly (no holes, no overlaps,
    /// no trailing bytes) and unique names. Each violation throws a <see cref="SafeTensorsFormatException"/>
    /// naming the file, the tensor and what was expected versus found.
    /// </remarks>
    public static class SafeTensors
    {
        /// <summary>
        /// Reads every tensor of the safetensors file at <paramref name="path"/>, as
        /// <c>safetensors.torch.load_file(path)</c>. The dictionary is keyed by tensor name, in file order.
        /// </summary>
        /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file.</exception>
        /// <exception cref="NotSupportedException">One tensor is larger than a single .NET array can hold.</exception>
        public static IReadOnlyDictionary<string, SafeTensor> Read(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = RandomAccess.GetLength(file);
            SafeTensorsHeader header = ReadHeader(file, length, path);
            var result = new Dictionary<string, SafeTensor>(header.Tensors.Count, StringComparer.Ordinal);
            foreach (SafeTensorEntry e in header.Tensors)
            {
                long byteCount = e.End - e.Begin;
                if (byteCount > Array.MaxLength)
                    throw new NotSupportedException(
                        $"Tensor '{e.Name}' in '{path}' has {byteCount} bytes; one tensor can have at most {Array.MaxLength} bytes here.");
                var data = new byte[byteCount];
                ReadExactly(file, data, header.DataStart + e.Begin, path);
                result.Add(e.Name, new SafeTensor(e.Name, e.DType, e.Shape, e.ElementCount, data));
            }
            return result;
        }

        /// <summary>
        /// Reads every tensor of an in-memory safetensors file, as <c>safetensors.torch.load(bytes)</c>;
        /// <paramref name="sourceName"/> is used in error messages in place of a file name.
        /// </summary>
        /// <exception cref="SafeTensorsFormatException">The bytes are not a valid safetensors file.</exception>
        public static IReadOnlyDictionary<string, SafeTensor> Read(ReadOnlySpan<byte> bytes, string sourceName)
        {
            ArgumentNullException.ThrowIfNull(sourceName);
            long n = SafeTensorsHeader.ReadHeaderLength(bytes, bytes.Length, sourceName);
            ReadOnlySpan<byte> buffer = bytes.Slice(8 + (int)n);
            SafeTensorsHeader header = SafeTensorsHeader.Parse(bytes.Slice(8, (int)n), buffer.Length, sourceName);
            var result = new Dictionary<string, SafeTensor>(header.Tensors.Count, StringComparer.Ordinal);
            foreach (SafeTensorEntry e in header.Tensors)
            {
                byte[] data = buffer.Slice((int)e.Begin, (int)(e.End - e.Begin)).ToArray();
                result.Add(e.Name, new SafeTensor(e.Name, e.DType, e.Shape, e.ElementCount, data));
            }
            return result;
        }

        /// <summary>
        /// Reads the <c>__metadata__</c> string map of the file at <paramref name="path"/> (empty when there is none),
        /// as <c>safe_open(path, "pt").metadata()</c>. Only the header is read, but it is validated in full
        /// against the file's length.
        /// </summary>
        /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file.</exception>
        public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadHeader(file, RandomAccess.GetLength(file), path).Metadata;
        }

        /// <summary>
        /// Writes F32 tensors to <paramref name="path"/> in safetensors format, as
        /// <c>safetensors.torch.save_file(tensors, path, metadata)</c>, producing the same bytes: tensors sorted by
        /// name (UTF-8 byte order), compact JSON, header padded with spaces to a multiple of 8 bytes, little-endian
        /// data. <paramref name="metadata"/> becomes <c>__metadata__</c> with keys sorted; <see langword="null"/>
        /// omits it.
        /// </summary>
        /// <remarks>
        /// The file is written to a temporary file in the same directory, flushed to disk and then moved over
        /// <paramref name="path"/>, so a crash or an error never leaves a half-written file at <paramref name="path"/>
        /// and an existing file there stays intact until the new one is complete. Everything is validated
        /// before the temporary file is created.
        /// </remarks>
        /// <exception cref="ArgumentException">A name is null, duplicated or <c>__metadata__</c>, a dimension is negative,
        /// or a tensor's data length differs from the product of its shape.</exception>
        public static void Write(string path, IEnumerable<(string Name, int[] Shape, ReadOnlyMemory<float> Data)> tensors,
            IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentNullException.ThrowIfNull(tensors);
            SafeTensorsWriter writer = SafeTensorsWriter.Prepare(tensors, metadata);
            writer.WriteAtomically(path);
        }

        private static SafeTensorsHeader ReadHeader(SafeFileHandle file, long length, string source)
        {
            Span<byte> prefix = stackalloc byte[8];
            if (length >= 8)
                ReadExactly(file, prefix, 0, source);
            long n = SafeTensorsHeader.ReadHeaderLength(prefix, length, source);
            var json = new byte[n];
            ReadExactly(file, json, 8, source);
            return SafeTensorsHeader.Parse(json, length - 8 - n, source);
        }

        private static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset, string source) =>
            SafeTensorsReader.ReadExactly(file, destination, offset, source);
    }
}
