using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace LoopSim.Cli;

/// <summary>
/// Renders charts in the background, on a given number of threads, as they are added: a command queues a city's
/// charts as soon as the city's results are there and goes on simulating the next city. <see cref="Finish"/> waits
/// for all of them and rethrows the first failure as itself; after a failure the renderers take no more charts.
/// </summary>
/// <remarks>
/// The renderers are threads of their own, not the thread pool's: a renderer waits for the next chart, and pool threads
/// waiting there left the Monte Carlo's parallel loop without a worker until the pool added one, which it does only
/// every half second or so (the main command stood idle for 0.1–0.6 s in its first city).
/// </remarks>
internal sealed class ChartQueue : IDisposable
{
    private readonly BlockingCollection<Action> _charts = new();
    private readonly CancellationToken _cancel;
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _renderers;
    private ExceptionDispatchInfo? _failure;

    public ChartQueue(int threads, CancellationToken cancel)
    {
        _cancel = cancel;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _renderers = Enumerable.Range(0, Math.Max(1, threads))
            .Select(_ => Task.Factory.StartNew(Render, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
    }

    public void Add(Action chart) => _charts.Add(chart);

    private void Render()
    {
        try
        {
            foreach (var chart in _charts.GetConsumingEnumerable(_stop.Token)) chart();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Another renderer failed, or the command was cancelled: Finish reports which.
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            _stop.Cancel();
        }
    }

    public void Finish()
    {
        _charts.CompleteAdding();
        Task.WaitAll(_renderers);
        _failure?.Throw();
        _cancel.ThrowIfCancellationRequested();
    }

    /// <summary>After a failure elsewhere: stops taking charts and lets the ones under way end before the output folder goes.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _charts.CompleteAdding();
        Task.WaitAll(_renderers);
        _charts.Dispose();
        _stop.Dispose();
    }
}
