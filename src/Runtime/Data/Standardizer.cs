using System;
using System.Numerics.Tensors;

namespace Unroll
{
    /// <summary>
    /// Per-feature standardization x' = (x - mean) / scale, with the mean and the population standard deviation
    /// (divisor n) of the training rows; a feature with zero deviation gets scale 1, so it maps to 0 instead of NaN.
    /// scikit-learn <c>StandardScaler</c>; Keras <c>layers.Normalization().adapt(x)</c>. Fit it on the training set only,
    /// then transform training, validation and test sets alike.
    /// </summary>
    public sealed class Standardizer
    {
        private readonly float[] _mean;
        private readonly float[] _scale;

        /// <summary>A standardizer with known statistics (e.g. saved with a model). <paramref name="scale"/> must be positive and finite.</summary>
        public Standardizer(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
        {
            if (mean.Length == 0)
                throw new ArgumentException("At least one feature is needed.", nameof(mean));
            if (scale.Length != mean.Length)
                throw new ArgumentException($"Expected {mean.Length} scales (one per mean), got {scale.Length}.", nameof(scale));
            for (int i = 0; i < scale.Length; i++)
            {
                if (!(scale[i] > 0) || !float.IsFinite(scale[i]))
                    throw new ArgumentException($"scale[{i}] is {scale[i]}; every scale must be positive and finite.", nameof(scale));
            }
            _mean = mean.ToArray();
            _scale = scale.ToArray();
        }

        /// <summary>Number of features per row.</summary>
        public int FeatureCount => _mean.Length;

        /// <summary>The per-feature mean (<c>StandardScaler.mean_</c>).</summary>
        public ReadOnlySpan<float> Mean => _mean;

        /// <summary>The per-feature divisor: the population standard deviation, or 1 where it is 0 (<c>StandardScaler.scale_</c>).</summary>
        public ReadOnlySpan<float> Scale => _scale;

        /// <summary>Computes the mean and population standard deviation of every feature over the rows of <paramref name="train"/>, in double precision.</summary>
        public static Standardizer Fit(Dataset train)
        {
            ArgumentNullException.ThrowIfNull(train);
            if (train.Count == 0)
                throw new ArgumentException("Cannot fit a standardizer to an empty data set.", nameof(train));
            int n = train.Count, k = train.FeatureCount;
            float[] x = train.Features;
            var mean = new float[k];
            var scale = new float[k];
            for (int j = 0; j < k; j++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += x[i * k + j];
                double m = sum / n;
                // Two passes: sum((x - m)^2) does not cancel catastrophically as E[x^2] - m^2 can.
                double squares = 0;
                for (int i = 0; i < n; i++)
                {
                    double d = x[i * k + j] - m;
                    squares += d * d;
                }
                double std = Math.Sqrt(squares / n);
                mean[j] = (float)m;
                scale[j] = std == 0 ? 1f : (float)std;
            }
            return new Standardizer(mean, scale);
        }

        /// <summary>Standardizes rows in place: <paramref name="features"/> holds whole rows of <see cref="FeatureCount"/> floats.</summary>
        public void Transform(Span<float> features)
        {
            if (features.Length % _mean.Length != 0)
                throw new ArgumentException(
                    $"Expected a multiple of {_mean.Length} values (whole rows), got {features.Length}.", nameof(features));
            for (int start = 0; start < features.Length; start += _mean.Length)
            {
                Span<float> row = features.Slice(start, _mean.Length);
                TensorPrimitives.Subtract(row, _mean, row);
                TensorPrimitives.Divide(row, _scale, row);
            }
        }

        /// <summary>A standardized copy of <paramref name="data"/> (its labels or targets are copied unchanged).</summary>
        public Dataset Transform(Dataset data)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (data.FeatureCount != _mean.Length)
                throw new ArgumentException(
                    $"The standardizer was fitted on {_mean.Length} features; the data set has {data.FeatureCount}.", nameof(data));
            var features = (float[])data.Features.Clone();
            Transform(features);
            return data.WithFeatures(features);
        }
    }
}
