using System.Globalization;
using LoopSim.Engine.Model;
using LoopSim.Engine.Validation;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sweeps;

namespace LoopSim.Experiments.Scenarios;

/// <summary>
/// The checks of a scenario's blocks together, once, at load: values within the ranges the model declares (from
/// 'set', a city, a sweep, or a distribution's support), a parameter either uncertain or fixed, never both, each
/// uncertain or swept once, and the sweep's names. The rules for values the command line can also give (runs, seed,
/// swept parameters) live here too, so a file and an option get the same answer.
/// </summary>
public static class ScenarioValidator
{
    /// <summary>Every problem of what the blocks say together (each block has been read and checked on its own).</summary>
    public static IReadOnlyList<Diagnostic> Check(Scenario scenario)
    {
        var names = new ModelNames(scenario.Model);
        var problems = new List<Diagnostic>();
        void Add(Diagnostic? d) { if (d is not null) problems.Add(d); }

        foreach (var setting in scenario.Set)
            Add(ModelValidator.CheckRange(names.Find(setting.Name)!, setting.Value, "the scenario's 'set'", setting.Location));
        foreach (var city in scenario.Cities)
            foreach (var setting in city.Set)
                Add(ModelValidator.CheckRange(names.Find(setting.Name)!, setting.Value, $"city '{city.Name}'", setting.Location));

        var uncertain = new Dictionary<string, DistributionSpec>();
        foreach (var spec in scenario.Uncertain)
        {
            var variable = names.Find(spec.Parameter)!;
            if (!uncertain.TryAdd(variable.CanonicalName, spec))
            {
                Add(new Diagnostic(DiagnosticCodes.GivenTwice, "uncertain parameter is given twice.", spec.Location, spec.Parameter, "Keep one distribution for it."));
                continue;
            }
            var (low, high) = spec.Distribution.Support;
            Add(ModelValidator.CheckSupport(variable, low, high, "'uncertain'", spec.Location));
            if (scenario.Set.Any(s => s.Name == variable.Name))
                Add(AlsoFixed(spec, "set by the scenario's 'set'"));
            foreach (var city in scenario.Cities.Where(c => c.Set.Any(s => s.Name == variable.Name)))
                Add(AlsoFixed(spec, $"set for city '{city.Name}'"));
        }

        if (scenario.Sweep is { } sweep)
        {
            problems.AddRange(CheckSweep(scenario, sweep.Axes, "'sweep'"));
            foreach (var metric in sweep.Metrics.Where(m => names.Find(m.Variable) is null))
                problems.Add(names.Unknown(metric.Variable, "the metric of 'sweep'", sweep.MetricLocation));
        }
        return problems;
    }

    /// <summary>
    /// Swept parameters, from the scenario's 'sweep' section or from --param: each a variable of the model, swept once,
    /// not uncertain, every value within its declared range.
    /// </summary>
    public static IReadOnlyList<Diagnostic> CheckSweep(Scenario scenario, IReadOnlyList<SweepAxis> axes, string what)
    {
        var names = new ModelNames(scenario.Model);
        var problems = new List<Diagnostic>();
        var swept = new HashSet<string>();
        foreach (var axis in axes)
        {
            if (names.Find(axis.Parameter) is not { } variable)
            {
                problems.Add(names.Unknown(axis.Parameter, what, axis.Location));
                continue;
            }
            if (!swept.Add(variable.CanonicalName))
                problems.Add(new Diagnostic(DiagnosticCodes.GivenTwice, "sweep: the parameter is swept twice.", axis.Location, axis.Parameter, "Sweep each parameter once."));
            if (scenario.Uncertain.FirstOrDefault(u => Names.Canonical(u.Parameter) == variable.CanonicalName) is { } spec)
                problems.Add(AlsoFixed(spec, "swept"));
            foreach (var value in axis.Values)
                if (ModelValidator.CheckRange(variable, value, $"the sweep of {what}", axis.Location) is { } outside)
                {
                    problems.Add(outside);
                    break;
                }
        }
        return problems;
    }

    /// <summary>The number of runs per city, from 'runs' or --runs: at least 1, and at most what an array can count.</summary>
    public static Diagnostic? Runs(long runs, string what, SourceLocation? at) => runs switch
    {
        < 1 => new Diagnostic(DiagnosticCodes.RunsNotPositive, $"{what} must be at least 1, not {runs}.", at,
            Hint: "Use 1 (or --deterministic) to run each city once."),
        > int.MaxValue => new Diagnostic(DiagnosticCodes.RunsNotPositive, $"{what} {runs} is more runs than LoopSim can count (at most {int.MaxValue:N0}).", at,
            Hint: "A few thousand runs give stable percentiles."),
        _ => null,
    };

    /// <summary>The random seed, from 'seed' or --seed: a whole number from 0 to 2⁶⁴ − 1.</summary>
    public static ulong Seed(string text, string what, SourceLocation? at) =>
        ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed
            : throw new ModelException(DiagnosticCodes.SeedInvalid, $"{what} must be a whole number of 0 or more, not '{text.Trim()}'.", at,
                hint: $"Any whole number from 0 to {ulong.MaxValue} will do; the same seed gives the same numbers.");

    private static Diagnostic AlsoFixed(DistributionSpec spec, string how) =>
        new(DiagnosticCodes.UncertainAndFixed, $"uncertain parameter is also {how}.", spec.Location, spec.Parameter,
            "A parameter is either uncertain or fixed: remove one of the two.");
}
