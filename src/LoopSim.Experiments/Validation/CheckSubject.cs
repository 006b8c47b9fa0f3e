using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Scenarios;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Experiments.Validation;

/// <summary>One set of values a check runs the model with: a scenario's city, or the model's own defaults.</summary>
public sealed record CheckCity(string Name, string DisplayName, IReadOnlyDictionary<string, double> Settings);

/// <summary>How the checks run: Monte Carlo runs for the reference modes' medians (0: deterministic only), seed, threads.</summary>
public sealed record CheckSettings
{
    public int MedianRuns { get; init; } = 200;
    public ulong? Seed { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Only these cities (names or labels); empty: every city.</summary>
    public IReadOnlyList<string> Cities { get; init; } = [];
    /// <summary>Checks to leave out, by name (e.g. "sensitivity").</summary>
    public IReadOnlyList<string> Skip { get; init; } = [];
}

/// <summary>
/// What <c>loopsim check</c> checks: a model, or a scenario (its model with each city's settings), with the model's
/// checks file when it has one (<see cref="CheckFile.FileFor"/>).
/// </summary>
public sealed class CheckSubject
{
    public required string Path { get; init; }
    public required SdModel Model { get; init; }
    public required string ModelPath { get; init; }
    public Scenario? Scenario { get; init; }
    public required IReadOnlyList<CheckCity> Cities { get; init; }
    public CheckFile? Checks { get; init; }
    public required CheckSettings Settings { get; init; }
    public required Simulations Simulations { get; init; }

    /// <summary>A scenario (YAML with cities) or a model file (.xmile, .stmx, .yaml, .yml).</summary>
    public static CheckSubject Load(string path, CheckSettings settings)
    {
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.FileNotFound, $"file '{path}' not found.", hint: "Give a scenario (e.g. scenarios/alliance.yaml) or a model file.");
        var simulations = new Simulations(settings.Threads);
        if (IsScenario(path))
        {
            var scenario = simulations.Scenario(path);
            var checks = CheckFile.FileFor(scenario.ModelPath) is { } checksPath ? CheckFile.Load(checksPath, scenario.Model) : null;
            var cities = Select(scenario.Cities.Select(c => new CheckCity(c.Name, c.DisplayName, scenario.OverridesFor(c))).ToList(), settings.Cities, path);
            return new CheckSubject
            {
                Path = path, Model = scenario.Model, ModelPath = scenario.ModelPath, Scenario = scenario, Cities = cities,
                Checks = checks, Settings = settings, Simulations = simulations,
            };
        }
        var model = ModelLoader.Load(path);
        var file = CheckFile.FileFor(path) is { } own ? CheckFile.Load(own, model) : null;
        // A model's reference modes run on scenarios: check them for the cities of the first scenario they name.
        var modeScenario = file?.Runs.Values.Select(r => r.ScenarioPath).FirstOrDefault(p => p is not null);
        var modelCities = modeScenario is null
            ? [new CheckCity(model.Name, model.Name, new Dictionary<string, double>())]
            : simulations.Scenario(modeScenario).Cities.Select(c => new CheckCity(c.Name, c.DisplayName, new Dictionary<string, double>())).ToList();
        return new CheckSubject
        {
            Path = path, Model = model, ModelPath = path, Cities = Select(modelCities, settings.Cities, path), Checks = file,
            Settings = settings, Simulations = simulations,
        };
    }

    /// <summary>The seed of the reference modes' Monte Carlo: the option, else the scenario's, else 42.</summary>
    public ulong Seed => Settings.Seed ?? Scenario?.Seed ?? 42;

    /// <summary>The settings of a named run (or of the checked scenario when <paramref name="run"/> is null) for a city, and the model they apply to.</summary>
    public (SdModel Model, IReadOnlyDictionary<string, double> Settings, Scenario? Scenario) Resolve(RunSpec? run, CheckCity city)
    {
        var settings = new Dictionary<string, double>(StringComparer.Ordinal);
        Scenario? scenario = Scenario;
        SdModel model = Model;
        if (run?.ScenarioPath is { } path)
        {
            scenario = Simulations.Scenario(path);
            model = scenario.Model;
            var match = scenario.Cities.FirstOrDefault(c => c.Name == city.Name);
            if (match is null)
                throw new ModelException(DiagnosticCodes.UnknownCity, $"run '{run.Name}' uses scenario '{scenario.Name}', which has no city '{city.Name}'.", run.Location,
                    hint: "The reference modes compare scenarios city by city: give the scenarios the same cities.");
            foreach (var (name, value) in scenario.OverridesFor(match)) settings[name] = value;
        }
        else
            foreach (var (name, value) in city.Settings) settings[name] = value;
        foreach (var (name, value) in run?.Set ?? new Dictionary<string, double>()) settings[name] = value;
        return (model, settings, scenario);
    }

    private static IReadOnlyList<CheckCity> Select(IReadOnlyList<CheckCity> cities, IReadOnlyList<string> wanted, string path)
    {
        if (wanted.Count == 0) return cities;
        return wanted.Select(w => cities.FirstOrDefault(c => string.Equals(c.Name, w.Trim(), StringComparison.OrdinalIgnoreCase) || c.DisplayName == w.Trim())
            ?? throw new ModelException(DiagnosticCodes.UnknownCity, $"--city '{w}' is not a city of '{path}'.", hint: "Its cities: " + string.Join(", ", cities.Select(c => c.Name)) + "."))
            .Distinct().ToList();
    }

    /// <summary>A scenario file is YAML with cities (a YAML model has stocks and flows instead).</summary>
    private static bool IsScenario(string path) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml"
        && YamlFile.Load(path, "model or scenario file").Root is YamlMappingNode root
        && root.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is "cities" or "scenario");
}
