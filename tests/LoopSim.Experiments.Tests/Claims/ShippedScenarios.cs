using System.Collections.Concurrent;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Experiments.Tests.Claims;

/// <summary>
/// Runs the scenarios shipped in scenarios/ once per city (deterministic), optionally with extra overrides
/// for ablations, and caches each run: several claims read the same runs.
/// </summary>
internal static class ShippedScenarios
{
    public const string Conventional = "conventional.yaml";
    public const string CommissionRace = "commission-race.yaml";
    public const string Alliance = "alliance.yaml";
    public const string LargeGroup = "large-group.yaml";
    public const string GroupSize = "group-size.yaml";

    private static readonly ConcurrentDictionary<string, Scenario> Scenarios = new();
    private static readonly ConcurrentDictionary<string, Lazy<Run>> Runs = new();

    /// <summary>The repository's scenarios folder, found upwards from the test binaries.</summary>
    public static string Folder { get; } = FindFolder();

    public static Scenario Load(string file) => Scenarios.GetOrAdd(file, f => ScenarioLoader.Load(Path.Combine(Folder, f)));

    /// <summary>The city names of the alliance scenario (all three scenarios share scenarios/cities.yaml).</summary>
    public static TheoryData<string> CityNames()
    {
        var data = new TheoryData<string>();
        foreach (var city in Load(Alliance).Cities) data.Add(city.Name);
        return data;
    }

    /// <summary>One run of a scenario for a city: the scenario's settings, then the city's, then <paramref name="extra"/>.</summary>
    public static Run For(string file, string city, params (string Name, double Value)[] extra)
    {
        var key = file + "|" + city + "|" + string.Join(",", extra.Select(e => e.Name + "=" + e.Value.ToString("R")));
        return Runs.GetOrAdd(key, _ => new Lazy<Run>(() => Execute(file, city, extra))).Value;
    }

    private static Run Execute(string file, string cityName, (string Name, double Value)[] extra)
    {
        var scenario = Load(file);
        var city = scenario.Cities.Single(c => c.Name == cityName);
        var overrides = new Dictionary<string, double>(scenario.OverridesFor(city));
        foreach (var (name, value) in extra) overrides[name] = value;
        var compiled = ModelCompiler.Compile(scenario.Model, new CompileOptions { Overrides = overrides });
        return new Run(compiled, compiled.Run());
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scenarios");
            if (File.Exists(Path.Combine(candidate, Alliance))) return candidate;
        }
        throw new DirectoryNotFoundException("scenarios/alliance.yaml not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A finished run and the compiled model it came from (for the constants in force).</summary>
internal sealed record Run(CompiledModel Model, SimulationResult Result)
{
    public double[] this[string name] => Result[name];
    public double Final(string name) => Result[name][^1];
    public double Constant(string name) => Model.DefaultParameters[Model.ParameterIndex(name)];
    public double[] Times => Result.Times;
}
