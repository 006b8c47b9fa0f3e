using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim compare A.yaml B.yaml ...</c>: several scenarios on one chart per reported variable and city
/// (the median of each scenario's Monte Carlo with its 25–75% band, or its single run), compare.csv with
/// those series, and a table of the summary variables at the horizon.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var scenarios = new Argument<string[]>("scenarios") { Description = "Two or more scenario files, e.g. scenarios/conventional.yaml scenarios/alliance.yaml.", Arity = new ArgumentArity(2, 100) };
        var output = new Option<string?>("--output", "-o") { Description = "The folder to write; default: out/compare." };
        var options = new ExperimentOptions();
        var command = new Command("compare", "Compare scenarios: their medians (or single runs) on one chart per variable and city, and compare.csv.");
        command.Arguments.Add(scenarios);
        command.Options.Add(output);
        options.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
            Run(parse.GetValue(scenarios)!, parse.GetValue(output), options.Read(parse), charts: !parse.GetValue(options.NoCharts), cancel))));
        return command;
    }

    private static int Run(string[] paths, string? outputPath, ExperimentSettings settings, bool charts, CancellationToken cancel)
    {
        var plans = paths.Select(path => ScenarioPlan.Load(path, settings)).ToList();
        foreach (var twice in plans.GroupBy(p => p.Scenario.Name).Where(g => g.Count() > 1))
            throw new ModelException(DiagnosticCodes.CompareMismatch, $"two scenarios are named '{twice.Key}': {string.Join(" and ", twice.Select(p => p.Scenario.Source.Path))}.",
                hint: "Give each a distinct 'scenario:' name; charts and compare.csv tell them apart by it.");
        var first = plans[0];
        var variables = Common(plans, p => p.Scenario.Report, "reported variables", "report");
        var summary = Common(plans, p => p.Scenario.Summary, "summary variables", "summary");
        var cityNames = Common(plans, p => p.Cities.Select(c => c.City.Name).ToList(), "cities", "cities");
        var runVariables = variables.Union(summary).ToList();
        foreach (var plan in plans)
            plan.Check(runVariables);
        var folderName = outputPath ?? Path.Combine("out", "compare");
        using var folder = Output.Folder(outputPath, Path.Combine("out", "compare"));

        // outcomes[s][c]: scenario s in city cityNames[c].
        var outcomes = new List<IReadOnlyList<CityOutcome>>();
        long total = plans.Sum(p => (long)p.Runs * cityNames.Count);
        using (var progress = Output.Progress($"compare: {plans.Count} scenarios × {Output.Count(cityNames.Count, "city", "cities")}", total))
            foreach (var plan in plans)
                outcomes.Add(cityNames.Select(name =>
                {
                    var city = plan.Cities.First(c => c.City.Name == name);
                    if (plan.IsMonteCarlo) return city.RunMonteCarlo(runVariables, folder.Scratch(), new RunsProgress(progress), cancel);
                    progress.Advance();
                    return city.RunOnce(runVariables);
                }).ToList());

        new CsvTable(["scenario", "city", "variable", "time", "runs", "p25", "p50", "p75"], CompareRows()).Save(folder.PathFor("compare.csv"), cancel);
        IEnumerable<CsvCell[]> CompareRows()
        {
            for (int s = 0; s < plans.Count; s++)
                foreach (var outcome in outcomes[s])
                    foreach (var variable in variables)
                    {
                        var band = outcome.Band(variable);
                        for (int t = 0; t < band.Time.Length; t++)
                            yield return [plans[s].Scenario.Name, outcome.Run.City.Name, variable, band.Time[t], plans[s].Runs, band.P25[t], band.P50[t], band.P75[t]];
                    }
        }

        int chartCount = 0;
        if (charts)
        {
            var writer = Output.Charts(first.Cities.Select(c => c.City.DisplayName), plans.Select(p => p.Scenario.Name), []);
            var time = new Quantity("Time", first.Scenario.Model.Specs.TimeUnits);
            var list = new List<Action>();
            for (int c = 0; c < cityNames.Count; c++)
                foreach (var variable in variables)
                {
                    var city = outcomes[0][c].Run.City;
                    var value = new Quantity(Output.Label(variable), Output.Units(first.UnitsOf(variable)));
                    var chart = new ScenarioComparisonChart($"{value.Name} · {city.DisplayName}", time, value,
                        plans.Select((p, s) => new NamedBand(p.Scenario.Name, outcomes[s][c].Band(variable))).ToList(),
                        ShowBands: plans.Any(p => p.IsMonteCarlo));
                    var path = folder.PathFor(Path.Combine("charts", $"{Output.Slug(variable)}-{Output.Slug(city.Name)}.png"));
                    list.Add(() => writer.Save(path, chart, cancel));
                }
            Output.RenderAll(list, settings.Threads, cancel);
            chartCount = list.Count;
        }
        folder.Commit(cancel);

        var table = new SummaryTable($"compare: at {first.Scenario.Model.Specs.TimeUnits ?? "time"} {NumberFormat.Readable(outcomes[0][0].Times[^1])}" +
            (plans.Any(p => p.IsMonteCarlo) ? ", medians of runs" : ""), ["city", "scenario", .. summary.Select(Output.Label)]);
        for (int c = 0; c < cityNames.Count; c++)
            for (int s = 0; s < plans.Count; s++)
                table.AddRow([s == 0 ? outcomes[s][c].Run.City.DisplayName : "", plans[s].Scenario.Name, .. summary.Select(v => (SummaryCell)outcomes[s][c].Band(v).P50[^1])]);
        table.Write(Output.Console());
        Output.Wrote(folderName, ["compare.csv"], chartCount);
        return 0;
    }

    /// <summary>The names every scenario has, in the first scenario's order; none in common is an error.</summary>
    private static IReadOnlyList<string> Common(IReadOnlyList<ScenarioPlan> plans, Func<ScenarioPlan, IReadOnlyList<string>> names, string what, string key)
    {
        var common = names(plans[0]).Where(n => plans.All(p => names(p).Contains(n))).ToList();
        if (common.Count == 0)
            throw new ModelException(DiagnosticCodes.CompareMismatch, $"the scenarios have no {what} in common, so there is nothing to compare.",
                hint: $"Compare scenarios whose '{key}' lists share names (e.g. scenarios of the same model and cities file).");
        return common;
    }
}
