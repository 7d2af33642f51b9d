using System.Text.Json;

namespace Unroll.Models.Tests;

/// <summary>What the whole-model golden tests share: a golden file's cases by name, its parameters copied into a model by
/// tensor name, and every tensor of a model compared with the golden's.</summary>
internal static class ModelGoldens
{
    public static JsonElement Case(string file, string name) =>
        Golden.Load(file).GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    /// <summary>Copies every tensor of <paramref name="values"/> into the model; the golden must hold exactly the model's tensors.</summary>
    public static void SetParameters(IReadOnlyList<ParameterTensor> tensors, Span<float> parameters, JsonElement values)
    {
        foreach (ParameterTensor t in tensors)
            values.GetProperty(t.FullName).Floats().CopyTo(parameters.Slice(t.Offset, t.Length));
        Assert.Equal(tensors.Count, values.EnumerateObject().Count());
    }

    /// <summary>Every tensor of the model (parameters or gradients, laid out alike) against the golden's, which must name them all.</summary>
    public static void AssertTensors(IReadOnlyList<ParameterTensor> tensors, ReadOnlySpan<float> actual, JsonElement expected, string what)
    {
        foreach (ParameterTensor t in tensors)
            Golden.AssertClose(expected.GetProperty(t.FullName).Floats(), actual.Slice(t.Offset, t.Length), what + " " + t.FullName);
        Assert.Equal(tensors.Count, expected.EnumerateObject().Count());
    }
}
