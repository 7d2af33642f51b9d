using System.Text.Json;
using Unroll.Kernels;
using Xunit;

namespace Unroll.Runtime.Tests.Kernels;

/// <summary>Embedding_Forward / Embedding_Backward / Embedding_Mask against nn.Embedding goldens from tools/reference/embedding.py.</summary>
public class EmbeddingTests
{
    private static readonly JsonElement G = Golden.Load("embedding.json");
    private static readonly int Batch = G.GetProperty("batch").GetInt32(), Steps = G.GetProperty("steps").GetInt32();
    private static readonly int Vocabulary = G.GetProperty("vocabulary").GetInt32(), Dimension = G.GetProperty("dimension").GetInt32();
    private static readonly int[] Tokens = G.GetProperty("tokens").Ints();
    private static readonly float[] Table = G.GetProperty("table").Floats(), Dy = G.GetProperty("dy").Floats();

    [Fact]
    public void ForwardMatchesPyTorch()
    {
        var y = new float[Steps * Batch * Dimension];
        Array.Fill(y, float.NaN);
        Layers.Embedding_Forward(y, Tokens, Table, Batch, Steps, Vocabulary, Dimension);
        Golden.AssertClose(G.GetProperty("y").Floats(), y, "y");
    }

    [Fact]
    public void BackwardAccumulatesRepeatedTokensLikePyTorch()
    {
        float[] expected = G.GetProperty("dtable").Floats();
        var dTable = new float[Vocabulary * Dimension];
        Layers.Embedding_Backward(dTable, Dy, Tokens, Batch, Steps, Vocabulary, Dimension);
        Golden.AssertClose(expected, dTable, "dTable");
        Layers.Embedding_Backward(dTable, Dy, Tokens, Batch, Steps, Vocabulary, Dimension);
        Golden.AssertClose(expected.Select(v => 2 * v).ToArray(), dTable, "dTable after two calls");
    }

    [Fact]
    public void MaskMatchesPyTorch()
    {
        var mask = new float[Steps * Batch];
        Array.Fill(mask, float.NaN);
        Layers.Embedding_Mask(mask, Tokens, Batch, Steps);
        Assert.Equal(G.GetProperty("mask").Floats(), mask);
        Assert.Contains(0f, mask);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void BadTokenIdNamesSampleStepIdAndVocabulary(int bad)
    {
        int[] tokens = (int[])Tokens.Clone();
        tokens[2 * Steps + 4] = bad; // sample 2, step 4
        var y = new float[Steps * Batch * Dimension];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Layers.Embedding_Forward(y, tokens, Table, Batch, Steps, Vocabulary, Dimension));
        Assert.Equal("tokens", e.ParamName);
        Assert.Contains("sample 2", e.Message);
        Assert.Contains("step 4", e.Message);
        Assert.Contains($"Token id {bad}", e.Message);
        Assert.Contains("size 7", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Layers.Embedding_Backward(new float[Table.Length], Dy, tokens, Batch, Steps, Vocabulary, Dimension));
        Assert.Contains("sample 2", e.Message);
    }

    [Fact]
    public void WrongLengthsThrowNamingExpectedAndActual()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Layers.Embedding_Forward(new float[Steps * Batch * Dimension], Tokens, new float[27], Batch, Steps, Vocabulary, Dimension));
        Assert.Equal("table", e.ParamName);
        Assert.Contains("28", e.Message);
        Assert.Contains("27", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Layers.Embedding_Forward(new float[5], Tokens, Table, Batch, Steps, Vocabulary, Dimension));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("72", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Layers.Embedding_Backward(new float[Table.Length], new float[3], Tokens, Batch, Steps, Vocabulary, Dimension));
        Assert.Equal("dy", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Layers.Embedding_Mask(new float[Steps * Batch], new int[5], Batch, Steps));
        Assert.Equal("tokens", e.ParamName);
        Assert.Contains("18", e.Message);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var y = new float[Steps * Batch * Dimension];
        var dTable = new float[Table.Length];
        var mask = new float[Steps * Batch];
        Layers.Embedding_Forward(y, Tokens, Table, Batch, Steps, Vocabulary, Dimension);
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            Layers.Embedding_Forward(y, Tokens, Table, Batch, Steps, Vocabulary, Dimension);
            Layers.Embedding_Backward(dTable, Dy, Tokens, Batch, Steps, Vocabulary, Dimension);
            Layers.Embedding_Mask(mask, Tokens, Batch, Steps);
        }));
    }

    [Fact]
    public void TokenIdsHeldAsFloatsConvertOrNameTheBadValue()
    {
        var ids = new int[4];
        Layers.Embedding_TokenIds(ids, new[] { 0f, 3f, 9f, 1f }, vocabulary: 10, steps: 2, "the batch", "inputs");
        Assert.Equal(new[] { 0, 3, 9, 1 }, ids);

        foreach (float bad in new[] { 10f, -1f, 2.5f, float.NaN })
        {
            var e = Assert.Throws<ArgumentException>(() =>
                Layers.Embedding_TokenIds(default, new[] { 0f, 3f, bad, 1f }, 10, 2, "the data set 'train'", "train"));
            Assert.Contains($"Row 1, step 0 of the data set 'train' holds {bad}, which is not a token id in [0, 10)", e.Message);
            Assert.Equal("train", e.ParamName);
        }
    }
}
