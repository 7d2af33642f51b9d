using System;
using System.Threading;

namespace Unroll.Kernels;

/// <summary>
/// Persistent helper threads that run the parts of one kernel call: <see cref="TryRun"/> gives part 0 to the caller and part i to helper i,
/// and returns when all are done. Nothing is allocated per call (a function pointer and a context pointer, no delegate, no Task). After
/// a job a helper spins for a short while, so the next call of a training step finds it awake, then sleeps on its semaphore.
/// One call at a time: a concurrent caller gets <see langword="false"/> from <see cref="TryRun"/> and runs the work itself.
/// </summary>
internal static unsafe class WorkerPool
{
    /// <summary>How long an idle helper keeps polling before it sleeps (a training step's kernels come microseconds apart).</summary>
    private const int SpinIterations = 20_000;

    private static readonly object s_gate = new();
    private static Helper[] s_helpers = Array.Empty<Helper>();

    private static delegate*<int, int, void*, void> s_body;
    private static void* s_context;
    private static int s_parts;
    private static int s_pending;
    private static Exception? s_failure;

    /// <summary>Runs <paramref name="body"/>(part, parts, context) for part 0..parts-1, part 0 on the calling thread. Returns false, having run
    /// nothing, when the pool is busy with another caller's job; the caller then runs the parts itself.</summary>
    public static bool TryRun(int parts, delegate*<int, int, void*, void> body, void* context)
    {
        if (parts <= 1) return false;
        if (!Monitor.TryEnter(s_gate)) return false;
        try
        {
            EnsureHelpers(parts - 1);
            s_body = body;
            s_context = context;
            s_parts = parts;
            s_failure = null;
            Volatile.Write(ref s_pending, parts - 1);
            for (int i = 0; i < parts - 1; i++) s_helpers[i].Start();
            Exception? own = null;
            try
            {
                body(0, parts, context);
            }
            catch (Exception e)
            {
                own = e;
            }
            var spinner = new SpinWait();
            while (Volatile.Read(ref s_pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
            Exception? failure = own ?? s_failure;
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            return true;
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    /// <summary>What the helper threads have allocated since they started, as of their last job (the allocation tests read it: the
    /// process-wide counter also sees the test runner's own threads).</summary>
    internal static long HelperAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (Helper helper in s_helpers) sum += Volatile.Read(ref helper.AllocatedBytes);
            return sum;
        }
    }

    private static void EnsureHelpers(int count)
    {
        if (s_helpers.Length >= count) return;
        var helpers = new Helper[count];
        Array.Copy(s_helpers, helpers, s_helpers.Length);
        for (int i = s_helpers.Length; i < count; i++) helpers[i] = new Helper(i + 1);
        s_helpers = helpers;
    }

    private sealed class Helper
    {
        private readonly int _part;
        private readonly SemaphoreSlim _wake = new(0);
        private int _generation; // bumped by Start; the helper runs one job per bump
        internal long AllocatedBytes;

        public Helper(int part)
        {
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = "Unroll worker " + part };
            thread.Start();
        }

        public void Start()
        {
            Interlocked.Increment(ref _generation);
            if (_wake.CurrentCount == 0) _wake.Release();
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                int spins = 0;
                while (Volatile.Read(ref _generation) == seen)
                {
                    if (++spins < SpinIterations) Thread.SpinWait(20);
                    else
                    {
                        _wake.Wait();
                        spins = 0;
                    }
                }
                seen = Volatile.Read(ref _generation);
                // Drain wake-ups that arrived while spinning, so the next wait sleeps.
                while (_wake.CurrentCount > 0) _wake.Wait(0);
                try
                {
                    s_body(_part, s_parts, s_context);
                }
                catch (Exception e)
                {
                    s_failure = e;
                }
                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                Interlocked.Decrement(ref s_pending);
            }
        }
    }
}
