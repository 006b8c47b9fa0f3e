using System.Runtime.ExceptionServices;
using LoopSim.Engine.Runtime;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Experiments.Designs;

/// <summary>
/// Runs an explicit design on the batch engine: run r sets the varied parameters to inputs[r·k, (r + 1)·k) on top
/// of the base parameters, takes equation seed seeds[r], and yields the value of each metric. Run r's values depend
/// only on its own inputs and seed, never on the thread count or on the other runs, so a design can be cut into
/// slices (shards) and run anywhere. The analyses (sensitivity, discovery, calibration) all run through here.
/// </summary>
internal static class DesignRunner
{
    /// <summary>values[r·m + j] = metric j of run r. Progress receives the runs done so far (increasing).</summary>
    public static double[] Run(IRunnableModel model, ReadOnlySpan<double> baseParameters, int[] varied, double[] inputs, ulong[] seeds,
        IReadOnlyList<MetricPoint> metrics, int threads, IProgress<int>? progress, CancellationToken cancel)
    {
        int k = varied.Length, runs = seeds.Length, m = metrics.Count;
        if (inputs.Length != (long)runs * k) throw new ArgumentException($"{inputs.Length} inputs for {runs} runs of {k} parameters.");
        var outputs = metrics.Select(p => p.Output).Distinct().ToArray();
        var slot = metrics.Select(p => p.SaveIndex * outputs.Length + Array.IndexOf(outputs, p.Output)).ToArray();
        int saveCount = model.SaveTimes.Count, perRun = saveCount * outputs.Length, parameterCount = baseParameters.Length;
        var basis = baseParameters.ToArray();
        var values = new double[(long)runs * m];
        const int chunkRuns = MonteCarloRunner.ChunkRuns;
        int chunks = (runs + chunkRuns - 1) / chunkRuns;
        int workers = Math.Max(1, Math.Min(threads, chunks));
        int nextChunk = -1, done = 0;
        var progressLock = new object();

        void Work(IModelRunner runner)
        {
            var parameters = new double[chunkRuns * parameterCount];
            var buffer = new double[chunkRuns * perRun];
            while (!cancel.IsCancellationRequested)
            {
                int chunk = Interlocked.Increment(ref nextChunk);
                if (chunk >= chunks) return;
                int first = chunk * chunkRuns, count = Math.Min(chunkRuns, runs - first);
                for (int r = 0; r < count; r++)
                {
                    var own = parameters.AsSpan(r * parameterCount, parameterCount);
                    basis.CopyTo(own);
                    for (int d = 0; d < k; d++) own[varied[d]] = inputs[(long)(first + r) * k + d];
                }
                for (int r = 0; r < count; r += runner.BatchSize)
                {
                    int batch = Math.Min(runner.BatchSize, count - r);
                    runner.Run(parameters.AsSpan(r * parameterCount, batch * parameterCount), seeds.AsSpan(first + r, batch), outputs,
                        buffer.AsSpan(r * perRun, batch * perRun), SaveLayout.RunAfterRun(saveCount, outputs.Length));
                }
                for (int r = 0; r < count; r++)
                    for (int j = 0; j < m; j++)
                        values[(long)(first + r) * m + j] = buffer[r * perRun + slot[j]];
                if (progress is not null)
                    lock (progressLock) progress.Report(done += count);
            }
        }

        var runners = new IModelRunner[workers];
        for (int w = 0; w < workers; w++) runners[w] = model.CreateRunner();
        try { Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w => Work(runners[w])); }
        catch (AggregateException e) { ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]); }
        cancel.ThrowIfCancellationRequested();
        return values;
    }
}
