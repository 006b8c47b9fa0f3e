using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Tests.Conformance;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>Model → XmileWriter → XmileReader gives the same model and the same simulation results.</summary>
public class XmileRoundTripTests
{
    /// <summary>Every feature of the YAML format, and behaviour that depends on each (non-negative stocks, graphs, delays, RK4).</summary>
    private const string Model = """
        model: round trip
        sim:
          start: 0
          stop: 30
          dt: 1/8
          save_step: 0.5
          method: rk4
          time_units: week
        constants:
          growth rate:
            value: 0.3
            units: 1/week
            range: [0, 1]
            description: Growth per week.
            source: Assumption.
          drain_rate: {value: 40}
        stocks:
          Pool:
            initial: 100 * growth_rate
            inflows: [inflow]
            outflows: [drain, "moving out"]
            non_negative: true
            units: people
          Delayed:
            initial: 0
            inflows: [arrivals]
        flows:
          inflow:
            equation: Pool * growth_rate * effect(Pool / 100)
            non_negative: true
          drain:
            equation: IF TIME > 10 THEN drain_rate ELSE 0
          moving out:
            equation: Pool / 50
            graph:
              type: extrapolate
              x: [0, 1, 2]
              y: [0, 0.5, 3]
          arrivals:
            equation: DELAY3(inflow, 4)
        auxiliaries:
          crowding:
            equation: SMTH1(Pool / 100, 2)
            graph:
              type: discrete
              points: [[0, 1], [0.5, 2], [1, 3]]
        graphical_functions:
          effect:
            points: [[0, 1], [1, 0.6], [2, 0.1]]
        """;

    private static string? Written(Variable v) => v.Equation is null ? null : ExprWriter.Write(v.Equation.Syntax);

    [Fact]
    public void The_model_reads_back_the_same()
    {
        var original = YamlModelReader.Parse(Model, "m.yaml");
        var back = XmileReader.Parse(XmileWriter.Write(original), "m.xmile");

        Assert.Equal(original.Name, back.Name);
        Assert.Equal(original.Specs, back.Specs);
        Assert.Equal(original.Variables.Count, back.Variables.Count);
        foreach (var (a, b) in original.Variables.Zip(back.Variables))
        {
            Assert.Equal((a.Name, a.Kind, Written(a), a.NonNegative, a.Units), (b.Name, b.Kind, Written(b), b.NonNegative, b.Units));
            Assert.Equal(a.Inflows.Select(Names.Canonical), b.Inflows.Select(Names.Canonical));
            Assert.Equal(a.Outflows.Select(Names.Canonical), b.Outflows.Select(Names.Canonical));
            Assert.Equal(a.Graph?.Type, b.Graph?.Type);
            Assert.Equal(a.Graph?.X, b.Graph?.X);
            Assert.Equal(a.Graph?.Y, b.Graph?.Y);
        }
        Assert.Equal("Growth per week.\nSource: Assumption.\nPlausible range: [0, 1]", back.Variables[0].Description);
    }

    [Fact]
    public void The_model_simulates_the_same()
    {
        var original = YamlModelReader.Parse(Model, "m.yaml");
        var back = XmileReader.Parse(XmileWriter.Write(original), "m.xmile");
        var expected = ModelCompiler.Compile(original).Run();
        var actual = ModelCompiler.Compile(back).Run();
        // The model must exercise what it is meant to: the non-negative stock limits the drain to less than the 40 it asks for.
        Assert.Contains(expected["drain"], d => d > 0 && d < 40);
        Assert.True(expected["Delayed"][^1] > 0);
        AssertSameResults(expected, actual);
    }

    [SuiteTheory]
    [MemberData(nameof(SdxorgSuite.ConformanceCases), MemberType = typeof(SdxorgSuite))]
    public void Each_conformance_model_survives_a_round_trip(string id)
    {
        var original = XmileReader.Load(SdxorgSuite.ById(id).ModelPath);
        var back = XmileReader.Parse(XmileWriter.Write(original), "roundtrip.xmile");

        AssertSameResults(ModelCompiler.Compile(original).Run(), ModelCompiler.Compile(back).Run());
    }

    /// <summary>The YAML models shipped in scenarios/models.</summary>
    private static IReadOnlyList<string> ShippedModels()
    {
        var models = Directory.GetFiles(Path.Combine(Repository.Root, "scenarios", "models"), "*.yaml").Order().ToList();
        Assert.NotEmpty(models);
        return models;
    }

    [Fact]
    public void Every_shipped_model_survives_a_round_trip()
    {
        foreach (var path in ShippedModels())
        {
            var original = ModelLoader.Load(path);
            var back = XmileReader.Parse(XmileWriter.Write(original), Path.ChangeExtension(path, ".xmile"));
            AssertSameResults(ModelCompiler.Compile(original).Run(), ModelCompiler.Compile(back).Run());
        }
    }

    private static void AssertSameResults(SimulationResult expected, SimulationResult actual)
    {
        Assert.Equal(expected.Times, actual.Times);
        Assert.Equal(expected.Names, actual.Names);
        for (int k = 0; k < expected.Names.Count; k++)
            Close.Equal(expected.Series[k], actual.Series[k], relative: 1e-12, absolute: 1e-300);
    }
}
