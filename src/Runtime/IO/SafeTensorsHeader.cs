using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Unicode;

namespace Unroll
{
    /// <summary>One tensor entry of a validated header; offsets are relative to the data buffer.</summary>
    internal sealed record SafeTensorEntry(string Name, string DType, int[] Shape, long ElementCount, long Begin, long End);

    /// <summary>
    /// A parsed and fully validated safetensors header. Parsing uses <see cref="JsonDocument"/> only
    /// (no reflection-based serializer) so the runtime stays trimming- and NativeAOT-safe.
    /// </summary>
    internal sealed class SafeTensorsHeader
    {
        /// <summary>The reference implementation's limit (safetensors/src/tensor.rs MAX_HEADER_SIZE).</summary>
        public const long MaxHeaderLength = 100_000_000;

        private SafeTensorsHeader(long headerLength, List<SafeTensorEntry> tensors, Dictionary<string, string> metadata)
        {
            HeaderLength = headerLength;
            Tensors = tensors;
            Metadata = metadata;
        }

        /// <summary>N, the JSON length; the data buffer starts at byte 8 + N of the file.</summary>
        public long HeaderLength { get; }

        /// <summary>The tensors in data-offset order.</summary>
        public IReadOnlyList<SafeTensorEntry> Tensors { get; }

        /// <summary>The <c>__metadata__</c> entries; empty when the file has none.</summary>
        public Dictionary<string, string> Metadata { get; }

        /// <summary>Byte offset of the data buffer in the file.</summary>
        public long DataStart => 8 + HeaderLength;

        /// <summary>Checks the 8-byte length prefix against the size limit and the file length, and returns N.</summary>
        public static long ReadHeaderLength(ReadOnlySpan<byte> prefix, long fileLength, string source)
        {
            if (fileLength < 8)
                throw new SafeTensorsFormatException(source, null,
                    $"the file is {fileLength} bytes, shorter than the 8-byte header length prefix (file truncated?).");
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (n > MaxHeaderLength)
                throw new SafeTensorsFormatException(source, null,
                    $"the header length prefix is {n} bytes; expected at most {MaxHeaderLength} bytes (100 MB).");
            if ((long)n > fileLength - 8)
                throw new SafeTensorsFormatException(source, null,
                    $"the header length prefix is {n} bytes but only {fileLength - 8} bytes follow the prefix (file truncated?).");
            return (long)n;
        }

        /// <summary>Parses and validates the JSON header against a data buffer of <paramref name="bufferLength"/> bytes.</summary>
        public static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, long bufferLength, string source)
        {
            if (!Utf8.IsValid(json))
                throw new SafeTensorsFormatException(source, null, "the header is not valid UTF-8.");
            if (json.StartsWith("\uFEFF"u8))
                throw new SafeTensorsFormatException(source, null, "the header starts with a UTF-8 byte order mark; expected '{'.");

            var tensors = new List<SafeTensorEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            bool sawMetadata = false;
            try
            {
                using JsonDocument doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(json.ToArray()));
                JsonElement root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new SafeTensorsFormatException(source, null,
                        $"the header must be a JSON object; found a JSON {Describe(root.ValueKind)}.");
                foreach (JsonProperty property in root.EnumerateObject())
                {
                    string name = property.Name;
                    if (name == "__metadata__")
                    {
                        if (sawMetadata)
                            throw new SafeTensorsFormatException(source, null, "the header has more than one '__metadata__' entry.");
                        sawMetadata = true;
                        ReadMetadata(property.Value, metadata, source);
                        continue;
                    }
                    if (!names.Add(name))
                        throw new SafeTensorsFormatException(source, name, "the name appears more than once in the header; expected unique tensor names.");
                    tensors.Add(ReadEntry(name, property.Value, source));
                }
            }
            catch (JsonException e)
            {
                throw new SafeTensorsFormatException(source, null, $"the header is not valid JSON: {e.Message}", e);
            }
            catch (InvalidOperationException e)
            {
                // JsonElement.GetString throws this for escaped text that is not valid UTF-16 (a lone surrogate).
                throw new SafeTensorsFormatException(source, null, $"the header contains an invalid JSON string: {e.Message}", e);
            }

            CheckLayout(tensors, bufferLength, source);
            return new SafeTensorsHeader(json.Length, tensors, metadata);
        }

        private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
        {
            if (value.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException(source, null,
                    $"'__metadata__' must be a JSON object of strings; found a JSON {Describe(value.ValueKind)}.");
            foreach (JsonProperty p in value.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new SafeTensorsFormatException(source, null,
                        $"'__metadata__' entry '{p.Name}' must be a string; found a JSON {Describe(p.Value.ValueKind)}.");
                if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
                    throw new SafeTensorsFormatException(source, null, $"'__metadata__' has more than one entry '{p.Name}'.");
            }
        }

        private static SafeTensorEntry ReadEntry(string name, JsonElement value, string source)
        {
            if (value.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException(source, name,
                    $"expected an object with dtype, shape and data_offsets; found a JSON {Describe(value.ValueKind)}.");
            string? dtype = null;
            int[]? shape = null;
            long[]? offsets = null;
            foreach (JsonProperty p in value.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "dtype" when dtype is null:
                        if (p.Value.ValueKind != JsonValueKind.String)
                            throw new SafeTensorsFormatException(source, name, $"dtype must be a string; found a JSON {Describe(p.Value.ValueKind)}.");
                        dtype = p.Value.GetString()!;
                        break;
                    case "shape" when shape is null:
                        shape = ReadShape(name, p.Value, source);
                        break;
                    case "data_offsets" when offsets is null:
                        offsets = ReadOffsets(name, p.Value, source);
                        break;
                    case "dtype" or "shape" or "data_offsets":
                        throw new SafeTensorsFormatException(source, name, $"'{p.Name}' appears more than once.");
                    default:
                        throw new SafeTensorsFormatException(source, name,
                            $"unexpected key '{p.Name}'; expected only dtype, shape and data_offsets.");
                }
            }
            if (dtype is null || shape is null || offsets is null)
                throw new SafeTensorsFormatException(source, name,
                    $"missing {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}; expected dtype, shape and data_offsets.");

            if (!SafeTensorDTypes.TryGetSize(dtype, out int size))
                throw new SafeTensorsFormatException(source, name, $"unknown dtype '{dtype}'; expected one of {SafeTensorDTypes.KnownList}.");

            long count = 1, bytes;
            try
            {
                foreach (int d in shape) count = checked(count * d);
                bytes = checked(count * size);
            }
            catch (OverflowException)
            {
                throw new SafeTensorsFormatException(source, name, $"shape {FormatShape(shape)} with dtype {dtype} overflows a 64-bit byte count.");
            }
            long begin = offsets[0], end = offsets[1];
            if (end < begin)
                throw new SafeTensorsFormatException(source, name, $"data_offsets [{begin}, {end}] end before they begin; expected begin <= end.");
            if (end - begin != bytes)
                throw new SafeTensorsFormatException(source, name,
                    $"dtype {dtype} with shape {FormatShape(shape)} needs {bytes} bytes ({count} x {size}), but data_offsets [{begin}, {end}] span {end - begin} bytes.");
            return new SafeTensorEntry(name, dtype, shape, count, begin, end);
        }

        private static int[] ReadShape(string name, JsonElement value, string source)
        {
            if (value.ValueKind != JsonValueKind.Array)
                throw new SafeTensorsFormatException(source, name, $"shape must be an array of integers; found a JSON {Describe(value.ValueKind)}.");
            var shape = new int[value.GetArrayLength()];
            int i = 0;
            foreach (JsonElement d in value.EnumerateArray())
            {
                if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v))
                    throw new SafeTensorsFormatException(source, name, $"shape dimension {i} is {d.GetRawText()}; expected a non-negative integer.");
                if (v < 0)
                    throw new SafeTensorsFormatException(source, name, $"shape dimension {i} is {v}; expected a non-negative integer.");
                if (v > int.MaxValue)
                    throw new SafeTensorsFormatException(source, name, $"shape dimension {i} is {v}; expected at most {int.MaxValue}.");
                shape[i++] = (int)v;
            }
            return shape;
        }

        private static long[] ReadOffsets(string name, JsonElement value, string source)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
                throw new SafeTensorsFormatException(source, name,
                    $"data_offsets must be an array of two integers [begin, end]; found {value.GetRawText()}.");
            var offsets = new long[2];
            int i = 0;
            foreach (JsonElement o in value.EnumerateArray())
            {
                if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long v) || v < 0)
                    throw new SafeTensorsFormatException(source, name, $"data_offsets[{i}] is {o.GetRawText()}; expected a non-negative integer.");
                offsets[i++] = v;
            }
            return offsets;
        }

        /// <summary>
        /// The tensors, in offset order, must tile the data buffer exactly: the first starts at 0, each starts
        /// where the previous ends (no holes, no overlaps), and the last ends at the end of the file.
        /// </summary>
        private static void CheckLayout(List<SafeTensorEntry> tensors, long bufferLength, string source)
        {
            // Writers may list tensors in any order (older ones sorted purely by name), as the reference reader allows.
            tensors.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expected = 0;
            SafeTensorEntry? previous = null;
            foreach (SafeTensorEntry t in tensors)
            {
                if (t.Begin > expected)
                    throw new SafeTensorsFormatException(source, t.Name, previous is null
                        ? $"the first tensor's data starts at byte {t.Begin}; expected 0 ({t.Begin} unused bytes at the start of the buffer)."
                        : $"data starts at byte {t.Begin} but tensor '{previous.Name}' ends at byte {expected}; expected no hole between tensors ({t.Begin - expected} unused bytes).");
                if (t.Begin < expected)
                    throw new SafeTensorsFormatException(source, t.Name,
                        $"data_offsets [{t.Begin}, {t.End}] overlap tensor '{previous!.Name}', which ends at byte {expected}; expected data to start at byte {expected}.");
                expected = t.End;
                previous = t;
            }
            if (expected > bufferLength)
                throw new SafeTensorsFormatException(source, previous!.Name,
                    $"data ends at byte {expected} but the data buffer has only {bufferLength} bytes (file truncated?).");
            if (expected < bufferLength)
                throw new SafeTensorsFormatException(source, previous?.Name, previous is null
                    ? $"the header lists no tensors but {bufferLength} bytes follow it; expected no trailing data."
                    : $"{bufferLength - expected} trailing bytes after the last tensor's data (which ends at byte {expected} of {bufferLength}); expected none.");
        }

        internal static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Null => "null",
            _ => kind.ToString(),
        };
    }
}
