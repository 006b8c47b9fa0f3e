// PROVISIONAL: signatures only, being implemented on main by the lead. Code against these.
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Simulation;

/// <summary>Changes applied when compiling: integration method, DT, and variables replaced by constants (--set).</summary>
public sealed record CompileOptions
{
    public IntegrationMethod? Method { get; init; }
    public double? Dt { get; init; }
    /// <summary>Variables (by any spelling of their name) whose equation is replaced by this constant.</summary>
    public IReadOnlyDictionary<string, double>? Overrides { get; init; }
}

/// <summary>Results of one run: every visible variable at every save time.</summary>
public sealed class SimulationResult
{
    public SimulationResult(double[] times, IReadOnlyList<string> names, double[][] series)
    { Times = times; Names = names; Series = series; }
    public double[] Times { get; }
    /// <summary>Display names, model order.</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>Series[k][i] = value of Names[k] at Times[i].</summary>
    public double[][] Series { get; }
    /// <summary>The series of a variable by any spelling of its name; ModelException with suggestions if unknown.</summary>
    public double[] this[string name] => throw new NotImplementedException();
}
