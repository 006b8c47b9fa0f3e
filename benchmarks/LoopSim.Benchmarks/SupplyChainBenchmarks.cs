using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Benchmarks;

/// <summary>
/// The yardstick of ../shared/bench: runs of the supply-chain model (4,000 Euler steps), three inputs changed
/// between runs as the hand-written C's --bench does (Base Demand 50–150, Production Delay 2–10, Hiring Time
/// 4–20), five outputs kept at the 1,001 save points. Times are per run; compare with the C's "per run".
/// </summary>
[MemoryDiagnoser]
public class SupplyChainBenchmarks
{
    public static readonly string[] Outputs = ["Inventory", "Backlog", "Workforce", "Production", "Shipments"];

    private CompiledModel _model = null!;
    private Simulator _simulator = null!;
    private BatchSimulator _batch = null!;
    private int[] _outputs = null!;
    private double[] _parameters = null!, _batchParameters = null!, _buffer = null!, _batchBuffer = null!;
    private readonly ulong[] _seeds = new ulong[BatchSimulator.BatchSize];
    private int _baseDemand, _productionDelay, _hiringTime;
    private ulong _lcg = 12345;

    [GlobalSetup]
    public void Setup()
    {
        _model = ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain));
        _simulator = _model.CreateSimulation();
        _batch = _model.CreateBatchSimulation();
        _outputs = Outputs.Select(_model.OutputIndex).ToArray();
        _parameters = (double[])_model.DefaultParameters.Clone();
        _batchParameters = Enumerable.Range(0, BatchSimulator.BatchSize).SelectMany(_ => _model.DefaultParameters).ToArray();
        _buffer = new double[_simulator.SaveCount * _outputs.Length];
        _batchBuffer = new double[BatchSimulator.BatchSize * _buffer.Length];
        _baseDemand = _model.ParameterIndex("Base Demand");
        _productionDelay = _model.ParameterIndex("Production Delay");
        _hiringTime = _model.ParameterIndex("Hiring Time");
    }

    private double Draw(double min, double max)
    {
        _lcg = _lcg * 6364136223846793005UL + 1442695040888963407UL;
        return min + (max - min) * ((_lcg >> 11) * (1.0 / (1UL << 53)));
    }

    private void ChangeInputs(Span<double> parameters)
    {
        parameters[_baseDemand] = Draw(50, 150);
        parameters[_productionDelay] = Draw(2, 10);
        parameters[_hiringTime] = Draw(4, 20);
    }

    /// <summary>Target 1: at most 1.2 × the C's time per run.</summary>
    [Benchmark(Description = "one run, inputs changed, 5 outputs")]
    public double OneRun()
    {
        ChangeInputs(_parameters);
        _simulator.Run(_parameters, 0, _outputs, _buffer);
        return _buffer[^1];
    }

    /// <summary>Target 2's engine part: 8 runs advanced together in vector lanes, time per run.</summary>
    [Benchmark(Description = "batch of 8 runs, inputs changed, 5 outputs (per run)", OperationsPerInvoke = 8)]
    public double BatchOfEight()
    {
        int p = _parameters.Length;
        for (int r = 0; r < BatchSimulator.BatchSize; r++) ChangeInputs(_batchParameters.AsSpan(r * p, p));
        _batch.Run(_batchParameters, _seeds, _outputs, _batchBuffer);
        return _batchBuffer[^1];
    }

    /// <summary>Target 5: well under 100 ms. The phases a run calls are compiled when first called, so this includes the first run.</summary>
    [Benchmark(Description = "load and compile the model (and its first run)")]
    public double LoadAndCompile() => ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain)).Run().Times[^1];

    /// <summary>What the first batch adds to the compile (done once per model, on first use).</summary>
    [Benchmark(Description = "load and compile, with the batch code (and the first batch)")]
    public double LoadAndCompileWithBatch()
    {
        var batch = ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain)).CreateBatchSimulation();
        batch.Run(_batchParameters, _seeds, _outputs, _batchBuffer);
        return _batchBuffer[^1];
    }
}
