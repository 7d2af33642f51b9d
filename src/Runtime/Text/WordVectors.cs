using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace Unroll.Text
{
    /// <summary>
    /// Word vectors to query: the rows of a trained embedding (one per id) with the word each id stands for, normalised once to unit
    /// length so that cosine similarity is a dot product. Nearest neighbours as word2vec's <c>distance</c> tool lists them, and analogies
    /// a − b + c as its <c>word-analogy</c> tool (and gensim's <c>most_similar(positive=[a, c], negative=[b])</c>, 3CosAdd) answer them:
    /// the words closest to unit(a) − unit(b) + unit(c), the three query words left out.
    /// </summary>
    public sealed class WordVectors
    {
        private readonly float[] _unit;
        private readonly string?[] _words;
        private readonly Dictionary<string, int> _ids;

        /// <summary>
        /// Takes <paramref name="table"/> (ids x <paramref name="dimension"/>, row-major, as an embedding layer's weights) and the word of
        /// each id; ids whose word is <see langword="null"/> (padding, an out-of-vocabulary token) are never returned.
        /// </summary>
        /// <exception cref="ArgumentException">The table's length is not ids x dimension, or a word is listed twice.</exception>
        public WordVectors(ReadOnlySpan<float> table, int dimension, IReadOnlyList<string?> words)
        {
            ArgumentNullException.ThrowIfNull(words);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
            if ((long)words.Count * dimension != table.Length)
                throw new ArgumentException($"table holds {table.Length} floats; {words.Count} words of {dimension} dimensions need {(long)words.Count * dimension}.", nameof(table));
            Dimension = dimension;
            _unit = new float[table.Length];
            _words = new string?[words.Count];
            _ids = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int id = 0; id < words.Count; id++)
            {
                string? word = words[id];
                _words[id] = word;
                if (word is null) continue;
                if (!_ids.TryAdd(word, id))
                    throw new ArgumentException($"The word '{word}' is listed for ids {_ids[word]} and {id}; each word has one id.", nameof(words));
                ReadOnlySpan<float> row = table.Slice(id * dimension, dimension);
                float norm = TensorPrimitives.Norm(row);
                if (norm > 0) TensorPrimitives.Divide(row, norm, _unit.AsSpan(id * dimension, dimension));
            }
        }

        /// <summary>
        /// The rows of <paramref name="table"/> for the words of a fitted <paramref name="tokenizer"/>: id i is the word the tokenizer gave
        /// id i, below <paramref name="vocabulary"/> (the embedding's row count); padding and the OOV token are left out.
        /// </summary>
        public static WordVectors FromTokenizer(ReadOnlySpan<float> table, int dimension, int vocabulary, Tokenizer tokenizer)
        {
            ArgumentNullException.ThrowIfNull(tokenizer);
            var words = new string?[vocabulary];
            foreach (KeyValuePair<string, int> entry in tokenizer.WordIndex)
                if (entry.Value < vocabulary && entry.Key != tokenizer.OovToken)
                    words[entry.Value] = entry.Key;
            return new WordVectors(table, dimension, words);
        }

        /// <summary>The length of each vector.</summary>
        public int Dimension { get; }

        /// <summary>The number of words that can be queried and returned.</summary>
        public int Count => _ids.Count;

        /// <summary>Whether <paramref name="word"/> has a vector.</summary>
        public bool Contains(string word) => _ids.ContainsKey(word);

        /// <summary>The unit-length vector of <paramref name="word"/>.</summary>
        /// <exception cref="KeyNotFoundException">The word has no vector.</exception>
        public ReadOnlySpan<float> Vector(string word) => _unit.AsSpan(Id(word) * Dimension, Dimension);

        /// <summary>The cosine similarity of two words.</summary>
        public float Similarity(string a, string b) => TensorPrimitives.Dot(Vector(a), Vector(b));

        /// <summary>The <paramref name="count"/> words most similar to <paramref name="word"/> by cosine, most similar first, the word itself left out.</summary>
        public IReadOnlyList<(string Word, float Similarity)> Nearest(string word, int count) =>
            Nearest(Vector(word), count, word);

        /// <summary>The <paramref name="count"/> words whose vectors have the highest cosine with <paramref name="vector"/>, most similar first,
        /// leaving out the words in <paramref name="exclude"/>.</summary>
        public IReadOnlyList<(string Word, float Similarity)> Nearest(ReadOnlySpan<float> vector, int count, params string[] exclude)
        {
            if (vector.Length != Dimension)
                throw new ArgumentException($"vector holds {vector.Length} floats; the word vectors have {Dimension}.", nameof(vector));
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            float norm = TensorPrimitives.Norm(vector);
            var skip = new HashSet<int>();
            foreach (string w in exclude) if (_ids.TryGetValue(w, out int id)) skip.Add(id);
            // A bounded min-heap of the best so far: O(n log count).
            var best = new PriorityQueue<int, float>(count + 1);
            for (int id = 0; id < _words.Length; id++)
            {
                if (_words[id] is null || skip.Contains(id)) continue;
                float cosine = norm > 0 ? TensorPrimitives.Dot(vector, _unit.AsSpan(id * Dimension, Dimension)) / norm : 0f;
                if (best.Count < count) best.Enqueue(id, cosine);
                else if (count > 0 && best.TryPeek(out _, out float worst) && cosine > worst) best.EnqueueDequeue(id, cosine);
            }
            var result = new (string Word, float Similarity)[best.Count];
            for (int i = result.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out int id, out float cosine);
                result[i] = (_words[id]!, cosine);
            }
            return result;
        }

        /// <summary>
        /// "<paramref name="a"/> is to <paramref name="b"/> as ? is to <paramref name="c"/>", the seed's king − man + woman: the
        /// <paramref name="count"/> words nearest to unit(a) − unit(b) + unit(c), the three query words left out (3CosAdd).
        /// </summary>
        public IReadOnlyList<(string Word, float Similarity)> Analogy(string a, string b, string c, int count = 1)
        {
            var query = new float[Dimension];
            TensorPrimitives.Subtract(Vector(a), Vector(b), query);
            TensorPrimitives.Add(query, Vector(c), query);
            return Nearest(query, count, a, b, c);
        }

        private int Id(string word)
        {
            ArgumentNullException.ThrowIfNull(word);
            return _ids.TryGetValue(word, out int id)
                ? id
                : throw new KeyNotFoundException($"'{word}' is not one of the {_ids.Count} words with a vector.");
        }
    }
}
