using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Benchmarks;

/// <summary>
/// Targets 2 and 3: a Monte Carlo of 10,000 runs of the supply-chain model through MonteCarloRunner (sampling,
/// batched runs, float32 columns, mean and percentiles of the 5 outputs at 11 times), on 1 and on 2 threads.
/// Times are per run: runs per second = 10⁹ / ns.
/// </summary>
[MemoryDiagnoser]
public class MonteCarloBenchmarks
{
    public const int Runs = 10_000;

    private CompiledModel _model = null!;
    private MonteCarloSetup _setup = null!;
    private readonly double[] _times = Enumerable.Range(0, 11).Select(i => i * 100.0).ToArray();

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain));
        DistributionSpec Uniform(string name, double min, double max) =>
            DistributionSpec.Parse(name, new Dictionary<string, object?> { ["dist"] = "uniform", ["min"] = min, ["max"] = max });
        _setup = new MonteCarloSetup
        {
            City = "benchmark",
            Uncertain = [Uniform("Base Demand", 50, 150), Uniform("Production Delay", 2, 10), Uniform("Hiring Time", 4, 20)],
            Runs = Runs,
            Seed = 1,
            Threads = Threads,
        };
        MonteCarloRunner.Run(_model, _setup with { Runs = 64 }, SupplyChainBenchmarks.Outputs, _times);   // compiles the batch code
    }

    [Benchmark(Description = "Monte Carlo, 10,000 runs (per run)", OperationsPerInvoke = Runs)]
    public double MonteCarlo() => MonteCarloRunner.Run(_model, _setup, SupplyChainBenchmarks.Outputs, _times).Summary(0, 10).P50;
}
