using System;
using System.Collections.Generic;

namespace Unroll.Text
{
    /// <summary>
    /// Draws index i with probability weights[i] / sum(weights) in constant time (Walker's alias method, as Vose builds it):
    /// each of n columns holds one index with probability <c>_accept[c]</c> and an alias for the rest.
    /// </summary>
    internal sealed class AliasTable
    {
        private readonly float[] _accept;
        private readonly int[] _alias;
        private readonly double[] _probability;

        public AliasTable(IReadOnlyList<double> weights)
        {
            int n = weights.Count;
            double sum = 0;
            foreach (double w in weights)
            {
                if (!(w >= 0) || double.IsInfinity(w))
                    throw new ArgumentException($"A weight is {w}; weights must be finite and at least 0.", nameof(weights));
                sum += w;
            }
            if (!(sum > 0))
                throw new ArgumentException("Every weight is 0; at least one must be positive.", nameof(weights));
            _probability = new double[n];
            _accept = new float[n];
            _alias = new int[n];
            var scaled = new double[n];
            var small = new Stack<int>();
            var large = new Stack<int>();
            for (int i = 0; i < n; i++)
            {
                _probability[i] = weights[i] / sum;
                scaled[i] = _probability[i] * n;
                (scaled[i] < 1 ? small : large).Push(i);
            }
            while (small.Count > 0 && large.Count > 0)
            {
                int s = small.Pop(), l = large.Pop();
                _accept[s] = (float)scaled[s];
                _alias[s] = l;
                scaled[l] -= 1 - scaled[s];
                (scaled[l] < 1 ? small : large).Push(l);
            }
            // What is left is 1 up to rounding: those columns keep their own index, unless its weight is 0 (never drawn).
            int heaviest = 0;
            for (int i = 1; i < n; i++) if (weights[i] > weights[heaviest]) heaviest = i;
            while (large.Count > 0) { int l = large.Pop(); _accept[l] = 1f; _alias[l] = l; }
            while (small.Count > 0)
            {
                int s = small.Pop();
                _accept[s] = weights[s] > 0 ? 1f : 0f;
                _alias[s] = weights[s] > 0 ? s : heaviest;
            }
        }

        public double Probability(int index) => _probability[index];

        public int Sample(SeededRandom random)
        {
            int column = random.NextInt(_accept.Length);
            return random.NextFloat() < _accept[column] ? column : _alias[column];
        }
    }
}
