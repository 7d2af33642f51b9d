/// <summary>Tests that set <see cref="Unroll.Parallelism.ThreadCount"/> (in the collection that runs them one at a time).</summary>
internal static class Threads
{
    /// <summary>Runs <paramref name="test"/> with <see cref="Unroll.Parallelism.ThreadCount"/> set to <paramref name="threads"/>, then restores it.</summary>
    public static void With(int threads, System.Action test) => With(threads, () =>
    {
        test();
        return true;
    });

    /// <summary>Runs <paramref name="test"/> with <see cref="Unroll.Parallelism.ThreadCount"/> set to <paramref name="threads"/>, then restores it;
    /// returns what it returned.</summary>
    public static T With<T>(int threads, System.Func<T> test)
    {
        int saved = Unroll.Parallelism.ThreadCount;
        Unroll.Parallelism.ThreadCount = threads;
        try
        {
            return test();
        }
        finally
        {
            Unroll.Parallelism.ThreadCount = saved;
        }
    }
}
