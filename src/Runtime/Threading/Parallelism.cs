using System;
using System.Globalization;

namespace Unroll
{
    /// <summary>
    /// How many threads the runtime's kernels may use for one call (large matrix products split their output columns or rows across them,
    /// and a generated model's <c>Predict</c> runs a large batch in parts of its samples, <see cref="Kernels.BatchSplit"/>).
    /// Results are bit-identical for every thread count: each output element is computed by the same sequence of operations whichever
    /// thread computes it, and a batch splits the same way whatever the count. The default is every core (<see cref="Environment.ProcessorCount"/>), or the <c>UNROLL_THREADS</c>
    /// environment variable when set; 1 runs everything on the calling thread.
    /// </summary>
    /// <remarks>The helper threads are created on first use, persist, and are shared by every model: when one call is using them, a call
    /// from another thread at the same moment runs on its own thread instead of waiting (a model served by many threads already keeps
    /// the cores busy).</remarks>
    public static class Parallelism
    {
        private static int s_threadCount = Default();

        /// <summary>The most threads one kernel call uses, 1 to 256.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above 256.</exception>
        public static int ThreadCount
        {
            get => s_threadCount;
            set
            {
                if (value is < 1 or > 256)
                    throw new ArgumentOutOfRangeException(nameof(value), value, "Parallelism.ThreadCount must be between 1 and 256.");
                s_threadCount = value;
            }
        }

        private static int Default()
        {
            string? setting = Environment.GetEnvironmentVariable("UNROLL_THREADS");
            if (setting is not null && int.TryParse(setting, NumberStyles.Integer, CultureInfo.InvariantCulture, out int threads) && threads is >= 1 and <= 256)
                return threads;
            return Math.Clamp(Environment.ProcessorCount, 1, 256);
        }
    }
}
