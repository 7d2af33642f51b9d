using System.Globalization;
using System.Linq;

namespace Unroll.Generator.Graph
{
    /// <summary>A time axis: the steps of a sequence, up to <see cref="Length"/> at run time. An [Input] with Length and a
    /// RepeatVector each start one; the layers after them carry it on.</summary>
    internal sealed class TimeAxis
    {
        public TimeAxis(int length, string source)
        {
            Length = length;
            Source = source;
        }

        /// <summary>The declared (largest) number of steps.</summary>
        public int Length { get; }

        /// <summary>The member that starts the axis.</summary>
        public string Source { get; }

        /// <summary>The local that holds the run-time step count in generated code (<c>steps</c>), set by the planner.</summary>
        public string Var { get; set; } = "steps";
    }

    /// <summary>
    /// The shape of one sample of a layer's output: an optional time axis, then the feature axes ((F), (T, F), (H, W, C),
    /// (T, heads, d)...). The batch axis is implicit. Token ids are a sequence whose values are ids of a vocabulary.
    /// In the arenas a sequence is time-major, (steps, B, features), and anything else is (B, features).
    /// </summary>
    internal sealed class Shape
    {
        public Shape(TimeAxis? time, int[] dims, int vocabulary = 0)
        {
            Time = time;
            Dims = dims;
            Vocabulary = vocabulary;
        }

        public static Shape Vector(long features) => new(null, new[] { Dim(features) });

        /// <summary>An axis size computed in 64 bits; one beyond int saturates, so the size checks report the model as too large
        /// instead of wrapping around.</summary>
        public static int Dim(long size) => size > int.MaxValue ? int.MaxValue : (int)size;

        public TimeAxis? Time { get; }

        /// <summary>The feature axes; empty for token ids.</summary>
        public int[] Dims { get; }

        /// <summary>Above 0: the values are token ids in [0, Vocabulary).</summary>
        public int Vocabulary { get; }

        public bool IsTokens => Vocabulary > 0;
        public bool IsSequence => Time is not null;
        public int Steps => Time?.Length ?? 0;
        public int Rank => Dims.Length;

        /// <summary>Floats per step (per sample without a time axis); 1 for token ids. Saturates at <see cref="Huge"/>, so a size
        /// check reports an absurd shape instead of an overflow wrapping it into a small one.</summary>
        public long Features
        {
            get
            {
                long f = 1;
                foreach (int d in Dims) f = Multiply(f, d);
                return f;
            }
        }

        /// <summary>Floats (or ids) per sample, saturating as <see cref="Features"/>.</summary>
        public long SampleFloats => Multiply(IsSequence ? Steps : 1, Features);

        /// <summary>Far beyond any array, and small enough that a few more products stay in a long.</summary>
        public const long Huge = 1L << 40;

        public static long Multiply(long a, long b) => a == 0 || b == 0 ? 0 : a > Huge / b ? Huge : a * b;

        /// <summary>Every axis after the batch, the time axis first, as Keras counts them from 1.</summary>
        public int[] AllAxes => IsSequence ? new[] { Steps }.Concat(Dims).ToArray() : Dims;

        public Shape WithDims(params int[] dims) => new(Time, dims);

        /// <summary>Same axes and sizes (time lengths compared, not their sources).</summary>
        public bool SameAs(Shape other) =>
            Steps == other.Steps && Vocabulary == other.Vocabulary && Dims.SequenceEqual(other.Dims);

        /// <summary>"(20 steps, 50)", "(50)", "(28, 28, 1)", "(20 token ids)".</summary>
        public string Text()
        {
            if (IsTokens) return "(" + I(Steps) + " token ids)";
            string dims = string.Join(", ", Dims.Select(I));
            return IsSequence ? "(" + I(Steps) + " steps, " + dims + ")" : "(" + dims + ")";
        }

        /// <summary>How a diagnostic names what a layer gives: "the sequence (30 steps, 100)", "one vector of 50 per sample",
        /// "30 token ids", "(28, 28, 1) per sample".</summary>
        public string Describe() =>
            IsTokens ? I(Steps) + " token ids"
            : IsSequence ? "the sequence " + Text()
            : Rank == 1 ? "one vector of " + I(Dims[0]) + " per sample"
            : Text() + " per sample";

        /// <summary>The Keras summary's output shape: batch and steps as None, "(None, None, 100)".</summary>
        public string Keras() =>
            "(None, " + (IsSequence ? "None" + (Dims.Length > 0 ? ", " : "") : "") + string.Join(", ", Dims.Select(I)) + ")";

        private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
