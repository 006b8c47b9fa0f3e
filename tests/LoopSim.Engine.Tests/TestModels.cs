using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Tests;

/// <summary>Builds small models in code for engine tests.</summary>
internal sealed class TestModel
{
    public SdModel Model { get; } = new() { Name = "test" };

    public TestModel(double start = 0, double stop = 10, double dt = 1, IntegrationMethod method = IntegrationMethod.Euler, double? saveStep = null) =>
        Model.Specs = new SimSpecs { Start = start, Stop = stop, Dt = dt, Method = method, SaveStep = saveStep };

    public TestModel Stock(string name, string initial, string[]? inflows = null, string[]? outflows = null, bool nonNegative = false)
    {
        var v = new Variable { Name = name, Kind = VariableKind.Stock, Equation = Equation.Parse(initial), NonNegative = nonNegative };
        v.Inflows.AddRange(inflows ?? Array.Empty<string>());
        v.Outflows.AddRange(outflows ?? Array.Empty<string>());
        Model.Variables.Add(v);
        return this;
    }

    public TestModel Flow(string name, string equation, bool nonNegative = false)
    {
        Model.Variables.Add(new Variable { Name = name, Kind = VariableKind.Flow, Equation = Equation.Parse(equation), NonNegative = nonNegative });
        return this;
    }

    public TestModel Aux(string name, string equation, GraphicalFunction? graph = null)
    {
        Model.Variables.Add(new Variable { Name = name, Kind = VariableKind.Aux, Equation = Equation.IsBlank(equation) ? null : Equation.Parse(equation), Graph = graph });
        return this;
    }

    public CompiledModel Compile(CompileOptions? options = null) => ModelCompiler.Compile(Model, options);

    public SimulationResult Run(CompileOptions? options = null, ulong seed = 0) => Compile(options).Run(seed: seed);
}

internal static class Close
{
    /// <summary>Element-wise comparison with a relative tolerance (absolute near zero); the message names the index.</summary>
    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative = 1e-12, double absolute = 1e-12)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = Math.Abs(e - a) <= Math.Max(absolute, relative * Math.Abs(e)) || (double.IsNaN(e) && double.IsNaN(a));
            Assert.True(ok, $"at index {i}: expected {e:R}, actual {a:R}");
        }
    }
}
