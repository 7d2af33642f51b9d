using Unroll.Kernels;

namespace Unroll.Samples;

/// <summary>
/// Principal component analysis: the linear baseline an autoencoder has to beat, and the 2-D map of word vectors. The <c>k</c> leading
/// eigenvectors of the data's covariance, found by orthogonal iteration (Q = orth(C Q), repeated until the variance Q captures stops growing), and the
/// reconstruction mean + Q Qᵀ (x - mean). The covariance is summed in double over chunks of float GEMMs.
/// </summary>
public sealed class Pca
{
    private readonly float[] _mean;
    private readonly float[] _components; // k x d, row-major: one unit vector per row

    private Pca(float[] mean, float[] components, int k, double captured, double total, int iterations)
    {
        _mean = mean;
        _components = components;
        Components = k;
        CapturedVariance = captured;
        TotalVariance = total;
        Iterations = iterations;
    }

    public int Components { get; }

    /// <summary>The variance (summed over features) along the components, and in all.</summary>
    public double CapturedVariance { get; }
    public double TotalVariance { get; }

    /// <summary>Orthogonal iterations until the captured variance changed by less than 1e-9 of itself over 10 iterations.</summary>
    public int Iterations { get; }

    public ReadOnlySpan<float> Component(int i) => _components.AsSpan(i * _mean.Length, _mean.Length);

    /// <summary>Fits <paramref name="k"/> components to <paramref name="data"/> (<paramref name="features"/> floats per row).</summary>
    public static Pca Fit(float[] data, int features, int k, ulong seed = 1)
    {
        int d = features, n = data.Length / d;
        if (n * d != data.Length || k < 1 || k > d)
            throw new ArgumentException($"data holds {data.Length} floats, not a whole number of rows of {d}, or k = {k} is outside 1..{d}.");
        var mean = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) mean[j] += data[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;

        // C = (X - mean)ᵀ (X - mean) / n, accumulated in double one chunk of rows at a time.
        const int Chunk = 1024;
        var centred = new float[Chunk * d];
        var partial = new float[d * d];
        var covariance = new double[d * d];
        for (int start = 0; start < n; start += Chunk)
        {
            int rows = Math.Min(Chunk, n - start);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < d; j++) centred[r * d + j] = (float)(data[(start + r) * d + j] - mean[j]);
            Gemm.TN(partial, centred.AsSpan(0, rows * d), centred.AsSpan(0, rows * d), d, d, rows, accumulate: false);
            for (int i = 0; i < partial.Length; i++) covariance[i] += partial[i];
        }
        var c = new float[d * d];
        double total = 0;
        for (int i = 0; i < c.Length; i++) c[i] = (float)(covariance[i] / n);
        for (int j = 0; j < d; j++) total += covariance[j * d + j] / n;

        // Orthogonal iteration on Qᵀ (k x d): Qᵀ <- orth(Qᵀ C), C symmetric.
        var q = new float[k * d];
        var random = new SeededRandom(seed);
        for (int i = 0; i < q.Length; i++) q[i] = random.NextNormal();
        Orthonormalize(q, k, d);
        var next = new float[k * d];
        double captured = 0, tenAgo = 0;
        int iterations = 0;
        while (iterations < 5000)
        {
            Gemm.NN(next, q, c, k, d, d, accumulate: false);
            captured = 0; // trace(Qᵀ C Q) with the Q that went in
            for (int i = 0; i < k; i++)
                captured += System.Numerics.Tensors.TensorPrimitives.Dot(next.AsSpan(i * d, d), q.AsSpan(i * d, d));
            (q, next) = (next, q);
            Orthonormalize(q, k, d);
            iterations++;
            if (iterations % 10 == 0)
            {
                if (Math.Abs(captured - tenAgo) <= 1e-9 * captured) break;
                tenAgo = captured;
            }
        }
        return new Pca(Array.ConvertAll(mean, m => (float)m), q, k, captured, total, iterations);
    }

    /// <summary>The coordinates of one row along the components: <c>Qᵀ (x - mean)</c>.</summary>
    public float[] Project(ReadOnlySpan<float> row)
    {
        if (row.Length != _mean.Length)
            throw new ArgumentException($"The row holds {row.Length} values; the components have {_mean.Length}.", nameof(row));
        var centred = new float[row.Length];
        System.Numerics.Tensors.TensorPrimitives.Subtract(row, _mean, centred);
        var code = new float[Components];
        for (int i = 0; i < code.Length; i++) code[i] = System.Numerics.Tensors.TensorPrimitives.Dot(Component(i), centred);
        return code;
    }

    /// <summary>Mean squared error per value of the reconstructions of <paramref name="inputs"/> against <paramref name="targets"/>
    /// (the same images when measuring reconstruction; clean ones when the inputs are noisy).</summary>
    public double ReconstructionMse(float[] inputs, float[] targets)
    {
        int d = _mean.Length, k = Components, n = inputs.Length / d;
        var x = new float[d];
        var code = new float[k];
        var back = new float[d];
        double sum = 0;
        for (int r = 0; r < n; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(inputs.AsSpan(r * d, d), _mean, x);
            for (int i = 0; i < k; i++) code[i] = System.Numerics.Tensors.TensorPrimitives.Dot(Component(i), x);
            _mean.CopyTo(back, 0);
            for (int i = 0; i < k; i++) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(Component(i), code[i], back, back);
            for (int j = 0; j < d; j++)
            {
                double e = back[j] - targets[r * d + j];
                sum += e * e;
            }
        }
        return sum / ((double)n * d);
    }

    /// <summary>Modified Gram-Schmidt on the rows of <paramref name="rows"/> (k x d), in double.</summary>
    private static void Orthonormalize(float[] rows, int k, int d)
    {
        var v = new double[k * d];
        for (int i = 0; i < v.Length; i++) v[i] = rows[i];
        for (int i = 0; i < k; i++)
        {
            Span<double> vi = v.AsSpan(i * d, d);
            for (int p = 0; p < i; p++)
            {
                ReadOnlySpan<double> vp = v.AsSpan(p * d, d);
                double dot = 0;
                for (int j = 0; j < d; j++) dot += vi[j] * vp[j];
                for (int j = 0; j < d; j++) vi[j] -= dot * vp[j];
            }
            double norm = 0;
            for (int j = 0; j < d; j++) norm += vi[j] * vi[j];
            norm = Math.Sqrt(norm);
            for (int j = 0; j < d; j++) vi[j] /= norm;
        }
        for (int i = 0; i < v.Length; i++) rows[i] = (float)v[i];
    }
}
