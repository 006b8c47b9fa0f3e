namespace LoopSim.Experiments.MonteCarlo;

/// <summary>What the Monte Carlo needs from a compiled model; <see cref="CompiledModelRuns"/> adapts the engine's CompiledModel.</summary>
internal interface IRunnableModel
{
    /// <summary>Display names of the constants settable per run, in parameter-vector order.</summary>
    IReadOnlyList<string> ParameterNames { get; }
    IReadOnlyList<double> DefaultParameters { get; }
    /// <summary>Display names of every variable that can be reported, in output-index order.</summary>
    IReadOnlyList<string> OutputNames { get; }
    /// <summary>The times at which every run saves its outputs.</summary>
    IReadOnlyList<double> SaveTimes { get; }
    /// <summary>A runner for one thread.</summary>
    IModelRunner CreateRunner();
}

internal interface IModelRunner
{
    /// <summary>One run; writes outputs[k] at save point i into buffer[i * outputs.Length + k].</summary>
    void Run(ReadOnlySpan<double> parameters, ulong seed, ReadOnlySpan<int> outputs, Span<double> buffer);
}
