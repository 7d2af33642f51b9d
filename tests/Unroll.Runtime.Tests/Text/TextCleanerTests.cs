using Unroll.Text;
using Xunit;

namespace Unroll.Runtime.Tests.Text;

public class TextCleanerTests
{
    [Fact]
    public void DefaultsLowerCaseReplaceKerasFiltersAndSplitOnWhiteSpace()
    {
        string[] words = TextCleaner.Default.Tokenize("Hello, World!  It's 9:30.\tTab\nLine (ok)[x]{y}~`_^\\@");
        Assert.Equal(new[] { "hello", "world", "it's", "9", "30", "tab", "line", "ok", "x", "y" }, words);
    }

    [Fact]
    public void CleanKeepsTheLengthAndPutsSpacesWherePunctuationWas()
    {
        Assert.Equal("a b  c ", TextCleaner.Default.Clean("A-b!?C."));
        Assert.Equal("école", TextCleaner.Default.Clean("ÉCOLE"));
    }

    [Fact]
    public void OptionsTurnOffLowerCasingAndFilters()
    {
        Assert.Equal(new[] { "Hello,", "World!" }, new TextCleaner { Lower = false, Filters = "" }.Tokenize("Hello, World!"));
        Assert.Equal(new[] { "a,b", "c" }, new TextCleaner { Filters = "-" }.Tokenize("a,b-c"));
        // Any white space separates words (Keras would keep a carriage return inside the word).
        Assert.Equal(new[] { "one", "two", "three" }, TextCleaner.Default.Tokenize("one\r\ntwo\u00A0three"));
        Assert.Empty(TextCleaner.Default.Tokenize(""));
        Assert.Empty(TextCleaner.Default.Tokenize(" ... !!! "));
    }

    [Fact]
    public void StopWordsAreDroppedAfterCleaning()
    {
        var cleaner = new TextCleaner { StopWords = StopWords.English };
        Assert.Equal(new[] { "cat", "sat", "mat" }, cleaner.Tokenize("The cat sat on the mat."));
        Assert.Equal(new[] { "cat", "sat", "on", "mat" }, new TextCleaner { StopWords = new HashSet<string> { "the" } }.Tokenize("The cat sat on THE mat"));
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => TextCleaner.Default.Tokenize(null!));
        Assert.Throws<ArgumentNullException>(() => TextCleaner.Default.Clean(null!));
        Assert.Throws<ArgumentNullException>(() => new TextCleaner { Filters = null! });
    }
}
