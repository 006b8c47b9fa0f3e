using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Benchmarks;

/// <summary>
/// The Monte Carlo behind <c>loopsim run scenarios/alliance.yaml --runs 10000 --no-charts</c>: 10,000 runs of
/// each of the five cities over 156 weeks (DT 1/4, 624 steps), the 13 reported variables summarised at every
/// saved week, on one thread and on two. One operation is the whole scenario; run with
/// <c>dotnet run -c Release --project benchmarks/LoopSim.Benchmarks -- --filter '*EcosystemMonteCarlo*'</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
[MemoryDiagnoser]
public class EcosystemMonteCarlo
{
    private readonly List<(CompiledModel Model, MonteCarloSetup Setup)> _cities = [];
    private IReadOnlyList<string> _report = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    private const int Runs = 10_000;

    [GlobalSetup]
    public void Setup()
    {
        var scenario = ScenarioLoader.Load(FindScenario("alliance.yaml"));
        var uncertain = scenario.Uncertain;
        var model = ModelCompiler.Compile(scenario.Model);
        _report = scenario.Report;
        foreach (var city in scenario.Cities)
            _cities.Add((model, new MonteCarloSetup
            {
                City = city.Name,
                CityParameters = scenario.OverridesFor(city),
                Uncertain = uncertain,
                Runs = Runs,
                Seed = scenario.Seed,
                Threads = Threads,
            }));
    }

    [Benchmark(Description = "alliance: 5 cities × 10,000 runs × 156 weeks")]
    public double AllCities()
    {
        double check = 0;
        foreach (var (model, setup) in _cities)
        {
            var result = MonteCarloRunner.Run(model, setup, _report);
            check += result.Summary(0, result.Times.Count - 1).P50;
        }
        return check;
    }

    /// <summary>The repository's scenarios folder, upwards from wherever BenchmarkDotNet runs the generated project.</summary>
    internal static string FindScenario(string file)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scenarios", file);
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException($"scenarios/{file} not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}.");
    }
}
