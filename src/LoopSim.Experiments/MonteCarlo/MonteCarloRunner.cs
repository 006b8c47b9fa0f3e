using System.Numerics;
using System.Runtime.ExceptionServices;
using LoopSim.Engine.Model;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.MonteCarlo;

/// <summary>
/// Runs the Monte Carlo of one city over several threads with results that depend only on the
/// setup, never on the thread count, the scheduling or the shards: every run's inputs (sampled values,
/// equation seed) are fixed before any run starts, each run writes only its own slots, and each statistic
/// is computed from one column of values in run order.
///
/// Storage: every run's value of each output at each summarised time, in float64, goes to a
/// <see cref="RunStore"/>, followed by its final values: in memory when they fit
/// <see cref="MonteCarloSetup.MemoryBudget"/>, else spilled to a file in <see cref="MonteCarloSetup.SpillFolder"/>
/// in blocks and summarised a group of columns at a time, so memory stays within about the budget whatever the
/// number of runs. The ecosystem model (13 outputs, 157 saved weeks) takes 16 KB a run: 10,000 runs (164 MB)
/// stay in memory, 1,000,000 runs (16 GB) go to disk. Statistics are exact in float64.
///
/// Sharding: <see cref="RunShard"/> computes one <see cref="Shard"/>'s slice of the runs into a store file and
/// <see cref="Merge"/> summarises the stores of every shard; the result is bit for bit that of <see cref="Run(CompiledModel, MonteCarloSetup, IReadOnlyList{string}, IReadOnlyList{double}?, IProgress{int}?, CancellationToken)"/>.
/// </summary>
public static class MonteCarloRunner
{
    /// <summary>
    /// Runs handed to a worker at a time: small enough to balance two cores, large enough that a chunk writes whole
    /// cache lines of each column (128 bytes); two batches of 8 for a batching runner.
    /// </summary>
    internal const int ChunkRuns = 16;

    /// <summary>The bytes the run values of a setup take: runs × (outputs × times + outputs) × 8.</summary>
    public static long StorageBytes(long runs, int outputs, int times) => runs * Columns(outputs, times) * sizeof(double);

    /// <summary>Values a run stores: each output at each summarised time, then each output's final value.</summary>
    private static int Columns(int outputs, int times) => outputs * times + outputs;

    /// <summary>
    /// The Monte Carlo of one city: <paramref name="setup"/>.Runs runs of <paramref name="model"/>,
    /// summarising <paramref name="outputs"/> (any spelling) at <paramref name="times"/> (null: every
    /// saved time). Every mistake in the setup is a <see cref="ModelException"/> before the first
    /// run. <paramref name="progress"/> receives the number of runs done (from worker threads, in
    /// increasing order); cancelling stops within a few runs per thread and throws
    /// <see cref="OperationCanceledException"/> (a spill file is deleted either way).
    /// </summary>
    public static MonteCarloResult Run(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<string> outputs,
        IReadOnlyList<double>? times = null, IProgress<int>? progress = null, CancellationToken cancel = default) =>
        Run(new CompiledModelRuns(model), setup, outputs, times, progress, cancel);

    /// <summary>
    /// Shard <paramref name="shard"/> of the Monte Carlo of <see cref="Run(CompiledModel, MonteCarloSetup, IReadOnlyList{string}, IReadOnlyList{double}?, IProgress{int}?, CancellationToken)"/>:
    /// its slice of the runs (<see cref="Shard.Slice"/>, with the random streams of those runs in the whole experiment),
    /// written to the store file <paramref name="path"/> for <see cref="Merge"/>. Returns the number of runs written.
    /// </summary>
    public static long RunShard(CompiledModel model, MonteCarloSetup setup, Shard shard, string path, IReadOnlyList<string> outputs,
        IReadOnlyList<double>? times = null, IProgress<int>? progress = null, CancellationToken cancel = default) =>
        RunShard(new CompiledModelRuns(model), setup, shard, path, outputs, times, progress, cancel);

    internal static long RunShard(IRunnableModel runnable, MonteCarloSetup setup, Shard shard, string path, IReadOnlyList<string> outputs,
        IReadOnlyList<double>? times, IProgress<int>? progress, CancellationToken cancel)
    {
        var (resolved, timeIndices) = Resolve(runnable, setup, outputs, times);
        return ExecuteShard(runnable, setup, resolved, Draw(setup), timeIndices, shard, path, progress, cancel);
    }

    /// <summary>Shard <paramref name="shard"/>'s runs of <paramref name="samples"/> into the store file <paramref name="path"/>.</summary>
    internal static long ExecuteShard(IRunnableModel model, MonteCarloSetup setup, ResolvedSetup resolved, SampleSet samples, int[] timeIndices,
        Shard shard, string path, IProgress<int>? progress, CancellationToken cancel)
    {
        var (first, count) = shard.Slice(samples.Runs);
        using var store = RunStore.Create(path, Columns(resolved.Outputs.Length, timeIndices.Length), BlockRuns(setup, resolved.Outputs.Length, timeIndices.Length), first);
        Simulate(model, resolved, samples, timeIndices, setup.Threads, (int)first, (int)count, store, progress, cancel);
        store.Complete();
        return count;
    }

    /// <summary>
    /// The result of the Monte Carlo whose shards wrote the store files <paramref name="paths"/> (in shard order),
    /// identical to an unsharded run of the same setup. Stores that do not add up to the setup's runs, or hold other
    /// values, are a <see cref="ModelException"/>.
    /// </summary>
    public static MonteCarloResult Merge(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<string> paths, IReadOnlyList<string> outputs,
        IReadOnlyList<double>? times = null, CancellationToken cancel = default) =>
        Merge(new CompiledModelRuns(model), setup, paths, outputs, times, cancel);

    internal static MonteCarloResult Merge(IRunnableModel runnable, MonteCarloSetup setup, IReadOnlyList<string> paths, IReadOnlyList<string> outputs,
        IReadOnlyList<double>? times, CancellationToken cancel)
    {
        var (resolved, timeIndices) = Resolve(runnable, setup, outputs, times);
        return ExecuteMerge(runnable, setup, resolved, Draw(setup), timeIndices, paths, cancel);
    }

    /// <summary>The result of the runs of <paramref name="samples"/> that the shards wrote to <paramref name="paths"/>, in shard order.</summary>
    internal static MonteCarloResult ExecuteMerge(IRunnableModel model, MonteCarloSetup setup, ResolvedSetup resolved, SampleSet samples, int[] timeIndices,
        IReadOnlyList<string> paths, CancellationToken cancel)
    {
        int columns = Columns(resolved.Outputs.Length, timeIndices.Length);
        var stores = new List<RunStore>();
        try
        {
            long expected = 0;
            foreach (var path in paths)
            {
                var store = RunStore.Open(path);
                stores.Add(store);
                if (store.Columns != columns || store.FirstRun != expected)
                    throw new ModelException(DiagnosticCodes.ShardSetIncomplete, $"run store '{path}' holds runs {store.FirstRun}–{store.FirstRun + store.Runs - 1} of {store.Columns} values; "
                        + $"expected runs from {expected} of {columns} values.",
                        hint: "Merge the shards of one experiment, each once.");
                expected += store.Runs;
            }
            if (expected != samples.Runs)
                throw new ModelException(DiagnosticCodes.ShardSetIncomplete, $"the shards hold {expected} runs of city '{setup.City}'; the experiment has {samples.Runs}.", hint: "Merge every shard of the experiment.");
            return Summarise(model, setup.City, resolved, samples, timeIndices, stores, setup, cancel);
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

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
        return Execute(model, setup, resolved, Draw(setup), timeIndices, progress, cancel);
    }

    internal static SampleSet Draw(MonteCarloSetup setup) =>
        Sampler.Draw(setup.Uncertain.Select(u => u.Distribution).ToArray(), setup.Runs, setup.Sampling, setup.Seed, setup.City);

    private static (ResolvedSetup Setup, int[] TimeIndices) Resolve(IRunnableModel model, MonteCarloSetup setup, IReadOnlyList<string> outputs, IReadOnlyList<double>? times)
    {
        var resolved = ResolvedSetup.Resolve(model, setup, outputs);
        var saveTimes = model.SaveTimes;
        var timeIndices = times is null ? Enumerable.Range(0, saveTimes.Count).ToArray() : times.Select(t => SaveIndex(saveTimes, t)).ToArray();
        return (resolved, timeIndices);
    }

    /// <summary>Runs per block of a spilled store: two block buffers take about a quarter of the memory budget.</summary>
    private static int BlockRuns(MonteCarloSetup setup, int outputs, int times)
    {
        long perRun = (long)Columns(outputs, times) * sizeof(double);
        long runs = Math.Clamp(setup.MemoryBudget / 8 / perRun, ChunkRuns, 1 << 16);
        return (int)(runs / ChunkRuns * ChunkRuns);
    }

    /// <summary>Runs every run of <paramref name="samples"/> and summarises the saved times at <paramref name="timeIndices"/>.</summary>
    internal static MonteCarloResult Execute(IRunnableModel model, MonteCarloSetup setup, ResolvedSetup resolved, SampleSet samples,
        int[] timeIndices, IProgress<int>? progress, CancellationToken cancel)
    {
        int columns = Columns(resolved.Outputs.Length, timeIndices.Length);
        // The previous city's run values (up to hundreds of MB on the large-object heap) are garbage by now, but the GC
        // may not have collected them on a machine with memory to spare: collect before taking as much again, so a
        // scenario's peak memory is one city's, not the sum of its cities'.
        GC.Collect();
        using var store = StorageBytes(samples.Runs, resolved.Outputs.Length, timeIndices.Length) <= setup.MemoryBudget
            ? RunStore.InMemory(columns, samples.Runs)
            : RunStore.Create(System.IO.Path.Combine(setup.SpillFolder ?? System.IO.Path.GetTempPath(), $"loopsim-{Guid.NewGuid():N}.runs"),
                columns, BlockRuns(setup, resolved.Outputs.Length, timeIndices.Length), temporary: true);
        var nonFinite = Simulate(model, resolved, samples, timeIndices, setup.Threads, 0, samples.Runs, store, progress, cancel);
        store.Complete();
        return Summarise(model, setup.City, resolved, samples, timeIndices, [store], setup, cancel, nonFinite);
    }

    /// <summary>
    /// Runs [<paramref name="first"/>, first + count) of <paramref name="samples"/> into <paramref name="store"/>, a block at a
    /// time; returns the earliest saved value that is NaN or infinite, if any.
    /// </summary>
    private static NonFiniteAt? Simulate(IRunnableModel model, ResolvedSetup setup, SampleSet samples, int[] timeIndices, int threads,
        int first, int count, RunStore store, IProgress<int>? progress, CancellationToken cancel)
    {
        int saveCount = model.SaveTimes.Count, outputCount = setup.Outputs.Length, timeCount = timeIndices.Length;
        int finals = outputCount * timeCount;
        var runners = new IModelRunner[Math.Max(1, Math.Min(threads, (count + ChunkRuns - 1) / ChunkRuns))];
        for (int w = 0; w < runners.Length; w++) runners[w] = model.CreateRunner();
        int runsDone = 0;
        var progressLock = new object();
        NonFiniteAt? nonFinite = null;   // the earliest, whatever order the chunks finish in

        for (int blockStart = first; blockStart < first + count; blockStart += store.BlockRuns)
        {
            int n = Math.Min(store.BlockRuns, first + count - blockStart);
            var block = store.NextBlock(n);
            int chunks = (n + ChunkRuns - 1) / ChunkRuns, nextChunk = -1;
            RunInParallel(Math.Min(runners.Length, chunks), w =>
            {
                var runner = runners[w];
                int parameterCount = setup.BaseParameters.Length;
                var parameters = new double[ChunkRuns * parameterCount];
                var seeds = new ulong[ChunkRuns];
                // The chunk's runs, output k at save point i in own[(k × saves + i) × ChunkRuns, + chunkRuns): a batch stores each
                // output's runs with one instruction, the check for NaN reads what is in cache, and the summarised times go to
                // the block's columns a cache line or two at a time.
                var own = new double[ChunkRuns * saveCount * outputCount];
                var layout = SaveLayout.Columns(saveCount, ChunkRuns);
                while (!cancel.IsCancellationRequested)
                {
                    int chunk = Interlocked.Increment(ref nextChunk);
                    if (chunk >= chunks) return;
                    int inBlock = chunk * ChunkRuns, chunkRuns = Math.Min(ChunkRuns, n - inBlock), run0 = blockStart + inBlock;
                    for (int r = 0; r < chunkRuns; r++)
                    {
                        var runParameters = parameters.AsSpan(r * parameterCount, parameterCount);
                        setup.BaseParameters.CopyTo(runParameters);
                        var sampled = samples.Run(run0 + r);
                        for (int d = 0; d < sampled.Length; d++) runParameters[setup.UncertainIndices[d]] = sampled[d];
                        seeds[r] = samples.EquationSeeds[run0 + r];
                    }
                    for (int r = 0; r < chunkRuns; r += runner.BatchSize)
                    {
                        int batch = Math.Min(runner.BatchSize, chunkRuns - r);
                        runner.Run(parameters.AsSpan(r * parameterCount, batch * parameterCount), seeds.AsSpan(r, batch), setup.Outputs, own.AsSpan(r), layout);
                    }
                    if (FirstNonFinite(own, saveCount, outputCount, chunkRuns, run0) is { } found)
                        lock (progressLock)
                            if (nonFinite is not { } known || found.Before(known)) nonFinite = found;
                    var target = block.Span;
                    Span<double> Saved(int k, int i) => own.AsSpan((k * saveCount + i) * ChunkRuns, chunkRuns);
                    for (int k = 0; k < outputCount; k++)
                    {
                        for (int j = 0; j < timeCount; j++) Saved(k, timeIndices[j]).CopyTo(target.Slice((k * timeCount + j) * n + inBlock, chunkRuns));
                        Saved(k, saveCount - 1).CopyTo(target.Slice((finals + k) * n + inBlock, chunkRuns));
                    }
                    if (progress is not null)
                        lock (progressLock) progress.Report(runsDone += chunkRuns);
                }
            });
            cancel.ThrowIfCancellationRequested();
            store.CommitBlock(n);
        }
        return nonFinite;
    }

    /// <summary>
    /// The statistics of every output at every summarised time over the runs of <paramref name="stores"/> (in run
    /// order from run 0), and the final values. In memory the columns are summarised where they lie; from disk a group
    /// of columns at a time, as many as half the memory budget holds.
    /// </summary>
    private static MonteCarloResult Summarise(IRunnableModel model, string city, ResolvedSetup setup, SampleSet samples, int[] timeIndices,
        IReadOnlyList<RunStore> stores, MonteCarloSetup options, CancellationToken cancel, NonFiniteAt? nonFinite = null)
    {
        var saveTimes = model.SaveTimes;
        int outputCount = setup.Outputs.Length, columns = outputCount * timeIndices.Length, runs = samples.Runs;
        var summaries = new Summary[columns];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancel };
        var finalValues = new double[(long)outputCount * runs];
        if (stores is [{ Path: null } memory])
        {
            Parallel.For(0, columns, parallel, c => summaries[c] = Percentiles.Summarise(memory.MemoryColumn(c)));
            for (int k = 0; k < outputCount; k++) memory.MemoryColumn(columns + k).CopyTo(finalValues.AsSpan(k * runs));
        }
        else
        {
            int group = (int)Math.Clamp(options.MemoryBudget / 2 / ((long)runs * sizeof(double)), 1, columns);
            var values = new double[(long)group * runs];
            for (int first = 0; first < columns; first += group)
            {
                int count = Math.Min(group, columns - first);
                foreach (var store in stores) store.ReadColumns(first, count, values, runs, store.FirstRun);
                int from = first;
                Parallel.For(0, count, parallel, i => summaries[from + i] = Percentiles.Summarise(values.AsSpan(i * runs, runs)));
            }
            foreach (var store in stores) store.ReadColumns(columns, outputCount, finalValues, runs, store.FirstRun);
        }
        return new MonteCarloResult(city, setup.UncertainNames, samples, setup.OutputNames,
            timeIndices.Select(i => saveTimes[i]).ToArray(), saveTimes[^1], summaries, finalValues)
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
    /// The earliest (save time, output, run) of a chunk's runs whose value is NaN or infinite, or null: output k at save
    /// point i of the chunk's run r is columns[(k × saves + i) × ChunkRuns + r]. One cheap pass asks whether there is any
    /// (x × 0 is 0 for finite x, NaN for the rest); only then is it looked for.
    /// </summary>
    private static NonFiniteAt? FirstNonFinite(ReadOnlySpan<double> columns, int saves, int outputs, int runs, int firstRun)
    {
        var probe = Vector<double>.Zero;
        double rest = 0;
        for (int c = 0; c < saves * outputs; c++)
        {
            var values = columns.Slice(c * ChunkRuns, runs);
            int r = 0;
            for (; r + Vector<double>.Count <= runs; r += Vector<double>.Count) probe += new Vector<double>(values[r..]) * Vector<double>.Zero;
            for (; r < runs; r++) rest += values[r] * 0;
        }
        if (!double.IsNaN(Vector.Sum(probe) + rest)) return null;
        for (int i = 0; i < saves; i++)
            for (int k = 0; k < outputs; k++)
            {
                var values = columns.Slice((k * saves + i) * ChunkRuns, runs);
                for (int r = 0; r < runs; r++)
                    if (!double.IsFinite(values[r])) return new NonFiniteAt(i, k, firstRun + r, values[r]);
            }
        return null;
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
