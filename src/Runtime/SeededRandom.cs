using System;

namespace Unroll
{
    /// <summary>
    /// The one random source of a model: xoshiro256** seeded through SplitMix64, so the same seed gives
    /// the same stream on every machine and runtime. Used for initialization, shuffling and dropout.
    /// </summary>
    public sealed class SeededRandom
    {
        private ulong _s0, _s1, _s2, _s3;
        private float _spareNormal;
        private bool _hasSpareNormal;

        /// <summary>Creates a generator whose whole stream is determined by <paramref name="seed"/>.</summary>
        public SeededRandom(ulong seed)
        {
            ulong x = seed;
            _s0 = SplitMix64(ref x);
            _s1 = SplitMix64(ref x);
            _s2 = SplitMix64(ref x);
            _s3 = SplitMix64(ref x);
        }

        private static ulong SplitMix64(ref ulong x)
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

        /// <summary>The next 64 uniformly distributed bits.</summary>
        public ulong NextUInt64()
        {
            ulong result = RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }

        /// <summary>A float uniformly distributed in [0, 1), with 24 random bits.</summary>
        public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

        /// <summary>A double uniformly distributed in [0, 1), with 53 random bits.</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>An integer uniformly distributed in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
        public int NextInt(int exclusiveMax)
        {
            if (exclusiveMax <= 0)
                throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "The upper bound must be positive.");
            // Lemire's multiply-shift, rejecting the few low products that would bias the result.
            uint bound = (uint)exclusiveMax;
            ulong product = (NextUInt64() >> 32) * bound;
            uint low = (uint)product;
            if (low < bound)
            {
                uint threshold = (0u - bound) % bound;
                while (low < threshold)
                {
                    product = (NextUInt64() >> 32) * bound;
                    low = (uint)product;
                }
            }
            return (int)(product >> 32);
        }

        /// <summary>A standard normal sample (Box-Muller, computed in double precision).</summary>
        public float NextNormal()
        {
            if (_hasSpareNormal)
            {
                _hasSpareNormal = false;
                return _spareNormal;
            }
            double u1;
            do u1 = NextDouble(); while (u1 <= double.Epsilon);
            double u2 = NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double angle = 2.0 * Math.PI * u2;
            _spareNormal = (float)(radius * Math.Sin(angle));
            _hasSpareNormal = true;
            return (float)(radius * Math.Cos(angle));
        }

        /// <summary>The whole state, five numbers: the four xoshiro256** words and the spare normal sample (its float bits, with bit 32
        /// set when there is one). <see cref="RestoreState"/> puts it back, so a saved run continues with exactly the same stream.</summary>
        public ulong[] SaveState() => new[] { _s0, _s1, _s2, _s3, _hasSpareNormal ? (1UL << 32) | BitConverter.SingleToUInt32Bits(_spareNormal) : 0UL };

        /// <summary>Puts back a state from <see cref="SaveState"/>.</summary>
        /// <exception cref="ArgumentException">Not five numbers, or the four words all 0 (a state xoshiro never reaches).</exception>
        public void RestoreState(ReadOnlySpan<ulong> state)
        {
            if (state.Length != 5)
                throw new ArgumentException($"A SeededRandom state is 5 numbers; {state.Length} came.", nameof(state));
            if ((state[0] | state[1] | state[2] | state[3]) == 0)
                throw new ArgumentException("A SeededRandom state cannot have its four words all 0.", nameof(state));
            (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
            _hasSpareNormal = (state[4] >> 32) != 0;
            _spareNormal = BitConverter.UInt32BitsToSingle((uint)state[4]);
        }

        /// <summary>Shuffles <paramref name="values"/> in place (Fisher-Yates).</summary>
        public void Shuffle<T>(Span<T> values)
        {
            for (int i = values.Length - 1; i > 0; i--)
            {
                int j = NextInt(i + 1);
                (values[i], values[j]) = (values[j], values[i]);
            }
        }
    }
}
