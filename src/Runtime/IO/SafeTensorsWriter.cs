using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Unroll
{
    /// <summary>
    /// A validated, ordered set of F32 tensors with its encoded header, ready to be written. Mirrors
    /// <c>prepare</c>/<c>serialize</c> in safetensors/src/tensor.rs so the bytes match the Python library's.
    /// </summary>
    internal sealed class SafeTensorsWriter
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private readonly byte[] _header;
        private readonly List<Item> _items;

        private sealed record Item(string Name, byte[] NameUtf8, int[] Shape, ReadOnlyMemory<float> Data);

        private SafeTensorsWriter(byte[] header, List<Item> items)
        {
            _header = header;
            _items = items;
        }

        /// <summary>Validates everything and encodes the header; nothing touches the disk.</summary>
        public static SafeTensorsWriter Prepare(IEnumerable<(string Name, int[] Shape, ReadOnlyMemory<float> Data)> tensors,
            IReadOnlyDictionary<string, string>? metadata)
        {
            var items = new List<Item>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string name, int[] shape, ReadOnlyMemory<float> data) in tensors)
            {
                if (name is null)
                    throw new ArgumentException($"Tensor {items.Count} has a null name.", nameof(tensors));
                if (name == "__metadata__")
                    throw new ArgumentException("A tensor cannot be named '__metadata__'; the format reserves that key.", nameof(tensors));
                if (!names.Add(name))
                    throw new ArgumentException($"Tensor name '{name}' appears more than once; names must be unique.", nameof(tensors));
                if (shape is null)
                    throw new ArgumentException($"Tensor '{name}' has a null shape.", nameof(tensors));
                long count = 1;
                foreach (int d in shape)
                {
                    if (d < 0)
                        throw new ArgumentException($"Tensor '{name}' has shape {SafeTensorsHeader.FormatShape(shape)}; dimensions must be non-negative.", nameof(tensors));
                    // Saturate instead of overflowing: any count above int.MaxValue already differs from data.Length.
                    count = Math.Min(count * d, long.MaxValue / int.MaxValue);
                }
                if (count != data.Length)
                    throw new ArgumentException(
                        $"Tensor '{name}' has shape {SafeTensorsHeader.FormatShape(shape)} ({count} values) but {data.Length} values of data.", nameof(tensors));
                items.Add(new Item(name, Encode(name, "tensor name"), (int[])shape.Clone(), data));
            }

            // The Python library sorts by descending dtype, then by name; with F32 only that is name order,
            // compared as UTF-8 bytes like Rust's String ordering.
            items.Sort(static (a, b) => a.NameUtf8.AsSpan().SequenceCompareTo(b.NameUtf8));
            return new SafeTensorsWriter(EncodeHeader(items, metadata), items);
        }

        /// <summary>Writes to a temporary file next to <paramref name="path"/>, flushes it to disk and moves it into place.</summary>
        public void WriteAtomically(string path) => AtomicFile.Write(path, WriteTo);

        /// <summary>Writes the complete file: length prefix, padded header, data.</summary>
        public void WriteTo(Stream stream)
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)_header.Length);
            stream.Write(prefix);
            stream.Write(_header);
            Span<byte> chunk = stackalloc byte[4096];
            foreach (Item item in _items)
            {
                ReadOnlySpan<float> values = item.Data.Span;
                if (BitConverter.IsLittleEndian)
                {
                    stream.Write(MemoryMarshal.AsBytes(values));
                    continue;
                }
                while (!values.IsEmpty)
                {
                    int n = Math.Min(values.Length, chunk.Length / 4);
                    for (int i = 0; i < n; i++)
                        BinaryPrimitives.WriteSingleLittleEndian(chunk.Slice(4 * i), values[i]);
                    stream.Write(chunk.Slice(0, 4 * n));
                    values = values.Slice(n);
                }
            }
        }

        private static byte[] EncodeHeader(List<Item> items, IReadOnlyDictionary<string, string>? metadata)
        {
            var json = new List<byte>(128 + 96 * items.Count);
            json.Add((byte)'{');
            bool first = true;
            if (metadata is not null)
            {
                var entries = new List<(byte[] Key, byte[] Value)>(metadata.Count);
                foreach (KeyValuePair<string, string> kv in metadata)
                {
                    if (kv.Key is null || kv.Value is null)
                        throw new ArgumentException("Metadata keys and values must not be null.", nameof(metadata));
                    entries.Add((Encode(kv.Key, "metadata key"), Encode(kv.Value, $"metadata value of '{kv.Key}'")));
                }
                // The Rust library keeps metadata in a HashMap (arbitrary order); sorting makes our output deterministic.
                entries.Sort(static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
                AppendAscii(json, "\"__metadata__\":{");
                for (int i = 0; i < entries.Count; i++)
                {
                    if (i > 0) json.Add((byte)',');
                    AppendString(json, entries[i].Key);
                    json.Add((byte)':');
                    AppendString(json, entries[i].Value);
                }
                json.Add((byte)'}');
                first = false;
            }
            long offset = 0;
            foreach (Item item in items)
            {
                if (!first) json.Add((byte)',');
                first = false;
                AppendString(json, item.NameUtf8);
                AppendAscii(json, ":{\"dtype\":\"F32\",\"shape\":[");
                for (int i = 0; i < item.Shape.Length; i++)
                {
                    if (i > 0) json.Add((byte)',');
                    AppendAscii(json, item.Shape[i].ToString(CultureInfo.InvariantCulture));
                }
                long end = offset + 4L * item.Data.Length;
                AppendAscii(json, "],\"data_offsets\":[" + offset.ToString(CultureInfo.InvariantCulture) + "," + end.ToString(CultureInfo.InvariantCulture) + "]}");
                offset = end;
            }
            json.Add((byte)'}');
            while (json.Count % 8 != 0) json.Add((byte)' ');
            return json.ToArray();
        }

        private static byte[] Encode(string text, string what)
        {
            try
            {
                return StrictUtf8.GetBytes(text);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException($"The {what} '{text}' is not valid UTF-16 (lone surrogate), so it cannot be written as UTF-8.", e);
            }
        }

        private static void AppendAscii(List<byte> json, string ascii)
        {
            foreach (char c in ascii) json.Add((byte)c);
        }

        /// <summary>A JSON string escaped the way serde_json (and Python's json with ensure_ascii=False) does it.</summary>
        private static void AppendString(List<byte> json, byte[] utf8)
        {
            json.Add((byte)'"');
            foreach (byte b in utf8)
            {
                switch (b)
                {
                    case (byte)'"': AppendAscii(json, "\\\""); break;
                    case (byte)'\\': AppendAscii(json, "\\\\"); break;
                    case (byte)'\b': AppendAscii(json, "\\b"); break;
                    case (byte)'\f': AppendAscii(json, "\\f"); break;
                    case (byte)'\n': AppendAscii(json, "\\n"); break;
                    case (byte)'\r': AppendAscii(json, "\\r"); break;
                    case (byte)'\t': AppendAscii(json, "\\t"); break;
                    case < 0x20: AppendAscii(json, "\\u00" + b.ToString("x2", CultureInfo.InvariantCulture)); break;
                    default: json.Add(b); break;
                }
            }
            json.Add((byte)'"');
        }
    }
}
