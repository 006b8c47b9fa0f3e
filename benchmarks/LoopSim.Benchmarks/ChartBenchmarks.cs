using BenchmarkDotNet.Attributes;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Benchmarks;

/// <summary>
/// Two of the 96 charts of <c>loopsim run scenarios/alliance.yaml --runs 10000</c>, each rendered and written as a
/// 1600×900 PNG: a city's fan chart (75 of them) and a small-multiples page of the five cities (15). The bands are
/// referrals per week from the alliance's own Monte Carlo (1,000 runs a city: the shape of the bands, not their
/// precision, is what costs). Run with <c>dotnet run -c Release --project benchmarks/LoopSim.Benchmarks -- --filter '*ChartRendering*'</c>.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 15)]
[MemoryDiagnoser]
public class ChartRendering
{
    private const string Variable = "referrals_per_week";
    private readonly string _folder = Directory.CreateTempSubdirectory("loopsim-chart-bench").FullName;
    private ChartWriter _writer = null!;
    private FanChart _fan = null!;
    private SmallMultiplesChart _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        var plan = ScenarioPlan.Load(EcosystemMonteCarlo.FindScenario("alliance.yaml"), new ExperimentSettings(1000, null, 2, false, []));
        var outcomes = plan.Cities.Select(c => c.RunMonteCarlo([Variable], _folder, null, CancellationToken.None)).ToList();
        var cities = plan.Cities.Select(c => c.City.DisplayName).ToList();
        // As the CLI configures it (Output.Charts): the cities' colours pinned in the scenario's order.
        _writer = new ChartWriter(new ChartOptions { Cities = new ChartPalette(cities), Series = new ChartPalette(cities) });
        var time = new Quantity("Time", "weeks");
        var value = new Quantity("Referrals per week", "referrals/week");
        _fan = new FanChart($"Referrals per week · {cities[0]} · alliance", cities[0], time, value, outcomes[0].Band(Variable));
        _page = new SmallMultiplesChart("Referrals per week by city · City sales alliance (城市销售联盟)", time, value,
            outcomes.Select(o => new NamedBand(o.Run.City.DisplayName, o.Band(Variable))).ToList());
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Description = "fan chart, one city")]
    public void Fan() => _writer.Save(Path.Combine(_folder, "fan.png"), _fan);

    [Benchmark(Description = "small multiples, five cities")]
    public void SmallMultiples() => _writer.Save(Path.Combine(_folder, "page.png"), _page);
}
