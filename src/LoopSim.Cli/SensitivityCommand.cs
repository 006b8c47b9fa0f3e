using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Experiments.Sensitivity;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim sensitivity SCENARIO --method sobol|morris</c>: which uncertain parameters drive which outputs, per city.
/// Sobol' indices with bootstrap intervals (sobol.csv, a bar chart) or Morris effects (morris.csv, a μ*–σ chart), and
/// for both the one-at-a-time swings (oat.csv, a tornado chart).
/// </summary>
internal static class SensitivityCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "The scenario file, e.g. scenarios/alliance.yaml." };
        var method = new Option<string>("--method")
        {
            Description = "sobol: first-order and total indices (Saltelli design, N(k + 2) runs); morris: elementary effects (r(k + 1) runs).",
            DefaultValueFactory = _ => "sobol",
        };
        method.AcceptOnlyFromAmong("sobol", "morris");
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "A parameter to vary: NAME (its distribution in the scenario's 'uncertain:') or NAME=LOW..HIGH (uniform); repeat. Default: every uncertain parameter.",
        };
        var metrics = new Option<string[]>("--metric", "-m")
        {
            Description = "An output to analyse: VARIABLE[@TIME] (default time: the last), e.g. referrals_per_week@104; repeat. Default: the scenario's summary variables at the last time.",
        };
        var samples = new Option<int?>("--samples", "-N")
        {
            Description = "Sobol': base points N (default 1024; a power of two). Morris: trajectories r (default 50).",
        };
        var levels = new Option<int>("--levels") { Description = "Morris: grid levels (even; default 4).", DefaultValueFactory = _ => 4 };
        var resamples = new Option<int>("--resamples") { Description = "Sobol': bootstrap resamples for the 95% intervals (default 1000).", DefaultValueFactory = _ => 1000 };
        var options = new AnalysisOptions("sensitivity");
        var shard = ExperimentOptions.ShardOption();
        var command = new Command("sensitivity", "Global sensitivity of a scenario's outputs to its uncertain parameters, per city: Sobol' indices or Morris effects, and one-at-a-time swings.");
        command.Arguments.Add(scenario);
        command.Options.Add(method);
        command.Options.Add(parameters);
        command.Options.Add(metrics);
        command.Options.Add(samples);
        command.Options.Add(levels);
        command.Options.Add(resamples);
        options.AddTo(command);
        command.Options.Add(shard);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
        {
            var plan = options.Plan(parse, parse.GetValue(scenario)!);
            bool sobol = parse.GetValue(method) != "morris";
            var request = new Request(sobol ? "sobol" : "morris", parse.GetValue(samples) ?? (sobol ? 1024 : 50), parse.GetValue(levels), parse.GetValue(resamples),
                parse.GetValue(parameters) ?? [], parse.GetValue(metrics) ?? []);
            var designs = Designs(plan, request);
            var output = options.Folder(parse, plan.Scenario.Name);
            using var folder = output.Open();
            if (ExperimentOptions.ReadShard(parse, shard) is { } part)
                return RunShard(plan, request, designs, part, folder, output.Name, cancel);

            long perCity = designs[0].Rows;
            var what = $"{plan.Scenario.Name} {(sobol ? "Sobol'" : "Morris")}: {Output.Count(plan.Cities.Count, "city", "cities")} × {Output.Count(perCity, "run", "runs")}";
            var results = new List<SensitivityResult>();
            using (var progress = Output.Progress(what, perCity * plan.Cities.Count))
                foreach (var design in designs)
                    results.Add(design.Analyse(design.Evaluate(0, design.Rows, new RunsProgress(progress), cancel), cancel));
            return WriteOutputs(plan, results, folder, output.Name, charts: !parse.GetValue(options.NoCharts), cancel);
        })));
        return command;
    }

    /// <summary>The analysis as given on the command line, which is also what a shard's manifest keeps for the merge to rebuild the design.</summary>
    internal sealed record Request(string Method, int Samples, int Levels, int Resamples, IReadOnlyList<string> Params, IReadOnlyList<string> Metrics);

    /// <summary>Every city's design (every setting checked before any run or output).</summary>
    internal static IReadOnlyList<SensitivityDesign> Designs(ScenarioPlan plan, Request request)
    {
        var analysis = new SensitivityOptions
        {
            Method = request.Method == "morris" ? SensitivityMethod.Morris : SensitivityMethod.Sobol,
            Samples = request.Samples,
            Levels = request.Levels,
            Resamples = request.Resamples,
            Metrics = request.Metrics.Count > 0
                ? request.Metrics.Select(m => RunMetric.Parse(m)).ToList()
                : plan.Scenario.Summary.Select(v => new RunMetric(v, null)).ToList(),
        };
        var chosen = request.Params.Select(p => ParameterRange.Parse(p, "--param")).ToList();
        return plan.Cities.Select(city => SensitivityDesign.Create(city.Model, AnalysisOptions.Setup(city, AnalysisSetup.Choose(city.Setup.Uncertain, chosen, "--param")), analysis)).ToList();
    }

    /// <summary>Shard <paramref name="shard"/> of every city's design rows: the store files and shard.json, for <c>loopsim merge</c>.</summary>
    private static int RunShard(ScenarioPlan plan, Request request, IReadOnlyList<SensitivityDesign> designs, Shard shard, OutputFolder folder, string folderName, CancellationToken cancel)
    {
        int rows = designs[0].Rows;
        var (_, count) = shard.Slice(rows);
        var what = $"{plan.Scenario.Name} sensitivity shard {shard}: {Output.Count(plan.Cities.Count, "city", "cities")} × {Output.Count(count, "run", "runs")}";
        var files = new Dictionary<string, long>();
        using (var progress = Output.Progress(what, count * plan.Cities.Count))
            for (int c = 0; c < designs.Count; c++)
            {
                var file = ShardManifest.StoreFile(plan.Cities[c].City.Name);
                var path = folder.PathFor(file);
                designs[c].EvaluateShard(shard, path, new RunsProgress(progress), cancel);
                files[file] = new FileInfo(path).Length;
            }
        new ShardManifest
        {
            Verb = "sensitivity", Scenario = Path.GetFullPath(plan.Scenario.Source.Path!), ScenarioHash = ShardManifest.Hash(plan),
            Seed = plan.Cities[0].Setup.Seed, Runs = rows, Cities = plan.Cities.Select(c => c.City.Name).ToList(),
            Params = request.Params, Metrics = request.Metrics, Method = request.Method, Samples = request.Samples, Levels = request.Levels, Resamples = request.Resamples,
            Shard = shard.Index, Shards = shard.Count, Files = files,
        }.Save(folder, cancel);
        folder.Commit(cancel);
        Console.WriteLine($"{plan.Scenario.Name} sensitivity: shard {shard}, {ShardManifest.Describe(shard, rows)} per city; wrote {folderName} (merge the shards with loopsim merge)");
        return 0;
    }

    /// <summary>The outputs of <c>sensitivity</c> from every city's result, also written by <c>merge</c> from the shards' rows.</summary>
    internal static int WriteOutputs(ScenarioPlan plan, IReadOnlyList<SensitivityResult> results, OutputFolder folder, string folderName, bool charts, CancellationToken cancel)
    {
        var files = new List<string>();
        if (results[0].Method == SensitivityMethod.Sobol)
        {
            new CsvTable(["city", "metric", "parameter", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"],
                Rows(results, (m, p) => { var s = m.Sobol[p]; return [s.First.Value, s.First.Low, s.First.High, s.Total.Value, s.Total.Low, s.Total.High]; }))
                .Save(folder.PathFor("sobol.csv"), cancel);
            files.Add("sobol.csv");
        }
        else
        {
            new CsvTable(["city", "metric", "parameter", "mu", "mu_star", "sigma"],
                Rows(results, (m, p) => { var e = m.Morris[p]; return [e.Mu, e.MuStar, e.Sigma]; }))
                .Save(folder.PathFor("morris.csv"), cancel);
            files.Add("morris.csv");
        }
        new CsvTable(["city", "metric", "parameter", "low", "high", "metric_at_low", "metric_at_high", "metric_at_medians"],
            Rows(results, (m, p) => { var s = m.Swings[p]; return [s.LowValue, s.HighValue, s.AtLow, s.AtHigh, m.BaseValue]; }))
            .Save(folder.PathFor("oat.csv"), cancel);
        files.Add("oat.csv");

        int chartCount = charts ? Charts(plan, results, folder, cancel) : 0;
        folder.Commit(cancel);

        Ranking(plan, results).Write(Output.Console());
        Output.Wrote(folderName, files, chartCount);
        return 0;
    }

    /// <summary>One row per city, metric and parameter: city, metric label, parameter, then the given numbers.</summary>
    private static IEnumerable<CsvCell[]> Rows(IReadOnlyList<SensitivityResult> results, Func<MetricSensitivity, int, double[]> numbers)
    {
        foreach (var result in results)
            foreach (var metric in result.Metrics)
                for (int p = 0; p < result.Parameters.Count; p++)
                    yield return [result.City, metric.Metric.Label, result.Parameters[p], .. numbers(metric, p).Select(v => (CsvCell)v)];
    }

    /// <summary>Per city and metric the three parameters that matter most (by total index, or by μ*).</summary>
    private static SummaryTable Ranking(ScenarioPlan plan, IReadOnlyList<SensitivityResult> results)
    {
        bool sobol = results[0].Method == SensitivityMethod.Sobol;
        var table = sobol
            ? new SummaryTable($"{plan.Scenario.Name}: what drives each output (Sobol' N = {results[0].Samples}, {NumberFormat.Readable(results[0].Runs)} runs per city)",
                ["city", "output", "parameter", "first order S1", "total ST", "ST 95% interval"])
            : new SummaryTable($"{plan.Scenario.Name}: what drives each output (Morris, {results[0].Samples} trajectories, {NumberFormat.Readable(results[0].Runs)} runs per city)",
                ["city", "output", "parameter", "μ*", "μ", "σ"]);
        foreach (var result in results)
        {
            var city = plan.Cities.First(c => c.City.Name == result.City).City.DisplayName;
            foreach (var metric in result.Metrics)
            {
                var order = Enumerable.Range(0, result.Parameters.Count)
                    .OrderByDescending(p => sobol ? Key(metric.Sobol[p].Total.Value) : Key(metric.Morris[p].MuStar)).Take(3).ToList();
                bool first = true;
                foreach (var p in order)
                {
                    SummaryCell cityCell = first ? city : "", metricCell = first ? Output.Label(metric.Metric.Variable) : "";
                    if (sobol)
                    {
                        var s = metric.Sobol[p];
                        table.AddRow(cityCell, metricCell, result.Parameters[p], s.First.Value, s.Total.Value, NumberFormat.Range(s.Total.Low, s.Total.High));
                    }
                    else
                    {
                        var e = metric.Morris[p];
                        table.AddRow(cityCell, metricCell, result.Parameters[p], e.MuStar, e.Mu, e.Sigma);
                    }
                    first = false;
                }
            }
        }
        return table;
    }

    private static double Key(double value) => double.IsFinite(value) ? value : double.NegativeInfinity;

    private static int Charts(ScenarioPlan plan, IReadOnlyList<SensitivityResult> results, OutputFolder folder, CancellationToken cancel)
    {
        var writer = Output.Charts(plan.Cities.Select(c => c.City.DisplayName), [], results[0].Parameters);
        var timeUnits = plan.Scenario.Model.Specs.TimeUnits ?? "time";
        var charts = new List<Action>();
        foreach (var result in results)
        {
            var city = plan.Cities.First(c => c.City.Name == result.City).City;
            foreach (var metric in result.Metrics)
            {
                var name = $"{Output.Label(metric.Metric.Variable)} at {timeUnits} {NumberFormat.Readable(metric.Metric.Time)}";
                var value = new Quantity(name, Output.Units(plan.UnitsOf(metric.Metric.Variable)));
                var file = $"{Output.Slug(metric.Metric.Variable)}-{Output.Slug(city.Name)}.png";
                var title = $"{name} · {city.DisplayName} · {plan.Scenario.Name}";
                if (result.Method == SensitivityMethod.Sobol)
                {
                    var chart = new SobolIndexChart($"What drives {title}", $"95% bootstrap interval, N = {result.Samples}",
                        metric.Sobol.Select(s => new IndexBar(s.Parameter, new Interval(s.First.Value, s.First.Low, s.First.High),
                            new Interval(s.Total.Value, s.Total.Low, s.Total.High))).ToList());
                    charts.Add(() => writer.Save(folder.PathFor(Path.Combine("charts", "sobol-" + file)), chart, cancel));
                }
                else
                {
                    var chart = new EffectsChart($"Morris effects on {title}", new Quantity($"μ* (mean |effect| on {Output.Label(metric.Metric.Variable)})"),
                        new Quantity("σ (spread of the effects)"), metric.Morris.Select(e => new LabelledPoint(e.Parameter, e.MuStar, e.Sigma)).ToList());
                    charts.Add(() => writer.Save(folder.PathFor(Path.Combine("charts", "morris-" + file)), chart, cancel));
                }
                var tornado = new TornadoChart($"One at a time: {title}", value, metric.BaseValue,
                    metric.Swings.Select(s => new TornadoBar(s.Parameter, NumberFormat.Readable(s.LowValue), NumberFormat.Readable(s.HighValue), s.AtLow, s.AtHigh)).ToList());
                charts.Add(() => writer.Save(folder.PathFor(Path.Combine("charts", "tornado-" + file)), tornado, cancel));
            }
        }
        Output.RenderAll(charts, plan.Cities[0].Setup.Threads, cancel);
        return charts.Count;
    }
}
