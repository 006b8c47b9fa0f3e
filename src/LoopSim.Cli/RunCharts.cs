using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// The charts of <c>loopsim run</c>, in charts/ of the output folder. A Monte Carlo: a fan chart per reported
/// variable and city, a small-multiples page per variable with every city, and the composition of each city
/// in its median run. A single run: a line chart per variable with every city, and each city's composition.
/// </summary>
internal static class RunCharts
{
    /// <returns>The number of charts written.</returns>
    public static int Write(ScenarioPlan plan, IReadOnlyList<CityOutcome> outcomes, OutputFolder folder, CancellationToken cancel)
    {
        var scenario = plan.Scenario;
        var writer = Output.Charts(outcomes.Select(o => o.Run.City.DisplayName), [], scenario.Composition.Select(Output.Label));
        var time = new Quantity("Time", scenario.Model.Specs.TimeUnits);
        var charts = new List<Action>();
        void Add<T>(string name, T chart, Action<string, T, CancellationToken> save) =>
            charts.Add(() => save(folder.PathFor(Path.Combine("charts", name)), chart, cancel));

        foreach (var variable in scenario.Report)
        {
            var value = new Quantity(Output.Label(variable), Output.Units(plan.UnitsOf(variable)));
            var slug = Output.Slug(variable);
            if (plan.IsMonteCarlo)
            {
                foreach (var o in outcomes)
                {
                    var city = o.Run.City.DisplayName;
                    Add($"{slug}-{Output.Slug(o.Run.City.Name)}.png",
                        new FanChart($"{value.Name} · {city} · {scenario.Name}", city, time, value, o.Band(variable)), writer.Save);
                }
                Add($"{slug}-cities.png", new SmallMultiplesChart($"{value.Name} by city · {scenario.Title ?? scenario.Name}", time, value,
                    outcomes.Select(o => new NamedBand(o.Run.City.DisplayName, o.Band(variable))).ToList()), writer.Save);
            }
            else
            {
                Add($"{slug}.png", new LineChart($"{value.Name} by city · {scenario.Title ?? scenario.Name}", time, value,
                    outcomes.Select(o => new Series(o.Run.City.DisplayName, o.Times, o.Band(variable).P50)).ToList()), writer.Save);
            }
        }

        if (scenario.Composition.Count > 0)
        {
            var units = Output.Units(plan.UnitsOf(scenario.Composition[0]));
            foreach (var o in outcomes)
            {
                var (layers, which) = Composition(scenario.Composition, o);
                Add($"composition-{Output.Slug(o.Run.City.Name)}.png",
                    new CompositionChart($"Composition · {o.Run.City.DisplayName} · {scenario.Name}{which}", time, new Quantity("Total", units), layers), writer.Save);
            }
        }

        Output.RenderAll(charts, plan.Cities[0].Setup.Threads, cancel);
        return charts.Count;
    }

    /// <summary>
    /// The layers of a composition chart. A Monte Carlo shows one real run, the one whose final total of the
    /// parts is the median (medians of each part would not add up to any run's total); it is run again to get
    /// its whole trajectory.
    /// </summary>
    private static (IReadOnlyList<Series> Layers, string Which) Composition(IReadOnlyList<string> parts, CityOutcome outcome)
    {
        if (outcome.MonteCarlo is not { } mc)
            return (parts.Select(p => new Series(Output.Label(p), outcome.Times, outcome.Band(p).P50)).ToList(), "");
        var columns = parts.Select(outcome.IndexOf).ToArray();
        var byTotal = Enumerable.Range(0, mc.Runs)
            .Select(run => (Total: columns.Sum(k => mc.FinalValue(run, k)), Run: run))
            .Order().ToArray();
        int median = byTotal[(byTotal.Length - 1) / 2].Run;
        var result = ScenarioPlan.Rerun(outcome, median);
        return (parts.Select(p => new Series(Output.Label(p), result.Times, result[p])).ToList(), $" (median run, #{median})");
    }
}
