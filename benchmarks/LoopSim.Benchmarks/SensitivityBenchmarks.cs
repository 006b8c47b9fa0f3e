using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Experiments.Sensitivity;

namespace LoopSim.Benchmarks;

/// <summary>
/// A Sobol' analysis of the alliance against its Monte Carlo, side by side in one process (issue 13's speed target):
/// 10 parameters (the six uncertain ones, plus commission rate, group size, transparency and purge interval as
/// uniform ranges), N = 1024 base points (12,288 runs per city, plus 21 one-at-a-time runs), the eight summary
/// variables at week 156 with 1,000 bootstrap resamples each, five cities; against 5 cities × 10,000 Monte Carlo runs
/// with the 13 reported variables summarised every week (what <c>loopsim run --runs 10000</c> computes). No charts or
/// CSV in either. Run with <c>dotnet run -c Release --project benchmarks/LoopSim.Benchmarks -- --filter '*AllianceSobol*'</c>;
/// the Ratio column is the Sobol' analysis's time over the Monte Carlo's.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
[MemoryDiagnoser]
public class AllianceSobol
{
    private readonly List<(CompiledModel Model, MonteCarloSetup MonteCarlo, AnalysisSetup Sobol)> _cities = [];
    private IReadOnlyList<string> _report = [];
    private SensitivityOptions _options = null!;

    [Params(2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var scenario = ScenarioLoader.Load(EcosystemMonteCarlo.FindScenario("alliance.yaml"));
        var uncertain = scenario.Uncertain;
        var parameters = uncertain.Concat(new[] { "commission_rate=0.05..0.30", "member_cap=50..400", "transparency=0.5..1", "purge_interval=4..26" }
            .Select(p => ParameterRange.Parse(p, "--param").Uniform())).ToList();
        var model = ModelCompiler.Compile(scenario.Model);
        _report = scenario.Report;
        _options = new SensitivityOptions { Samples = 1024, Resamples = 1000, Metrics = scenario.Summary.Select(v => new RunMetric(v, null)).ToList() };
        foreach (var city in scenario.Cities)
        {
            var overrides = scenario.OverridesFor(city);
            _cities.Add((model,
                new MonteCarloSetup { City = city.Name, CityParameters = overrides, Uncertain = uncertain, Runs = 10_000, Seed = scenario.Seed, Threads = Threads },
                new AnalysisSetup { City = city.Name, CityParameters = overrides, Parameters = parameters, Seed = scenario.Seed, Threads = Threads }));
        }
    }

    [Benchmark(Baseline = true, Description = "Monte Carlo: 5 cities × 10,000 runs")]
    public double MonteCarlo()
    {
        double check = 0;
        foreach (var (model, setup, _) in _cities)
            check += MonteCarloRunner.Run(model, setup, _report).Summary(0, 0).P50;
        return check;
    }

    [Benchmark(Description = "Sobol': 5 cities × 10 parameters × N = 1024, 8 outputs, bootstrap")]
    public double Sobol()
    {
        double check = 0;
        foreach (var (model, _, setup) in _cities)
            check += SensitivityRunner.Run(model, setup, _options).Metrics[0].Sobol[0].Total.Value;
        return check;
    }
}
