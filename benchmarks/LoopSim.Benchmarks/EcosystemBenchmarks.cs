using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Benchmarks;

/// <summary>
/// The peer yardstick of ../shared/bench/ecosystem: the sales-ecosystem model (alliance, Shanghai; 156 weeks, DT 1/4,
/// 624 Euler steps) against SDEverywhere's generated C, which keeps every variable at the 157 weekly save points.
/// One run keeps every output the same way; a batch runs eight runs with different parameters (each constant
/// varied by up to 10 %), so no lane-uniform shortcut applies. Times are per run; compare with the C's median.
/// </summary>
[MemoryDiagnoser]
public class EcosystemBenchmarks
{
    private Simulator _simulator = null!;
    private BatchSimulator _batch = null!;
    private int[] _outputs = null!;
    private double[] _parameters = null!, _batchParameters = null!, _buffer = null!, _batchBuffer = null!;
    private readonly ulong[] _seeds = new ulong[BatchSimulator.BatchSize];

    [GlobalSetup]
    public void Setup()
    {
        var model = ModelCompiler.Compile(XmileReader.Load(BenchFiles.Ecosystem));
        _simulator = model.CreateSimulation();
        _batch = model.CreateBatchSimulation();
        _outputs = Enumerable.Range(0, model.OutputNames.Count).ToArray();
        _parameters = (double[])model.DefaultParameters.Clone();
        var random = new Random(1);
        _batchParameters = Enumerable.Range(0, BatchSimulator.BatchSize)
            .SelectMany(_ => model.DefaultParameters.Select(p => p * (1 + 0.1 * random.NextDouble()))).ToArray();
        _buffer = new double[_simulator.SaveCount * _outputs.Length];
        _batchBuffer = new double[BatchSimulator.BatchSize * _buffer.Length];
    }

    /// <summary>Target: at most 0.8 × the time of SDEverywhere's C.</summary>
    [Benchmark(Description = "ecosystem: one run, every output weekly")]
    public double OneRun()
    {
        _simulator.Run(_parameters, 0, _outputs, _buffer);
        return _buffer[^1];
    }

    /// <summary>Target: at least 4 × the runs per second of SDEverywhere's C (one core).</summary>
    [Benchmark(Description = "ecosystem: batch of 8 varied runs, every output weekly (per run)", OperationsPerInvoke = 8)]
    public double BatchOfEight()
    {
        _batch.Run(_batchParameters, _seeds, _outputs, _batchBuffer);
        return _batchBuffer[^1];
    }
}
