using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Analysis;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Benchmarks;

/// <summary>Loops That Matter on the ecosystem model (alliance, Shanghai): loop search, a full run recorded at every DT, and the scores. Target: well under a second.</summary>
[MemoryDiagnoser]
public class LoopAnalysisBenchmarks
{
    private CompiledModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        var scenario = ScenarioLoader.Load(Path.Combine(BenchFiles.RepositoryRoot, "scenarios", "alliance.yaml"));
        var city = scenario.Cities.Single(c => c.Name == "Shanghai");
        _model = ModelCompiler.Compile(scenario.Model, new CompileOptions { Overrides = scenario.OverridesFor(city) });
    }

    [Benchmark(Description = "loop analysis of the ecosystem model")]
    public int Analyze() => LoopAnalyzer.Analyze(_model).Loops.Count;
}
