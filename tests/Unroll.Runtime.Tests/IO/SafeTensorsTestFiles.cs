using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Unroll.Runtime.Tests.IO;

/// <summary>Builders for hand-crafted safetensors buffers and access to the committed fixtures.</summary>
internal static class SafeTensorsTestFiles
{
    public const string FixtureFolder = "safetensors";

    /// <summary>8-byte length prefix (the real header length unless <paramref name="declaredLength"/> is given), header, data.</summary>
    public static byte[] Build(string header, byte[] data, ulong? declaredLength = null) =>
        Build(Encoding.UTF8.GetBytes(header), data, declaredLength);

    public static byte[] Build(byte[] header, byte[] data, ulong? declaredLength = null)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>Little-endian F32 bytes of <paramref name="values"/>.</summary>
    public static byte[] F32(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public static string FixturePath(string fileName) => Path.Combine(AppContext.BaseDirectory, "Goldens", FixtureFolder, fileName);

    public static JsonElement FixtureJson(string fileName) => Golden.Load(Path.Combine(FixtureFolder, fileName));

    /// <summary>The fixture folder in the source tree, where a changed fixture is written for review.</summary>
    public static string SourceFixtureFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Goldens", FixtureFolder));

    public static string BitsOf(float f) => $"0x{BitConverter.SingleToUInt32Bits(f):X8}";

    /// <summary>Asserts identical bit patterns (so NaN payloads and -0 count), naming the first difference.</summary>
    public static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected bits {BitsOf(expected[i])} ({expected[i]:R}), got {BitsOf(actual[i])} ({actual[i]:R})");
    }

    /// <summary>Index of the first differing byte, or -1.</summary>
    public static long FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
            if (a[i] != b[i]) return i;
        return a.Length == b.Length ? -1 : n;
    }
}

/// <summary>A fresh directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "unroll-safetensors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Names of every entry in the directory, hidden files included, sorted.</summary>
    public string[] Entries()
    {
        string[] names = Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).ToArray()!;
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
