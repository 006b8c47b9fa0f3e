using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Experiments.Sweeps;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim sweep SCENARIO --param NAME=FROM:TO:STEP --param NAME=V1,V2 [--metric VAR@TIME:STAT]</c>: the
/// Monte Carlo of every city at every point of a grid of parameter values, with common random numbers;
/// sweep.csv, a heatmap per city and the best point per city. Without --param, the scenario's 'sweep:' section.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "The scenario file, e.g. scenarios/alliance.yaml." };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "A swept parameter: NAME=FROM:TO:STEP (inclusive) or NAME=V1,V2,...; repeat for a grid. Default: the scenario's 'sweep:' section.",
        };
        var metric = new Option<string?>("--metric", "-m")
        {
            Description = "What to compare: VARIABLE[@TIME][:STAT], STAT one of mean, p5, p25, p50, p75, p95 (default p50, at the final time), e.g. referrals_per_week@104:p50.",
        };
        var output = new Option<string?>("--output", "-o") { Description = "The folder to write; default: out/SCENARIO-NAME-sweep." };
        var options = new ExperimentOptions();
        var strict = StrictOption.Create();
        var command = new Command("sweep", "Run a scenario's Monte Carlo at every point of a parameter grid (same sampled values at every point); sweep.csv and a heatmap per city.");
        command.Arguments.Add(scenario);
        command.Options.Add(parameters);
        command.Options.Add(metric);
        command.Options.Add(output);
        options.AddTo(command);
        var shard = ExperimentOptions.ShardOption();
        command.Options.Add(shard);
        command.Options.Add(strict);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
            Run(parse.GetValue(scenario)!, parse.GetValue(parameters) ?? [], parse.GetValue(metric), parse.GetValue(output),
                options.Read(parse), charts: !parse.GetValue(options.NoCharts), ExperimentOptions.ReadShard(parse, shard), parse.GetValue(strict), cancel))));
        return command;
    }

    private static int Run(string scenarioPath, string[] parameters, string? metricText, string? outputPath, ExperimentSettings settings,
        bool charts, Shard? shard, bool strict, CancellationToken cancel)
    {
        var plan = ScenarioPlan.Load(scenarioPath, settings);
        var scenario = plan.Scenario;
        var (axes, metric) = Grid(plan, parameters, metricText);
        var folderName = outputPath ?? Path.Combine("out", scenario.Name + "-sweep");
        using var folder = Output.Folder(outputPath, Path.Combine("out", scenario.Name + "-sweep"));
        int points = axes.Aggregate(1, (n, axis) => n * axis.Values.Count);
        long runs = shard is { } part ? part.Slice(plan.Runs).Count : plan.Runs;
        var what = $"{scenario.Name} sweep{(shard is null ? "" : $" shard {shard}")}: {Output.Count(plan.Cities.Count, "city", "cities")} × {Output.Count(points, "point", "points")} × {Output.Count(runs, "run", "runs")}";
        using var progress = ProgressSinks.ForConsole(what, runs * points * plan.Cities.Count);
        if (shard is { } s)
        {
            var files = new Dictionary<string, long>();
            foreach (var city in plan.Cities)
            {
                var paths = new List<(string File, string Path)>();
                SweepRunner.RunShard(city.Model, city.Setup, axes, metric, s, point =>
                {
                    var file = ShardManifest.StoreFile(city.City.Name, point);
                    paths.Add((file, folder.PathFor(file)));
                    return paths[^1].Path;
                }, new RunsProgress(progress), cancel);
                foreach (var (file, path) in paths) files[file] = new FileInfo(path).Length;
            }
            progress.Dispose();
            new ShardManifest
            {
                Verb = "sweep", Scenario = Path.GetFullPath(scenario.Source.Path!), ScenarioHash = ShardManifest.Hash(plan),
                Seed = plan.Cities[0].Setup.Seed, Runs = plan.Runs, Cities = plan.Cities.Select(c => c.City.Name).ToList(),
                SweepParams = parameters, SweepMetric = metricText, Shard = s.Index, Shards = s.Count, Files = files,
            }.Save(folder, cancel);
            folder.Commit(cancel);
            Console.WriteLine($"{scenario.Name} sweep: shard {s}, {ShardManifest.Describe(s, plan.Runs)} per city and point; wrote {folderName} (merge the shards with loopsim merge)");
            return 0;
        }
        var results = new List<SweepResult>();
        foreach (var city in plan.Cities)
            results.Add(SweepRunner.Run(city.Model, city.Setup, axes, metric, new RunsProgress(progress), cancel));
        progress.Dispose();
        StrictOption.Report(NonFinite(plan, results), strict);
        return WriteOutputs(plan, results, folder, folderName, charts, cancel);
    }

    /// <summary>Per city, the first grid point (in grid order) whose runs gave a value that is NaN or infinite (LS6001; a shard does not look).</summary>
    private static IEnumerable<Diagnostic> NonFinite(ScenarioPlan plan, IReadOnlyList<SweepResult> results) =>
        from result in results
        let point = result.Points.FirstOrDefault(p => p.MonteCarlo.FirstNonFinite is not null)
        where point is not null
        let city = plan.Cities.First(c => c.City.Name == result.City).City.DisplayName
        select point.MonteCarlo.FirstNonFinite!.Warning(
            $"{city} at {string.Join(", ", result.Axes.Select((a, i) => $"{a.Parameter}={NumberFormat.Tick(point.Values[i])}"))}");

    /// <summary>The grid and the metric: from --param and --metric, else from the scenario's sweep section; checked for every city.</summary>
    public static (IReadOnlyList<SweepAxis> Axes, MetricSpec Metric) Grid(ScenarioPlan plan, IReadOnlyList<string> parameters, string? metricText)
    {
        var scenario = plan.Scenario;
        var section = scenario.Sweep;
        var axes = parameters.Count > 0 ? ParameterAxes(scenario, parameters)
            : section?.Axes ?? throw new ModelException(DiagnosticCodes.SweepMissing, $"scenario '{scenario.Name}' has no 'sweep:' section, and no --param was given.",
                new SourceLocation(scenario.Source.Path, 0, 0), hint: "Give --param NAME=FROM:TO:STEP or NAME=V1,V2,... (repeat for a grid).");
        var metric = metricText is not null ? MetricSpec.Parse(metricText)
            : section?.Metric ?? throw new ModelException(DiagnosticCodes.SweepMissing, "no metric to compare across the grid.",
                hint: "Give --metric VARIABLE[@TIME][:STAT], e.g. --metric \"referrals_per_week@104:p50\", or 'metric:' in the 'sweep:' section.");
        foreach (var city in plan.Cities)
            SweepRunner.Check(city.Model, city.Setup, axes, metric);
        return (axes, metric);
    }

    /// <summary>The outputs of <c>sweep</c>, also written by <c>merge</c> from the shards' runs.</summary>
    public static int WriteOutputs(ScenarioPlan plan, IReadOnlyList<SweepResult> results, OutputFolder folder, string folderName, bool charts, CancellationToken cancel)
    {
        var axes = results[0].Axes;
        new CsvTable(["city", .. axes.Select(a => a.Parameter), "mean", "p5", "p25", "p50", "p75", "p95"],
                results.SelectMany(r => r.Points.Select(p => new CsvCell[] { r.City }
                    .Concat(p.Values.Select(v => (CsvCell)v))
                    .Concat([p.Metric.Mean, p.Metric.P5, p.Metric.P25, p.Metric.P50, p.Metric.P75, p.Metric.P95]).ToArray())))
            .Save(folder.PathFor("sweep.csv"), cancel);
        var written = charts ? SweepCharts(plan, results, folder, cancel) : [];
        var best = BestPoints(plan, results);
        var files = new List<string> { "sweep.csv" };
        if (charts)
        {
            RunReport.Save(plan, best.Title, best, written, folder.PathFor("report.html"), cancel);
            files.Add("report.html");
        }
        folder.Commit(cancel);

        best.Write(Output.Console());
        Output.Wrote(folderName, files, written.Count);
        return 0;
    }

    /// <summary>The --param axes, checked as the scenario's own 'sweep' section is.</summary>
    private static List<SweepAxis> ParameterAxes(Scenario scenario, IReadOnlyList<string> parameters)
    {
        var axes = parameters.Select(p => SweepAxis.Parse(p)).ToList();
        var problems = ScenarioValidator.CheckSweep(scenario, axes, "--param");
        return problems.Count == 0 ? axes : throw new ModelException(problems);
    }

    /// <summary>Per city the grid point with the highest value of the metric.</summary>
    private static SummaryTable BestPoints(ScenarioPlan plan, IReadOnlyList<SweepResult> results)
    {
        var first = results[0];
        var statistic = Percentiles.Name(first.Metric.Statistic);
        var table = new SummaryTable($"{plan.Scenario.Name}: the highest {MetricName(plan, first)}", ["city", .. first.Axes.Select(a => a.Parameter), statistic, $"lowest {statistic}"]);
        foreach (var result in results)
        {
            var best = result.Points.MaxBy(result.Value)!;
            var worst = result.Points.Min(result.Value);
            table.AddRow([plan.Cities.First(c => c.City.Name == result.City).City.DisplayName, .. best.Values.Select(v => (SummaryCell)v), result.Value(best), worst]);
        }
        return table;
    }

    /// <summary>
    /// The grid of one heatmap: <c>[i, j]</c> is the metric at the i-th value of the second axis and the j-th of the first,
    /// with the other axes at their <paramref name="slice"/>-th combination. Points run first axis slowest, so point
    /// (j, i, slice) is number (j·<paramref name="yCount"/> + i)·(points per x–y pair) + slice.
    /// </summary>
    internal static double[,] Heatmap(IReadOnlyList<double> points, int xCount, int yCount, int slice)
    {
        int others = points.Count / (xCount * yCount);
        var values = new double[yCount, xCount];
        for (int j = 0; j < xCount; j++)
            for (int i = 0; i < yCount; i++)
                values[i, j] = points[(j * yCount + i) * others + slice];
        return values;
    }

    /// <summary>"referrals per week at week 156 (p50)".</summary>
    private static string MetricName(ScenarioPlan plan, SweepResult result) =>
        $"{Output.Label(result.MetricVariable)} at {plan.Scenario.Model.Specs.TimeUnits ?? "time"} {NumberFormat.Readable(result.MetricTime)} ({Percentiles.Name(result.Metric.Statistic)})";

    /// <summary>
    /// One heatmap per city of the metric over the first two swept parameters (first across, second up);
    /// with more parameters, one per city and combination of the others' values. One parameter: a line.
    /// </summary>
    private static List<RunCharts.Written> SweepCharts(ScenarioPlan plan, IReadOnlyList<SweepResult> results, OutputFolder folder, CancellationToken cancel)
    {
        var writer = Output.Charts(plan.Cities.Select(c => c.City.DisplayName), [], []);
        var charts = new List<Action>();
        var written = new List<RunCharts.Written>();
        foreach (var result in results)
        {
            var city = plan.Cities.First(c => c.City.Name == result.City).City;
            var metric = new Quantity(MetricName(plan, result), Output.Units(plan.UnitsOf(result.MetricVariable)));
            var x = result.Axes[0];
            var xQuantity = new Quantity(Output.Label(x.Parameter), Output.Units(plan.UnitsOf(x.Parameter)));
            var title = $"{metric.Name} · {city.DisplayName} · {plan.Scenario.Name}";
            var file = $"sweep-{Output.Slug(city.Name)}";
            if (result.Axes.Count == 1)
            {
                var chart = new LineChart(title, xQuantity, metric, [new Series(city.DisplayName, x.Values.ToArray(), result.Points.Select(result.Value).ToArray())]);
                var path = folder.PathFor(Path.Combine("charts", file + ".png"));
                charts.Add(() => writer.Save(path, chart, cancel));
                written.Add(new RunCharts.Written(chart.Title, path, InReport: true));
                continue;
            }
            var y = result.Axes[1];
            var yQuantity = new Quantity(Output.Label(y.Parameter), Output.Units(plan.UnitsOf(y.Parameter)));
            var metricValues = result.Points.Select(result.Value).ToArray();
            int others = result.Points.Count / (x.Values.Count * y.Values.Count);
            for (int r = 0; r < others; r++)
            {
                var values = Heatmap(metricValues, x.Values.Count, y.Values.Count, r);
                var fixedValues = result.Points[r].Values.Skip(2).Select((v, a) => $"{result.Axes[a + 2].Parameter}={NumberFormat.Tick(v)}").ToList();
                var suffix = string.Concat(fixedValues.Select(o => "-" + Output.Slug(o)));
                var chart = new SweepHeatmap(fixedValues.Count == 0 ? title : $"{title} · {string.Join(", ", fixedValues)}",
                    xQuantity, x.Values.ToArray(), yQuantity, y.Values.ToArray(), metric, values);
                var path = folder.PathFor(Path.Combine("charts", file + suffix + ".png"));
                charts.Add(() => writer.Save(path, chart, cancel));
                written.Add(new RunCharts.Written(chart.Title, path, InReport: true));
            }
        }
        Output.RenderAll(charts, plan.Cities[0].Setup.Threads, cancel);
        return written;
    }
}
