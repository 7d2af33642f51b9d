using System.Text.Json;
using Xunit;

namespace Unroll.Tests.Shared;

/// <summary>Reads the PyTorch goldens written by tools/reference/*.py (from the Goldens folder copied next to the test assembly)
/// and compares within the project's tolerance. Linked into every test project that checks goldens.</summary>
internal static class Golden
{
    public const double AbsoluteTolerance = 1e-5;
    public const double RelativeTolerance = 1e-4;

    public static JsonElement Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Goldens", fileName);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.Clone();
    }

    public static float[] Floats(this JsonElement element)
    {
        var result = new float[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in element.EnumerateArray()) result[i++] = e.GetSingle();
        return result;
    }

    public static int[] Ints(this JsonElement element)
    {
        var result = new int[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in element.EnumerateArray()) result[i++] = e.GetInt32();
        return result;
    }

    /// <summary>|actual - expected| &lt;= abs + rel * |expected| for every element, reporting the first failure with its index.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what,
        double abs = AbsoluteTolerance, double rel = RelativeTolerance)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            double diff = Math.Abs(a - e);
            if (!(diff <= abs + rel * Math.Abs(e)))
                Assert.Fail($"{what}[{i}]: expected {e:R}, got {a:R} (|diff| {diff:E2} > {abs} + {rel}*|expected|)");
        }
    }

    public static void AssertClose(double expected, double actual, string what,
        double abs = AbsoluteTolerance, double rel = RelativeTolerance)
    {
        double diff = Math.Abs(actual - expected);
        if (!(diff <= abs + rel * Math.Abs(expected)))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (|diff| {diff:E2})");
    }
}
