/// <summary>Allocation checks that a one-off allocation of the runtime's own cannot fail by chance.</summary>
internal static class Allocations
{
    /// <summary>
    /// The least the current thread allocated over <paramref name="windows"/> runs of <paramref name="window"/>. An allocation per call
    /// of the code under test shows in every window. A one-off allocation of the runtime's own that happens to land in one window does not
    /// (about one test run in three saw a few kilobytes appear this way in a kernel loop that allocates nothing).
    /// </summary>
    public static long LeastPerWindow(System.Action window, int windows = 3)
    {
        long least = long.MaxValue;
        for (int w = 0; w < windows; w++)
        {
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            window();
            least = System.Math.Min(least, System.GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
