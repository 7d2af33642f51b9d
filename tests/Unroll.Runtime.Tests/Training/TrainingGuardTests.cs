using Xunit;

namespace Unroll.Runtime.Tests.Training;

/// <summary>TrainingGuard: a second thread inside a training member throws, naming both members and threads; the same thread nests;
/// leaving (also by an exception) frees the guard.</summary>
public class TrainingGuardTests
{
    [Fact]
    public void ASecondThreadThrowsWhileTheFirstIsInside()
    {
        var guard = new TrainingGuard("Net");
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int firstThread = 0;
        var first = new Thread(() =>
        {
            firstThread = Environment.CurrentManagedThreadId;
            using (guard.Enter("TrainStep"))
            using (guard.Enter("Forward")) // nested on the same thread
            {
                inside.Set();
                release.Wait();
            }
        });
        first.Start();
        inside.Wait();

        var e = Assert.Throws<InvalidOperationException>(() => guard.Enter("ApplyGradients"));
        Assert.StartsWith($"Net.ApplyGradients was called on thread {Environment.CurrentManagedThreadId} while TrainStep runs on thread {firstThread}.", e.Message);
        release.Set();
        first.Join();

        using (guard.Enter("ApplyGradients")) { } // free again once the first thread has left
    }

    [Fact]
    public void AnExceptionInsideLeavesTheGuard()
    {
        var guard = new TrainingGuard("Net");
        Action failing = () =>
        {
            using var scope = guard.Enter("Backward");
            throw new DivideByZeroException();
        };
        Assert.Throws<DivideByZeroException>(failing);
        Exception? failure = null;
        var other = new Thread(() => { try { using (guard.Enter("TrainStep")) { } } catch (Exception x) { failure = x; } });
        other.Start();
        other.Join();
        Assert.Null(failure);
    }
}
