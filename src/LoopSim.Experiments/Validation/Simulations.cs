using System.Collections.Concurrent;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Experiments.Validation;

/// <summary>Saved series of one run (or the medians of a Monte Carlo), by variable.</summary>
public sealed class RunSeries(double[] times, Func<string, double[]> series)
{
    public double[] Times { get; } = times;
    public double[] this[string variable] => series(variable);
}

/// <summary>
/// The runs the checks make, compiled once per model, integration method and DT: settings of constants become run
/// parameters (no recompiling), settings that replace an equation compile a variant. Safe to use from several threads.
/// </summary>
public sealed class Simulations(int threads)
{
    private readonly ConcurrentDictionary<string, Lazy<Scenario>> _scenarios = new();
    private readonly ConcurrentDictionary<(SdModel, string, IntegrationMethod?, double?, bool), Lazy<CompiledModel>> _models = new();

    public int Threads { get; } = Math.Max(1, threads);

    public Scenario Scenario(string path) =>
        _scenarios.GetOrAdd(Path.GetFullPath(path), p => new Lazy<Scenario>(() => ScenarioLoader.Load(p))).Value;

    /// <summary>
    /// One deterministic run with <paramref name="settings"/> (constants or replaced equations), optionally another
    /// method or DT, saving every DT when <paramref name="everyStep"/>.
    /// </summary>
    public SimulationResult Run(SdModel model, IReadOnlyDictionary<string, double> settings, IntegrationMethod? method = null, double? dt = null,
        bool everyStep = false)
    {
        var (compiled, parameters) = Prepare(model, settings, method, dt, everyStep);
        return compiled.Run(parameters);
    }

    /// <summary>The compiled model and parameter vector for a deterministic run.</summary>
    public (CompiledModel Model, double[] Parameters) Prepare(SdModel model, IReadOnlyDictionary<string, double> settings,
        IntegrationMethod? method = null, double? dt = null, bool everyStep = false)
    {
        var (compiled, constants) = Compile(model, settings, method, dt, everyStep);
        var parameters = compiled.DefaultParameters.ToArray();
        foreach (var (name, value) in constants) parameters[compiled.ParameterIndex(name)] = value;
        return (compiled, parameters);
    }

    /// <summary>
    /// The median at every saved time of a Monte Carlo of <paramref name="runs"/> runs over the scenario's uncertain
    /// parameters (those fixed by <paramref name="settings"/> excepted), for the given outputs.
    /// </summary>
    public RunSeries Median(SdModel model, IReadOnlyDictionary<string, double> settings, Scenario? scenario, string city, int runs, ulong seed,
        IReadOnlyList<string> outputs)
    {
        var (compiled, constants) = Compile(model, settings, null, null, false);
        var fixedNames = settings.Keys.Select(Names.Canonical).ToHashSet();
        var uncertain = (scenario?.Uncertain ?? []).Where(u => !fixedNames.Contains(Names.Canonical(u.Parameter))).ToList();
        var setup = new MonteCarloSetup { City = city, CityParameters = constants, Uncertain = uncertain, Runs = runs, Seed = seed, Threads = Threads };
        var result = MonteCarloRunner.Run(compiled, setup, outputs);
        var index = outputs.Select((o, k) => (Names.Canonical(o), k)).ToDictionary(p => p.Item1, p => p.k);
        var medians = new ConcurrentDictionary<int, double[]>();
        return new RunSeries(result.Times.ToArray(), variable =>
        {
            if (!index.TryGetValue(Names.Canonical(variable), out var k))
                throw new ArgumentException($"'{variable}' was not among the Monte Carlo's outputs", nameof(variable));
            return medians.GetOrAdd(k, _ => Enumerable.Range(0, result.Times.Count).Select(j => result.Summary(k, j).P50).ToArray());
        });
    }

    private (CompiledModel Model, Dictionary<string, double> Constants) Compile(SdModel model, IReadOnlyDictionary<string, double> settings,
        IntegrationMethod? method, double? dt, bool everyStep)
    {
        var parameters = Base(model).ParameterNames.Select(Names.Canonical).ToHashSet();
        var constants = settings.Where(s => parameters.Contains(Names.Canonical(s.Key))).ToDictionary(s => s.Key, s => s.Value);
        var equations = settings.Where(s => !parameters.Contains(Names.Canonical(s.Key))).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        var key = string.Join(";", equations.Select(e => $"{e.Key}={e.Value:R}"));
        var compiled = _models.GetOrAdd((model, key, method, dt, everyStep), _ => new Lazy<CompiledModel>(() =>
        {
            var source = everyStep ? new SdModel { Name = model.Name, SourceFile = model.SourceFile, Specs = model.Specs with { SaveStep = null } } : model;
            if (everyStep) source.Variables.AddRange(model.Variables);
            return ModelCompiler.Compile(source, new CompileOptions { Method = method, Dt = dt, Overrides = equations.ToDictionary() });
        })).Value;
        return (compiled, constants);
    }

    private CompiledModel Base(SdModel model) =>
        _models.GetOrAdd((model, "", null, null, false), _ => new Lazy<CompiledModel>(() => ModelCompiler.Compile(model))).Value;
}
