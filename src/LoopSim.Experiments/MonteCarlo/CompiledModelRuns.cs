using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.MonteCarlo;

/// <summary>The engine's compiled model as the Monte Carlo sees it: one <see cref="Simulator"/> per worker thread.</summary>
internal sealed class CompiledModelRuns(CompiledModel model) : IRunnableModel
{
    public IReadOnlyList<string> ParameterNames => model.ParameterNames;
    public IReadOnlyList<double> DefaultParameters => model.DefaultParameters;
    public IReadOnlyList<string> OutputNames => model.OutputNames;
    public IReadOnlyList<double> SaveTimes => model.SaveTimes;
    public IModelRunner CreateRunner() => new Runner(model.CreateSimulation());

    private sealed class Runner(Simulator simulator) : IModelRunner
    {
        public void Run(ReadOnlySpan<double> parameters, ulong seed, ReadOnlySpan<int> outputs, Span<double> buffer) =>
            simulator.Run(parameters, seed, outputs, buffer);
    }
}
