using System.Collections.Concurrent;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.Validation;

/// <summary>A reference mode in one city: whether every assertion holds, and what each assertion and measurement gave.</summary>
public sealed record ModeResult(ReferenceMode Mode, CheckCity City, IReadOnlyList<AssertionResult> Asserts, IReadOnlyList<AssertionResult> Reports)
{
    public bool Holds => Asserts.All(a => a.Holds);
}

/// <summary>Evaluates the checks file's reference modes on its named runs, city by city: on single runs or on the medians of a Monte Carlo.</summary>
public static class ReferenceModes
{
    /// <summary>
    /// Every mode in <paramref name="city"/>. With <paramref name="medianRuns"/> &gt; 1, each named run is a Monte Carlo of that
    /// many runs over its scenario's uncertain parameters and the assertions read the medians; otherwise single runs with the
    /// settings' values. <paramref name="change"/> replaces one parameter in every run that does not set it (sensitivity).
    /// </summary>
    public static IReadOnlyList<ModeResult> Evaluate(CheckSubject subject, CheckCity city, int medianRuns = 0, (string Name, double Value)? change = null)
    {
        var checks = subject.Checks;
        if (checks is null || checks.Modes.Count == 0) return [];
        var needed = checks.Modes.SelectMany(m => m.Asserts.Concat(m.Reports)).SelectMany(a => a.References)
            .GroupBy(r => r.Run).ToDictionary(g => g.Key, g => g.Select(r => r.Variable).Distinct().ToList());
        var series = new ConcurrentDictionary<string, RunSeries>();
        RunSeries Series(string runName) => series.GetOrAdd(runName, name =>
        {
            var spec = checks.Runs[name];
            var (model, settings, scenario) = subject.Resolve(spec, city);
            var all = new Dictionary<string, double>(settings);
            if (change is { } c && !all.Keys.Any(k => Names.Canonical(k) == Names.Canonical(c.Name))) all[c.Name] = c.Value;
            if (medianRuns > 1)
                return subject.Simulations.Median(model, all, scenario, city.Name, medianRuns, subject.Seed, needed[name]);
            SimulationResult run = subject.Simulations.Run(model, all);
            return new RunSeries(run.Times, v => run[v]);
        });
        var times = Series(needed.Keys.First()).Times;
        double[] Lookup(string run, string variable) => Series(run)[variable];
        return checks.Modes.Select(mode => new ModeResult(mode, city,
            mode.Asserts.Select(a => a.Evaluate(Lookup, times)).ToList(),
            mode.Reports.Select(a => a.Evaluate(Lookup, times)).ToList())).ToList();
    }
}
