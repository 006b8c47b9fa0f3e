using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sweeps;

namespace LoopSim.Experiments.Scenarios;

/// <summary>A parameter set in a scenario or city: <see cref="Name"/> is the model's own spelling of the variable.</summary>
public sealed record ParameterSetting(string Name, double Value, SourceLocation Location);

/// <summary>One city of a scenario: its own parameter settings, applied after the scenario's.</summary>
public sealed class City
{
    public required string Name { get; init; }
    /// <summary>The label to show (may be Chinese, e.g. 上海); null means show <see cref="Name"/>.</summary>
    public string? Label { get; init; }
    /// <summary>Where the city's figures come from, for readers of the scenario.</summary>
    public string? Notes { get; init; }
    public required IReadOnlyList<ParameterSetting> Set { get; init; }
    public required SourceLocation Location { get; init; }

    public string DisplayName => Label ?? Name;
}

/// <summary>A scenario file, loaded and checked against its model (docs/yaml-format.md).</summary>
public sealed class Scenario
{
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    /// <summary>The scenario file itself: its path, and located errors for nodes such as <see cref="Uncertain"/>.</summary>
    public required YamlFile Source { get; init; }
    /// <summary>The model file, resolved against the scenario file's folder.</summary>
    public required string ModelPath { get; init; }
    public required SdModel Model { get; init; }
    /// <summary>The scenario's policy settings, applied to every city.</summary>
    public required IReadOnlyList<ParameterSetting> Set { get; init; }
    /// <summary>The cities, each a run of the model with its own settings; empty when the scenario has none, and then
    /// the model runs once as itself (with the scenario's settings).</summary>
    public required IReadOnlyList<City> Cities { get; init; }
    /// <summary>The variables to report, in the model's spelling, in the order written.</summary>
    public required IReadOnlyList<string> Report { get; init; }
    /// <summary>The headline variables: one column each in the per-city summary at the horizon; the report list when not given.</summary>
    public required IReadOnlyList<string> Summary { get; init; }
    /// <summary>Variables that are the parts of a whole (e.g. the member stocks), drawn stacked; empty when not given.</summary>
    public IReadOnlyList<string> Composition { get; init; } = [];
    /// <summary>Runs per city (Monte Carlo); 1 when not given.</summary>
    public int Runs { get; init; } = 1;
    /// <summary>The random seed of the whole experiment; 42 when not given.</summary>
    public ulong Seed { get; init; } = 42;
    /// <summary>The 'uncertain' section, read and checked: one distribution per parameter, in file order; empty when absent.</summary>
    public IReadOnlyList<DistributionSpec> Uncertain { get; init; } = [];
    /// <summary>The 'sweep' section, read and checked; null when absent.</summary>
    public SweepSection? Sweep { get; init; }

    /// <summary>
    /// The overrides for one city, ready for CompileOptions.Overrides: the scenario's settings, then the city's
    /// (a city's value wins). Keys are the model's spelling of each variable.
    /// </summary>
    public IReadOnlyDictionary<string, double> OverridesFor(City city)
    {
        var overrides = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var setting in Set.Concat(city.Set))
            overrides[setting.Name] = setting.Value;
        return overrides;
    }
}
