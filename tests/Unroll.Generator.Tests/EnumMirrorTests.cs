namespace Unroll.Generator.Tests;

/// <summary>The generator mirrors the attribute enums (it cannot load Unroll.Attributes); names and values must agree.</summary>
public class EnumMirrorTests
{
    [Theory]
    [InlineData(typeof(Unroll.Activation), typeof(Unroll.Generator.Model.Activation))]
    [InlineData(typeof(Unroll.Loss), typeof(Unroll.Generator.Model.Loss))]
    [InlineData(typeof(Unroll.Optimizer), typeof(Unroll.Generator.Model.Optimizer))]
    [InlineData(typeof(Unroll.Initializer), typeof(Unroll.Generator.Model.Initializer))]
    [InlineData(typeof(Unroll.MergeMode), typeof(Unroll.Generator.Model.MergeMode))]
    public void GeneratorEnumMatchesTheAttributeEnum(Type attributeEnum, Type generatorEnum)
    {
        var expected = Enum.GetNames(attributeEnum).Select(n => (n, Convert.ToInt32(Enum.Parse(attributeEnum, n))));
        var actual = Enum.GetNames(generatorEnum).Select(n => (n, Convert.ToInt32(Enum.Parse(generatorEnum, n))));
        Assert.Equal(expected, actual);
    }
}
