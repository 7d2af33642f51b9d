using System;
using System.Runtime.CompilerServices;

namespace Unroll.Kernels;

/// <summary>A model's inference on some samples of a batch, on the calling thread: what <see cref="BatchSplit"/> runs for each part.
/// Generated models implement it explicitly.</summary>
/// <typeparam name="T">The input's element: <see cref="float"/> features or <see cref="int"/> token ids.</typeparam>
public interface IPredictRows<T> where T : unmanaged
{
    /// <summary>Inference on the samples of <paramref name="inputs"/> (at most the model's MaxBatch) into <paramref name="outputs"/>, on
    /// this thread.</summary>
    void PredictRows(ReadOnlySpan<T> inputs, Span<float> outputs);
}

/// <summary>
/// Splits one inference batch by samples across the worker threads, each part running the model's whole inference on its samples: one
/// handoff per batch instead of one per kernel, and every layer in parallel, the small ones too (the mlp workload's 64 x 64 and 64 x 10
/// layers ran on one thread while the other waited). How a batch splits depends only on its size and the model, never on the thread
/// count: with one thread, or with the workers busy, the same parts run one after another, so the results have the same bits on any
/// number of threads. A part has fewer rows than the batch, and a product's path can depend on its rows, so a sample's result may
/// differ in its last bits from an unsplit batch's, as it does between batch sizes.
/// </summary>
public static unsafe class BatchSplit
{
    /// <summary>The fewest samples a part has: two of the AVX-512 micro-kernel's 12-row panels and more, and a batch of 32 or fewer
    /// stays whole.</summary>
    public const int MinimumPartSamples = 32;

    /// <summary>The least work a part has, counted as samples x parameters: a dense layer does one multiply-add per weight and sample
    /// (a recurrent layer more, an embedding none), and a part of a million of them pays for the handoff.</summary>
    public const long MinimumPartWork = 1L << 20;

    /// <summary>The most parts a batch splits into.</summary>
    public const int MaximumParts = 64;

    /// <summary>How many parts a batch of <paramref name="samples"/> splits into for a model of <paramref name="parameters"/>
    /// parameters: as many as keep every part at least <see cref="MinimumPartSamples"/> samples and <see cref="MinimumPartWork"/> work,
    /// at most <see cref="MaximumParts"/>; 1 = the batch stays whole.</summary>
    public static int Parts(int samples, long parameters)
    {
        if (samples < 2 * MinimumPartSamples || parameters <= 0) return 1;
        long byWork = samples * parameters / MinimumPartWork;
        return (int)Math.Clamp(Math.Min(samples / MinimumPartSamples, byWork), 1, MaximumParts);
    }

    /// <summary>
    /// Runs <paramref name="model"/>'s inference on a batch (at most its MaxBatch samples of <paramref name="inputSize"/> inputs, each giving
    /// <paramref name="outputSize"/> outputs) in <see cref="Parts"/> parts of consecutive samples, on the worker threads when there are
    /// several and they are free, else one part after another on this thread.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold the same whole number of samples.</exception>
    public static void Predict<T>(IPredictRows<T> model, ReadOnlySpan<T> inputs, int inputSize, Span<float> outputs, int outputSize, long parameters)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        int samples = outputs.Length / outputSize;
        if (outputs.Length % outputSize != 0 || inputs.Length != (long)samples * inputSize)
            throw new ArgumentException($"Expected inputs of {samples} x {inputSize} values for outputs of {outputs.Length} floats ({outputSize} per sample) but got {inputs.Length}.",
                nameof(inputs));
        int parts = Parts(samples, parameters);
        if (parts < 2)
        {
            model.PredictRows(inputs, outputs);
            return;
        }
        fixed (T* pi = inputs)
        fixed (float* po = outputs)
        {
            var job = new Job { Inputs = pi, Outputs = po, InputSize = inputSize, OutputSize = outputSize, Samples = samples };
            if (Parallelism.ThreadCount >= 2 && WorkerPool.TryRun(parts, &Part<T>, &job, model)) return;
            for (int part = 0; part < parts; part++) Run(model, ref job, part, parts);
        }
    }

    /// <summary>A split batch: everything a part reads, on the caller's stack (the model travels as the pool's state).</summary>
    private struct Job
    {
        public void* Inputs;
        public float* Outputs;
        public int InputSize, OutputSize, Samples;
    }

    private static void Part<T>(int part, int parts, void* context) where T : unmanaged =>
        Run((IPredictRows<T>)WorkerPool.State!, ref Unsafe.AsRef<Job>(context), part, parts);

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/>: samples [samples·part/parts, samples·(part+1)/parts).</summary>
    private static void Run<T>(IPredictRows<T> model, ref Job job, int part, int parts) where T : unmanaged
    {
        int s0 = (int)((long)job.Samples * part / parts), s1 = (int)((long)job.Samples * (part + 1) / parts);
        model.PredictRows(new ReadOnlySpan<T>((T*)job.Inputs + (nint)s0 * job.InputSize, (s1 - s0) * job.InputSize),
            new Span<float>(job.Outputs + (nint)s0 * job.OutputSize, (s1 - s0) * job.OutputSize));
    }
}
