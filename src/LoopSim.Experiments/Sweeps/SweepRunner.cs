using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.Sweeps;

/// <summary>One grid point of a sweep: the swept values (in axis order), the metric's statistics, and the Monte Carlo behind them.</summary>
public sealed record SweepPoint(IReadOnlyList<double> Values, Summary Metric, MonteCarloResult MonteCarlo);

/// <summary>The sweep of one city: every grid point, first axis varying slowest. <see cref="MetricVariable"/> is the model's display name, <see cref="MetricTime"/> the resolved time.</summary>
public sealed record SweepResult(string City, IReadOnlyList<SweepAxis> Axes, MetricSpec Metric, string MetricVariable, double MetricTime, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The metric's chosen statistic at a point (e.g. the p50 of referrals_per_week@104).</summary>
    public double Value(SweepPoint point) => point.Metric[Metric.Statistic];
}

public static class SweepRunner
{
    /// <summary>Grids larger than this are refused before any run: they would take hours, and are almost always a typo in a step.</summary>
    public const int MaximumPoints = 10_000;

    /// <summary>
    /// The Monte Carlo of <paramref name="setup"/> at every point of the Cartesian product of
    /// <paramref name="axes"/>, with common random numbers: the sampled uncertain values and the
    /// equation seeds are drawn once and are the same at every point, so differences between points
    /// come from the swept parameters only. Progress counts runs over all points.
    /// </summary>
    public static SweepResult Run(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<SweepAxis> axes, MetricSpec metric,
        IProgress<int>? progress = null, CancellationToken cancel = default) =>
        Run(new CompiledModelRuns(model), setup, axes, metric, progress, cancel);

    /// <summary>Checks what <see cref="Run(CompiledModel, MonteCarloSetup, IReadOnlyList{SweepAxis}, MetricSpec, IProgress{int}?, CancellationToken)"/> would check, without running.</summary>
    public static void Check(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<SweepAxis> axes, MetricSpec metric) =>
        Resolve(new CompiledModelRuns(model), setup, axes, metric);

    internal static SweepResult Run(IRunnableModel model, MonteCarloSetup setup, IReadOnlyList<SweepAxis> axes, MetricSpec metric,
        IProgress<int>? progress, CancellationToken cancel) =>
        EachPoint(model, setup, axes, metric, progress, (pointSetup, samples, timeIndex, pointProgress, _) =>
            MonteCarloRunner.Execute(model, setup, pointSetup, samples, [timeIndex], pointProgress, cancel));

    /// <summary>
    /// Shard <paramref name="shard"/> of the sweep: at every grid point, its slice of the runs (see <see cref="Shard"/>), written to the
    /// store file <paramref name="pointPath"/>(point index) for <see cref="Merge(CompiledModel, MonteCarloSetup, IReadOnlyList{SweepAxis}, MetricSpec, Func{int, IReadOnlyList{string}}, CancellationToken)"/>.
    /// </summary>
    public static void RunShard(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<SweepAxis> axes, MetricSpec metric, Shard shard,
        Func<int, string> pointPath, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        var runnable = new CompiledModelRuns(model);
        EachPoint(runnable, setup, axes, metric, progress, (pointSetup, samples, timeIndex, pointProgress, point) =>
        {
            MonteCarloRunner.ExecuteShard(runnable, setup, pointSetup, samples, [timeIndex], shard, pointPath(point), pointProgress, cancel);
            return null;
        }, shard.Slice(setup.Runs).Count);
    }

    /// <summary>The sweep whose shards wrote, for each grid point, the store files <paramref name="pointPaths"/>(point index), in shard order.</summary>
    public static SweepResult Merge(CompiledModel model, MonteCarloSetup setup, IReadOnlyList<SweepAxis> axes, MetricSpec metric,
        Func<int, IReadOnlyList<string>> pointPaths, CancellationToken cancel = default)
    {
        var runnable = new CompiledModelRuns(model);
        return EachPoint(runnable, setup, axes, metric, null, (pointSetup, samples, timeIndex, _, point) =>
            MonteCarloRunner.ExecuteMerge(runnable, setup, pointSetup, samples, [timeIndex], pointPaths(point), cancel));
    }

    private delegate MonteCarloResult? PointWork(ResolvedSetup pointSetup, SampleSet samples, int timeIndex, IProgress<int>? progress, int point);

    /// <summary>Resolves the sweep, draws the samples once (common random numbers) and does <paramref name="work"/> at every grid point.</summary>
    private static SweepResult EachPoint(IRunnableModel model, MonteCarloSetup setup, IReadOnlyList<SweepAxis> axes, MetricSpec metric,
        IProgress<int>? progress, PointWork work, long runsPerPoint = -1)
    {
        var (resolved, swept, timeIndex) = Resolve(model, setup, axes, metric);
        var saveTimes = model.SaveTimes;
        var samples = MonteCarloRunner.Draw(setup);
        var points = new List<SweepPoint>();
        int index = 0;
        foreach (var values in Grid(axes))
        {
            var parameters = resolved.BaseParameters.ToArray();
            for (int a = 0; a < swept.Length; a++) parameters[swept[a]] = values[a];
            var pointProgress = progress is null ? null : new OffsetProgress(progress, (int)(index * (runsPerPoint < 0 ? setup.Runs : runsPerPoint)));
            if (work(resolved with { BaseParameters = parameters }, samples, timeIndex, pointProgress, index++) is { } result)
                points.Add(new SweepPoint(values, result.Summary(0, 0), result));
        }
        return new SweepResult(setup.City, axes, metric, resolved.OutputNames[0], saveTimes[timeIndex], points);
    }

    private static (ResolvedSetup Setup, int[] Swept, int TimeIndex) Resolve(IRunnableModel model, MonteCarloSetup setup, IReadOnlyList<SweepAxis> axes, MetricSpec metric)
    {
        if (axes.Count == 0)
            throw new ModelException(DiagnosticCodes.SweepMissing, "sweep: no parameters to sweep.", hint: "Give at least one --param NAME=FROM:TO:STEP or NAME=V1,V2,...");
        var swept = new int[axes.Count];
        for (int a = 0; a < axes.Count; a++)
        {
            swept[a] = ResolvedSetup.ParameterIndex(model, axes[a].Parameter, axes[a].Location, "sweep");
            if (Array.IndexOf(swept, swept[a], 0, a) >= 0)
                throw new ModelException(DiagnosticCodes.GivenTwice, "sweep: the parameter is swept twice.", axes[a].Location, axes[a].Parameter, "Give each parameter one --param.");
        }
        long pointCount = axes.Aggregate(1L, (n, axis) => n * axis.Values.Count);
        if (pointCount > MaximumPoints)
            throw new ModelException(DiagnosticCodes.SweepTooLarge, $"sweep: the grid has {pointCount} points (more than {MaximumPoints}).", hint: "Use fewer values or larger steps.");

        var resolved = ResolvedSetup.Resolve(model, setup, [metric.Variable], swept);
        var saveTimes = model.SaveTimes;
        int timeIndex = metric.Time is { } t ? MonteCarloRunner.SaveIndex(saveTimes, t) : saveTimes.Count - 1;
        return (resolved, swept, timeIndex);
    }

    /// <summary>The Cartesian product of the axes' values, first axis varying slowest.</summary>
    internal static IEnumerable<double[]> Grid(IReadOnlyList<SweepAxis> axes)
    {
        var position = new int[axes.Count];
        while (true)
        {
            yield return axes.Select((axis, a) => axis.Values[position[a]]).ToArray();
            int digit = axes.Count - 1;
            while (digit >= 0 && ++position[digit] == axes[digit].Values.Count) position[digit--] = 0;
            if (digit < 0) yield break;
        }
    }

    private sealed class OffsetProgress(IProgress<int> inner, int offset) : IProgress<int>
    {
        public void Report(int value) => inner.Report(offset + value);
    }
}
