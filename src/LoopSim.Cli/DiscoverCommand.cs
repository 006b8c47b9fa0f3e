using System.CommandLine;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.Discovery;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim discover SCENARIO --where "METRIC &gt; X" [--versus OTHER.yaml]</c>: scenario discovery with PRIM over
/// sampled cases, per city: the peeling trajectory, the chosen box's limits with their significance, the cases inside.
/// </summary>
internal static class DiscoverCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "The scenario file, e.g. scenarios/alliance.yaml." };
        var where = new Option<string>("--where", "-w")
        {
            Description = "Which cases are of interest: [versus.]VARIABLE[@TIME] [/ or - another] OP NUMBER, OP one of > >= < <=; "
                + "e.g. \"referrals_per_week / versus.referrals_per_week > 2\".",
            Required = true,
        };
        var versus = new Option<string?>("--versus") { Description = "A scenario to compare with: 'versus.' terms run in it, with each case's inputs and random numbers; it keeps the values it sets itself." };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "A parameter to sample: NAME (its distribution in 'uncertain:') or NAME=LOW..HIGH (uniform); repeat. Default: every uncertain parameter.",
        };
        var cases = new Option<int>("--cases", "-n") { Description = "Cases per city (Latin hypercube; default 2000).", DefaultValueFactory = _ => 2000 };
        var threshold = new Option<double>("--threshold") { Description = "The box chosen is the first whose density (share of its cases of interest) reaches this (default 0.8).", DefaultValueFactory = _ => 0.8 };
        var alpha = new Option<double>("--alpha") { Description = "The share of a box's cases one peel removes (default 0.05).", DefaultValueFactory = _ => 0.05 };
        var minMass = new Option<double>("--min-mass") { Description = "Peeling stops before a box would hold less than this share of the cases (default 0.05).", DefaultValueFactory = _ => 0.05 };
        var options = new AnalysisOptions("discover");
        var command = new Command("discover", "Scenario discovery (PRIM): in which region of the sampled parameters does a condition hold? Per city: peeling trajectory, box, cases.");
        command.Arguments.Add(scenario);
        command.Options.Add(where);
        command.Options.Add(versus);
        command.Options.Add(parameters);
        command.Options.Add(cases);
        command.Options.Add(threshold);
        command.Options.Add(alpha);
        command.Options.Add(minMass);
        options.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
        {
            var condition = WhereCondition.Parse(parse.GetValue(where)!);
            var plan = options.Plan(parse, parse.GetValue(scenario)!);
            var versusPlan = parse.GetValue(versus) is { } path ? options.Plan(parse, path) : null;
            var chosen = (parse.GetValue(parameters) ?? []).Select(p => ParameterRange.Parse(p, "--param")).ToList();
            var prim = new PrimOptions { Threshold = parse.GetValue(threshold), Alpha = parse.GetValue(alpha), MinMass = parse.GetValue(minMass) };
            return Run(plan, versusPlan, condition, chosen, parse.GetValue(cases), prim, options.Folder(parse, plan.Scenario.Name), !parse.GetValue(options.NoCharts), cancel);
        })));
        return command;
    }

    private static int Run(ScenarioPlan plan, ScenarioPlan? versusPlan, WhereCondition where, IReadOnlyList<ParameterRange> chosen, int cases, PrimOptions prim,
        OutputChoice output, bool charts, CancellationToken cancel)
    {
        var jobs = plan.Cities.Select(city =>
        {
            VersusSetup? versus = null;
            if (versusPlan is not null)
            {
                var other = versusPlan.Cities.FirstOrDefault(c => string.Equals(c.City.Name, city.City.Name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ModelException(DiagnosticCodes.VersusMissing, $"--versus scenario '{versusPlan.Scenario.Name}' has no city '{city.City.Name}'.",
                        hint: "Compare scenarios over the same cities, or choose cities with --city.");
                versus = new VersusSetup(other.Model, other.Setup.CityParameters);
            }
            return (City: city, Setup: AnalysisOptions.Setup(city, AnalysisSetup.Choose(city.Setup.Uncertain, chosen, "--param")), Versus: versus);
        }).ToList();
        foreach (var job in jobs)
            DiscoveryRunner.Check(job.City.Model, job.Setup, cases, where, job.Versus, prim);
        using var folder = output.Open();

        int perCase = DiscoveryRunner.RunsPerCase(where);
        var what = $"{plan.Scenario.Name} discovery: {Output.Count(plan.Cities.Count, "city", "cities")} × {Output.Count(cases, "case", "cases")}";
        var results = new List<DiscoveryResult>();
        using (var progress = Output.Progress(what, (long)cases * perCase * jobs.Count))
            foreach (var job in jobs)
                results.Add(DiscoveryRunner.Run(job.City.Model, job.Setup, cases, where, job.Versus, prim, new RunsProgress(progress), cancel));

        var parameters = results[0].Parameters;
        new CsvTable(["city", "step", "coverage", "density", "mass", "cases", "restricted", .. parameters.SelectMany(p => new[] { p + "_low", p + "_high" })],
            results.SelectMany(r => r.Prim.Trajectory.Select((b, i) => new CsvCell[] { r.City, i, b.Coverage, b.Density, b.Mass, b.Cases, b.Restricted }
                .Concat(Enumerable.Range(0, parameters.Count).SelectMany(d => new CsvCell[] { b.Low[d], b.High[d] })).ToArray())))
            .Save(folder.PathFor("trajectory.csv"), cancel);
        new CsvTable(["city", "parameter", "low", "high", "full_low", "full_high", "p_value"],
            results.SelectMany(r => r.Prim.Limits.Select(l => new CsvCell[] { r.City, l.Parameter, l.Low, l.High, l.FullLow, l.FullHigh, l.PValue })))
            .Save(folder.PathFor("box.csv"), cancel);
        new CsvTable(["city", "case", .. parameters, "value", "of_interest", "in_box"],
            results.SelectMany(r => Enumerable.Range(0, r.Cases).Select(i => new CsvCell[] { r.City, i }
                .Concat(Enumerable.Range(0, parameters.Count).Select(d => (CsvCell)r.Inputs[i * parameters.Count + d]))
                .Concat([r.Values[i], r.OfInterest[i] ? 1 : 0, r.Prim.Inside[i] ? 1 : 0]).ToArray())))
            .Save(folder.PathFor("cases.csv"), cancel);
        var files = new List<string> { "trajectory.csv", "box.csv", "cases.csv" };

        int chartCount = 0;
        if (charts)
        {
            var writer = Output.Charts(plan.Cities.Select(c => c.City.DisplayName), [], []);
            var list = results.Select(r =>
            {
                var city = plan.Cities.First(c => c.City.Name == r.City).City;
                var chart = new PeelingChart($"PRIM peeling trajectory · {city.DisplayName} · {plan.Scenario.Name}", where.ToString(),
                    r.Prim.Trajectory.Select(b => new PeelingStep(b.Coverage, b.Density, b.Restricted)).ToList(), r.Prim.Chosen);
                return (Action)(() => writer.Save(folder.PathFor(Path.Combine("charts", $"peeling-{Output.Slug(city.Name)}.png")), chart, cancel));
            }).ToList();
            Output.RenderAll(list, plan.Cities[0].Setup.Threads, cancel);
            chartCount = list.Count;
        }
        folder.Commit(cancel);

        Boxes(plan, where, results).Write(Output.Console());
        Output.Wrote(output.Name, files, chartCount);
        return 0;
    }

    private static SummaryTable Boxes(ScenarioPlan plan, WhereCondition where, IReadOnlyList<DiscoveryResult> results)
    {
        var table = new SummaryTable($"{plan.Scenario.Name}: where {where} ({Output.Count(results[0].Cases, "case", "cases")} per city)",
            ["city", "of interest", "box: coverage", "density", "parameter", "range in the box", "sampled range", "p-value"]);
        foreach (var r in results)
        {
            var city = plan.Cities.First(c => c.City.Name == r.City).City.DisplayName;
            var box = r.Prim.Box;
            var share = $"{NumberFormat.Readable(100.0 * r.OfInterest.Count(v => v) / r.Cases)}%";
            if (r.Prim.Limits.Count == 0)
                table.AddRow(city, share, box.Coverage, box.Density, "(no restriction)", "", "", "");
            for (int i = 0; i < r.Prim.Limits.Count; i++)
            {
                var l = r.Prim.Limits[i];
                SummaryCell Only(SummaryCell first) => i == 0 ? first : "";
                table.AddRow(Only(city), Only(share), Only(box.Coverage), Only(box.Density),
                    l.Parameter, NumberFormat.Range(l.Low, l.High), NumberFormat.Range(l.FullLow, l.FullHigh), l.PValue);
            }
        }
        return table;
    }
}
