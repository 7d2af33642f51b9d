using System;
using System.Threading;

namespace Unroll.Kernels;

/// <summary>
/// Persistent helper threads that share the parts of one kernel call with the caller. Parts are claimed one at a time (an atomic
/// counter), by the caller as well as by the helpers, so a helper the operating system has not scheduled yet costs nothing: the caller
/// takes the parts nobody claimed, and waits only for parts a helper is already computing. Nothing is allocated per call (a function
/// pointer and a context pointer, no delegate, no Task). After a job a helper polls for a fraction of a millisecond, so the next call
/// of a training step finds it awake, then sleeps on its semaphore. One call at a time: a concurrent caller gets <see langword="false"/> from
/// <see cref="TryRun"/> and runs the work itself.
/// </summary>
internal static unsafe class WorkerPool
{
    /// <summary>How many times an idle helper polls (each a <c>Thread.SpinWait(1)</c>, a few dozen nanoseconds, so a job is picked up
    /// within about a tenth of a microsecond) before it sleeps: about half a millisecond, long enough to bridge the gap between the kernels
    /// of one training step, short enough that an idle pool soon gives its core back.</summary>
    private const int PollsBeforeSleep = 9000;

    /// <summary>How many times the caller polls for the helpers' parts (each a <c>Thread.SpinWait(1)</c>) before it starts yielding its
    /// core, in case a helper it waits for was descheduled and needs that core to finish.</summary>
    private const int SpinsBeforeYield = 2000;

    private static readonly object s_gate = new();
    private static Helper[] s_helpers = Array.Empty<Helper>();

    /// <summary>Whether this thread is the caller of a job: a part that asks for a job of its own gets false and runs it itself (the gate is a
    /// monitor, which its holder could enter again and overwrite the job the helpers are running).</summary>
    [ThreadStatic] private static bool t_running;

    private static delegate*<int, int, void*, void> s_body;
    private static void* s_context;
    private static object? s_state;

    /// <summary>The state object of the job being run (<see cref="TryRun"/>'s last argument, set under the pool's gate and cleared when the
    /// job ends), for its parts: a managed object a context pointer cannot carry.</summary>
    public static object? State => s_state;

    // The job's claim word: generation (high 32 bits), part count (bits 16..31), next unclaimed part (bits 0..15). A helper that wakes
    // late for a finished job sees another generation and claims nothing.
    private static long s_claim;
    private static int s_generation;
    private static int s_done;
    private static Exception? s_failure;

    /// <summary>Runs <paramref name="body"/>(part, parts, context) for every part 0..parts-1 (at most 65,535), on the calling thread and the
    /// helpers (at most <see cref="Parallelism.ThreadCount"/> threads in all, each claiming parts until none is left), and returns when all
    /// are done; the parts read <paramref name="state"/> as <see cref="State"/>. Returns false, having run nothing, when the pool is busy
    /// with another caller's job or the thread count is 1.</summary>
    public static bool TryRun(int parts, delegate*<int, int, void*, void> body, void* context, object? state = null)
    {
        if (parts <= 1 || parts > ushort.MaxValue) return false;
        // Helpers for at most ThreadCount threads in all; more parts than that are claimed in turn.
        int helpers = Math.Min(parts, Parallelism.ThreadCount) - 1;
        if (helpers < 1) return false;
        // The helpers exist from the first call that wants them, even when that call finds the pool busy, so what a call allocates
        // does not depend on which other thread held the pool at the time.
        EnsureHelpers(helpers);
        if (t_running || !Monitor.TryEnter(s_gate)) return false;
        t_running = true;
        try
        {
            s_body = body;
            s_context = context;
            s_state = state;
            s_failure = null;
            Volatile.Write(ref s_done, 0);
            int generation = ++s_generation;
            // Part 0 is the caller's from the start (the claim counter begins at 1): a caller always runs a part, so the buffers it
            // grows do not depend on how fast the helpers woke.
            Interlocked.Exchange(ref s_claim, ((long)generation << 32) | ((long)parts << 16) | 1);
            for (int i = 0; i < helpers; i++) s_helpers[i].Wake(generation);

            Exception? own = null;
            try
            {
                body(0, parts, context);
            }
            catch (Exception e)
            {
                own = e;
            }
            finally
            {
                Interlocked.Increment(ref s_done);
            }
            Work(generation);
            for (int spins = 0; Volatile.Read(ref s_done) != parts; spins++)
            {
                if (spins < SpinsBeforeYield) Thread.SpinWait(1);
                else Thread.Yield();
            }
            Exception? failure = own ?? s_failure;
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            return true;
        }
        finally
        {
            s_state = null; // the pool must not keep a model alive
            t_running = false;
            Monitor.Exit(s_gate);
        }
    }

    /// <summary>Claims and runs parts of job <paramref name="generation"/> until none is left.</summary>
    private static void Work(int generation)
    {
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            if ((int)(claim >> 32) != generation) return;
            int parts = (int)((claim >> 16) & 0xFFFF), next = (int)(claim & 0xFFFF);
            if (next >= parts) return;
            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim) continue;
            try
            {
                s_body(next, parts, s_context);
            }
            catch (Exception e)
            {
                s_failure ??= e;
            }
            finally
            {
                Interlocked.Increment(ref s_done);
            }
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

    private static readonly object s_creation = new();

    private static void EnsureHelpers(int count)
    {
        if (Volatile.Read(ref s_helpers).Length >= count) return;
        lock (s_creation)
        {
            Helper[] current = s_helpers;
            if (current.Length >= count) return;
            var helpers = new Helper[count];
            Array.Copy(current, helpers, current.Length);
            for (int i = current.Length; i < count; i++) helpers[i] = new Helper(i + 1);
            Volatile.Write(ref s_helpers, helpers);
        }
    }

    private sealed class Helper
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _job; // the generation it was last woken for
        private int _sleeping; // 1 while it waits on its semaphore
        internal long AllocatedBytes;

        public Helper(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "Unroll worker " + index };
            thread.Start();
        }

        public void Wake(int generation)
        {
            // Full fences on both sides (Dekker): either the helper sees the new job before it sleeps, or this sees it asleep and wakes it.
            // A polling helper costs the caller no semaphore.
            Interlocked.Exchange(ref _job, generation);
            if (Volatile.Read(ref _sleeping) == 1 && _wake.CurrentCount == 0) _wake.Release();
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                int polls = 0;
                while (Volatile.Read(ref _job) == seen)
                {
                    if (++polls < PollsBeforeSleep) Thread.SpinWait(1);
                    else
                    {
                        Interlocked.Exchange(ref _sleeping, 1);
                        if (Volatile.Read(ref _job) == seen) _wake.Wait();
                        Volatile.Write(ref _sleeping, 0);
                        polls = 0;
                    }
                }
                seen = Volatile.Read(ref _job);
                while (_wake.CurrentCount > 0) _wake.Wait(0); // wake-ups that came while polling: the next wait sleeps
                Work(seen);
                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            }
        }
    }
}
