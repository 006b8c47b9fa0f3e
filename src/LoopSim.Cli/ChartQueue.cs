using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace LoopSim.Cli;

/// <summary>
/// Renders charts in the background, on up to a given number of threads, as they are added: a command queues a
/// city's charts as soon as the city's results are there and goes on simulating the next city.
/// <see cref="Finish"/> waits for all of them and rethrows the first failure as itself.
/// </summary>
internal sealed class ChartQueue : IDisposable
{
    private readonly BlockingCollection<Action> _charts = new();
    private readonly Task _rendering;

    public ChartQueue(int threads, CancellationToken cancel)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancel };
        // No buffering: a chart starts as soon as it is added, not when a chunk of them has gathered.
        var source = Partitioner.Create(_charts.GetConsumingEnumerable(cancel), EnumerablePartitionerOptions.NoBuffering);
        _rendering = Task.Run(() => Parallel.ForEach(source, options, chart => chart()), cancel);
    }

    public void Add(Action chart) => _charts.Add(chart);

    public void Finish()
    {
        _charts.CompleteAdding();
        try
        {
            _rendering.GetAwaiter().GetResult();
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }
    }

    /// <summary>After a failure elsewhere: stops taking charts and lets the ones under way end before the output folder goes.</summary>
    public void Dispose()
    {
        _charts.CompleteAdding();
        try { _rendering.Wait(); }
        catch (AggregateException) { }   // the command is already failing; its own error is the one to report
        _charts.Dispose();
    }
}
