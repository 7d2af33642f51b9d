using System;
using System.Collections.Generic;

namespace Unroll.Text
{
    /// <summary>
    /// The training pairs of skip-gram with negative sampling (Mikolov et al. 2013, word2vec's <c>-cbow 0 -negative k</c>), batch by batch
    /// over a corpus of token ids, as word2vec draws them:
    /// <list type="bullet">
    /// <item>frequent-word subsampling: each occurrence of a word with corpus frequency f is kept with probability
    /// (sqrt(f / t) + 1) t / f (word2vec's formula, <see cref="SkipGramOptions.Subsample"/> = t), afresh every epoch, before the windows are taken;</item>
    /// <item>a random window shrink: for each centre word a window b is drawn uniformly from 1..<see cref="SkipGramOptions.Window"/>, and each
    /// kept word at most b positions away (within the same document) is a context;</item>
    /// <item>negative sampling: each (word, context) pair, labelled 1, is followed by <see cref="SkipGramOptions.Negatives"/> pairs
    /// (word, noise word) labelled 0, the noise drawn from the unigram distribution raised to <see cref="SkipGramOptions.NoisePower"/>
    /// (0.75) by an alias table (Walker's method: the exact distribution, where word2vec approximates it with a table of 10^8 ids).
    /// A noise word equal to the pair's context is drawn again (word2vec skips it), so every positive pair has exactly k negatives.</item>
    /// </list>
    /// Documents are visited in a seeded random order each epoch. Id 0 (padding) never appears in a pair. Seeded: the same corpus,
    /// options and seed give the same batches. <see cref="NextBatch"/> allocates nothing.
    /// </summary>
    public sealed class SkipGramSampler
    {
        private readonly int[][] _documents;
        private readonly SkipGramOptions _options;
        private readonly SeededRandom _random;
        private readonly float[] _keep;
        private readonly AliasTable _noise;
        private readonly int[] _order;
        private readonly int[] _kept;
        private readonly int[] _pendingWords, _pendingContexts;
        private readonly float[] _pendingLabels;
        private int _pendingStart, _pendingCount;
        private int _documentIndex, _keptCount, _position;
        private bool _done;

        /// <summary>Prepares the sampler for <paramref name="documents"/> (token ids in 1..<paramref name="vocabulary"/> - 1; 0 is padding and
        /// is skipped), counting each id's occurrences for subsampling and the noise distribution, and starts the first epoch.</summary>
        /// <exception cref="ArgumentException">An id is negative or not below <paramref name="vocabulary"/> (named by document and position), the
        /// corpus has no token, or an option is out of range.</exception>
        public SkipGramSampler(IReadOnlyList<int[]> documents, int vocabulary, SkipGramOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(documents);
            ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 2);
            _options = options ?? new SkipGramOptions();
            _options.Validate();
            Vocabulary = vocabulary;
            _documents = new int[documents.Count][];
            var counts = new long[vocabulary];
            int longest = 0;
            for (int d = 0; d < documents.Count; d++)
            {
                int[] doc = documents[d] ?? throw new ArgumentException($"Document {d} is null.", nameof(documents));
                for (int i = 0; i < doc.Length; i++)
                {
                    int id = doc[i];
                    if ((uint)id >= (uint)vocabulary)
                        throw new ArgumentException($"Document {d}, position {i} holds token id {id}, which is not in [0, {vocabulary}).", nameof(documents));
                    counts[id]++;
                }
                _documents[d] = doc;
                longest = Math.Max(longest, doc.Length);
            }
            counts[0] = 0;
            long total = 0;
            foreach (long c in counts) total += c;
            if (total == 0)
                throw new ArgumentException("The documents hold no token id other than padding (0); there is nothing to sample.", nameof(documents));
            CorpusTokens = total;
            Counts = counts;

            _keep = new float[vocabulary];
            var noise = new double[vocabulary];
            double t = _options.Subsample;
            for (int id = 1; id < vocabulary; id++)
            {
                if (counts[id] == 0) continue;
                double f = (double)counts[id] / total;
                _keep[id] = t <= 0 ? 1f : (float)Math.Min(1.0, (Math.Sqrt(f / t) + 1) * t / f);
                noise[id] = Math.Pow(counts[id], _options.NoisePower);
            }
            int distinct = 0;
            foreach (double w in noise) if (w > 0) distinct++;
            if (_options.Negatives > 0 && distinct < 2)
                throw new ArgumentException($"The documents hold {distinct} distinct word; negative sampling needs at least 2, so that a noise word can differ from the context.", nameof(documents));
            _noise = new AliasTable(noise);
            _random = new SeededRandom(_options.Seed);
            _order = new int[_documents.Length];
            _kept = new int[longest];
            int perCentre = 2 * _options.Window * (1 + _options.Negatives);
            _pendingWords = new int[perCentre];
            _pendingContexts = new int[perCentre];
            _pendingLabels = new float[perCentre];
            StartEpoch();
        }

        /// <summary>The number of ids, the model's embedding vocabulary.</summary>
        public int Vocabulary { get; }

        /// <summary>Tokens in the corpus, padding left out.</summary>
        public long CorpusTokens { get; }

        /// <summary>Occurrences of each id in the corpus (0 for padding).</summary>
        public IReadOnlyList<long> Counts { get; }

        /// <summary>The options the sampler was built with.</summary>
        public SkipGramOptions Options => _options;

        /// <summary>How many rows one positive pair brings: itself and its negatives.</summary>
        public int RowsPerPair => 1 + _options.Negatives;

        /// <summary>The probability that an occurrence of <paramref name="id"/> survives subsampling.</summary>
        public double KeepProbability(int id) => _keep[id];

        /// <summary>The probability of drawing <paramref name="id"/> as a noise word: count^power over the sum of count^power.</summary>
        public double NoiseProbability(int id) => _noise.Probability(id);

        /// <summary>Starts a new epoch: a fresh document order and fresh subsampling. The constructor starts the first.</summary>
        public void StartEpoch()
        {
            for (int i = 0; i < _order.Length; i++) _order[i] = i;
            _random.Shuffle(_order.AsSpan());
            _documentIndex = -1;
            _keptCount = _position = 0;
            _pendingStart = _pendingCount = 0;
            _done = false;
        }

        /// <summary>
        /// Fills the next rows of the epoch: <paramref name="words"/>[i] and <paramref name="contexts"/>[i] are a pair of ids and
        /// <paramref name="labels"/>[i] is 1 for a context seen in the corpus, 0 for a noise word. Fills the spans (all of one length)
        /// unless the epoch ends first.
        /// </summary>
        /// <returns>The rows filled; 0 once the epoch is over (then call <see cref="StartEpoch"/>).</returns>
        public int NextBatch(Span<int> words, Span<int> contexts, Span<float> labels)
        {
            if (contexts.Length != words.Length || labels.Length != words.Length)
                throw new ArgumentException($"words, contexts and labels hold {words.Length}, {contexts.Length} and {labels.Length} values; one of each per row was expected.");
            int filled = 0;
            while (filled < words.Length)
            {
                if (_pendingCount == 0 && !NextCentre())
                    break;
                int n = Math.Min(_pendingCount, words.Length - filled);
                _pendingWords.AsSpan(_pendingStart, n).CopyTo(words.Slice(filled));
                _pendingContexts.AsSpan(_pendingStart, n).CopyTo(contexts.Slice(filled));
                _pendingLabels.AsSpan(_pendingStart, n).CopyTo(labels.Slice(filled));
                _pendingStart += n;
                _pendingCount -= n;
                filled += n;
            }
            return filled;
        }

        /// <summary>Moves to the next kept centre word and writes all its rows to the pending buffers; false when the epoch is over.</summary>
        private bool NextCentre()
        {
            while (!_done)
            {
                if (_position >= _keptCount && !NextDocument())
                    return false;
                if (_position >= _keptCount)
                    continue;
                int centre = _position++;
                int window = 1 + _random.NextInt(_options.Window);
                int from = Math.Max(0, centre - window), to = Math.Min(_keptCount - 1, centre + window);
                int word = _kept[centre], rows = 0;
                for (int j = from; j <= to; j++)
                {
                    if (j == centre) continue;
                    int context = _kept[j];
                    _pendingWords[rows] = word;
                    _pendingContexts[rows] = context;
                    _pendingLabels[rows++] = 1f;
                    for (int k = 0; k < _options.Negatives; k++)
                    {
                        int noise;
                        do noise = _noise.Sample(_random); while (noise == context);
                        _pendingWords[rows] = word;
                        _pendingContexts[rows] = noise;
                        _pendingLabels[rows++] = 0f;
                    }
                }
                if (rows == 0) continue; // a document with one kept word has no pairs
                _pendingStart = 0;
                _pendingCount = rows;
                return true;
            }
            return false;
        }

        /// <summary>Subsamples the next document of the epoch's order into <c>_kept</c>; false when there is none.</summary>
        private bool NextDocument()
        {
            if (++_documentIndex >= _documents.Length)
            {
                _done = true;
                return false;
            }
            int[] doc = _documents[_order[_documentIndex]];
            int kept = 0;
            foreach (int id in doc)
            {
                if (id == 0) continue;
                float keep = _keep[id];
                if (keep >= 1f || _random.NextFloat() < keep)
                    _kept[kept++] = id;
            }
            _keptCount = kept;
            _position = 0;
            return true;
        }
    }

    /// <summary>How <see cref="SkipGramSampler"/> draws its pairs; the defaults are word2vec's for skip-gram.</summary>
    public sealed class SkipGramOptions
    {
        /// <summary>The largest window: contexts are up to this many kept words either side; each centre draws its own from 1..Window. Default 5.</summary>
        public int Window { get; init; } = 5;

        /// <summary>Noise words per positive pair (word2vec <c>-negative</c>). Default 5.</summary>
        public int Negatives { get; init; } = 5;

        /// <summary>The subsampling threshold t (word2vec <c>-sample</c>); 0 keeps every word. Default 1e-3.</summary>
        public double Subsample { get; init; } = 1e-3;

        /// <summary>The power the unigram counts are raised to for the noise distribution. Default 0.75.</summary>
        public double NoisePower { get; init; } = 0.75;

        /// <summary>The seed of the document order, subsampling, windows and noise. Default 1.</summary>
        public ulong Seed { get; init; } = 1;

        internal void Validate()
        {
            if (Window < 1)
                throw new ArgumentOutOfRangeException(nameof(Window), Window, "The window must be at least 1.");
            if (Negatives < 0)
                throw new ArgumentOutOfRangeException(nameof(Negatives), Negatives, "The number of negatives must be at least 0.");
            if (!(Subsample >= 0) || double.IsInfinity(Subsample))
                throw new ArgumentOutOfRangeException(nameof(Subsample), Subsample, "The subsampling threshold must be finite and at least 0 (0 turns it off).");
            if (!(NoisePower >= 0) || double.IsInfinity(NoisePower))
                throw new ArgumentOutOfRangeException(nameof(NoisePower), NoisePower, "The noise power must be finite and at least 0.");
        }
    }
}
