using System;
using System.Buffers;

namespace Unroll.Kernels
{
    /// <summary>
    /// Weight initializers, following Keras' definitions (<c>keras.initializers</c>): fanIn is the number of
    /// inputs of the layer and fanOut its number of units. Every value is drawn from the model's
    /// <see cref="SeededRandom"/>, so the same seed gives the same weights everywhere. They run once, at
    /// model construction, so they favour clarity over speed.
    /// </summary>
    public static class Initializers
    {
        /// <summary>
        /// The standard deviation of a standard normal truncated to [-2, 2]. Keras divides the target stddev by it
        /// so that the truncated samples have the target variance.
        /// </summary>
        public const double TruncatedNormalStddev = 0.87962566103423978;

        /// <summary>
        /// Fills <paramref name="values"/> as the <see cref="Initializer"/> <paramref name="kind"/> says.
        /// </summary>
        /// <param name="values">The tensor to fill.</param>
        /// <param name="kind">Which initializer.</param>
        /// <param name="fanIn">Inputs of the layer (used by the Glorot and He kinds; the columns for <see cref="Initializer.Orthogonal"/>).</param>
        /// <param name="fanOut">Units of the layer (used by the Glorot kinds; the rows for <see cref="Initializer.Orthogonal"/>).</param>
        /// <param name="scale">The value for <see cref="Initializer.Constant"/>, the limit for
        /// <see cref="Initializer.Uniform"/>, the stddev for <see cref="Initializer.Normal"/>, the gain for
        /// <see cref="Initializer.Orthogonal"/> (0 means 1); ignored otherwise.</param>
        /// <param name="random">The model's random source (unused by the constant kinds).</param>
        public static void Fill(Span<float> values, Initializer kind, int fanIn, int fanOut, float scale, SeededRandom random)
        {
            switch (kind)
            {
                case Initializer.GlorotUniform: GlorotUniform(values, fanIn, fanOut, random); break;
                case Initializer.GlorotNormal: GlorotNormal(values, fanIn, fanOut, random); break;
                case Initializer.HeUniform: HeUniform(values, fanIn, random); break;
                case Initializer.HeNormal: HeNormal(values, fanIn, random); break;
                case Initializer.Zeros: values.Clear(); break;
                case Initializer.Ones: values.Fill(1f); break;
                case Initializer.Constant: values.Fill(scale); break;
                case Initializer.Uniform: Uniform(values, scale, random); break;
                case Initializer.Normal: Normal(values, scale, random); break;
                case Initializer.Orthogonal: Orthogonal(values, fanOut, fanIn, scale == 0f ? 1f : scale, random); break;
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown initializer.");
            }
        }

        /// <summary>
        /// U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). Keras <c>GlorotUniform</c>; PyTorch <c>xavier_uniform_</c>.
        /// </summary>
        public static void GlorotUniform(Span<float> w, int fanIn, int fanOut, SeededRandom random)
        {
            CheckFan(fanIn, nameof(fanIn));
            CheckFan(fanOut, nameof(fanOut));
            Uniform(w, (float)Math.Sqrt(6.0 / ((double)fanIn + fanOut)), random);
        }

        /// <summary>
        /// Normal with sigma = sqrt(2 / (fanIn + fanOut)) / 0.8796, truncated at 2 sigma by redrawing, so the
        /// result has stddev sqrt(2 / (fanIn + fanOut)). Keras <c>GlorotNormal</c>.
        /// </summary>
        public static void GlorotNormal(Span<float> w, int fanIn, int fanOut, SeededRandom random)
        {
            CheckFan(fanIn, nameof(fanIn));
            CheckFan(fanOut, nameof(fanOut));
            TruncatedNormal(w, Math.Sqrt(2.0 / ((double)fanIn + fanOut)), random);
        }

        /// <summary>
        /// U(-l, l) with l = sqrt(6 / fanIn). Keras <c>HeUniform</c>; PyTorch <c>kaiming_uniform_(nonlinearity="relu")</c>.
        /// </summary>
        public static void HeUniform(Span<float> w, int fanIn, SeededRandom random)
        {
            CheckFan(fanIn, nameof(fanIn));
            Uniform(w, (float)Math.Sqrt(6.0 / fanIn), random);
        }

        /// <summary>
        /// Normal with sigma = sqrt(2 / fanIn) / 0.8796, truncated at 2 sigma by redrawing, so the result has
        /// stddev sqrt(2 / fanIn). Keras <c>HeNormal</c>.
        /// </summary>
        public static void HeNormal(Span<float> w, int fanIn, SeededRandom random)
        {
            CheckFan(fanIn, nameof(fanIn));
            TruncatedNormal(w, Math.Sqrt(2.0 / fanIn), random);
        }

        /// <summary>U(-limit, limit). Keras <c>RandomUniform(-limit, limit)</c>; PyTorch <c>uniform_(-limit, limit)</c>.</summary>
        public static void Uniform(Span<float> w, float limit, SeededRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            if (!(limit >= 0f) || float.IsInfinity(limit))
                throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be finite and non-negative.");
            // NextFloat is k / 2^24, so 2u - 1 is exact and lies in [-1, 1): |w| never exceeds the limit.
            for (int i = 0; i < w.Length; i++)
                w[i] = limit * (2f * random.NextFloat() - 1f);
        }

        /// <summary>
        /// N(0, stddev^2), not truncated. Keras <c>RandomNormal(stddev)</c>; PyTorch <c>normal_(0, stddev)</c>.
        /// </summary>
        public static void Normal(Span<float> w, float stddev, SeededRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            if (!(stddev >= 0f) || float.IsInfinity(stddev))
                throw new ArgumentOutOfRangeException(nameof(stddev), stddev, "The stddev must be finite and non-negative.");
            for (int i = 0; i < w.Length; i++)
                w[i] = stddev * random.NextNormal();
        }

        /// <summary>
        /// A (semi-)orthogonal <paramref name="rows"/> x <paramref name="cols"/> matrix (row-major) times
        /// <paramref name="gain"/>: W W^T = gain^2 I when rows &lt;= cols, W^T W = gain^2 I otherwise.
        /// As Keras <c>Orthogonal</c> and PyTorch <c>orthogonal_</c>: the Q factor of the QR decomposition of a
        /// max(rows, cols) x min(rows, cols) standard normal matrix (drawn column by column), with R's diagonal
        /// made positive, which makes Q uniformly (Haar) distributed; transposed when rows &lt; cols.
        /// Keras' default for recurrent kernels.
        /// </summary>
        public static void Orthogonal(Span<float> w, int rows, int cols, float gain, SeededRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            CheckFan(rows, nameof(rows));
            CheckFan(cols, nameof(cols));
            if ((long)rows * cols != w.Length)
                throw new ArgumentException(
                    $"w has {w.Length} values but a {rows} x {cols} matrix needs {(long)rows * cols}.", nameof(w));

            int n = Math.Max(rows, cols), k = Math.Min(rows, cols);
            double[] q = ArrayPool<double>.Shared.Rent(n * k);
            try
            {
                // Modified Gram-Schmidt in double. It produces R with a positive diagonal by construction, which is
                // exactly the sign correction Householder-based QR needs in Keras and PyTorch.
                for (int j = 0; j < k; j++)
                {
                    Span<double> column = q.AsSpan(j * n, n);
                    double norm;
                    do
                    {
                        for (int i = 0; i < n; i++) column[i] = random.NextNormal();
                        for (int c = 0; c < j; c++)
                        {
                            ReadOnlySpan<double> previous = q.AsSpan(c * n, n);
                            double dot = 0;
                            for (int i = 0; i < n; i++) dot += previous[i] * column[i];
                            for (int i = 0; i < n; i++) column[i] -= dot * previous[i];
                        }
                        norm = 0;
                        for (int i = 0; i < n; i++) norm += column[i] * column[i];
                        norm = Math.Sqrt(norm);
                    }
                    // A column (numerically) inside the span of the previous ones has probability ~0; redraw it.
                    while (norm < 1e-10);
                    for (int i = 0; i < n; i++) column[i] /= norm;
                }

                // q holds Q (n x k) column by column: q[j * n + i] = Q[i, j].
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        w[r * cols + c] = (float)(gain * (rows >= cols ? q[c * n + r] : q[r * n + c]));
            }
            finally
            {
                ArrayPool<double>.Shared.Return(q);
            }
        }

        private static void TruncatedNormal(Span<float> w, double targetStddev, SeededRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            float sigma = (float)(targetStddev / TruncatedNormalStddev);
            for (int i = 0; i < w.Length; i++)
            {
                float z;
                do z = random.NextNormal(); while (MathF.Abs(z) > 2f);
                // |z| <= 2 and rounding is monotonic, so |w| <= 2 * sigma exactly.
                w[i] = sigma * z;
            }
        }

        private static void CheckFan(int fan, string name)
        {
            if (fan < 1)
                throw new ArgumentOutOfRangeException(name, fan, "Fan-in, fan-out and matrix sizes must be at least 1.");
        }
    }
}
