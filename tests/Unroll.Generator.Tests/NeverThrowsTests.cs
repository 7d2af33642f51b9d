using Unroll.Generator.Diagnostics;
using Unroll.Generator.Helpers;
using Unroll.Generator.Layers.Core;
using Unroll.Generator.Model;

namespace Unroll.Generator.Tests;

public class NeverThrowsTests
{
    private static LayerSpec Layer(string name, string kind, LayerOptions options) => new(
        name, kind, null, null, IsValidMember: true, "public", EquatableArray<string>.Empty, Trainable: true, options,
        EquatableArray<WrapperSpec>.Empty, Output: null, EquatableArray<ArgumentInfo>.Empty);

    [Fact]
    public void AnExceptionInsideTheGeneratorBecomesDiagnosticUNR9999()
    {
        // No C# declaration can produce an empty member name; it makes the emitter fail, which must not escape.
        var spec = new ModelSpec(null, "Net", "public", EquatableArray<ContainingType>.Empty, null, null,
            Model.Loss.MeanSquaredError, false, Model.Optimizer.Adam, null, 0.9f, 0.9f, 0.999f, 1e-7f, 0.9f, 0.1f, 0.004f, 1f, false, 4, 0, 0, 0,
            EquatableArray<ArgumentInfo>.Empty,
            new EquatableArray<LayerSpec>(new[]
            {
                Layer("In", "Input", new InputOptions(2, 0, 0, EquatableArray<int>.Empty)),
                Layer("", "Dense", new DenseOptions(1, Model.Activation.Linear, null, true, Model.Initializer.GlorotUniform, null, Model.Initializer.Zeros, null, 0f, 0f)),
            }),
            EquatableArray<DiagnosticInfo>.Empty);

        GeneratedModel result = UnrollGenerator.Generate(spec);

        Assert.Null(result.Source);
        Assert.NotNull(result.Failure);
        Assert.Equal(DiagnosticDescriptors.InternalErrorId, result.Failure!.Id);
        Assert.Equal("Net", result.Failure.MessageArgs[0]);
        Assert.Contains("Exception", result.Failure.MessageArgs[1]);
    }
}
