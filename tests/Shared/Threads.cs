/// <summary>Tests that set <see cref="Unroll.Parallelism.ThreadCount"/> (in the collection that runs them one at a time).</summary>
internal static class Threads
{
    /// <summary>Runs <paramref name="test"/> with <see cref="Unroll.Parallelism.ThreadCount"/> set to <paramref name="threads"/>, then restores it.</summary>
    public static void With(int threads, System.Action test)
    {
        int saved = Unroll.Parallelism.ThreadCount;
        Unroll.Parallelism.ThreadCount = threads;
        try
        {
            test();
        }
        finally
        {
            Unroll.Parallelism.ThreadCount = saved;
        }
    }
}
