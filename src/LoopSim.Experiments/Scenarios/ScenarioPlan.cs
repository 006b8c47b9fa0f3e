using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.Scenarios;

/// <summary>What a user asked for on top of a scenario file (the command line's options): null keeps the file's value.</summary>
/// <param name="Cities">Only these cities (by name or label), in this order; empty: every city of the scenario.</param>
public sealed record ExperimentSettings(int? Runs, ulong? Seed, int Threads, bool Deterministic, IReadOnlyList<string> Cities)
{
    /// <summary>--data: time series feeding a Vensim model's data variables.</summary>
    public IReadOnlyList<string> DataFiles { get; init; } = [];
}

/// <summary>One city ready to run: the compiled model it runs on and its Monte Carlo setup (its own values, the uncertain ones, runs, seed).</summary>
public sealed record CityRun(City City, CompiledModel Model, MonteCarloSetup Setup)
{
    /// <summary>The model's parameters with this city's values (scenario settings, then the city's).</summary>
    public double[] Parameters()
    {
        var parameters = Model.DefaultParameters.ToArray();
        foreach (var (name, value) in Setup.CityParameters)
            parameters[Model.ParameterIndex(name)] = value;
        return parameters;
    }

    /// <summary>
    /// The city's single run: its own values, no sampled uncertainty, and the equation random stream of
    /// Monte Carlo run 0 (so a model with random functions is reproducible too).
    /// </summary>
    public CityOutcome RunOnce(IReadOnlyList<string> variables)
    {
        var result = Model.Run(Parameters(), RandomStreams.EquationSeed(Setup.Seed, Setup.City, 0));
        var bands = variables.Select(v =>
        {
            var values = result[v];
            return new Band(result.Times, values, values, values, values, values, values);
        }).ToArray();
        return new CityOutcome(this, variables, result.Times, bands, null) { NonFinite = result.FirstNonFinite() };
    }

    /// <summary>The city's Monte Carlo over <paramref name="variables"/> at every saved time; run values past the memory budget spill into <paramref name="spillFolder"/>.</summary>
    public CityOutcome RunMonteCarlo(IReadOnlyList<string> variables, string spillFolder, IProgress<int>? progress, CancellationToken cancel) =>
        MonteCarloOutcome(variables, MonteCarloRunner.Run(Model, Setup with { SpillFolder = spillFolder }, variables, null, progress, cancel));

    /// <summary>The city's Monte Carlo from the store files its shards wrote (in shard order): the same outcome as <see cref="RunMonteCarlo"/>.</summary>
    public CityOutcome MergeMonteCarlo(IReadOnlyList<string> variables, IReadOnlyList<string> stores, CancellationToken cancel) =>
        MonteCarloOutcome(variables, MonteCarloRunner.Merge(Model, Setup, stores, variables, null, cancel));

    private CityOutcome MonteCarloOutcome(IReadOnlyList<string> variables, MonteCarloResult result)
    {
        var times = result.Times.ToArray();
        var bands = new Band[variables.Count];
        for (int k = 0; k < bands.Length; k++)
        {
            var s = Enumerable.Range(0, times.Length).Select(j => result.Summary(k, j)).ToArray();
            bands[k] = new Band(times, s.Select(x => x.Mean).ToArray(), s.Select(x => x.P5).ToArray(), s.Select(x => x.P25).ToArray(),
                s.Select(x => x.P50).ToArray(), s.Select(x => x.P75).ToArray(), s.Select(x => x.P95).ToArray());
        }
        return new CityOutcome(this, variables, times, bands, result) { NonFinite = result.FirstNonFinite };
    }
}

/// <summary>What one city's runs gave for the requested variables: per variable a band over time (five equal lines for a single run).</summary>
public sealed record CityOutcome(CityRun Run, IReadOnlyList<string> Variables, double[] Times, IReadOnlyList<Band> Bands, MonteCarloResult? MonteCarlo)
{
    public Band Band(string variable) => Bands[IndexOf(variable)];

    /// <summary>The first value that is NaN or infinite (a single run: of any variable; a Monte Carlo: of those run), or null.</summary>
    public NonFiniteValue? NonFinite { get; init; }

    public int IndexOf(string variable)
    {
        for (int k = 0; k < Variables.Count; k++)
            if (Variables[k] == variable) return k;
        throw new ArgumentException($"'{variable}' was not among the variables run.", nameof(variable));
    }
}

/// <summary>
/// A scenario file and the command line turned into runs: which cities, how many runs, which seed, which
/// distributions. Everything is checked for every city before anything runs, so a mistake in the last city
/// does not cost the runs of the first.
/// </summary>
public sealed class ScenarioPlan
{
    private ScenarioPlan(Scenario scenario, IReadOnlyList<CityRun> cities, bool isMonteCarlo)
    {
        Scenario = scenario;
        Cities = cities;
        IsMonteCarlo = isMonteCarlo;
    }

    public Scenario Scenario { get; }
    public IReadOnlyList<CityRun> Cities { get; }
    /// <summary>False when each city runs once (runs: 1, --runs 1 or --deterministic).</summary>
    public bool IsMonteCarlo { get; }
    public int Runs => Cities[0].Setup.Runs;

    /// <summary>
    /// Loads and checks the scenario (every block, see <see cref="ScenarioLoader"/>), compiles its model and sets up
    /// each selected city; a scenario without cities runs its model once as itself. The uncertain parameters are
    /// part of every city's setup, so they are checked even when each city runs once.
    /// </summary>
    public static ScenarioPlan Load(string path, ExperimentSettings settings) => Load(Read(path, settings), settings);

    /// <summary>The scenario file, loaded and checked (<see cref="ScenarioLoader"/>), not yet compiled.</summary>
    public static Scenario Read(string path, ExperimentSettings settings)
    {
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.FileNotFound, $"scenario file '{path}' not found.", hint: "Give the path of a scenario, e.g. scenarios/alliance.yaml.");
        return ScenarioLoader.Load(path, settings.DataFiles);
    }

    /// <summary>The plan of a scenario <see cref="Read"/> from its file.</summary>
    public static ScenarioPlan Load(Scenario scenario, ExperimentSettings settings)
    {
        int runs = settings.Deterministic ? 1 : settings.Runs ?? scenario.Runs;

        var baseModel = ModelCompiler.Compile(scenario.Model);
        var models = new Dictionary<string, CompiledModel>();
        var cities = new List<CityRun>();
        foreach (var city in SelectCities(scenario, settings.Cities))
        {
            var overrides = scenario.OverridesFor(city);
            var setup = new MonteCarloSetup
            {
                City = city.Name,
                CityParameters = overrides,
                Uncertain = runs > 1 ? scenario.Uncertain : [],
                Runs = runs,
                Seed = settings.Seed ?? scenario.Seed,
                Threads = settings.Threads,
            };
            cities.Add(new CityRun(city, ModelFor(scenario, baseModel, overrides, models), setup));
        }
        return new ScenarioPlan(scenario, cities, runs > 1);
    }

    /// <summary>
    /// Settings of constants are per-run parameters of one compiled model; a setting that replaces an
    /// equation (a variable that is not a constant) needs a model compiled with it, shared by the cities
    /// that replace the same equations.
    /// </summary>
    private static CompiledModel ModelFor(Scenario scenario, CompiledModel baseModel, IReadOnlyDictionary<string, double> overrides, Dictionary<string, CompiledModel> models)
    {
        var parameters = baseModel.ParameterNames.Select(Names.Canonical).ToHashSet();
        var equations = overrides.Where(o => !parameters.Contains(Names.Canonical(o.Key))).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        if (equations.Count == 0) return baseModel;
        var key = string.Join(";", equations.Select(o => $"{o.Key}={o.Value:R}"));
        if (!models.TryGetValue(key, out var model))
            models[key] = model = ModelCompiler.Compile(scenario.Model, new CompileOptions { Overrides = equations.ToDictionary() });
        return model;
    }

    /// <summary>The first city the plan of <paramref name="scenario"/> runs (the first asked for, else the scenario's first), before compiling it.</summary>
    public static City FirstCity(Scenario scenario, ExperimentSettings settings) => SelectCities(scenario, settings.Cities).First();

    private static IEnumerable<City> SelectCities(Scenario scenario, IReadOnlyList<string> wanted)
    {
        if (scenario.Cities.Count == 0)
        {
            if (wanted.Count > 0)
                throw new ModelException(DiagnosticCodes.UnknownCity, $"--city '{wanted[0]}': scenario '{scenario.Name}' has no cities; it runs its model as it is.",
                    new SourceLocation(scenario.Source.Path, 0, 0), hint: "Leave out --city.");
            return [AsItself(scenario)];
        }
        if (wanted.Count == 0) return scenario.Cities;
        var chosen = new List<City>();
        foreach (var name in wanted)
        {
            var city = scenario.Cities.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase) || c.Label == name.Trim());
            if (city is null)
            {
                var close = Names.Suggest(name, scenario.Cities.Select(c => c.Name));
                throw new ModelException(DiagnosticCodes.UnknownCity, $"--city '{name}' is not a city of scenario '{scenario.Name}'.",
                    new SourceLocation(scenario.Source.Path, 0, 0),
                    hint: (close.Count > 0 ? $"Did you mean '{close[0]}'? " : "") + "Its cities: " + string.Join(", ", scenario.Cities.Select(c => c.Label is null ? c.Name : $"{c.Name} ({c.Label})")) + ".");
            }
            if (!chosen.Contains(city)) chosen.Add(city);
        }
        return chosen;
    }

    /// <summary>The one run of a scenario without cities: the model itself, named as the model, with the scenario's settings only.</summary>
    public static City AsItself(Scenario scenario) =>
        new() { Name = scenario.Model.Name, Set = [], Location = new SourceLocation(scenario.Source.Path, 0, 0) };

    /// <summary>
    /// Checks every city's setup for the given outputs against its compiled model (parameters that are not constants,
    /// outputs that are not variables) without running; the uncertain parameters too, even when each city runs once.
    /// </summary>
    public void Check(IReadOnlyList<string> outputs)
    {
        foreach (var city in Cities)
            MonteCarloRunner.Check(city.Model, city.Setup with { Uncertain = Scenario.Uncertain }, outputs);
    }

    /// <summary>
    /// One Monte Carlo run again on its own, every output at every saved time: the same sampled values and equation seed,
    /// on the kind of runner the Monte Carlo used (whose code is compiled already; the values are the same either way).
    /// </summary>
    public static SimulationResult Rerun(CityOutcome outcome, int run)
    {
        var mc = outcome.MonteCarlo ?? throw new InvalidOperationException("Only a Monte Carlo run can be rerun.");
        var model = outcome.Run.Model;
        var parameters = outcome.Run.Parameters();
        for (int d = 0; d < mc.SampledParameters.Count; d++)
            parameters[model.ParameterIndex(mc.SampledParameters[d])] = mc.Samples[run, d];
        ulong seed = mc.Samples.EquationSeeds[run];
        return model.Collect((outputs, values, layout) => new CompiledModelRuns(model).CreateRunner().Run(parameters, [seed], outputs, values, layout));
    }

    /// <summary>The variable's display units from the model, or null.</summary>
    public string? UnitsOf(string variable)
    {
        var canonical = Names.Canonical(variable);
        return Scenario.Model.Variables.FirstOrDefault(v => v.CanonicalName == canonical)?.Units;
    }
}
