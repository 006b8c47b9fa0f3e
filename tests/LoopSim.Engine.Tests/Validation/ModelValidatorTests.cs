using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Validation;

namespace LoopSim.Engine.Tests.Validation;

/// <summary>The simulation specs and limits get the same answer, with the same code, from XMILE and YAML.</summary>
public sealed class ModelValidatorTests
{
    private static string Yaml(string sim) => $"sim: {{{sim}}}\nstocks:\n  S: {{initial: 1}}\n";

    private static string Xmile(string specs) => $"""
        <xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
          <sim_specs>{specs}</sim_specs>
          <model><variables><stock name="S"><eqn>1</eqn></stock></variables></model>
        </xmile>
        """;

    private static Diagnostic YamlError(string sim) =>
        Assert.Single(Assert.Throws<ModelException>(() => YamlModelReader.Parse(Yaml(sim), "m.yaml")).Diagnostics);

    private static Diagnostic XmileError(string specs) =>
        Assert.Single(Assert.Throws<ModelException>(() => XmileReader.Parse(Xmile(specs), "m.xmile")).Diagnostics);

    public static TheoryData<string, string, string> SameAnswer => new()
    {
        // YAML sim, XMILE sim_specs, expected code
        { "start: 10, stop: 10, dt: 1", "<start>10</start><stop>10</stop><dt>1</dt>", "LS3001" },
        { "start: 10, stop: 5, dt: 1", "<start>10</start><stop>5</stop><dt>1</dt>", "LS3001" },
        { "start: 0, stop: 10, dt: 0", "<start>0</start><stop>10</stop><dt>0</dt>", "LS3002" },
        { "start: 0, stop: 10, dt: -1", "<start>0</start><stop>10</stop><dt>-1</dt>", "LS3002" },
        { "start: 0, stop: 10, dt: 20", "<start>0</start><stop>10</stop><dt>20</dt>", "LS3003" },
        { "start: 0, stop: 10, dt: 1, save_step: 0", "<start>0</start><stop>10</stop><dt>1</dt><savestep>0</savestep>", "LS3004" },
        { "start: 0, stop: 1e400, dt: 1", "<start>0</start><stop>1e400</stop><dt>1</dt>", "LS3006" },
        { "start: 0, stop: 1e12, dt: 0.001", "<start>0</start><stop>1e12</stop><dt>0.001</dt>", "LS3009" },
    };

    [Theory]
    [MemberData(nameof(SameAnswer))]
    public void Xmile_and_yaml_give_the_same_answer(string yaml, string xmile, string code)
    {
        var (fromYaml, fromXmile) = (YamlError(yaml), XmileError(xmile));
        Assert.Equal((code, code), (fromYaml.Code.Id, fromXmile.Code.Id));
        // The same words, each naming the field as its format writes it ('stop' in YAML, <stop> in XMILE).
        static string Words(string message) => message.Replace("'", "").Replace("<", "").Replace(">", "").Replace("the save step", "save_step");
        Assert.Equal(Words(fromYaml.Message), Words(fromXmile.Message));
        Assert.NotNull(fromYaml.Location);
        Assert.True(fromXmile.Location!.Line > 0);
    }

    [Fact]
    public void Every_problem_of_the_specs_is_reported_at_once()
    {
        var e = Assert.Throws<ModelException>(() => YamlModelReader.Parse(Yaml("start: 5, stop: 1, dt: 0, save_step: -1"), "m.yaml"));
        Assert.Equal(["LS3001", "LS3002", "LS3004"], e.Diagnostics.Select(d => d.Code.Id));
    }

    [Fact]
    public void A_too_large_number_is_named_as_written()
    {
        var d = YamlError("start: 0, stop: 1e400, dt: 1");
        Assert.Equal("the number '1e400' is too large: numbers must lie between -1.8e308 and 1.8e308.", d.Message);
        Assert.Equal(new SourceLocation("m.yaml", 1, 23), d.Location);
    }

    [Fact]
    public void Dt_longer_than_the_run_names_the_longest_dt()
    {
        var d = YamlError("start: 0, stop: 10, dt: 20");
        Assert.Equal("'dt' (20) is longer than the run from 0 to 10, so not one step would be taken.", d.Message);
        Assert.StartsWith("Use a dt of at most 10;", d.Hint);
    }

    [Fact]
    public void Too_many_steps_are_refused_before_the_run()
    {
        var e = Assert.Throws<ModelException>(() => new TestModel(stop: 1e12, dt: 0.001).Stock("S", "1").Compile());
        Assert.Equal("LS3009", Assert.Single(e.Diagnostics).Code.Id);
        Assert.Contains("1e+15 steps", e.Diagnostics[0].Message);
    }

    [Fact]
    public void A_value_outside_the_declared_range_names_its_source()
    {
        var variable = new Variable { Name = "birth_rate", Kind = VariableKind.Aux, Range = (0, 0.2) };
        var d = ModelValidator.CheckRange(variable, 7, "city 'Shanghai'", null);
        Assert.Equal("LS3007", d!.Code.Id);
        Assert.Equal("city 'Shanghai' gives birth_rate the value 7, outside its declared range [0, 0.2].", d.Message);
        Assert.Null(ModelValidator.CheckRange(variable, 0.2, "city 'Shanghai'", null));
    }
}
