namespace LoopSim.Cli.Tests;

public sealed class ChartQueueTests
{
    [Fact]
    public void RendersEveryChartOnThreadsOfItsOwnNotThePools()
    {
        int rendered = 0, onPool = 0;
        using (var queue = new ChartQueue(2, CancellationToken.None))
        {
            for (int i = 0; i < 20; i++)
                queue.Add(() =>
                {
                    if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref onPool);
                    Interlocked.Increment(ref rendered);
                });
            queue.Finish();
        }
        Assert.Equal(20, rendered);
        Assert.Equal(0, onPool);   // a renderer waiting for charts must not hold a pool thread the Monte Carlo needs
    }

    [Fact]
    public void TheFirstFailureIsRethrownAsItselfAndTheRestAreNotTaken()
    {
        int renderedAfter = 0;
        using var queue = new ChartQueue(1, CancellationToken.None);
        queue.Add(() => throw new IOException("disk full"));
        queue.Add(() => Interlocked.Increment(ref renderedAfter));
        var thrown = Assert.Throws<IOException>(queue.Finish);
        Assert.Equal("disk full", thrown.Message);
        Assert.Equal(0, renderedAfter);
    }

    [Fact]
    public void ACancelledCommandEndsWithCancellation()
    {
        using var cancel = new CancellationTokenSource();
        using var queue = new ChartQueue(2, cancel.Token);
        queue.Add(cancel.Cancel);
        Assert.ThrowsAny<OperationCanceledException>(queue.Finish);
    }
}
