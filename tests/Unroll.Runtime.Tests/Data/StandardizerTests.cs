using System.Text.Json;
using Unroll.Runtime.Tests.Training;
using Xunit;

namespace Unroll.Runtime.Tests.Data;

public class StandardizerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MatchesSklearnStandardScaler(int index)
    {
        JsonElement expected = Golden.Load("tabular.json").GetProperty("standard_scaler")[index];
        Dataset data = TabularCsv.LoadSklearn(TabularFiles.Sample(expected.GetProperty("file").GetString()!));

        Standardizer scaler = Standardizer.Fit(data);

        Golden.AssertClose(expected.GetProperty("mean").Floats(), scaler.Mean, "mean_");
        Golden.AssertClose(expected.GetProperty("scale").Floats(), scaler.Scale, "scale_");
        Dataset transformed = scaler.Transform(data);
        Golden.AssertClose(expected.GetProperty("first_row_transformed").Floats(), transformed.Row(0), "transform(x[0])");
    }

    [Fact]
    public void TransformedTrainingSetHasZeroMeanAndUnitPopulationStd()
    {
        Dataset iris = TabularCsv.LoadSklearn(TabularFiles.Iris);
        float[] before = (float[])iris.Features.Clone();
        Dataset z = Standardizer.Fit(iris).Transform(iris);
        Assert.Equal(before, iris.Features); // the input is not modified
        Assert.Equal(iris.Labels, z.Labels);
        Assert.NotSame(iris.Labels, z.Labels);
        for (int j = 0; j < z.FeatureCount; j++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < z.Count; i++) sum += z.Features[i * 4 + j];
            double mean = sum / z.Count;
            for (int i = 0; i < z.Count; i++) squares += Math.Pow(z.Features[i * 4 + j] - mean, 2);
            Assert.True(Math.Abs(mean) < 1e-6, $"feature {j} mean {mean}");
            Assert.True(Math.Abs(Math.Sqrt(squares / z.Count) - 1) < 1e-5, $"feature {j} std {Math.Sqrt(squares / z.Count)}");
        }
    }

    [Fact]
    public void ConstantFeatureGetsScaleOneAndMapsToZero()
    {
        var data = Dataset.WithTargets(new float[] { 7, 1, 7, 2, 7, 6 }, 2, new float[3], 1);
        Standardizer scaler = Standardizer.Fit(data);
        Assert.Equal(7f, scaler.Mean[0]);
        Assert.Equal(1f, scaler.Scale[0]);
        Assert.Equal(3f, scaler.Mean[1]);
        Assert.Equal((float)Math.Sqrt(14.0 / 3), scaler.Scale[1]);
        Span<float> row = stackalloc float[] { 7, 3 };
        scaler.Transform(row);
        Assert.Equal(0f, row[0]);
        Assert.Equal(0f, row[1]);
    }

    [Fact]
    public void AppliesTrainingStatisticsToOtherData()
    {
        Dataset train = Dataset.WithTargets(new float[] { 0, 2 }, 1, new float[2], 1); // mean 1, std 1
        Dataset test = Dataset.WithTargets(new float[] { 5, 1 }, 1, new float[2], 1);
        Assert.Equal(new float[] { 4, 0 }, Standardizer.Fit(train).Transform(test).Features);
    }

    [Fact]
    public void RejectsMismatchedShapes()
    {
        var scaler = new Standardizer(new float[] { 0, 0 }, new float[] { 1, 1 });
        var rows = Assert.Throws<ArgumentException>(() => scaler.Transform(new float[3].AsSpan()));
        Assert.Contains("multiple of 2", rows.Message);
        Assert.Throws<ArgumentException>(() => scaler.Transform(Dataset.WithTargets(new float[3], 3, new float[1], 1)));
        Assert.Throws<ArgumentException>(() => new Standardizer(new float[] { 0 }, new float[] { 0 }));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(Dataset.WithTargets(Array.Empty<float>(), 2, Array.Empty<float>(), 1)));
    }
}
