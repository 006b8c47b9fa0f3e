using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Engine.Units;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim run SCENARIO</c>: every city of a scenario, once (deterministic) or as a Monte Carlo, to CSV
/// files, charts and a summary table. Writes all its files or none.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "The scenario file, e.g. scenarios/alliance.yaml." };
        var output = new Option<string?>("--output", "-o") { Description = "The folder to write; default: out/SCENARIO-NAME." };
        var options = new ExperimentOptions();
        var strict = StrictOption.Create();
        var data = DataOption.Create();
        var command = new Command("run", "Run a scenario for each of its cities: once, or as a Monte Carlo when it has runs > 1; CSV files, charts and a summary table.");
        command.Arguments.Add(scenario);
        command.Options.Add(output);
        options.AddTo(command);
        var shard = ExperimentOptions.ShardOption();
        var format = ExperimentOptions.FormatOption();
        command.Options.Add(shard);
        command.Options.Add(format);
        command.Options.Add(strict);
        command.Options.Add(data);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
            Run(parse.GetValue(scenario)!, parse.GetValue(output), options.Read(parse) with { DataFiles = DataOption.Read(parse, data) }, charts: !parse.GetValue(options.NoCharts),
                ExperimentOptions.ReadShard(parse, shard), parse.GetValue(format), parse.GetValue(strict), cancel))));
        return command;
    }

    private static int Run(string scenarioPath, string? outputPath, ExperimentSettings settings, bool charts, Shard? shard, TableFormat format, bool strict, CancellationToken cancel)
    {
        if (shard is not null && settings.DataFiles.Count > 0)
            throw new ModelException(DiagnosticCodes.OptionInvalid, "--shard cannot be given with --data: merge rebuilds the scenario without the data files.",
                hint: "Run the scenario unsharded, or give the data in the model (a lookup of TIME).");
        var read = ScenarioPlan.Read(scenarioPath, settings);
        // What needs only the scenario runs beside the plan's compile and checks: the loop-dominance chart's analysis (the
        // longest, first), the units check and the charts' font (found once a process). A shard draws no charts.
        bool drawsCharts = charts && shard is null;
        var dominance = drawsCharts ? RunCharts.AnalyseDominance(read, ScenarioPlan.FirstCity(read, settings)) : null;
        var units = Task.Run(() => UnitsChecker.Check(read.Model), cancel);
        if (drawsCharts) _ = Task.Run(ChartFonts.Choose, cancel);
        var plan = ScenarioPlan.Load(read, settings);
        var scenario = plan.Scenario;
        var variables = Variables(plan);
        plan.Check(variables);
        Output.WarnUnits(units.GetAwaiter().GetResult());
        var folderName = outputPath ?? Path.Combine("out", scenario.Name);
        using var folder = Output.Folder(outputPath, folderName);
        if (shard is { } part)
            return RunShard(plan, variables, part, folder, folderName, cancel);

        // Each city's charts render in the background while the next city runs and the tables are written.
        using var chartRun = charts ? new RunCharts(plan, folder, cancel, dominance) : null;
        var outcomes = plan.IsMonteCarlo ? RunMonteCarlo(plan, variables, folder.Scratch(), chartRun, cancel) : plan.Cities.Select(city => city.RunOnce(variables)).ToList();
        if (!plan.IsMonteCarlo) outcomes.ForEach(o => chartRun?.AddCity(o));
        StrictOption.Report(outcomes.Where(o => o.NonFinite is not null).Select(o => o.NonFinite!.Warning(o.Run.City.DisplayName)), strict);
        return WriteOutputs(plan, outcomes, folder, folderName, chartRun, format, cancel);
    }

    /// <summary>Everything any output needs, report first: the percentiles and runs files show the report's.</summary>
    public static List<string> Variables(ScenarioPlan plan) =>
        plan.Scenario.Report.Union(plan.Scenario.Summary).Union(plan.Scenario.Composition).ToList();

    /// <summary>Shard <paramref name="shard"/> of every city's Monte Carlo: the store files and shard.json, for <c>loopsim merge</c>.</summary>
    private static int RunShard(ScenarioPlan plan, IReadOnlyList<string> variables, Shard shard, OutputFolder folder, string folderName, CancellationToken cancel)
    {
        if (!plan.IsMonteCarlo)
            throw new ModelException(DiagnosticCodes.ShardInvalid, "--shard splits the runs of a Monte Carlo; this one runs each city once.", hint: "Give --runs N (N > 1), or leave --shard out.");
        var (_, count) = shard.Slice(plan.Runs);
        var what = $"{plan.Scenario.Name} shard {shard}: {Output.Count(plan.Cities.Count, "city", "cities")} × {Output.Count(count, "run", "runs")}";
        var files = new Dictionary<string, long>();
        using (var progress = Output.Progress(what, count * plan.Cities.Count))
            foreach (var city in plan.Cities)
            {
                var file = ShardManifest.StoreFile(city.City.Name);
                var path = folder.PathFor(file);
                MonteCarloRunner.RunShard(city.Model, city.Setup, shard, path, variables, null, new RunsProgress(progress), cancel);
                files[file] = new FileInfo(path).Length;
            }
        new ShardManifest
        {
            Verb = "run", Scenario = Path.GetFullPath(plan.Scenario.Source.Path!), ScenarioHash = ShardManifest.Hash(plan),
            Seed = plan.Cities[0].Setup.Seed, Runs = plan.Runs, Cities = plan.Cities.Select(c => c.City.Name).ToList(),
            Shard = shard.Index, Shards = shard.Count, Files = files,
        }.Save(folder, cancel);
        folder.Commit(cancel);
        Console.WriteLine($"{plan.Scenario.Name}: shard {shard}, {ShardManifest.Describe(shard, plan.Runs)} per city; wrote {folderName} (merge the shards with loopsim merge)");
        return 0;
    }

    /// <summary>The outputs of <c>run</c> from every city's outcome, also written by <c>merge</c> from the shards' runs.</summary>
    public static int WriteOutputs(ScenarioPlan plan, IReadOnlyList<CityOutcome> outcomes, OutputFolder folder, string folderName, RunCharts? chartRun,
        TableFormat format, CancellationToken cancel)
    {
        var scenario = plan.Scenario;
        // Drawn while the tables are written: the pages with every city, and the summary shown at the end.
        chartRun?.AddPages(outcomes);
        var summary = SummaryTable(plan, outcomes);
        var console = Output.Console();
        var shown = Task.Run(() => summary.Render(console));
        var files = new List<string>();
        void Save(string name, CsvTable table, TableFormat kind = TableFormat.Csv)
        {
            name = $"{name}.{TableFormats.Extension(kind)}";
            table.Save(folder.PathFor(name), kind, cancel);
            files.Add(name);
        }
        if (plan.IsMonteCarlo)
        {
            Save("percentiles", CsvTable.Percentiles(
                outcomes.SelectMany(o => scenario.Report.Select(v => new VariableBand(o.Run.City.Name, v, o.Band(v))))), format);
            Save("runs", RunsTable(scenario.Report, outcomes), format);
        }
        else
        {
            Save("timeseries", CsvTable.TimeSeries(scenario.Report,
                outcomes.Select(o => new CityTimeSeries(o.Run.City.Name, o.Times, scenario.Report.Select(v => o.Band(v).P50).ToList()))), format);
        }
        Save("summary", new CsvTable(["city", .. scenario.Summary],
            outcomes.Select(o => new CsvCell[] { o.Run.City.Name }.Concat(scenario.Summary.Select(v => (CsvCell)o.Band(v).P50[^1])).ToArray())));

        int chartCount = chartRun?.Finish() ?? 0;
        if (chartRun is not null)
        {
            RunReport.Save(plan, summary.Title, summary, chartRun.Charts, folder.PathFor("report.html"), cancel);
            files.Add("report.html");
        }
        folder.Commit(cancel);

        console.Profile.Out.Writer.Write(shown.GetAwaiter().GetResult());
        Output.Wrote(folderName, files, chartCount);
        return 0;
    }

    private static List<CityOutcome> RunMonteCarlo(ScenarioPlan plan, IReadOnlyList<string> variables, string spillFolder, RunCharts? charts, CancellationToken cancel)
    {
        var outcomes = new List<CityOutcome>();
        var what = $"{plan.Scenario.Name}: {Output.Count(plan.Cities.Count, "city", "cities")} × {Output.Count(plan.Runs, "run", "runs")}";
        using var progress = Output.Progress(what, (long)plan.Runs * plan.Cities.Count);
        foreach (var city in plan.Cities)
        {
            outcomes.Add(city.RunMonteCarlo(variables, spillFolder, new RunsProgress(progress), cancel));
            charts?.AddCity(outcomes[^1]);
        }
        return outcomes;
    }

    /// <summary>One row per city and run: the run's index (its random streams' index), its sampled values, and the final value of each reported variable.</summary>
    private static CsvTable RunsTable(IReadOnlyList<string> report, IReadOnlyList<CityOutcome> outcomes)
    {
        var sampled = outcomes[0].MonteCarlo!.SampledParameters;
        return new CsvTable(["city", "run", .. sampled, .. report], Rows());

        IEnumerable<CsvCell[]> Rows()
        {
            foreach (var outcome in outcomes)
            {
                var mc = outcome.MonteCarlo!;
                var columns = report.Select(outcome.IndexOf).ToArray();
                for (int run = 0; run < mc.Runs; run++)
                {
                    var row = new CsvCell[2 + sampled.Count + columns.Length];
                    row[0] = outcome.Run.City.Name;
                    row[1] = run;
                    for (int d = 0; d < sampled.Count; d++) row[2 + d] = mc.Samples[run, d];
                    for (int k = 0; k < columns.Length; k++) row[2 + sampled.Count + k] = mc.FinalValue(run, columns[k]);
                    yield return row;
                }
            }
        }
    }

    /// <summary>
    /// A single run: one row per city, one column per summary variable at the horizon. A Monte Carlo: per
    /// city and summary variable the median and the 5–95% range of the runs at the horizon.
    /// </summary>
    private static SummaryTable SummaryTable(ScenarioPlan plan, IReadOnlyList<CityOutcome> outcomes)
    {
        var scenario = plan.Scenario;
        var horizon = $"{scenario.Model.Specs.TimeUnits ?? "time"} {NumberFormat.Readable(outcomes[0].Times[^1])}";
        if (!plan.IsMonteCarlo)
        {
            var table = new SummaryTable($"{scenario.Name}: at {horizon}", ["city", .. scenario.Summary.Select(Output.Label)]);
            foreach (var o in outcomes)
                table.AddRow([o.Run.City.DisplayName, .. scenario.Summary.Select(v => (SummaryCell)o.Band(v).P50[^1])]);
            return table;
        }
        var ranges = new SummaryTable($"{scenario.Name}: at {horizon}, {Output.Count(plan.Runs, "run", "runs")} per city",
            ["city", "variable", "median", "5–95% of runs"]);
        foreach (var o in outcomes)
            for (int i = 0; i < scenario.Summary.Count; i++)
            {
                var band = o.Band(scenario.Summary[i]);
                ranges.AddRow(i == 0 ? o.Run.City.DisplayName : "", Output.Label(scenario.Summary[i]), band.P50[^1], SummaryCell.Range(band.P5[^1], band.P95[^1]));
            }
        return ranges;
    }
}
