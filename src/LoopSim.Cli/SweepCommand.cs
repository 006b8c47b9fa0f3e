using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Experiments.Sweeps;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim sweep SCENARIO --param NAME=FROM:TO:STEP --param NAME=V1,V2 [--metric VAR@TIME:STAT ...]</c>: the
/// Monte Carlo of every city at every point of a grid of parameter values, with common random numbers;
/// sweep.csv, a heatmap per city and metric, a line with its Monte Carlo bands per metric against the first
/// parameter, and the best point per city and metric. Without --param, the scenario's 'sweep:' section.
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
        var metric = new Option<string[]>("--metric", "-m")
        {
            Description = "What to compare: VARIABLE[@TIME][:STAT], STAT one of mean, p5, p25, p50, p75, p95 (default p50, at the final time), e.g. referrals_per_week@104:p50; repeat for several (the first one ranks the points).",
        };
        var output = new Option<string?>("--output", "-o") { Description = "The folder to write; default: out/SCENARIO-NAME-sweep." };
        var options = new ExperimentOptions();
        var strict = StrictOption.Create();
        var command = new Command("sweep", "Run a scenario's Monte Carlo at every point of a parameter grid (same sampled values at every point); sweep.csv, a heatmap per city and metric, a line chart per metric.");
        command.Arguments.Add(scenario);
        command.Options.Add(parameters);
        command.Options.Add(metric);
        command.Options.Add(output);
        options.AddTo(command);
        var shard = ExperimentOptions.ShardOption();
        command.Options.Add(shard);
        command.Options.Add(strict);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
            Run(parse.GetValue(scenario)!, parse.GetValue(parameters) ?? [], parse.GetValue(metric) ?? [], parse.GetValue(output),
                options.Read(parse), charts: !parse.GetValue(options.NoCharts), ExperimentOptions.ReadShard(parse, shard), strict: parse.GetValue(strict), cancel))));
        return command;
    }

    private static int Run(string scenarioPath, string[] parameters, string[] metricTexts, string? outputPath, ExperimentSettings settings,
        bool charts, Shard? shard, bool strict, CancellationToken cancel)
    {
        var plan = ScenarioPlan.Load(scenarioPath, settings);
        var scenario = plan.Scenario;
        var (axes, metrics) = Grid(plan, parameters, metricTexts);
        var folderName = outputPath ?? Path.Combine("out", scenario.Name + "-sweep");
        using var folder = Output.Folder(outputPath, folderName);
        int points = axes.Aggregate(1, (n, axis) => n * axis.Values.Count);
        long runs = shard is { } part ? part.Slice(plan.Runs).Count : plan.Runs;
        var what = $"{scenario.Name} sweep{(shard is null ? "" : $" shard {shard}")}: {Output.Count(plan.Cities.Count, "city", "cities")} × {Output.Count(points, "point", "points")} × {Output.Count(runs, "run", "runs")}";
        using var progress = Output.Progress(what, runs * points * plan.Cities.Count);
        if (shard is { } s)
        {
            var files = new Dictionary<string, long>();
            foreach (var city in plan.Cities)
            {
                var paths = new List<(string File, string Path)>();
                SweepRunner.RunShard(city.Model, city.Setup, axes, metrics, s, point =>
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
                Params = parameters, Metrics = metricTexts, Shard = s.Index, Shards = s.Count, Files = files,
            }.Save(folder, cancel);
            folder.Commit(cancel);
            Console.WriteLine($"{scenario.Name} sweep: shard {s}, {ShardManifest.Describe(s, plan.Runs)} per city and point; wrote {folderName} (merge the shards with loopsim merge)");
            return 0;
        }
        var results = new List<IReadOnlyList<SweepResult>>();   // per city, one per metric
        foreach (var city in plan.Cities)
            results.Add(SweepRunner.Run(city.Model, city.Setup, axes, metrics, new RunsProgress(progress), cancel));
        progress.Dispose();
        StrictOption.Report(NonFinite(plan, results.Select(perMetric => perMetric[0]).ToList()), strict);   // every metric comes from the same runs
        return WriteOutputs(plan, results, folder, folderName, charts, cancel);
    }

    /// <summary>The grid and the metrics: from --param and --metric, else from the scenario's sweep section; checked for every city.</summary>
    public static (IReadOnlyList<SweepAxis> Axes, IReadOnlyList<MetricSpec> Metrics) Grid(ScenarioPlan plan, IReadOnlyList<string> parameters, IReadOnlyList<string> metricTexts)
    {
        var scenario = plan.Scenario;
        var section = scenario.Sweep;
        var axes = parameters.Count > 0 ? ParameterAxes(scenario, parameters)
            : section?.Axes ?? throw new ModelException(DiagnosticCodes.SweepMissing, $"scenario '{scenario.Name}' has no 'sweep:' section, and no --param was given.",
                new SourceLocation(scenario.Source.Path, 0, 0), hint: "Give --param NAME=FROM:TO:STEP or NAME=V1,V2,... (repeat for a grid).");
        IReadOnlyList<MetricSpec> metrics = metricTexts.Count > 0 ? metricTexts.Select(m => MetricSpec.Parse(m)).ToArray() : section?.Metrics ?? [];
        if (metrics.Count == 0)
            throw new ModelException(DiagnosticCodes.SweepMissing, "no metric to compare across the grid.",
                hint: "Give --metric VARIABLE[@TIME][:STAT], e.g. --metric \"referrals_per_week@104:p50\", or 'metric:' in the 'sweep:' section.");
        foreach (var city in plan.Cities)
            SweepRunner.Check(city.Model, city.Setup, axes, metrics);
        return (axes, metrics);
    }

    /// <summary>The outputs of <c>sweep</c>, also written by <c>merge</c> from the shards' runs: <paramref name="results"/> per city, one per metric.</summary>
    public static int WriteOutputs(ScenarioPlan plan, IReadOnlyList<IReadOnlyList<SweepResult>> results, OutputFolder folder, string folderName, bool charts, CancellationToken cancel)
    {
        var axes = results[0][0].Axes;
        new CsvTable(["city", "metric", .. axes.Select(a => a.Parameter), "mean", "p5", "p25", "p50", "p75", "p95"],
                results.SelectMany(perMetric => perMetric).SelectMany(r => r.Points.Select(p => new CsvCell[] { r.City, MetricColumn(r) }
                    .Concat(p.Values.Select(v => (CsvCell)v))
                    .Concat([p.Metric.Mean, p.Metric.P5, p.Metric.P25, p.Metric.P50, p.Metric.P75, p.Metric.P95]).ToArray())))
            .Save(folder.PathFor("sweep.csv"), cancel);
        var written = charts ? SweepCharts(plan, results, folder, cancel) : [];
        var bests = Enumerable.Range(0, results[0].Count).Select(m => BestPoints(plan, results.Select(perMetric => perMetric[m]).ToList())).ToList();
        var best = bests[0];
        var files = new List<string> { "sweep.csv" };
        if (charts)
        {
            RunReport.Save(plan, best.Title, best, written, folder.PathFor("report.html"), cancel);
            files.Add("report.html");
        }
        folder.Commit(cancel);

        foreach (var table in bests) table.Write(Output.Console());
        Output.Wrote(folderName, files, written.Count);
        return 0;
    }

    /// <summary>Per city, the first grid point (in grid order) whose runs gave a value that is NaN or infinite.</summary>
    private static IEnumerable<Diagnostic> NonFinite(ScenarioPlan plan, IReadOnlyList<SweepResult> results) =>
        from result in results
        let point = result.Points.FirstOrDefault(p => p.MonteCarlo.FirstNonFinite is not null)
        where point is not null
        let city = plan.Cities.First(c => c.City.Name == result.City).City.DisplayName
        select point.MonteCarlo.FirstNonFinite!.Warning(
            $"{city} at {string.Join(", ", result.Axes.Select((a, i) => $"{a.Parameter}={NumberFormat.Tick(point.Values[i])}"))}");

    /// <summary>The --param axes, checked as the scenario's own 'sweep' section is.</summary>
    private static List<SweepAxis> ParameterAxes(Scenario scenario, IReadOnlyList<string> parameters)
    {
        var axes = parameters.Select(p => SweepAxis.Parse(p)).ToList();
        var problems = ScenarioValidator.CheckSweep(scenario, axes, "--param");
        return problems.Count == 0 ? axes : throw new ModelException(problems);
    }

    /// <summary>Per city the grid point with the highest value of one metric.</summary>
    private static SummaryTable BestPoints(ScenarioPlan plan, IReadOnlyList<SweepResult> results)
    {
        var first = results[0];
        var statistic = Percentiles.Name(first.Metric.Statistic);
        var table = new SummaryTable($"{plan.Scenario.Name}: the highest {MetricName(plan, first)}", ["city", .. first.Axes.Select(a => a.Parameter), statistic, $"lowest {statistic}"]);
        foreach (var result in results)
        {
            var best = result.Points.MaxBy(result.Value)!;
            var worst = result.Points.Min(result.Value);
            var values = best.Values.Select((v, a) => AxisOf(plan, result.Axes[a]).Percent ? (SummaryCell)NumberFormat.Percent(v) : v);
            table.AddRow([plan.Cities.First(c => c.City.Name == result.City).City.DisplayName, .. values, result.Value(best), worst]);
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
        $"{Output.Label(result.MetricVariable)} at {TimeName(plan, result)} ({Percentiles.Name(result.Metric.Statistic)})";

    /// <summary>"week 156".</summary>
    private static string TimeName(ScenarioPlan plan, SweepResult result) =>
        $"{plan.Scenario.Model.Specs.TimeUnits ?? "time"} {NumberFormat.Readable(result.MetricTime)}";

    /// <summary>The metric column of sweep.csv: the variable and its time, "referrals_per_week@156" (the row holds every statistic).</summary>
    private static string MetricColumn(SweepResult result) => $"{result.MetricVariable}@{NumberFormat.Tick(result.MetricTime)}";

    /// <summary>A parameter's axis: its label, its units, and percentages for a share (commission rate 5%, not 0.05).</summary>
    private static Quantity AxisOf(ScenarioPlan plan, SweepAxis axis)
    {
        var units = plan.UnitsOf(axis.Parameter);
        return new Quantity(Output.Label(axis.Parameter), Output.Units(units), Percent: Output.IsShare(units, axis.Values));
    }

    /// <summary>
    /// Per city and metric, a heatmap over the first two swept parameters (first across, second up; with more
    /// parameters, one per combination of the others' values; with one, a line). Per metric, a page of every
    /// city's median with its 25–75% and 5–95% bands against the first parameter, the others at the scenario's values.
    /// </summary>
    private static List<RunCharts.Written> SweepCharts(ScenarioPlan plan, IReadOnlyList<IReadOnlyList<SweepResult>> results, OutputFolder folder, CancellationToken cancel)
    {
        var writer = Output.Charts(plan.Cities.Select(c => c.City.DisplayName), [], []);
        var charts = new List<Action>();
        var written = new List<RunCharts.Written>();
        for (int m = 0; m < results[0].Count; m++)
        {
            var lines = SweepLines(plan, results.Select(perMetric => perMetric[m]).ToList());
            var path = folder.PathFor(Path.Combine("charts", $"sweep-{Output.Slug(results[0][m].MetricVariable)}-cities.png"));
            charts.Add(() => writer.Save(path, lines, cancel));
            written.Add(new RunCharts.Written(lines.Title, path, InReport: true));
            foreach (var perMetric in results)
                Heatmaps(plan, perMetric[m], writer, folder, charts, written, cancel);
        }
        Output.RenderAll(charts, plan.Cities[0].Setup.Threads, cancel);
        return written;
    }

    /// <summary>One city's heatmaps of one metric: charts/sweep-METRIC-CITY[-OTHER-VALUE].png.</summary>
    private static void Heatmaps(ScenarioPlan plan, SweepResult result, ChartWriter writer, OutputFolder folder, List<Action> charts,
        List<RunCharts.Written> written, CancellationToken cancel)
    {
        var city = plan.Cities.First(c => c.City.Name == result.City).City;
        var metric = new Quantity(Output.Label(result.MetricVariable), Output.Units(plan.UnitsOf(result.MetricVariable)));
        var x = result.Axes[0];
        var xQuantity = AxisOf(plan, x);
        var title = $"{MetricName(plan, result)} · {city.DisplayName} · {plan.Scenario.Name}";
        var file = $"sweep-{Output.Slug(result.MetricVariable)}-{Output.Slug(city.Name)}";
        if (result.Axes.Count == 1)
        {
            var chart = new LineChart(title, xQuantity, metric, [new Series(city.DisplayName, x.Values.ToArray(), result.Points.Select(result.Value).ToArray())]);
            var path = folder.PathFor(Path.Combine("charts", file + ".png"));
            charts.Add(() => writer.Save(path, chart, cancel));
            written.Add(new RunCharts.Written(chart.Title, path, InReport: true));
            return;
        }
        var y = result.Axes[1];
        var yQuantity = AxisOf(plan, y);
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

    /// <summary>
    /// One metric in every city against the first swept parameter: median, 25–75% and 5–95% of runs at each value, with every
    /// other swept parameter at the grid value nearest the scenario's own (the alliance's 10% commission), named in the title.
    /// </summary>
    private static SmallMultiplesChart SweepLines(ScenarioPlan plan, IReadOnlyList<SweepResult> cities)
    {
        var first = cities[0];
        var x = first.Axes[0];
        var held = new List<string>();
        var bands = new List<NamedBand>();
        foreach (var result in cities)
        {
            var city = plan.Cities.First(c => c.City.Name == result.City);
            var own = city.Parameters();
            // The grid value of each other axis nearest the city's own value of it.
            var others = result.Axes.Skip(1).Select(axis =>
                axis.Values.MinBy(v => Math.Abs(v - own[city.Model.ParameterIndex(axis.Parameter)]))).ToArray();
            if (held.Count == 0)
                held.AddRange(result.Axes.Skip(1).Select((axis, a) => $"{Output.Label(axis.Parameter)} {Format(AxisOf(plan, axis), others[a])}"));
            var points = result.Points.Where(p => p.Values.Skip(1).SequenceEqual(others)).Select(p => p.Metric).ToArray();
            bands.Add(new NamedBand(city.City.DisplayName, new Band(x.Values.ToArray(),
                points.Select(s => s.Mean).ToArray(), points.Select(s => s.P5).ToArray(), points.Select(s => s.P25).ToArray(),
                points.Select(s => s.P50).ToArray(), points.Select(s => s.P75).ToArray(), points.Select(s => s.P95).ToArray())));
        }
        var at = held.Count == 0 ? "" : $", {string.Join(", ", held)}";
        return new SmallMultiplesChart($"{Output.Label(first.MetricVariable)} at {TimeName(plan, first)} by {Output.Label(x.Parameter)}{at} · {plan.Scenario.Name}",
            AxisOf(plan, x), new Quantity(Output.Label(first.MetricVariable), Output.Units(plan.UnitsOf(first.MetricVariable))), bands,
            SweptX: true);
    }

    /// <summary>A value as its axis shows it: "10%" for a share, "200" otherwise.</summary>
    private static string Format(Quantity axis, double value) => axis.Percent ? NumberFormat.Percent(value) : NumberFormat.Tick(value);
}
