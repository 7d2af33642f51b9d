using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Unroll
{
    /// <summary>
    /// A safetensors file whose header is read and validated up front, and whose tensors are read one at a time, on demand:
    /// a loader can check names, dtypes and shapes against what it expects before it reads (or allocates) a single tensor.
    /// </summary>
    internal sealed class SafeTensorsReader
    {
        private readonly Action<long, Memory<byte>> _readAt;

        private SafeTensorsReader(SafeTensorsHeader header, Action<long, Memory<byte>> readAt, string source)
        {
            Header = header;
            _readAt = readAt;
            Source = source;
        }

        public SafeTensorsHeader Header { get; }

        public string Source { get; }

        /// <summary>Reads the header of an open file; the handle must stay open while tensors are read.</summary>
        public static SafeTensorsReader Open(SafeFileHandle file, string source)
        {
            long length = RandomAccess.GetLength(file);
            SafeTensorsHeader header = ReadHeader((offset, destination) => ReadExactly(file, destination.Span, offset, source), length, source);
            return new SafeTensorsReader(header, (offset, destination) => ReadExactly(file, destination.Span, offset, source), source);
        }

        /// <summary>Reads the header of a stream from its current position. A stream that cannot seek is copied into memory first.</summary>
        public static SafeTensorsReader Open(Stream stream, string source)
        {
            if (!stream.CanSeek)
            {
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                copy.Position = 0;
                stream = copy;
            }
            long start = stream.Position;
            Action<long, Memory<byte>> readAt = (offset, destination) =>
            {
                stream.Position = start + offset;
                int total = 0;
                while (total < destination.Length)
                {
                    int read = stream.Read(destination.Span.Slice(total));
                    if (read == 0)
                        throw new SafeTensorsFormatException(source, null,
                            $"the stream ended at byte {offset + total} while {destination.Length - total} more bytes were expected (stream changed while reading?).");
                    total += read;
                }
            };
            return new SafeTensorsReader(ReadHeader(readAt, stream.Length - start, source), readAt, source);
        }

        /// <summary>Reads one tensor's bytes.</summary>
        /// <exception cref="NotSupportedException">The tensor is larger than a single .NET array can hold.</exception>
        public SafeTensor Read(SafeTensorEntry e)
        {
            long byteCount = e.End - e.Begin;
            if (byteCount > Array.MaxLength)
                throw new NotSupportedException($"Tensor '{e.Name}' in '{Source}' has {byteCount} bytes; one tensor can have at most {Array.MaxLength} bytes here.");
            var data = new byte[byteCount];
            _readAt(Header.DataStart + e.Begin, data);
            return new SafeTensor(e.Name, e.DType, e.Shape, e.ElementCount, data);
        }

        private static SafeTensorsHeader ReadHeader(Action<long, Memory<byte>> readAt, long length, string source)
        {
            var prefix = new byte[8];
            if (length >= 8) readAt(0, prefix);
            long n = SafeTensorsHeader.ReadHeaderLength(prefix, length, source);
            var json = new byte[n];
            readAt(8, json);
            return SafeTensorsHeader.Parse(json, length - 8 - n, source);
        }

        internal static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset, string source)
        {
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(file, destination, offset);
                if (read == 0)
                    throw new SafeTensorsFormatException(source, null,
                        $"the file ended at byte {offset} while {destination.Length} more bytes were expected (file changed while reading?).");
                destination = destination.Slice(read);
                offset += read;
            }
        }
    }
}
