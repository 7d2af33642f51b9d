using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Every loss against tools/reference/losses.py (PyTorch loss + autograd gradient).</summary>
public class LossTests
{
    private static readonly JsonElement G = Golden.Load("losses.json");

    private delegate float ElementwiseLoss(Span<float> gradient, ReadOnlySpan<float> input, ReadOnlySpan<float> target, ReadOnlySpan<float> sampleWeights);

    private delegate float ClassLoss(Span<float> gradient, ReadOnlySpan<float> input, ReadOnlySpan<float> target, int rows, int cols, ReadOnlySpan<float> sampleWeights);

    private delegate float SparseLoss(Span<float> gradient, ReadOnlySpan<float> input, ReadOnlySpan<int> labels, int rows, int cols, ReadOnlySpan<float> sampleWeights);

    // The gradient span starts full of garbage: the losses must overwrite it, not add to it.
    private const float Garbage = 123f;

    private static float[] Garbaged(int length) => Enumerable.Repeat(Garbage, length).ToArray();

    /// <summary>Loss and gradient against the golden, then the same loss again without a gradient (evaluation).</summary>
    private static void Check(JsonElement expected, string what, Func<float[], float> withGradient, Func<float> lossOnly, int length)
    {
        float[] gradient = Garbaged(length);
        float loss = withGradient(gradient);
        Golden.AssertClose(expected.GetProperty("loss").GetDouble(), loss, what + " loss");
        Golden.AssertClose(expected.GetProperty("grad").Floats(), gradient, what + " gradient");
        Assert.Equal(loss, lossOnly());
    }

    /// <summary>The case unweighted, then "{case}_weighted" with the group's per-row weights (PyTorch's <c>(w * loss(reduction="none")).mean()</c>),
    /// then weights of 1, which must give the unweighted gradient bit for bit.</summary>
    private static void CheckElementwise(ElementwiseLoss loss, JsonElement group, string inputName, string caseName)
    {
        float[] input = group.GetProperty(inputName).Floats(), target = group.GetProperty("target").Floats();
        float[] weights = group.GetProperty("weights").Floats();
        Check(group.GetProperty(caseName), caseName, g => loss(g, input, target, default), () => loss(default, input, target, default), input.Length);
        Check(group.GetProperty(caseName + "_weighted"), caseName + " weighted", g => loss(g, input, target, weights),
            () => loss(default, input, target, weights), input.Length);
        CheckUnitWeights(g => loss(g, input, target, default), g => loss(g, input, target, Ones(weights.Length)), input.Length);
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    private static void CheckUnitWeights(Func<float[], float> unweighted, Func<float[], float> ones, int length)
    {
        float[] a = Garbaged(length), b = Garbaged(length);
        float plain = unweighted(a), weighted = ones(b);
        Assert.Equal(a, b);
        Assert.Equal(plain, weighted, 6);
    }

    private static JsonElement Categorical => G.GetProperty("categorical");

    private static void CheckClasses(ClassLoss loss, string inputName, string caseName)
    {
        JsonElement c = Categorical;
        int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
        float[] input = c.GetProperty(inputName).Floats(), target = c.GetProperty("target").Floats(), weights = c.GetProperty("weights").Floats();
        Check(c.GetProperty(caseName), caseName, g => loss(g, input, target, rows, cols, default),
            () => loss(default, input, target, rows, cols, default), input.Length);
        Check(c.GetProperty(caseName + "_weighted"), caseName + " weighted", g => loss(g, input, target, rows, cols, weights),
            () => loss(default, input, target, rows, cols, weights), input.Length);
        CheckUnitWeights(g => loss(g, input, target, rows, cols, default), g => loss(g, input, target, rows, cols, Ones(rows)), input.Length);
    }

    private static void CheckSparse(SparseLoss loss, string inputName, string caseName)
    {
        JsonElement c = Categorical;
        int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
        float[] input = c.GetProperty(inputName).Floats();
        int[] labels = c.GetProperty("labels").Ints();
        float[] weights = c.GetProperty("weights").Floats();
        Check(c.GetProperty(caseName), caseName, g => loss(g, input, labels, rows, cols, default),
            () => loss(default, input, labels, rows, cols, default), input.Length);
        Check(c.GetProperty(caseName + "_weighted"), caseName + " weighted", g => loss(g, input, labels, rows, cols, weights),
            () => loss(default, input, labels, rows, cols, weights), input.Length);
        CheckUnitWeights(g => loss(g, input, labels, rows, cols, default), g => loss(g, input, labels, rows, cols, Ones(rows)), input.Length);
    }

    [Fact]
    public void MeanSquaredError() =>
        CheckElementwise(Losses.MeanSquaredError, G.GetProperty("regression"), "pred", "mse");

    [Fact]
    public void MeanAbsoluteErrorHasZeroGradientAtZeroResidual()
    {
        CheckElementwise(Losses.MeanAbsoluteError, G.GetProperty("regression"), "pred", "mae");
        var gradient = new float[] { Garbage, Garbage };
        Losses.MeanAbsoluteError(gradient, [1.5f, 2f], [1.5f, 1f]);
        Assert.Equal([0f, 0.5f], gradient);
    }

    [Theory]
    [InlineData("huber_1", 1.0f)]
    [InlineData("huber_0_5", 0.5f)]
    public void Huber(string caseName, float delta) =>
        CheckElementwise((g, p, t, w) => Losses.Huber(g, p, t, delta, w), G.GetProperty("regression"), "pred", caseName);

    [Fact]
    public void BinaryCrossEntropyClampsLikeKeras()
    {
        JsonElement b = G.GetProperty("binary");
        CheckElementwise(Losses.BinaryCrossEntropy, b, "clamped_probabilities", "bce");
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits() =>
        CheckElementwise(Losses.BinaryCrossEntropyWithLogits, G.GetProperty("binary"), "logits", "bce_with_logits");

    [Fact]
    public void SigmoidBinaryCrossEntropyGivesTheLogitGradient() =>
        CheckElementwise(Losses.SigmoidBinaryCrossEntropy, G.GetProperty("binary"), "probabilities", "sigmoid_bce");

    [Fact]
    public void CategoricalCrossEntropy() =>
        CheckClasses(Losses.CategoricalCrossEntropy, "probabilities", "categorical");

    [Fact]
    public void SoftmaxCrossEntropyGivesTheLogitGradient() =>
        CheckClasses(Losses.SoftmaxCrossEntropy, "probabilities", "softmax_ce");

    [Fact]
    public void SoftmaxCrossEntropyWithLogits() =>
        CheckClasses(Losses.SoftmaxCrossEntropyWithLogits, "logits", "softmax_ce_with_logits");

    [Fact]
    public void SparseCategoricalCrossEntropy() =>
        CheckSparse(Losses.SparseCategoricalCrossEntropy, "probabilities", "sparse_categorical");

    [Fact]
    public void SparseSoftmaxCrossEntropyGivesTheLogitGradient() =>
        CheckSparse(Losses.SparseSoftmaxCrossEntropy, "probabilities", "sparse_softmax_ce");

    [Fact]
    public void SparseSoftmaxCrossEntropyWithLogits() =>
        CheckSparse(Losses.SparseSoftmaxCrossEntropyWithLogits, "logits", "sparse_softmax_ce_with_logits");

    [Fact]
    public void HingeMapsZeroTargetsToMinusOne()
    {
        JsonElement h = G.GetProperty("hinge");
        float[] pred = h.GetProperty("pred").Floats(), target = h.GetProperty("target").Floats();
        Check(h, "hinge", g => Losses.Hinge(g, pred, target), () => Losses.Hinge(default, pred, target), pred.Length);
        float[] weights = h.GetProperty("weights").Floats();
        Check(h.GetProperty("weighted"), "hinge weighted", g => Losses.Hinge(g, pred, target, weights), () => Losses.Hinge(default, pred, target, weights), pred.Length);
    }

    [Fact]
    public void WeightsThatDoNotMatchTheRowsAreRefused()
    {
        var input = new float[12];
        var e = Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(new float[12], input, input, new float[5]));
        Assert.Equal("sampleWeights", e.ParamName);
        Assert.Contains("5 weights", e.Message);
        Assert.Contains("12 outputs", e.Message);
        e = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(new float[12], input, input, 3, 4, new float[4]));
        Assert.Contains("4 weights for 3 rows", e.Message);
    }

    [Fact]
    public void FusedGradientsEqualTheWithLogitsGradients()
    {
        // The fused kernels see the activation's output, the with-logits ones its input: same derivative.
        JsonElement c = Categorical;
        Golden.AssertClose(c.GetProperty("softmax_ce_with_logits").GetProperty("grad").Floats(),
            c.GetProperty("softmax_ce").GetProperty("grad").Floats(), "golden self-check");
        int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
        float[] logits = c.GetProperty("logits").Floats();
        int[] labels = c.GetProperty("labels").Ints();
        var probabilities = new float[logits.Length];
        Activations.Softmax_Forward(probabilities, logits, rows, cols);
        var fused = new float[logits.Length];
        var direct = new float[logits.Length];
        Losses.SparseSoftmaxCrossEntropy(fused, probabilities, labels, rows, cols);
        Losses.SparseSoftmaxCrossEntropyWithLogits(direct, logits, labels, rows, cols);
        Golden.AssertClose(direct, fused, "fused vs logits");
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(-1, 3)]
    [InlineData(100, 4)]
    public void LabelOutOfRangeNamesLabelRowAndClassCount(int badLabel, int row)
    {
        const int rows = 5, cols = 6;
        int[] labels = [2, 5, 0, 3, 1];
        labels[row] = badLabel;
        var input = new float[rows * cols];
        float[] gradient = Garbaged(rows * cols);
        foreach (SparseLoss loss in new SparseLoss[]
                 {
                     Losses.SparseCategoricalCrossEntropy, Losses.SparseSoftmaxCrossEntropy,
                     Losses.SparseSoftmaxCrossEntropyWithLogits,
                 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => loss(gradient, input, labels, rows, cols, default));
            Assert.Contains($"Label {badLabel}", e.Message);
            Assert.Contains($"row {row}", e.Message);
            Assert.Contains($"{cols} classes", e.Message);
            Assert.All(gradient, v => Assert.Equal(Garbage, v)); // checked before anything is written
        }
    }

    [Fact]
    public void MismatchedLengthsNameBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(new float[5], new float[5], new float[4]));
        Assert.Contains("5", e.Message);
        Assert.Contains("4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Losses.Hinge(new float[3], new float[7], new float[7]));
        Assert.Contains("3", e.Message);
        Assert.Contains("7", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Losses.SoftmaxCrossEntropyWithLogits(new float[30], new float[29], new float[29], 5, 6));
        Assert.Contains("29", e.Message);
        Assert.Contains("30", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Losses.CategoricalCrossEntropy(new float[30], new float[30], new float[31], 5, 6));
        Assert.Contains("30", e.Message);
        Assert.Contains("31", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Losses.SparseSoftmaxCrossEntropy(new float[30], new float[30], new int[4], 5, 6));
        Assert.Contains("4", e.Message);
        Assert.Contains("5", e.Message);
    }

    [Fact]
    public void HuberRejectsNonPositiveDelta() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.Huber(default, [1f], [0f], 0f));
}
