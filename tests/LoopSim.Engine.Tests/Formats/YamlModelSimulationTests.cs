using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>YAML models run through the compiler: results against hand-computed values, equation errors located in the YAML file.</summary>
public class YamlModelSimulationTests
{
    [Fact]
    public void Exponential_growth_matches_the_euler_formula()
    {
        var model = YamlModelReader.Parse("""
            sim: {start: 0, stop: 4, dt: 1/4, save_step: 1}
            constants:
              growth_rate: {value: 0.1, units: 1/week}
            stocks:
              Population:
                initial: 100
                inflows: [births]
            flows:
              births:
                equation: Population * growth_rate
            """, "m.yaml");
        var result = ModelCompiler.Compile(model).Run();
        Assert.Equal(new[] { 0.0, 1, 2, 3, 4 }, result.Times);
        // Euler with dt = 1/4: P(t) = 100 (1 + 0.1/4)^(4t)
        Close.Equal(result.Times.Select(t => 100 * Math.Pow(1.025, 4 * t)).ToArray(), result["Population"]);
    }

    [Fact]
    public void Graphs_interpolate_between_their_points()
    {
        var model = YamlModelReader.Parse("""
            sim: {start: 0, stop: 4, dt: 1}
            auxiliaries:
              inline:
                equation: TIME / 4
                graph:
                  x: [0, 0.5, 1]
                  y: [0, 0.8, 1]
              named:
                equation: effect(TIME)
            graphical_functions:
              effect:
                points: [[0, 10], [2, 20], [4, 0]]
            """, "m.yaml");
        var result = ModelCompiler.Compile(model).Run();
        Close.Equal(new[] { 0, 0.4, 0.8, 0.9, 1 }, result["inline"]);
        Close.Equal(new[] { 10.0, 15, 20, 10, 0 }, result["named"]);
    }

    [Fact]
    public void Constants_are_parameters_the_compiler_can_override()
    {
        var model = YamlModelReader.Parse("sim: {start: 0, stop: 1, dt: 1}\nconstants:\n  Member Cap: {value: 100}\nauxiliaries:\n  double cap: {equation: 2 * Member_Cap}\n", "m.yaml");
        var compiled = ModelCompiler.Compile(model, new CompileOptions { Overrides = new Dictionary<string, double> { ["member_cap"] = 7 } });
        Close.Equal(new[] { 14.0, 14 }, compiled.Run()["double cap"]);
        Assert.Contains("Member Cap", ModelCompiler.Compile(model).ParameterNames);
    }

    [Fact]
    public void Very_small_and_large_constants_keep_their_exact_value()
    {
        // Shortest round-trip text uses exponents ("1E-05"): the equation parser must read them back exactly.
        var model = YamlModelReader.Parse("sim: {start: 0, stop: 1, dt: 1}\nconstants:\n  tiny: {value: 1.5e-5}\n  huge: {value: 3e21}\n  third: {value: 1/3}\n", "m.yaml");
        Assert.Equal("1.5E-05", model.Variables[0].Equation!.Text);
        var result = ModelCompiler.Compile(model).Run();
        Assert.Equal(1.5e-5, result["tiny"][0]);
        Assert.Equal(3e21, result["huge"][0]);
        Assert.Equal(1.0 / 3, result["third"][0]);
    }

    [Theory]
    // plain scalar: the error column is the scalar's column plus the offset of the name
    [InlineData("    equation: Population * grwth\n", 10, 28)]
    // quoted scalar: counted from after the quote
    [InlineData("    equation: \"Population * grwth\"\n", 10, 29)]
    // literal block: on the first content line, at its indentation
    [InlineData("    equation: |\n      Population * grwth\n", 11, 20)]
    public void Equation_errors_point_into_the_yaml_file(string equation, int line, int column)
    {
        var model = YamlModelReader.Parse("sim: {start: 0, stop: 1, dt: 1}\nconstants:\n  growth: {value: 1}\nstocks:\n  Population:\n    initial: 1\n    inflows: [births]\nflows:\n  births:\n" + equation, "m.yaml");
        var e = Assert.Throws<ModelException>(() => ModelCompiler.Compile(model));
        var d = Assert.Single(e.Diagnostics);
        Assert.Contains("'grwth'", d.Message);
        Assert.Equal(new SourceLocation("m.yaml", line, column), d.Location);
        Assert.Contains("'growth'", d.Hint);
    }
}
