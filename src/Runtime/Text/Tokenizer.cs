using System;
using System.Collections.Generic;

namespace Unroll.Text
{
    /// <summary>
    /// A word vocabulary learnt from texts, mapping each text to a sequence of integer word ids: Keras'
    /// <c>tf.keras.preprocessing.text.Tokenizer(num_words, filters, lower, oov_token)</c> with <c>fit_on_texts</c> and
    /// <c>texts_to_sequences</c>, plus an optional minimum count.
    /// <list type="bullet">
    /// <item>Id 0 is never given to a word: it is left for padding (<see cref="Sequences.Pad"/>).</item>
    /// <item>With an <see cref="OovToken"/>, it gets id 1 and stands for every word that is unknown, rarer than <see cref="MinCount"/>
    /// or past the <see cref="MaxWords"/> cap; without one, such words are left out of the sequences (as in Keras).</item>
    /// <item>The other words get the next ids in order of falling count; words with equal counts keep the order in which
    /// <see cref="Fit"/> first saw them (Keras sorts its ordered word counts with a stable sort).</item>
    /// <item><see cref="MaxWords"/> (Keras <c>num_words</c>) caps the ids that <see cref="TextsToSequences"/> produces below
    /// <c>MaxWords</c>; like Keras, <see cref="WordIndex"/> still ranks every word.</item>
    /// </list>
    /// Configure with the <c>init</c> properties, then call <see cref="Fit"/> on the training texts only.
    /// </summary>
    /// <example>
    /// <code>
    /// var tokenizer = new Tokenizer { MaxWords = 1000, OovToken = "&lt;oov&gt;" }.Fit(trainTexts);
    /// int[][] ids = tokenizer.TextsToSequences(testTexts);
    /// int[] padded = Sequences.Pad(ids, length: 20);               // declare [Input(Length = 20, Vocabulary = ...)]
    /// int vocabulary = tokenizer.VocabularySize;                   // at most MaxWords
    /// </code>
    /// </example>
    public sealed class Tokenizer
    {
        /// <summary>The id that <see cref="Sequences.Pad"/> fills with, which no word gets.</summary>
        public const int PaddingId = 0;

        /// <summary>The id of <see cref="OovToken"/>, when there is one.</summary>
        public const int OovId = 1;

        private readonly int? _maxWords;
        private readonly int _minCount = 1;
        private readonly string? _oovToken;
        private Dictionary<string, int>? _wordIndex;
        private Dictionary<string, int>? _wordCounts;
        private string[]? _indexWord;

        /// <summary>How each text becomes words. Default <see cref="TextCleaner.Default"/> (Keras' lower-casing and filters, no stop words).</summary>
        public TextCleaner Cleaner { get; init; } = TextCleaner.Default;

        /// <summary>The cap on ids: <see cref="TextsToSequences"/> produces ids below it, so with an <see cref="OovToken"/> the
        /// <c>MaxWords - 2</c> most frequent words keep their ids, without one the <c>MaxWords - 1</c>. Default
        /// <see langword="null"/>, no cap (Keras <c>num_words</c>).</summary>
        /// <exception cref="ArgumentOutOfRangeException">Set below 1, or below 2 with an <see cref="OovToken"/> (checked by <see cref="Fit"/>).</exception>
        public int? MaxWords
        {
            get => _maxWords;
            init
            {
                if (value is < 1)
                    throw new ArgumentOutOfRangeException(nameof(MaxWords), value, "MaxWords must be at least 1 (or null for no cap).");
                _maxWords = value;
            }
        }

        /// <summary>The fewest times a word must occur in the fitted texts to get an id of its own; rarer words are treated as
        /// unknown. Default 1, every word (Keras has no such option; scikit-learn's <c>CountVectorizer(min_df=...)</c> counts
        /// documents instead of occurrences).</summary>
        /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
        public int MinCount
        {
            get => _minCount;
            init
            {
                if (value < 1)
                    throw new ArgumentOutOfRangeException(nameof(MinCount), value, "MinCount must be at least 1.");
                _minCount = value;
            }
        }

        /// <summary>The token that stands for unknown words, with id <see cref="OovId"/>; default <see langword="null"/>: unknown
        /// words are dropped (Keras <c>oov_token</c>). It is listed in <see cref="WordIndex"/>; if the same string occurs as a word
        /// in the texts, it is not counted as a word of its own.</summary>
        /// <exception cref="ArgumentException">Set to the empty string.</exception>
        public string? OovToken
        {
            get => _oovToken;
            init
            {
                if (value is { Length: 0 })
                    throw new ArgumentException("OovToken must be null or a non-empty string.", nameof(OovToken));
                _oovToken = value;
            }
        }

        /// <summary>Whether <see cref="Fit"/> has been called.</summary>
        public bool IsFitted => _wordIndex is not null;

        /// <summary>Every word of the fitted texts with at least <see cref="MinCount"/> occurrences (and the <see cref="OovToken"/>), and
        /// its id, 1-based by rank; words past the <see cref="MaxWords"/> cap are listed too (Keras <c>word_index</c>).</summary>
        /// <exception cref="InvalidOperationException">The tokenizer has not been fitted.</exception>
        public IReadOnlyDictionary<string, int> WordIndex => _wordIndex ?? throw NotFitted();

        /// <summary>How many times each word occurs in the fitted texts, after cleaning (Keras <c>word_counts</c>).</summary>
        /// <exception cref="InvalidOperationException">The tokenizer has not been fitted.</exception>
        public IReadOnlyDictionary<string, int> WordCounts => _wordCounts ?? throw NotFitted();

        /// <summary>
        /// One more than the largest id <see cref="TextsToSequences"/> can produce: <c>min(WordIndex.Count + 1, MaxWords)</c>.
        /// Declare it as the <c>Vocabulary</c> of the model's <c>[Input]</c> (Keras: <c>input_dim</c> of the <c>Embedding</c>,
        /// <c>len(word_index) + 1</c> or <c>num_words</c>), or as the width of <see cref="Sequences.ToMultiHot"/>.
        /// </summary>
        /// <exception cref="InvalidOperationException">The tokenizer has not been fitted.</exception>
        public int VocabularySize
        {
            get
            {
                int all = WordIndex.Count + 1;
                return _maxWords is int cap ? Math.Min(all, cap) : all;
            }
        }

        /// <summary>
        /// Learns the vocabulary from <paramref name="texts"/>: counts every word (after <see cref="Cleaner"/>) and ranks the words by
        /// falling count, ties in order of first appearance (Keras <c>fit_on_texts</c>). Replaces what an earlier call learnt,
        /// where Keras would add to it. Returns this tokenizer.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="texts"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">A text is <see langword="null"/> (the message gives its position).</exception>
        /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxWords"/> is 1 with an <see cref="OovToken"/>, which leaves no id for any word.</exception>
        public Tokenizer Fit(IEnumerable<string> texts)
        {
            ArgumentNullException.ThrowIfNull(texts);
            if (_oovToken is not null && _maxWords is 1)
                throw new ArgumentOutOfRangeException(nameof(MaxWords), _maxWords,
                    $"MaxWords is 1 with OovToken \"{_oovToken}\", which leaves no id for any word; it must be at least 2.");

            // Insertion order of first appearance, kept alongside the counts for the stable ranking.
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var firstSeen = new List<string>();
            int position = 0;
            foreach (string text in texts)
            {
                if (text is null)
                    throw new ArgumentException($"texts[{position}] is null.", nameof(texts));
                foreach (string word in Cleaner.Tokenize(text))
                {
                    if (counts.TryGetValue(word, out int count)) counts[word] = count + 1;
                    else
                    {
                        counts[word] = 1;
                        firstSeen.Add(word);
                    }
                }
                position++;
            }

            var ranked = new List<string>(firstSeen.Count);
            foreach (string word in firstSeen)
            {
                if (counts[word] >= _minCount && word != _oovToken) ranked.Add(word);
            }
            // List.Sort is not stable; the first-seen position breaks ties, as Python's stable sort does.
            var order = new Dictionary<string, int>(firstSeen.Count, StringComparer.Ordinal);
            for (int i = 0; i < ranked.Count; i++) order[ranked[i]] = i;
            ranked.Sort((a, b) =>
            {
                int byCount = counts[b].CompareTo(counts[a]);
                return byCount != 0 ? byCount : order[a].CompareTo(order[b]);
            });

            var index = new Dictionary<string, int>(ranked.Count + 1, StringComparer.Ordinal);
            var indexWord = new string[ranked.Count + 2];
            int next = OovId;
            if (_oovToken is not null)
            {
                index[_oovToken] = next;
                indexWord[next++] = _oovToken;
            }
            foreach (string word in ranked)
            {
                index[word] = next;
                indexWord[next++] = word;
            }
            _wordIndex = index;
            _wordCounts = counts;
            _indexWord = indexWord[..next];
            return this;
        }

        /// <summary>The word ids of <paramref name="text"/> (Keras <c>texts_to_sequences([text])[0]</c>).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
        /// <exception cref="InvalidOperationException">The tokenizer has not been fitted.</exception>
        public int[] TextToSequence(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            Dictionary<string, int> index = _wordIndex ?? throw NotFitted();
            int cap = _maxWords ?? int.MaxValue;
            var ids = new List<int>();
            foreach (string word in Cleaner.Tokenize(text))
            {
                if (index.TryGetValue(word, out int id) && id < cap) ids.Add(id);
                else if (_oovToken is not null) ids.Add(OovId);
            }
            return ids.ToArray();
        }

        /// <summary>The word ids of each text (Keras <c>texts_to_sequences</c>): known words by their id, the rest as
        /// <see cref="OovId"/> or left out (see the class remarks). Sequences may be empty.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="texts"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">A text is <see langword="null"/> (the message gives its position).</exception>
        /// <exception cref="InvalidOperationException">The tokenizer has not been fitted.</exception>
        public int[][] TextsToSequences(IReadOnlyList<string> texts)
        {
            ArgumentNullException.ThrowIfNull(texts);
            if (_wordIndex is null) throw NotFitted();
            var sequences = new int[texts.Count][];
            for (int i = 0; i < sequences.Length; i++)
            {
                string text = texts[i] ?? throw new ArgumentException($"texts[{i}] is null.", nameof(texts));
                sequences[i] = TextToSequence(text);
            }
            return sequences;
        }

        /// <summary>The words of a sequence of ids joined by spaces, skipping <see cref="PaddingId"/> (Keras
        /// <c>sequences_to_texts([sequence])[0]</c>).</summary>
        /// <exception cref="InvalidOperationException">The tokenizer has not been fitted.</exception>
        /// <exception cref="ArgumentException">An id is not in [0, <see cref="VocabularySize"/>) (the message gives its position).</exception>
        public string SequenceToText(ReadOnlySpan<int> sequence)
        {
            string[] indexWord = _indexWord ?? throw NotFitted();
            int vocabulary = VocabularySize;
            var words = new List<string>(sequence.Length);
            for (int i = 0; i < sequence.Length; i++)
            {
                int id = sequence[i];
                if (id == PaddingId) continue;
                if ((uint)id >= (uint)vocabulary)
                    throw new ArgumentException($"sequence[{i}] is {id}; expected an id in [0, {vocabulary}).", nameof(sequence));
                words.Add(indexWord[id]);
            }
            return string.Join(' ', words);
        }

        private static InvalidOperationException NotFitted() =>
            new InvalidOperationException("The tokenizer has not been fitted yet; call Fit with the training texts first.");
    }
}
