using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>PackedWeight / PackedWeights: when the copies are current, that a kernel reads them, and the errors for a wrong one.</summary>
public class PackedWeightsTests
{
    private static float[] Random(int n, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = random.NextNormal();
        return values;
    }

    [Fact]
    public void ADenseProductOnThePackedPathReadsThePackedCopyAndASmallOneReadsTheWeight()
    {
        const int Batch = 64, In = 96, Out = 80; // 64 x 80 x 96 multiply-adds: the packed path
        float[] x = Random(Batch * In, 1), packedValues = Random(Out * In, 2), other = Random(Out * In, 3), bias = Random(Out, 4);
        var weights = new PackedWeights(new PackedWeight(0, Out, In));
        Assert.Same(weights, weights.Current(packedValues));

        var expected = new float[Batch * Out];
        Layers.Dense_Forward(expected, x, packedValues, bias, Batch, In, Out);
        var actual = new float[Batch * Out];
        // Given another weight beside the packed copy, the packed path multiplies the copy: the same bits as the weight it was packed from.
        Layers.Dense_Forward(actual, x, other, bias, Batch, In, Out, weights[0]);
        Assert.Equal(expected, actual);

        // Two rows take the dot products, which read the weight itself.
        var small = new float[2 * Out];
        var fromOther = new float[2 * Out];
        Layers.Dense_Forward(small, x.AsSpan(0, 2 * In), other, bias, 2, In, Out, weights[0]);
        Layers.Dense_Forward(fromOther, x.AsSpan(0, 2 * In), other, bias, 2, In, Out);
        Assert.Equal(fromOther, small);
    }

    [Fact]
    public void TheCopiesFollowTheChangesTheyAreToldOf()
    {
        const int Batch = 32, In = 128, Out = 96;
        float[] parameters = new float[10 + Out * In];
        Random(Out * In, 5).CopyTo(parameters, 10);
        float[] x = Random(Batch * In, 6);
        var weights = new PackedWeights(new PackedWeight(10, Out, In));
        float[] Product()
        {
            PackedWeights? current = weights.Current(parameters);
            Assert.NotNull(current);
            var y = new float[Batch * Out];
            Layers.Dense_Forward(y, x, new float[Out * In], default, Batch, In, Out, current![0]); // a zero weight beside the copy: only the copy counts
            return y;
        }
        float[] Reference()
        {
            var y = new float[Batch * Out];
            Layers.Dense_Forward(y, x, parameters.AsSpan(10, Out * In), default, Batch, In, Out);
            return y;
        }

        Assert.Equal(Reference(), Product());
        parameters[10] += 1f;
        Assert.NotEqual(Reference(), Product()); // not told: still the old copy
        weights.Modified();
        Assert.Equal(Reference(), Product());

        weights.ViewTaken();
        Assert.False(weights.InUse);
        Assert.Null(weights.Current(parameters));
        parameters[11] -= 1f;
        weights.ViewsReleased();
        Assert.True(weights.InUse);
        Assert.Equal(Reference(), Product());
    }

    [Fact]
    public void AModelWithoutWeightsToPackGetsNoCopies() => Assert.Null(new PackedWeights().Current(new float[4]));

    [Fact]
    public void AWrongOrUnpackedCopyIsAnErrorNamingBothShapes()
    {
        var y = new float[64 * 80];
        float[] x = new float[64 * 96], w = new float[80 * 96];
        var wrong = new PackedWeights(new PackedWeight(0, 80, 95));
        wrong.Current(new float[80 * 95]);
        var e = Assert.Throws<ArgumentException>(() => Layers.Dense_Forward(y, x, w, default, 64, 96, 80, wrong[0]));
        Assert.Equal("packedWeight", e.ParamName);
        Assert.StartsWith("Expected a packed weight of 80 x 96, but it is 80 x 95.", e.Message);

        var never = new PackedWeight(0, 80, 96);
        e = Assert.Throws<ArgumentException>(() => Layers.Dense_Forward(y, x, w, default, 64, 96, 80, never));
        Assert.StartsWith("The 80 x 96 weight at 0 has not been packed yet: pass one from what PackedWeights.Current returned.", e.Message);

        var recurrent = new PackedWeights(new PackedWeight(0, 4 * 8, 8));
        recurrent.Current(new float[32 * 8]);
        e = Assert.Throws<ArgumentException>(() => Layers.Lstm_Forward(default, new float[2 * 4 * 8], new float[2 * 4 * 8], new float[3 * 4 * 32],
            new float[5 * 4 * 8], new float[3 * 4 * 6], default, default, new float[32 * 6], new float[32 * 8], default, 3, 4, 6, 8, reverse: false,
            packedIh: recurrent[0]));
        Assert.Equal("packedIh", e.ParamName);
        Assert.StartsWith("Expected a packed weight of 32 x 6, but it is 32 x 8.", e.Message);
    }

    [Fact]
    public void AWeightBeyondTheParametersIsAnError()
    {
        var weights = new PackedWeights(new PackedWeight(8, 4, 4));
        var e = Assert.Throws<ArgumentException>(() => weights.Current(new float[20]));
        Assert.StartsWith("The weight at 8 of 4 x 4 values does not fit in 20 parameters.", e.Message);
    }
}
