using LoopSim.Engine.Runtime;

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
    /// <summary>The most runs one call does (1 for a runner that runs one at a time).</summary>
    int BatchSize { get; }

    /// <summary>
    /// seeds.Length runs (1 to <see cref="BatchSize"/>): run r takes parameters[r * P, (r + 1) * P) (P parameters
    /// each) and seeds[r], and writes outputs[k] at save point i where <paramref name="layout"/> puts it
    /// (<see cref="SaveLayout.RunAfterRun"/>, or the Monte Carlo's <see cref="SaveLayout.Columns"/>). Each run's values do
    /// not depend on the other runs of the call.
    /// </summary>
    void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout);
}
