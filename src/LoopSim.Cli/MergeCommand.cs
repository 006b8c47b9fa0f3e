using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Scenarios;
using LoopSim.Experiments.Sweeps;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim merge SHARD-FOLDERS... --output OUT</c>: the outputs of <c>run</c> (or <c>sweep</c>, <c>sensitivity</c>) from the folders of its
/// shards (<c>--shard I/N</c>), byte for byte those of one unsharded run with the same seed. Refuses shards of different
/// experiments, a missing or repeated shard and a partly written shard folder, before writing anything.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var shards = new Argument<string[]>("shards") { Description = "The shard folders (the --output of each 'run', 'sweep' or 'sensitivity' with --shard I/N), in any order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The folder to write the merged outputs to.", Required = true };
        var noCharts = new Option<bool>("--no-charts") { Description = "Write the CSV files only." };
        var threads = new Option<int>("--threads", "-t") { Description = "Worker threads; default: every core. Results do not depend on it.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var format = ExperimentOptions.FormatOption();
        var command = new Command("merge", "Merge the shard folders of a sharded run, sweep or sensitivity analysis into the outputs one unsharded run would write.");
        command.Arguments.Add(shards);
        command.Options.Add(output);
        command.Options.Add(noCharts);
        command.Options.Add(threads);
        command.Options.Add(format);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
            Merge(parse.GetValue(shards)!, parse.GetValue(output)!, !parse.GetValue(noCharts), parse.GetValue(threads), parse.GetValue(format), cancel))));
        return command;
    }

    private static int Merge(string[] folders, string outputPath, bool charts, int threads, TableFormat format, CancellationToken cancel)
    {
        ExperimentOptions.CheckedThreads(threads);
        var shards = ShardManifest.ReadAll(folders);
        var manifest = shards[0].Manifest;
        if (!File.Exists(manifest.Scenario))
            throw new ModelException(DiagnosticCodes.ShardsOfDifferentExperiments, $"the shards ran scenario '{manifest.Scenario}', which is not there now.", hint: "Merge where the scenario file is at the same path as where the shards ran.");
        var plan = ScenarioPlan.Load(manifest.Scenario, manifest.Settings(threads));
        if (ShardManifest.Hash(plan) != manifest.ScenarioHash)
            throw new ModelException(DiagnosticCodes.ShardsOfDifferentExperiments, $"scenario '{manifest.Scenario}' (or its model or cities) changed since the shards ran.",
                hint: "Merge with the files the shards ran, or run the shards again.");
        using var folder = Output.Folder(outputPath, outputPath);
        IReadOnlyList<string> Stores(string city, int? point = null) =>
            shards.Select(s => Path.Combine(s.Folder, ShardManifest.StoreFile(city, point))).ToList();

        if (manifest.Verb == "sweep")
        {
            var (axes, metrics) = SweepCommand.Grid(plan, manifest.Params, manifest.Metrics);
            var results = plan.Cities.Select(city => SweepRunner.Merge(city.Model, city.Setup, axes, metrics, point => Stores(city.City.Name, point), cancel)).ToList();
            return SweepCommand.WriteOutputs(plan, results, folder, outputPath, charts, cancel);
        }
        if (manifest.Verb == "sensitivity")
        {
            var request = new SensitivityCommand.Request(manifest.Method, manifest.Samples, manifest.Levels, manifest.Resamples, manifest.Params, manifest.Metrics);
            var designs = SensitivityCommand.Designs(plan, request);
            var results = plan.Cities.Select((city, c) => designs[c].Merge(Stores(city.City.Name), cancel)).ToList();
            return SensitivityCommand.WriteOutputs(plan, results, folder, outputPath, charts, cancel);
        }
        var variables = RunCommand.Variables(plan);
        using var chartRun = charts ? new RunCharts(plan, folder, cancel) : null;
        var outcomes = new List<CityOutcome>();
        foreach (var city in plan.Cities)
        {
            outcomes.Add(city.MergeMonteCarlo(variables, Stores(city.City.Name), cancel));
            chartRun?.AddCity(outcomes[^1]);
        }
        return RunCommand.WriteOutputs(plan, outcomes, folder, outputPath, chartRun, format, cancel);
    }
}
