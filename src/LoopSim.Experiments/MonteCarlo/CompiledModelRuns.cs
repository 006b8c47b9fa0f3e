using System.Runtime.Intrinsics;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.MonteCarlo;

/// <summary>
/// The engine's compiled model as the Monte Carlo sees it: one runner per worker thread, advancing
/// <see cref="BatchSimulator.BatchSize"/> runs at once where the CPU has 512-bit vectors, one at a time elsewhere
/// (emulated vectors would be slower). Either gives the same values, bit for bit.
/// </summary>
internal sealed class CompiledModelRuns(CompiledModel model) : IRunnableModel
{
    public IReadOnlyList<string> ParameterNames => model.ParameterNames;
    public IReadOnlyList<double> DefaultParameters => model.DefaultParameters;
    public IReadOnlyList<string> OutputNames => model.OutputNames;
    public IReadOnlyList<double> SaveTimes => model.SaveTimes;

    public IModelRunner CreateRunner() =>
        Vector512.IsHardwareAccelerated ? new BatchRunner(model.CreateBatchSimulation()) : new OneByOneRunner(model.CreateSimulation());

    private sealed class BatchRunner(BatchSimulator batch) : IModelRunner
    {
        public int BatchSize => BatchSimulator.BatchSize;

        public void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout) =>
            batch.Run(parameters, seeds, outputs, buffer, layout);
    }

    private sealed class OneByOneRunner(Simulator simulator) : IModelRunner
    {
        public int BatchSize => 1;

        public void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout) =>
            simulator.Run(parameters, seeds[0], outputs, buffer, layout);
    }
}
