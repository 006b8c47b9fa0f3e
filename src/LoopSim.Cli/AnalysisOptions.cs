using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>The options the analyses (sensitivity, discover, calibrate) share: seed, threads, cities, charts, output.</summary>
internal sealed class AnalysisOptions(string verb)
{
    private readonly ExperimentOptions _experiment = new();

    public Option<string?> Output { get; } = new("--output", "-o") { Description = $"The folder to write; default: out/SCENARIO-NAME-{verb}." };
    public Option<ulong?> Seed => _experiment.Seed;
    public Option<int> Threads => _experiment.Threads;
    public Option<string[]> Cities => _experiment.Cities;
    public Option<bool> NoCharts => _experiment.NoCharts;

    public void AddTo(Command command)
    {
        command.Options.Add(Output);
        command.Options.Add(Seed);
        command.Options.Add(Threads);
        command.Options.Add(Cities);
        command.Options.Add(NoCharts);
    }

    /// <summary>The scenario's plan for these options: every selected city, with the scenario's 'uncertain:' section parsed.</summary>
    public ScenarioPlan Plan(ParseResult parse, string scenarioPath)
    {
        var threads = ExperimentOptions.CheckedThreads(parse.GetValue(Threads));
        // Runs > 1 makes the plan read the 'uncertain:' section; the analyses choose their own runs.
        return ScenarioPlan.Load(scenarioPath, new ExperimentSettings(2, parse.GetValue(Seed), threads, false, parse.GetValue(Cities) ?? []));
    }

    public OutputChoice Folder(ParseResult parse, string subject) => new(parse.GetValue(Output), Path.Combine("out", $"{subject}-{verb}"));

    /// <summary>The setup of one city: its values, the varied parameters, the seed and threads of the plan.</summary>
    public static AnalysisSetup Setup(CityRun city, IReadOnlyList<DistributionSpec> parameters) => new()
    {
        City = city.City.Name,
        CityParameters = city.Setup.CityParameters,
        Parameters = parameters,
        Seed = city.Setup.Seed,
        Threads = city.Setup.Threads,
    };
}

/// <summary>The output folder a verb was given (--output) or defaults to; opened only once the inputs are checked.</summary>
internal sealed record OutputChoice(string? Option, string Fallback)
{
    /// <summary>The folder as the user names it, for messages.</summary>
    public string Name => Option ?? Fallback;

    public OutputFolder Open() => Output.Folder(Option, Fallback);
}
