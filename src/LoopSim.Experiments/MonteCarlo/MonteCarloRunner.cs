using System.Runtime.ExceptionServices;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.MonteCarlo;

/// <summary>
/// Runs the Monte Carlo of one city over several threads with results that depend only on the
/// setup, never on the thread count or scheduling: every run's inputs (sampled values, equation
/// seed) are fixed before any run starts, each run writes only its own slots, and each statistic
/// is computed from one column of values in a fixed order.
///
/// Memory: run values are kept as float32 (exact percentiles need every run's value), one column
/// per output and summarised time: runs × outputs × times × 4 bytes, plus runs × outputs × 8 bytes
/// of final values. For the ecosystem model (12 outputs, 157 saved weeks) that is 75 MB per city
/// for 10,000 runs and 754 MB for 100,000; cities run one after another, so a whole scenario
/// needs no more. Statistics are therefore accurate to float32 (about 7 significant digits);
/// final values per run stay double.
/// </summary>
public static class MonteCarloRunner
{
    /// <summary>
    /// Runs handed to a worker at a time: small enough to balance two cores, large enough that scattering them into
    /// columns writes whole cache lines; two batches of 8 for a batching runner.
    /// </summary>
    internal const int ChunkRuns = 16;

    /// <summary>The bytes the float32 run values of a setup take: runs × outputs × times × 4.</summary>
    public static long StorageBytes(int runs, int outputs, int times) => (long)runs * outputs * times * sizeof(float);

    /// <summary>
    /// The Monte Carlo of one city: <paramref name="setup"/>.Runs runs of <paramref name="model"/>,
    /// summarising <paramref name="outputs"/> (any spelling) at <paramref name="times"/> (null: every
    /// saved time). Every mistake in the setup is a <see cref="ModelException"/> before the first
    /// run. <paramref name="progress"/> receives the number of runs done (from worker threads, in
    /// increasing order); cancelling stops within a few runs per thread and throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public static MonteCarloResult Run(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<string> outputs,
        IReadOnlyList<double>? times = null, IProgress<int>? progress = null, CancellationToken cancel = default) =>
        Run(new CompiledModelRuns(model), setup, outputs, times, progress, cancel);

    /// <summary>
    /// Checks what <see cref="Run(CompiledModel, MonteCarloSetup, IReadOnlyList{string}, IReadOnlyList{double}?, IProgress{int}?, CancellationToken)"/>
    /// would check, without running: lets a caller with several cities report a mistake in any of them before the first run.
    /// </summary>
    public static void Check(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<string> outputs, IReadOnlyList<double>? times = null) =>
        Resolve(new CompiledModelRuns(model), setup, outputs, times);

    internal static MonteCarloResult Run(IRunnableModel model, MonteCarloSetup setup, IReadOnlyList<string> outputs,
        IReadOnlyList<double>? times, IProgress<int>? progress, CancellationToken cancel)
    {
        var (resolved, timeIndices) = Resolve(model, setup, outputs, times);
        var samples = Sampler.Draw(setup.Uncertain.Select(u => u.Distribution).ToArray(), setup.Runs, setup.Sampling, setup.Seed, setup.City);
        return Execute(model, setup.City, resolved, samples, timeIndices, setup.Threads, progress, cancel);
    }

    private static (ResolvedSetup Setup, int[] TimeIndices) Resolve(IRunnableModel model, MonteCarloSetup setup, IReadOnlyList<string> outputs, IReadOnlyList<double>? times)
    {
        var resolved = ResolvedSetup.Resolve(model, setup, outputs);
        var saveTimes = model.SaveTimes;
        var timeIndices = times is null ? Enumerable.Range(0, saveTimes.Count).ToArray() : times.Select(t => SaveIndex(saveTimes, t)).ToArray();
        CheckStorage(setup.Runs, outputs.Count, timeIndices.Length);
        return (resolved, timeIndices);
    }

    internal static void CheckStorage(int runs, int outputs, int times)
    {
        if ((long)runs * outputs * times > Array.MaxLength)
            throw new ModelException(DiagnosticCodes.TooMuchToKeep, $"{runs} runs × {outputs} outputs × {times} times are too many values to keep for exact percentiles.",
                hint: "Report fewer variables or times, or use fewer runs.");
    }

    /// <summary>Runs every run of <paramref name="samples"/> and summarises the saved times at <paramref name="timeIndices"/>.</summary>
    internal static MonteCarloResult Execute(IRunnableModel model, string city, ResolvedSetup setup, SampleSet samples,
        int[] timeIndices, int threads, IProgress<int>? progress, CancellationToken cancel)
    {
        var firstRunner = model.CreateRunner();
        var saveTimes = model.SaveTimes;
        int saveCount = saveTimes.Count, outputCount = setup.Outputs.Length, runs = samples.Runs;
        long columns = (long)outputCount * timeIndices.Length;

        // The previous city's run values (up to hundreds of MB on the large-object heap) are garbage by now, but the GC
        // may not have collected them on a machine with memory to spare: collect before taking as much again, so a
        // scenario's peak memory is one city's, not the sum of its cities'.
        GC.Collect();
        var values = new float[columns * runs];   // column (output k, time j) = k * times + j, then run
        var finalValues = new double[runs * outputCount];
        int chunks = (runs + ChunkRuns - 1) / ChunkRuns;
        int workers = Math.Min(threads, chunks);
        int nextChunk = -1, runsDone = 0;
        var progressLock = new object();
        NonFiniteAt? nonFinite = null;   // the earliest, whatever order the chunks finish in

        void Work(IModelRunner runner)
        {
            int parameterCount = setup.BaseParameters.Length, perRun = saveCount * outputCount;
            var parameters = new double[ChunkRuns * parameterCount];
            var seeds = new ulong[ChunkRuns];
            var buffer = new double[ChunkRuns * perRun];
            while (!cancel.IsCancellationRequested)
            {
                int chunk = Interlocked.Increment(ref nextChunk);
                if (chunk >= chunks) return;
                int first = chunk * ChunkRuns, count = Math.Min(ChunkRuns, runs - first);
                for (int r = 0; r < count; r++)
                {
                    var own = parameters.AsSpan(r * parameterCount, parameterCount);
                    setup.BaseParameters.CopyTo(own);
                    var sampled = samples.Run(first + r);
                    for (int d = 0; d < sampled.Length; d++) own[setup.UncertainIndices[d]] = sampled[d];
                    seeds[r] = samples.EquationSeeds[first + r];
                }
                for (int r = 0; r < count; r += runner.BatchSize)
                {
                    int batch = Math.Min(runner.BatchSize, count - r);
                    runner.Run(parameters.AsSpan(r * parameterCount, batch * parameterCount), seeds.AsSpan(r, batch), setup.Outputs,
                        buffer.AsSpan(r * perRun, batch * perRun));
                }
                for (int r = 0; r < count; r++)
                    buffer.AsSpan(r * perRun + (saveCount - 1) * outputCount, outputCount).CopyTo(finalValues.AsSpan((first + r) * outputCount, outputCount));
                if (FirstNonFinite(buffer.AsSpan(0, count * perRun), perRun, outputCount, first) is { } found)
                    lock (progressLock)
                        if (nonFinite is not { } known || found.Before(known)) nonFinite = found;
                for (int k = 0; k < outputCount; k++)
                    for (int j = 0; j < timeIndices.Length; j++)
                    {
                        long column = (long)k * timeIndices.Length + j;
                        int source = timeIndices[j] * outputCount + k;
                        var target = values.AsSpan().Slice((int)(column * runs + first), count);
                        for (int r = 0; r < count; r++) target[r] = (float)buffer[r * perRun + source];
                    }
                if (progress is not null)
                    lock (progressLock) progress.Report(runsDone += count);
            }
        }

        var runners = new IModelRunner[workers];
        runners[0] = firstRunner;
        for (int w = 1; w < workers; w++) runners[w] = model.CreateRunner();
        RunInParallel(workers, w => Work(runners[w]));
        cancel.ThrowIfCancellationRequested();

        var summaries = new Summary[columns];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel };
        Parallel.For(0, (int)columns, options, c => summaries[c] = Percentiles.Summarise(values.AsSpan().Slice((int)((long)c * runs), runs)));

        return new MonteCarloResult(city, setup.UncertainNames, samples, setup.OutputNames,
            timeIndices.Select(i => saveTimes[i]).ToArray(), saveTimes[saveCount - 1], summaries, finalValues)
        {
            FirstNonFinite = nonFinite is { } n ? new NonFiniteValue(saveTimes[n.Time], setup.OutputNames[n.Output], n.Value, n.Run) : null,
        };
    }

    /// <summary>A value that is NaN or infinite: at save time index <paramref name="Time"/> of output <paramref name="Output"/> in run <paramref name="Run"/>.</summary>
    private readonly record struct NonFiniteAt(int Time, int Output, int Run, double Value)
    {
        public bool Before(NonFiniteAt other) => (Time, Output, Run).CompareTo((other.Time, other.Output, other.Run)) < 0;
    }

    /// <summary>
    /// The earliest (save time, output, run) of a chunk's runs whose value is NaN or infinite, or null. Runs are
    /// <paramref name="perRun"/> values apart, each row of <paramref name="outputs"/> values one save time.
    /// </summary>
    private static NonFiniteAt? FirstNonFinite(ReadOnlySpan<double> runs, int perRun, int outputs, int firstRun)
    {
        NonFiniteAt? found = null;
        for (int r = 0; r * perRun < runs.Length; r++)
        {
            var values = runs.Slice(r * perRun, perRun);
            for (int at = 0; at < values.Length; at++)
                if (!double.IsFinite(values[at]))
                {
                    var here = new NonFiniteAt(at / outputs, at % outputs, firstRun + r, values[at]);
                    if (found is not { } known || here.Before(known)) found = here;
                    break;
                }
        }
        return found;
    }

    /// <summary>Runs <paramref name="work"/>(0 … n−1) on up to n threads, rethrowing the first failure as itself rather than wrapped.</summary>
    private static void RunInParallel(int n, Action<int> work)
    {
        try { Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = n }, work); }
        catch (AggregateException e) { ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]); }
    }

    /// <summary>The index of saved time <paramref name="time"/> (to within round-off of the time grid).</summary>
    internal static int SaveIndex(IReadOnlyList<double> saveTimes, double time)
    {
        double step = saveTimes.Count > 1 ? saveTimes[1] - saveTimes[0] : 1;
        double tolerance = 1e-6 * Math.Abs(step);
        for (int i = 0; i < saveTimes.Count; i++)
            if (Math.Abs(saveTimes[i] - time) <= tolerance) return i;
        var nearest = saveTimes.OrderBy(t => Math.Abs(t - time)).Take(2).Order();
        throw new ModelException(DiagnosticCodes.NotASavedTime, $"time {time} is not a saved time of the model (saved from {saveTimes[0]} to {saveTimes[^1]} every {step}).",
            hint: $"Use a saved time, e.g. {string.Join(" or ", nearest)}.");
    }
}
