using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace Unroll
{
    /// <summary>
    /// Reads the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): two zero bytes,
    /// a type code, the number of dimensions n, n big-endian 32-bit sizes, then the elements in row-major order,
    /// big-endian. Files compressed with gzip (<c>train-images-idx3-ubyte.gz</c>) are recognised by their magic
    /// bytes and read as they are.
    /// </summary>
    /// <remarks>
    /// Reading validates the header before taking any data: the two zero bytes, a known type code, at least one
    /// dimension, no negative size, an element count that fits one .NET array; then that the data holds exactly
    /// the elements the header promises, no fewer (a truncated download) and no more (trailing bytes). Each
    /// violation, and a corrupt gzip stream, throws an <see cref="IdxFormatException"/> naming the file and
    /// what was expected versus found.
    /// </remarks>
    public static class Idx
    {
        /// <summary>The most dimensions a file may declare; the format stores the count in one byte.</summary>
        public const int MaxDimensions = 255;

        /// <summary>Reads the IDX file at <paramref name="path"/>, gzip-compressed or not.</summary>
        /// <exception cref="IdxFormatException">The file is not a valid IDX file, or its gzip stream is corrupt.</exception>
        public static IdxTensor Read(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            return Read(file, path);
        }

        /// <summary>
        /// Reads one IDX tensor from <paramref name="stream"/>, gzip-compressed or not, up to the stream's end;
        /// <paramref name="sourceName"/> names the stream in error messages.
        /// </summary>
        /// <exception cref="IdxFormatException">The stream does not hold one valid IDX tensor.</exception>
        public static IdxTensor Read(Stream stream, string sourceName)
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentNullException.ThrowIfNull(sourceName);
            if (!stream.CanSeek)
            {
                // The gzip trailer is read from the end: a stream that cannot seek is taken into memory first.
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                copy.Position = 0;
                stream = copy;
            }
            long start = stream.Position, length = stream.Length - start;
            Span<byte> magic = stackalloc byte[2];
            int got = ReadUpTo(stream, magic, sourceName);
            stream.Position = start;
            if (got < 2 || magic[0] != 0x1F || magic[1] != 0x8B)
                return ReadTensor(stream, sourceName, compressed: false, out _, out _);

            // gzip: inflate, then check the member's trailer (CRC-32 and size of the inflated bytes) against what came out,
            // which GZipStream does not: a download cut inside the trailer would otherwise pass unnoticed.
            IdxTensor tensor;
            uint crc;
            long inflated;
            using (var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true))
                tensor = ReadTensor(gzip, sourceName, compressed: true, out crc, out inflated);
            if (length < 18)
                throw new IdxFormatException(sourceName, $"the gzip file holds {length} bytes; a gzip member needs at least 18.");
            Span<byte> trailer = stackalloc byte[8];
            stream.Position = start + length - 8;
            ReadUpTo(stream, trailer, sourceName);
            uint recordedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            uint recordedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer.Slice(4));
            if (recordedSize != (uint)inflated || recordedCrc != crc)
                throw new IdxFormatException(sourceName, $"the gzip trailer records {recordedSize} bytes with CRC-32 0x{recordedCrc:X8}, but the stream inflated to {inflated} bytes with CRC-32 0x{crc:X8} (truncated or corrupt).");
            return tensor;
        }

        /// <summary>Reads and validates one tensor from <paramref name="stream"/> to its end; <paramref name="crc"/> and
        /// <paramref name="count"/> are the CRC-32 and number of the bytes it consumed, for a gzip trailer to be checked against.</summary>
        private static IdxTensor ReadTensor(Stream stream, string source, bool compressed, out uint crc, out long count)
        {
            Span<byte> magic = stackalloc byte[4];
            int got = ReadUpTo(stream, magic, source);
            if (got < 4)
                throw new IdxFormatException(source, $"the file holds {got} bytes{(compressed ? " after decompression" : "")}; an IDX header needs at least 4 (two zero bytes, a type code, a dimension count).");
            if (magic[0] != 0 || magic[1] != 0)
                throw new IdxFormatException(source, $"the magic number starts with bytes 0x{magic[0]:X2} 0x{magic[1]:X2}; an IDX file starts with 0x00 0x00 (and a gzip file with 0x1F 0x8B).");
            var type = (IdxDataType)magic[2];
            int elementSize = ElementSize(type);
            if (elementSize == 0)
                throw new IdxFormatException(source, $"the type code is 0x{magic[2]:X2}; expected one of 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64).");
            int rank = magic[3];
            if (rank == 0)
                throw new IdxFormatException(source, "the header declares 0 dimensions; an IDX tensor has at least 1.");

            Span<byte> sizeBytes = stackalloc byte[4 * MaxDimensions];
            sizeBytes = sizeBytes.Slice(0, 4 * rank);
            got = ReadUpTo(stream, sizeBytes, source);
            if (got < sizeBytes.Length)
                throw new IdxFormatException(source, $"the header declares {rank} dimensions, so it needs {4 + 4 * rank} bytes; the file ends after {4 + got}.");
            var shape = new int[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++)
            {
                int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes.Slice(4 * d));
                if (size < 0)
                    throw new IdxFormatException(source, $"dimension {d} has size {size}; sizes are at least 0.");
                shape[d] = size;
                const long Saturated = long.MaxValue / 16; // beyond any array; keeps the product from overflowing
                elements = size != 0 && elements > Saturated / size ? Saturated : elements * size;
            }
            if (elements * elementSize > Array.MaxLength)
                throw new IdxFormatException(source, $"the header declares {Describe(shape)} = {elements} elements of {elementSize} bytes; one tensor can have at most {Array.MaxLength} bytes here.");

            var data = new byte[elements * elementSize];
            got = ReadUpTo(stream, data, source);
            if (got < data.Length)
                throw new IdxFormatException(source, $"the header declares {Describe(shape)} {TypeName(type)} elements, {data.Length} bytes of data, but the file ends after {got} of them (truncated).");
            Span<byte> probe = stackalloc byte[1];
            if (ReadUpTo(stream, probe, source) != 0)
                throw new IdxFormatException(source, $"the header declares {Describe(shape)} {TypeName(type)} elements, {data.Length} bytes of data, but more bytes follow them.");
            crc = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Update(Crc32.Start, magic), sizeBytes), data));
            count = magic.Length + sizeBytes.Length + data.Length;
            return new IdxTensor(type, shape, (int)elements, data, source);
        }

        /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; a corrupt gzip stream becomes an <see cref="IdxFormatException"/>.</summary>
        private static int ReadUpTo(Stream stream, Span<byte> buffer, string source)
        {
            try
            {
                return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                throw new IdxFormatException(source, $"the gzip stream is corrupt ({e.Message})", e);
            }
        }

        internal static int ElementSize(IdxDataType type) => type switch
        {
            IdxDataType.UnsignedByte or IdxDataType.SignedByte => 1,
            IdxDataType.Int16 => 2,
            IdxDataType.Int32 or IdxDataType.Single => 4,
            IdxDataType.Double => 8,
            _ => 0,
        };

        internal static string TypeName(IdxDataType type) => type switch
        {
            IdxDataType.UnsignedByte => "ubyte",
            IdxDataType.SignedByte => "sbyte",
            IdxDataType.Int16 => "int16",
            IdxDataType.Int32 => "int32",
            IdxDataType.Single => "float32",
            _ => "float64",
        };

        internal static string Describe(int[] shape) => "(" + string.Join(", ", shape) + ")";
    }
}
