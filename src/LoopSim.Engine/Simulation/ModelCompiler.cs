using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Validation;

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
        ModelValidator.ValidateSpecs(specs, SimSpecsSource.Unlocated(model.SourceFile is null ? null : new SourceLocation(model.SourceFile, 0, 0)));
        return specs;
    }
}
