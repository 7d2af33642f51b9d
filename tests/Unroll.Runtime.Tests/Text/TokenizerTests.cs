using System.Text.Json;
using Unroll.Text;
using Xunit;

namespace Unroll.Runtime.Tests.Text;

public class TokenizerTests
{
    // Cleaned: "the cat sat on the mat" / "the dog sat" / "a cat a dog the end".
    // Counts: the 4, cat 2, sat 2, on 1, mat 1, dog 2, a 2, end 1; first seen in that order.
    // By falling count, ties in first-seen order: the, cat, sat, dog, a, on, mat, end.
    private static readonly string[] Corpus = { "The cat sat on the mat.", "The dog sat!", "A cat, a dog; the END" };

    [Fact]
    public void IdsRankWordsByCountWithTiesInFirstSeenOrder()
    {
        var tokenizer = new Tokenizer().Fit(Corpus);
        var expected = new Dictionary<string, int> { ["the"] = 1, ["cat"] = 2, ["sat"] = 3, ["dog"] = 4, ["a"] = 5, ["on"] = 6, ["mat"] = 7, ["end"] = 8 };
        Assert.Equal(expected.OrderBy(p => p.Value), tokenizer.WordIndex.OrderBy(p => p.Value));
        Assert.Equal(4, tokenizer.WordCounts["the"]);
        Assert.Equal(1, tokenizer.WordCounts["end"]);
        Assert.Equal(9, tokenizer.VocabularySize);

        int[][] sequences = tokenizer.TextsToSequences(Corpus);
        Assert.Equal(new[] { 1, 2, 3, 6, 1, 7 }, sequences[0]);
        Assert.Equal(new[] { 1, 4, 3 }, sequences[1]);
        Assert.Equal(new[] { 5, 2, 5, 4, 1, 8 }, sequences[2]);
        // Unknown words are dropped without an OOV token.
        Assert.Equal(new[] { 1, 3, 6, 5, 7 }, tokenizer.TextToSequence("The bird sat on a mat"));
        Assert.Equal("the sat on a mat", tokenizer.SequenceToText(new[] { 0, 0, 1, 3, 6, 5, 7 }));
    }

    [Fact]
    public void AnOovTokenTakesId1AndStandsForUnknownWords()
    {
        var tokenizer = new Tokenizer { OovToken = "<oov>" }.Fit(Corpus);
        Assert.Equal(1, tokenizer.WordIndex["<oov>"]);
        Assert.Equal(2, tokenizer.WordIndex["the"]);
        Assert.Equal(9, tokenizer.WordIndex["end"]);
        Assert.Equal(10, tokenizer.VocabularySize);
        Assert.Equal(new[] { 2, 1, 4, 7, 6, 8 }, tokenizer.TextToSequence("The bird sat on a mat"));
        Assert.Equal("the <oov> sat", tokenizer.SequenceToText(new[] { 2, 1, 4 }));
    }

    [Fact]
    public void MaxWordsCapsIdsBelowIt()
    {
        var plain = new Tokenizer { MaxWords = 4 }.Fit(Corpus);
        Assert.Equal(8, plain.WordIndex["end"]); // the index still ranks every word, as Keras' word_index does
        Assert.Equal(4, plain.VocabularySize);
        Assert.Equal(new[] { 1, 3, 1 }, plain.TextToSequence("the dog sat on the mat"));

        var oov = new Tokenizer { MaxWords = 4, OovToken = "<oov>" }.Fit(Corpus);
        Assert.Equal(4, oov.VocabularySize);
        Assert.Equal(new[] { 2, 1, 1, 1, 2, 1 }, oov.TextToSequence("the dog sat on the mat"));
        Assert.Equal(new[] { 2, 3 }, oov.TextToSequence("the cat"));

        // A cap above the vocabulary changes nothing.
        Assert.Equal(9, new Tokenizer { MaxWords = 100 }.Fit(Corpus).VocabularySize);
    }

    [Fact]
    public void MinCountSendsRareWordsToOov()
    {
        var oov = new Tokenizer { MinCount = 2, OovToken = "<oov>" }.Fit(Corpus);
        Assert.Equal(new[] { "<oov>", "the", "cat", "sat", "dog", "a" }, oov.WordIndex.OrderBy(p => p.Value).Select(p => p.Key));
        Assert.Equal(7, oov.VocabularySize);
        Assert.Equal(new[] { 2, 1, 1, 1 }, oov.TextToSequence("the end on mat"));
        Assert.Equal(1, oov.WordCounts["end"]); // counted, but given no id

        var plain = new Tokenizer { MinCount = 2 }.Fit(Corpus);
        Assert.Equal(new[] { 1 }, plain.TextToSequence("the end on mat"));
    }

    [Fact]
    public void StopWordsNeverGetIds()
    {
        var tokenizer = new Tokenizer { Cleaner = new TextCleaner { StopWords = StopWords.English } }.Fit(Corpus);
        // "the", "on", "a" are stop words; cat 2, sat 2, dog 2, mat 1, end 1 remain.
        Assert.Equal(new[] { "cat", "sat", "dog", "mat", "end" }, tokenizer.WordIndex.OrderBy(p => p.Value).Select(p => p.Key));
        Assert.Equal(new[] { 1, 2, 4 }, tokenizer.TextToSequence("The cat sat on the mat"));
    }

    [Fact]
    public void FitStartsAfreshAndTheOovTokenIsNotCountedAsAWord()
    {
        var tokenizer = new Tokenizer { OovToken = "oov" }.Fit(Corpus);
        tokenizer.Fit(new[] { "oov oov oov zebra" });
        Assert.Equal(new[] { "oov", "zebra" }, tokenizer.WordIndex.OrderBy(p => p.Value).Select(p => p.Key));
        Assert.Equal(new[] { 1, 2 }, tokenizer.TextToSequence("the zebra"));
    }

    [Fact]
    public void MatchesKerasOnTheGoldenCorpus()
    {
        JsonElement golden = Golden.Load("text.json");
        string[] fit = golden.GetProperty("fit").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string[] apply = golden.GetProperty("apply").EnumerateArray().Select(e => e.GetString()!).ToArray();
        int length = golden.GetProperty("pad_length").GetInt32();
        int cases = 0;
        foreach (JsonElement c in golden.GetProperty("cases").EnumerateArray())
        {
            JsonElement numWords = c.GetProperty("num_words"), oovToken = c.GetProperty("oov_token");
            var tokenizer = new Tokenizer
            {
                MaxWords = numWords.ValueKind == JsonValueKind.Null ? null : numWords.GetInt32(),
                OovToken = oovToken.ValueKind == JsonValueKind.Null ? null : oovToken.GetString(),
            }.Fit(fit);
            string name = $"num_words={numWords}, oov_token={oovToken}";

            var expectedIndex = c.GetProperty("word_index").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(expectedIndex.OrderBy(p => p.Value), tokenizer.WordIndex.OrderBy(p => p.Value));
            Assert.True(c.GetProperty("vocabulary_size").GetInt32() == tokenizer.VocabularySize, name);

            int[][] sequences = tokenizer.TextsToSequences(apply);
            int[][] expected = c.GetProperty("sequences").EnumerateArray().Select(s => s.Ints()).ToArray();
            Assert.Equal(expected, sequences);

            foreach (JsonProperty padded in c.GetProperty("padded").EnumerateObject())
            {
                string[] ends = padded.Name.Split('_');
                var padding = ends[0] == "pre" ? Padding.Pre : Padding.Post;
                var truncating = ends[1] == "pre" ? Truncating.Pre : Truncating.Post;
                Assert.Equal(padded.Value.Ints(), Sequences.Pad(sequences, length, padding, truncating));
            }
            Assert.Equal(c.GetProperty("multi_hot").Floats(), Sequences.ToMultiHot(sequences, tokenizer.VocabularySize));
            cases++;
        }
        Assert.Equal(4, cases);
    }

    [Fact]
    public void UsingItBeforeFitThrowsAClearError()
    {
        var tokenizer = new Tokenizer();
        Assert.False(tokenizer.IsFitted);
        var error = Assert.Throws<InvalidOperationException>(() => tokenizer.TextsToSequences(Corpus));
        Assert.Contains("call Fit", error.Message);
        Assert.Throws<InvalidOperationException>(() => tokenizer.TextToSequence("a"));
        Assert.Throws<InvalidOperationException>(() => tokenizer.WordIndex);
        Assert.Throws<InvalidOperationException>(() => tokenizer.WordCounts);
        Assert.Throws<InvalidOperationException>(() => tokenizer.VocabularySize);
        Assert.Throws<InvalidOperationException>(() => tokenizer.SequenceToText(new[] { 1 }));
        Assert.True(tokenizer.Fit(Corpus).IsFitted);
    }

    [Fact]
    public void BadSettingsAndArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tokenizer { MaxWords = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tokenizer { MinCount = 0 });
        Assert.Throws<ArgumentException>(() => new Tokenizer { OovToken = "" });
        var cap = Assert.Throws<ArgumentOutOfRangeException>(() => new Tokenizer { MaxWords = 1, OovToken = "<oov>" }.Fit(Corpus));
        Assert.Contains("at least 2", cap.Message);
        Assert.Equal(1, new Tokenizer { MaxWords = 1 }.Fit(Corpus).VocabularySize); // legal in Keras too: every word is dropped

        var fitNull = Assert.Throws<ArgumentException>(() => new Tokenizer().Fit(new[] { "a", null! }));
        Assert.Contains("texts[1] is null", fitNull.Message);
        Assert.Throws<ArgumentNullException>(() => new Tokenizer().Fit(null!));
        var tokenizer = new Tokenizer().Fit(Corpus);
        Assert.Contains("texts[0] is null", Assert.Throws<ArgumentException>(() => tokenizer.TextsToSequences(new string[] { null! })).Message);
        var id = Assert.Throws<ArgumentException>(() => tokenizer.SequenceToText(new[] { 1, 9 }));
        Assert.Contains("sequence[1] is 9", id.Message);
    }
}
