using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.IO;

namespace Unroll.Text
{
    /// <summary>Stop-word lists shipped with the runtime, for <see cref="TextCleaner.StopWords"/>.</summary>
    public static class StopWords
    {
        private const string EnglishResource = "Unroll.Text.english-stopwords.txt";

        /// <summary>
        /// scikit-learn's English stop-word list, <c>sklearn.feature_extraction.text.ENGLISH_STOP_WORDS</c> (318 lower-case words, from
        /// the Glasgow Information Retrieval Group; BSD-3-Clause, see <c>src/Runtime/Text/SOURCE.md</c>), compared ordinally. It
        /// holds negations (<c>no</c>, <c>not</c>, <c>never</c>), so it is a poor choice for sentiment. Read once, on first use,
        /// from a resource embedded in the assembly.
        /// </summary>
        public static FrozenSet<string> English => EnglishList.Words;

        /// <summary>Reads a stop-word list: one word per line; blank lines and lines starting with <c>#</c> are skipped, and
        /// surrounding white space is trimmed.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
        public static FrozenSet<string> Read(TextReader reader)
        {
            ArgumentNullException.ThrowIfNull(reader);
            var words = new List<string>();
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                string word = line.Trim();
                if (word.Length > 0 && word[0] != '#') words.Add(word);
            }
            return words.ToFrozenSet(StringComparer.Ordinal);
        }

        // A nested class so the resource is read on first use of English, not when the outer class is touched.
        private static class EnglishList
        {
            internal static readonly FrozenSet<string> Words = Load();

            private static FrozenSet<string> Load()
            {
                using Stream stream = typeof(StopWords).Assembly.GetManifestResourceStream(EnglishResource)
                    ?? throw new InvalidOperationException($"The resource '{EnglishResource}' is missing from {typeof(StopWords).Assembly.GetName().Name}.");
                using var reader = new StreamReader(stream);
                return Read(reader);
            }
        }
    }
}
