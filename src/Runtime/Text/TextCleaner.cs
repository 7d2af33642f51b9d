using System;
using System.Buffers;
using System.Collections.Generic;

namespace Unroll.Text
{
    /// <summary>
    /// Turns a text into words, as Keras' <c>tf.keras.preprocessing.text.text_to_word_sequence(text, filters, lower=True, split=" ")</c>
    /// (which its <c>Tokenizer</c> applies to every text), with optional stop-word removal as scikit-learn's
    /// <c>CountVectorizer(stop_words=...)</c>:
    /// <list type="number">
    /// <item>lower-case the text with the invariant culture (<see cref="Lower"/>; Keras: <c>lower=True</c>);</item>
    /// <item>replace every character of <see cref="Filters"/> with a space (Keras' default <c>filters</c>, <see cref="KerasFilters"/>);</item>
    /// <item>split on white space, dropping empty pieces;</item>
    /// <item>drop the words in <see cref="StopWords"/>, if set (compared ordinally, after lower-casing).</item>
    /// </list>
    /// Keras splits on the space character only, so a carriage return or a no-break space stays inside a word there; here every
    /// <see cref="char.IsWhiteSpace(char)"/> character separates words. Instances are immutable and thread-safe.
    /// </summary>
    /// <example>
    /// <code>
    /// new TextCleaner().Tokenize("Hello, World!  It's 9:30.")          // ["hello", "world", "it's", "9", "30"]
    /// new TextCleaner { StopWords = StopWords.English }.Tokenize("It is a fine day")   // ["fine", "day"]
    /// </code>
    /// </example>
    public sealed class TextCleaner
    {
        /// <summary>Keras' default <c>filters</c>: <c>!"#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~</c>, tab and newline. The apostrophe is
        /// not among them, so <c>don't</c> stays one word.</summary>
        public const string KerasFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

        private string _filters = KerasFilters;
        private SearchValues<char> _filterValues = SearchValues.Create(KerasFilters);

        /// <summary>The cleaner with Keras' defaults: lower-casing, <see cref="KerasFilters"/>, no stop words.</summary>
        public static TextCleaner Default { get; } = new TextCleaner();

        /// <summary>Whether to lower-case the text (invariant culture) before anything else. Default <see langword="true"/> (Keras <c>lower</c>).</summary>
        public bool Lower { get; init; } = true;

        /// <summary>The characters replaced with a space before splitting. Default <see cref="KerasFilters"/> (Keras <c>filters</c>);
        /// the empty string keeps all punctuation.</summary>
        /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
        public string Filters
        {
            get => _filters;
            init
            {
                ArgumentNullException.ThrowIfNull(value, nameof(Filters));
                _filters = value;
                _filterValues = SearchValues.Create(value);
            }
        }

        /// <summary>Words to drop after splitting, e.g. <see cref="Text.StopWords.English"/>; default <see langword="null"/>, none
        /// (scikit-learn <c>CountVectorizer(stop_words=...)</c>; Keras has no such option). Words are looked up as they come out of
        /// the split, so with <see cref="Lower"/> off a lower-case list misses capitalised words.</summary>
        public IReadOnlySet<string>? StopWords { get; init; }

        /// <summary>The text lower-cased (if <see cref="Lower"/>) with every <see cref="Filters"/> character replaced by a space.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
        public string Clean(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            return string.Create(text.Length, (Cleaner: this, Text: text), static (span, state) => state.Cleaner.CleanInto(state.Text, span));
        }

        /// <summary>The words of <paramref name="text"/>, in order: Keras <c>text_to_word_sequence(text)</c>, then stop-word removal.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
        public string[] Tokenize(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            char[] rented = ArrayPool<char>.Shared.Rent(Math.Max(text.Length, 1));
            try
            {
                Span<char> cleaned = rented.AsSpan(0, text.Length);
                CleanInto(text, cleaned);
                var words = new List<string>();
                int start = -1;
                for (int i = 0; i <= cleaned.Length; i++)
                {
                    bool separator = i == cleaned.Length || char.IsWhiteSpace(cleaned[i]);
                    if (!separator)
                    {
                        if (start < 0) start = i;
                        continue;
                    }
                    if (start < 0) continue;
                    var word = new string(cleaned[start..i]);
                    start = -1;
                    if (StopWords is null || !StopWords.Contains(word)) words.Add(word);
                }
                return words.ToArray();
            }
            finally
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        private void CleanInto(string text, Span<char> destination)
        {
            // Invariant lower-casing maps each UTF-16 unit to one unit, so the length is kept and positions line up.
            if (Lower) text.AsSpan().ToLowerInvariant(destination);
            else text.AsSpan().CopyTo(destination);
            if (_filters.Length == 0) return;
            int at;
            Span<char> rest = destination;
            while ((at = rest.IndexOfAny(_filterValues)) >= 0)
            {
                rest[at] = ' ';
                rest = rest[(at + 1)..];
            }
        }
    }
}
