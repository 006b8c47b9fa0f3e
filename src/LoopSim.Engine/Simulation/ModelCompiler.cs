using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;

namespace LoopSim.Engine.Simulation;

/// <summary>Changes applied when compiling: integration method, DT, and variables replaced by constants (--set).</summary>
public sealed record CompileOptions
{
    public IntegrationMethod? Method { get; init; }
    public double? Dt { get; init; }
    /// <summary>Variables (by any spelling of their name) whose equation is replaced by this constant.</summary>
    public IReadOnlyDictionary<string, double>? Overrides { get; init; }
}

/// <summary>
/// Model → resolved IR (<see cref="Resolver"/>) → lowered, ordered, compiled plan (<see cref="Lowering"/>,
/// <see cref="Ordering"/>, <see cref="CodeGen"/>). Checks everything first and reports every problem at once.
/// </summary>
public static class ModelCompiler
{
    public static CompiledModel Compile(SdModel model, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        var specs = EffectiveSpecs(model, options);
        var lowered = Lowering.Lower(Resolver.Resolve(model, options.Overrides));
        var runOrder = Ordering.ChangingEachStep(lowered.Nodes, Ordering.RunOrder(lowered.Nodes));
        var initOrder = Ordering.InitOrder(lowered.Nodes);
        return new CompiledModel(model, specs, lowered, initOrder, runOrder);
    }

    private static SimSpecs EffectiveSpecs(SdModel model, CompileOptions options)
    {
        var specs = model.Specs with
        {
            Method = options.Method ?? model.Specs.Method,
            Dt = options.Dt ?? model.Specs.Dt,
        };
        var where = model.SourceFile is null ? null : new SourceLocation(model.SourceFile, 0, 0);
        if (!(specs.Dt > 0) || double.IsInfinity(specs.Dt))
            throw new ModelException(DiagnosticCodes.DtNotPositive, $"the time step DT must be a positive number, not {specs.Dt}", where, hint: "Set dt in the sim specs (or --dt).");
        if (!(specs.Stop >= specs.Start))
            throw new ModelException(DiagnosticCodes.StopNotAfterStart, $"the stop time {specs.Stop} is before the start time {specs.Start}", where, hint: "Fix start and stop in the sim specs.");
        if (specs.SaveStep is { } save && !(save > 0))
            throw new ModelException(DiagnosticCodes.SaveStepNotPositive, $"the save step must be positive, not {save}", where, hint: "Fix the save step in the sim specs.");
        return specs;
    }
}
