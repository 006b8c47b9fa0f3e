using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.Sensitivity;

/// <summary>
/// The model evaluations of one city's sensitivity analysis, fixed by the seed and the options: the Sobol' or Morris
/// design's rows, then the 1 + 2k one-at-a-time rows. Any slice of the rows can be evaluated on its own (a shard), and
/// <see cref="Analyse"/> turns the values of every row into the result, whoever evaluated them.
/// </summary>
public sealed class SensitivityDesign
{
    private readonly IRunnableModel _model;
    private readonly AnalysisSetup _setup;
    private readonly SensitivityOptions _options;
    private readonly ResolvedAnalysis _resolved;
    private readonly MetricPoint[] _metrics;
    private readonly double[] _unit;
    private readonly double[] _inputs;
    private readonly ulong[] _seeds;
    private readonly int _designRows;
    private readonly double[] _lows, _highs;

    private SensitivityDesign(IRunnableModel model, AnalysisSetup setup, SensitivityOptions options)
    {
        (_resolved, _metrics) = SensitivityRunner.Resolve(model, setup, options);
        _model = model; _setup = setup; _options = options;
        int k = _resolved.Varied.Length;
        bool sobol = options.Method == SensitivityMethod.Sobol;
        _unit = sobol
            ? SobolDesign.UnitInputs(options.Samples, k)
            : MorrisDesign.UnitInputs(options.Samples, k, options.Levels,
                t => RandomStreams.Stream(setup.Seed, setup.City, RandomStreams.Purpose.MorrisTrajectory, t));
        // Morris levels stand for the centres of their probability strata; effects are per unit of that probability scale.
        if (!sobol)
            for (int i = 0; i < _unit.Length; i++) _unit[i] = MorrisDesign.Probability(_unit[i], options.Levels);
        var design = _resolved.Values(_unit);
        int group = sobol ? k + 2 : k + 1;
        _designRows = design.Length / k;

        // One at a time: the medians, then each parameter at its 5th and 95th percentile with the others at their medians.
        var medians = _resolved.Distributions.Select(d => d.InverseCdf(0.5)).ToArray();
        _lows = _resolved.Distributions.Select(d => d.InverseCdf(0.05)).ToArray();
        _highs = _resolved.Distributions.Select(d => d.InverseCdf(0.95)).ToArray();
        int oat = 1 + 2 * k;
        _inputs = new double[design.Length + oat * k];
        design.CopyTo(_inputs, 0);
        for (int r = 0; r < oat; r++) medians.CopyTo(_inputs, design.Length + r * k);
        for (int j = 0; j < k; j++)
        {
            _inputs[design.Length + (1 + 2 * j) * k + j] = _lows[j];
            _inputs[design.Length + (2 + 2 * j) * k + j] = _highs[j];
        }
        // Common random numbers: a base point's or trajectory's runs share a seed; the one-at-a-time runs share base point 0's.
        _seeds = new ulong[_designRows + oat];
        for (int r = 0; r < _seeds.Length; r++)
            _seeds[r] = RandomStreams.EquationSeed(setup.Seed, setup.City, r < _designRows ? r / group : 0);
    }

    /// <summary>The design of a city's analysis; every setting is checked here, before any run.</summary>
    public static SensitivityDesign Create(CompiledModel model, AnalysisSetup setup, SensitivityOptions options) =>
        new(new CompiledModelRuns(model), setup, options);

    internal static SensitivityDesign Create(IRunnableModel model, AnalysisSetup setup, SensitivityOptions options) => new(model, setup, options);

    /// <summary>Model evaluations in all: the design's and the one-at-a-time rows.</summary>
    public int Rows => _seeds.Length;

    /// <summary>Values per row: one per metric.</summary>
    public int Metrics => _metrics.Length;

    /// <summary>
    /// Evaluates rows [<paramref name="first"/>, first + count): metric j of row first + r at [j·count + r], so each
    /// metric's values are contiguous. Progress receives the rows done so far.
    /// </summary>
    public double[] Evaluate(int first, int count, IProgress<int>? progress, CancellationToken cancel)
    {
        int k = _resolved.Varied.Length, m = _metrics.Length;
        var byRow = DesignRunner.Run(_model, _resolved.BaseParameters, _resolved.Varied, _inputs[(first * k)..((first + count) * k)],
            _seeds[first..(first + count)], _metrics, _setup.Threads, progress, cancel);
        var byMetric = new double[byRow.Length];
        for (int r = 0; r < count; r++)
            for (int j = 0; j < m; j++) byMetric[(long)j * count + r] = byRow[(long)r * m + j];
        return byMetric;
    }

    /// <summary>Evaluates shard <paramref name="shard"/> of the rows into the run store <paramref name="path"/> (one column per metric), for <see cref="Merge"/>.</summary>
    public void EvaluateShard(Shard shard, string path, IProgress<int>? progress, CancellationToken cancel)
    {
        var (first, count) = shard.Slice(Rows);
        var values = Evaluate((int)first, (int)count, progress, cancel);
        using var store = RunStore.Create(path, Metrics, Math.Max(1, (int)count), first);
        if (count > 0)
        {
            values.CopyTo(store.NextBlock((int)count));
            store.CommitBlock((int)count);
        }
        store.Complete();
    }

    /// <summary>The result from the run stores of every shard, in shard order: the values of all rows, then <see cref="Analyse"/>.</summary>
    public SensitivityResult Merge(IReadOnlyList<string> stores, CancellationToken cancel)
    {
        var values = new double[(long)Rows * Metrics];
        long next = 0;
        foreach (var path in stores)
        {
            using var store = RunStore.Open(path);
            if (store.Columns != Metrics || store.FirstRun != next || next + store.Runs > Rows)
                throw new ModelException(DiagnosticCodes.ShardsOfDifferentExperiments,
                    $"run store '{path}' holds {store.Runs} evaluations of {store.Columns} metrics from row {store.FirstRun}, not the rows from {next} of this design ({Rows} rows × {Metrics} metrics).",
                    hint: "Merge the shards of one sensitivity analysis, run with the same LoopSim.");
            store.ReadColumns(0, Metrics, values, Rows, next);
            next += store.Runs;
        }
        if (next != Rows)
            throw new ModelException(DiagnosticCodes.ShardSetIncomplete, $"the shards hold {next} of the design's {Rows} rows.", hint: "Give every shard's folder.");
        return Analyse(values, cancel);
    }

    /// <summary>The indices or effects and the swings from every row's values, laid out as <see cref="Evaluate"/> returns them for all rows.</summary>
    public SensitivityResult Analyse(double[] values, CancellationToken cancel)
    {
        int k = _resolved.Varied.Length, rows = Rows, runs = _designRows;
        bool sobol = _options.Method == SensitivityMethod.Sobol;
        // Metrics in parallel: each has its own bootstrap stream, so the numbers do not depend on the threads.
        var results = new MetricSensitivity[_metrics.Length];
        Parallel.For(0, _metrics.Length, new ParallelOptions { MaxDegreeOfParallelism = _setup.Threads, CancellationToken = cancel }, j =>
        {
            var all = values.AsSpan(j * rows, rows);
            var y = all[..runs].ToArray();
            var oat = all[runs..].ToArray();
            double mean = y.Average(), variance = y.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, runs - 1);
            var indices = sobol
                ? SobolDesign.Indices(y, _resolved.Names, _options.Resamples, _options.Confidence,
                    RandomStreams.Stream(_setup.Seed, _setup.City, RandomStreams.Purpose.SensitivityBootstrap, j))
                : [];
            var effects = sobol ? [] : MorrisDesign.Effects(_unit, y, _resolved.Names);
            var swings = Enumerable.Range(0, k).Select(p => new Swing(_resolved.Names[p], _lows[p], _highs[p], oat[1 + 2 * p], oat[2 + 2 * p])).ToArray();
            results[j] = new MetricSensitivity(_metrics[j], mean, variance, indices, effects, oat[0], swings);
        });
        return new SensitivityResult(_setup.City, _options.Method, _resolved.Names, _options.Samples, rows, results);
    }
}
