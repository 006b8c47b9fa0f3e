using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Reports;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Cli;

/// <summary>The options <c>run</c>, <c>sweep</c> and <c>compare</c> share, declared once so they read the same everywhere.</summary>
internal sealed class ExperimentOptions
{
    public Option<int?> Runs { get; } = new("--runs", "-n") { Description = "Runs per city (Monte Carlo); default: the scenario's 'runs'. 1 runs each city once." };
    public Option<ulong?> Seed { get; } = new("--seed", "-s") { Description = "The random seed; default: the scenario's 'seed'. The same seed gives the same numbers, whatever --threads." };
    public Option<int> Threads { get; } = new("--threads", "-t")
    {
        Description = "Worker threads; default: every core. Results do not depend on it.",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };
    public Option<bool> Deterministic { get; } = new("--deterministic") { Description = "Run each city once with its own values, ignoring 'runs' and 'uncertain'." };
    public Option<string[]> Cities { get; } = new("--city") { Description = "Only this city (name or label; repeat for several). Default: every city of the scenario." };
    public Option<bool> NoCharts { get; } = new("--no-charts") { Description = "Write the CSV files only." };

    public void AddTo(Command command)
    {
        command.Options.Add(Runs);
        command.Options.Add(Seed);
        command.Options.Add(Threads);
        command.Options.Add(Deterministic);
        command.Options.Add(Cities);
        command.Options.Add(NoCharts);
    }

    /// <summary>--threads as given, refused below 1 (every verb that takes it has this one rule).</summary>
    public static int CheckedThreads(int threads) => threads >= 1 ? threads
        : throw new ModelException(DiagnosticCodes.OptionInvalid, $"--threads must be at least 1, not {threads}.", hint: "Leave --threads out to use every core.");

    public ExperimentSettings Read(ParseResult parse)
    {
        var threads = CheckedThreads(parse.GetValue(Threads));
        if (parse.GetValue(Runs) is { } runs && ScenarioValidator.Runs(runs, "--runs", null) is { } problem)
            throw new ModelException(problem);
        return new ExperimentSettings(parse.GetValue(Runs), parse.GetValue(Seed), threads, parse.GetValue(Deterministic), parse.GetValue(Cities) ?? []);
    }

    /// <summary>--shard I/N, of run, sweep and sensitivity.</summary>
    public static Option<string?> ShardOption() => new("--shard")
    {
        Description = "Compute only shard I of N (0-based) of the runs, into a shard folder for 'loopsim merge'; the merged shards equal one unsharded run.",
    };

    public static Shard? ReadShard(ParseResult parse, Option<string?> option) => parse.GetValue(option) is { } text ? Shard.Parse(text) : null;

    /// <summary>--format csv|parquet, of run and merge: the per-run and per-time tables (runs, percentiles, time series).</summary>
    public static Option<TableFormat> FormatOption() => new("--format")
    {
        Description = "The format of the per-run and per-time tables (runs, percentiles, timeseries): csv (default) or parquet. summary.csv stays CSV.",
        DefaultValueFactory = _ => TableFormat.Csv,
    };
}
