using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Benchmarks;

/// <summary>
/// The yardstick of ../shared/bench: one run of the supply-chain model (4,000 Euler steps), three inputs changed
/// between runs as the hand-written C's --bench does, five outputs kept at the 1,001 save points.
/// </summary>
[MemoryDiagnoser]
public class SupplyChainBenchmarks
{
    private CompiledModel _model = null!;
    private Simulator _simulator = null!;
    private int[] _outputs = null!;
    private double[] _parameters = null!, _buffer = null!;
    private int _baseDemand, _productionDelay, _hiringTime;
    private ulong _lcg = 12345;

    [GlobalSetup]
    public void Setup()
    {
        _model = ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain));
        _simulator = _model.CreateSimulation();
        _outputs = new[] { "Inventory", "Backlog", "Workforce", "Production", "Shipments" }.Select(_model.OutputIndex).ToArray();
        _parameters = (double[])_model.DefaultParameters.Clone();
        _buffer = new double[_simulator.SaveCount * _outputs.Length];
        _baseDemand = _model.ParameterIndex("Base Demand");
        _productionDelay = _model.ParameterIndex("Production Delay");
        _hiringTime = _model.ParameterIndex("Hiring Time");
    }

    private double Draw(double min, double max)
    {
        _lcg = _lcg * 6364136223846793005UL + 1442695040888963407UL;
        return min + (max - min) * ((_lcg >> 11) * (1.0 / (1UL << 53)));
    }

    [Benchmark(Description = "one run, inputs changed, 5 outputs")]
    public double OneRun()
    {
        _parameters[_baseDemand] = Draw(50, 150);
        _parameters[_productionDelay] = Draw(2, 10);
        _parameters[_hiringTime] = Draw(4, 20);
        _simulator.Run(_parameters, 0, _outputs, _buffer);
        return _buffer[^1];
    }

    [Benchmark(Description = "load and compile the model")]
    public CompiledModel LoadAndCompile() => ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain));
}
