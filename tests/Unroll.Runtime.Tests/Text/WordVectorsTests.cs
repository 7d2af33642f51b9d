using Unroll.Text;
using Xunit;

namespace Unroll.Runtime.Tests.Text;

/// <summary>WordVectors: cosine neighbours and 3CosAdd analogies on vectors whose answers are known, ids without words never returned.</summary>
public class WordVectorsTests
{
    // 2-D vectors at known angles; "pad" (id 0) has no word. Lengths differ, so only cosine (not the dot product) ranks them right.
    private static WordVectors Compass() => new(
        new float[] { 9, 9, /* east */ 1, 0, /* north-east */ 3, 3.1f, /* north */ 0, 5, /* west */ -2, 0, /* south */ 0, -1, /* east2 */ 10, 0.5f },
        dimension: 2,
        new string?[] { null, "east", "northeast", "north", "west", "south", "east2" });

    [Fact]
    public void NearestRanksByCosineAndLeavesOutTheWordAndPadding()
    {
        WordVectors v = Compass();
        Assert.Equal(6, v.Count);
        var nearest = v.Nearest("east", 3);
        Assert.Equal(new[] { "east2", "northeast", "north" }, nearest.Select(n => n.Word));
        Assert.Equal(10 / MathF.Sqrt(100.25f), nearest[0].Similarity, 5);
        Assert.Equal(3 / MathF.Sqrt(9 + 3.1f * 3.1f), nearest[1].Similarity, 5);
        Assert.Equal(0f, nearest[2].Similarity, 6);
        Assert.Equal(6 - 1, v.Nearest("east", 100).Count); // everything but the word itself and padding
        Assert.Equal(-1f, v.Similarity("east", "west"), 6);
    }

    [Fact]
    public void AnalogyAddsUnitVectorsAndLeavesOutTheQuery()
    {
        // north - east + west = (0,1) - (1,0) + (-1,0) = (-2, 1): nearest by cosine is west (cos 0.894), then north (0.447).
        WordVectors v = Compass();
        var answer = v.Analogy("north", "east", "west", 2);
        Assert.Equal(new[] { "northeast", "south" }, answer.Select(a => a.Word)); // north, east and west are the query
        Assert.Equal((-2 * 3 + 3.1f) / MathF.Sqrt(5) / MathF.Sqrt(9 + 3.1f * 3.1f), answer[0].Similarity, 5);
    }

    [Fact]
    public void FromTokenizerUsesTheTokenizersIds()
    {
        var tokenizer = new Tokenizer { OovToken = "<oov>" }.Fit(new[] { "b a a", "c a b" });
        // ids: <oov> 1, a 2, b 3, c 4
        var table = new float[5 * 2];
        table[2 * 2] = 1; table[3 * 2 + 1] = 1; table[4 * 2] = 1; table[4 * 2 + 1] = 0.1f;
        WordVectors v = WordVectors.FromTokenizer(table, 2, 5, tokenizer);
        Assert.Equal(3, v.Count);
        Assert.False(v.Contains("<oov>"));
        Assert.Equal("c", v.Nearest("a", 1)[0].Word);
    }

    [Fact]
    public void UnknownWordsAndBadTablesAreRejected()
    {
        WordVectors v = Compass();
        var e = Assert.Throws<KeyNotFoundException>(() => v.Nearest("up", 2));
        Assert.Equal("'up' is not one of the 6 words with a vector.", e.Message);
        var bad = Assert.Throws<ArgumentException>(() => new WordVectors(new float[5], 2, new string?[] { "a", "b", "c" }));
        Assert.StartsWith("table holds 5 floats; 3 words of 2 dimensions need 6.", bad.Message);
        bad = Assert.Throws<ArgumentException>(() => new WordVectors(new float[4], 2, new string?[] { "a", "a" }));
        Assert.StartsWith("The word 'a' is listed for ids 0 and 1", bad.Message);
    }
}
