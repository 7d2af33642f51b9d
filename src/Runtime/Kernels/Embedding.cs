using System;
using System.Numerics.Tensors;

namespace Unroll.Kernels;

// Layer kernels (llm.c style, backward accumulates); this part holds the token embedding lookup.
public static partial class Layers
{
    /// <summary>
    /// Embedding lookup: y[t, b, :] = table[tokens[b, t], :]. The tokens are batch-major [batch, steps], as the user
    /// holds them; the output is time-major [steps, batch, dimension], as the recurrent kernels read it. The table is
    /// [vocabulary, dimension]. Overwrites <paramref name="y"/>. PyTorch <c>nn.Embedding(vocabulary, dimension)(tokens).transpose(0, 1)</c>;
    /// Keras <c>Embedding(vocabulary, dimension)</c> (token 0 is an ordinary row; <see cref="Embedding_Mask"/> gives the
    /// Keras <c>mask_zero=True</c> mask).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A token id is negative or not below <paramref name="vocabulary"/>;
    /// the message names the sample, the step, the id and the vocabulary size.</exception>
    public static void Embedding_Forward(Span<float> y, ReadOnlySpan<int> tokens, ReadOnlySpan<float> table,
        int batch, int steps, int vocabulary, int dimension)
    {
        ValidateEmbedding(tokens.Length, table.Length, nameof(table), batch, steps, vocabulary, dimension);
        Gemm.CheckLength(y.Length, (long)steps * batch * dimension, nameof(y), "steps*batch*dimension");
        Embedding_CheckTokens(tokens, batch, steps, vocabulary);
        // A large lookup splits by samples as the recurrent kernels do (at least four each, the same boundaries), so a thread gathers the
        // rows it will run through the steps and they stay in its core's cache.
        int parts = (long)steps * batch * dimension >= EmbeddingParallelFloats ? SampleParts(batch) : 1;
        unsafe
        {
            fixed (float* py = y, pt = table)
            fixed (int* pk = tokens)
            {
                var job = new EmbeddingGather { Y = py, Table = pt, Tokens = pk, Batch = batch, Steps = steps, Dimension = dimension };
                if (parts < 2 || !WorkerPool.TryRun(parts, &EmbeddingGatherPart, &job)) EmbeddingGatherRows(ref job, 0, batch);
            }
        }
    }

    /// <summary>
    /// Checks every token id of a batch-major [batch, steps] batch as <see cref="Embedding_Forward"/> does, before anything is looked up:
    /// a generated model checks a whole batch with it before running the batch in parts (<see cref="BatchSplit"/>), so a bad id is still
    /// reported by its sample in the batch and no output is written.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="tokens"/> does not hold batch x steps ids.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token id is negative or not below <paramref name="vocabulary"/>; the message names
    /// the sample, the step, the id and the vocabulary size.</exception>
    public static void Embedding_CheckTokens(ReadOnlySpan<int> tokens, int batch, int steps, int vocabulary)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        Gemm.CheckLength(tokens.Length, (long)batch * steps, nameof(tokens), "batch*steps");
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++) CheckToken(tokens[b * steps + t], b, t, vocabulary);
    }

    /// <summary>From this many output floats an embedding lookup splits across threads (below it, waking a helper costs more than the copy).</summary>
    private const long EmbeddingParallelFloats = 1 << 16;

    /// <summary>An embedding lookup's pointers (tokens already checked), on the caller's stack.</summary>
    private unsafe struct EmbeddingGather
    {
        public float* Y, Table;
        public int* Tokens;
        public int Batch, Steps, Dimension;
    }

    private static unsafe void EmbeddingGatherPart(int part, int parts, void* context)
    {
        ref EmbeddingGather job = ref System.Runtime.CompilerServices.Unsafe.AsRef<EmbeddingGather>(context);
        EmbeddingGatherRows(ref job, SampleStart(job.Batch, part, parts), SampleStart(job.Batch, part + 1, parts));
    }

    /// <summary>Samples [<paramref name="b0"/>, <paramref name="b1"/>) of a lookup: a copy of one table row per step.</summary>
    private static unsafe void EmbeddingGatherRows(ref EmbeddingGather job, int b0, int b1)
    {
        int d = job.Dimension;
        for (int b = b0; b < b1; b++)
            for (int t = 0; t < job.Steps; t++)
                new ReadOnlySpan<float>(job.Table + (nint)job.Tokens[b * job.Steps + t] * d, d)
                    .CopyTo(new Span<float>(job.Y + ((nint)t * job.Batch + b) * d, d));
    }

    /// <summary>
    /// Embedding backward: dTable[tokens[b, t], :] += dy[t, b, :] for every sample and step, so a token that occurs
    /// several times collects the sum of its rows' gradients (PyTorch's dense <c>nn.Embedding</c> weight gradient,
    /// without <c>padding_idx</c>). The input (token ids) has no gradient.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A token id is out of range, as in <see cref="Embedding_Forward"/>.</exception>
    public static void Embedding_Backward(Span<float> dTable, ReadOnlySpan<float> dy, ReadOnlySpan<int> tokens,
        int batch, int steps, int vocabulary, int dimension)
    {
        ValidateEmbedding(tokens.Length, dTable.Length, nameof(dTable), batch, steps, vocabulary, dimension);
        Gemm.CheckLength(dy.Length, (long)steps * batch * dimension, nameof(dy), "steps*batch*dimension");
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                int token = CheckToken(tokens[b * steps + t], b, t, vocabulary);
                Span<float> row = dTable.Slice(token * dimension, dimension);
                TensorPrimitives.Add(row, dy.Slice((t * batch + b) * dimension, dimension), row);
            }
    }

    /// <summary>
    /// The Keras <c>mask_zero=True</c> mask, time-major: mask[t, b] = tokens[b, t] != 0 ? 1 : 0 (token 0 is padding).
    /// Overwrites <paramref name="mask"/>. PyTorch: <c>(tokens != 0).T.float()</c>.
    /// </summary>
    public static void Embedding_Mask(Span<float> mask, ReadOnlySpan<int> tokens, int batch, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        Gemm.CheckLength(tokens.Length, (long)batch * steps, nameof(tokens), "batch*steps");
        Gemm.CheckLength(mask.Length, (long)steps * batch, nameof(mask), "steps*batch");
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                mask[t * batch + b] = tokens[b * steps + t] != 0 ? 1f : 0f;
    }

    /// <summary>
    /// Token ids held as floats (a <see cref="Dataset"/>'s features) to ints: each value must be a whole number in
    /// [0, <paramref name="vocabulary"/>). An empty <paramref name="ids"/> only checks. A bad value throws an
    /// <see cref="ArgumentException"/> naming its row and step in <paramref name="source"/> (e.g. "the data set 'train'",
    /// or "the batch").
    /// </summary>
    public static void Embedding_TokenIds(Span<int> ids, ReadOnlySpan<float> values, int vocabulary, int steps, string source, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!ids.IsEmpty) KernelChecks.SameLength(values.Length, ids.Length, nameof(values), nameof(ids));
        for (int i = 0; i < values.Length; i++)
        {
            float id = values[i];
            if (!(id >= 0f && id < vocabulary) || id != (int)id)
                throw new ArgumentException(
                    $"Row {i / steps}, step {i % steps} of {source} holds {id}, which is not a token id in [0, {vocabulary}).", paramName);
            if (!ids.IsEmpty) ids[i] = (int)id;
        }
    }

    private static int CheckToken(int token, int sample, int step, int vocabulary)
    {
        if ((uint)token >= (uint)vocabulary)
            throw new ArgumentOutOfRangeException("tokens", token,
                $"Token id {token} at sample {sample}, step {step} is outside the vocabulary of size {vocabulary} (valid ids are 0 to {vocabulary - 1}).");
        return token;
    }

    private static void ValidateEmbedding(int tokensLength, int tableLength, string tableName, int batch, int steps,
        int vocabulary, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        Gemm.CheckLength(tokensLength, (long)batch * steps, "tokens", "batch*steps");
        Gemm.CheckLength(tableLength, (long)vocabulary * dimension, tableName, "vocabulary*dimension");
    }
}
