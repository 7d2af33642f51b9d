using Unroll.Text;
using Xunit;

namespace Unroll.Runtime.Tests.Text;

public class StopWordsTests
{
    [Fact]
    public void EnglishIsScikitLearnsList()
    {
        // sklearn.feature_extraction.text.ENGLISH_STOP_WORDS has 318 words.
        Assert.Equal(318, StopWords.English.Count);
        foreach (string word in new[] { "a", "the", "not", "no", "never", "yourselves", "whereupon", "con", "de", "eg" })
            Assert.True(StopWords.English.Contains(word), word);
        foreach (string word in new[] { "The", "good", "bad", "#", "", "don't" })
            Assert.False(StopWords.English.Contains(word), word);
        Assert.Same(StopWords.English, StopWords.English);
    }

    [Fact]
    public void ReadSkipsCommentsAndBlankLinesAndTrims()
    {
        var words = StopWords.Read(new StringReader("# a comment\n\n  foo \nbar\r\n#baz\n"));
        Assert.Equal(new[] { "bar", "foo" }, words.Order(StringComparer.Ordinal));
    }
}
