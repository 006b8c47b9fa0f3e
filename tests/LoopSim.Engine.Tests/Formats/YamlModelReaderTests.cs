using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Formats;

public class YamlModelReaderTests
{
    private const string Sim = """
        sim:
          start: 0
          stop: 10
          dt: 0.25

        """;

    private const string Complete = """
        model: tiny
        description: >
          A small model, one line per feature.
        sim:
          start: 1
          stop: 11
          dt: 1/4
          save_step: 0.5
          method: RK4
          time_units: week
        constants:
          growth_rate:
            value: 0.1
            units: 1/week
            range: [0, 0.5]
            description: Growth per week.
            source: "Assumption: a tenth a week."
        stocks:
          Population:
            initial: 100 * scale
            inflows: births
            outflows: [deaths, moving out]
            non_negative: true
            units: people
            description: Everyone.
        flows:
          births:
            equation: Population * growth_rate
            non_negative: true
            units: people/week
          deaths:
            equation: "Population / lifetime"
          moving out:
            equation: crowding
            graph:
              type: extrapolate
              x: [0, 1, 2]
              y: [1, 0.5, 0]
        auxiliaries:
          lifetime:
            equation: 20
          scale:
            equation: 1
          crowding:
            equation: Population / 1000
            graph:
              points: [[0, 0], [0.5, 0.8], [1, 1]]
            units: dimensionless
        graphical_functions:
          effect:
            type: discrete
            points:
              - [0, 1]
              - [1, 0.5]
            description: A step table.
        """;

    private static ModelException Fails(string yaml) =>
        Assert.Throws<ModelException>(() => YamlModelReader.Parse(yaml, "m.yaml"));

    private static Diagnostic Single(string yaml)
    {
        var e = Fails(yaml);
        return Assert.Single(e.Diagnostics);
    }

    private static void At(Diagnostic d, int line, int column)
    {
        Assert.Equal("m.yaml", d.Location?.File);
        Assert.Equal((line, column), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void Reads_sim_specs()
    {
        var model = YamlModelReader.Parse(Complete, "m.yaml");
        Assert.Equal("tiny", model.Name);
        Assert.Equal("m.yaml", model.SourceFile);
        Assert.Equal(new SimSpecs { Start = 1, Stop = 11, Dt = 0.25, SaveStep = 0.5, Method = IntegrationMethod.RK4, TimeUnits = "week" }, model.Specs);
    }

    [Fact]
    public void Sim_defaults_are_euler_and_every_dt()
    {
        var model = YamlModelReader.Parse(Sim, "m.yaml");
        Assert.Equal(new SimSpecs { Start = 0, Stop = 10, Dt = 0.25 }, model.Specs);
        Assert.Empty(model.Variables);
    }

    [Fact]
    public void Model_name_defaults_to_the_file_name()
    {
        Assert.Equal("growth", YamlModelReader.Parse(Sim, "dir/growth.yaml").Name);
    }

    [Fact]
    public void Keeps_variables_in_file_order()
    {
        var model = YamlModelReader.Parse(Complete, "m.yaml");
        Assert.Equal(new[] { "growth_rate", "Population", "births", "deaths", "moving out", "lifetime", "scale", "crowding", "effect" },
            model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void A_constant_is_an_aux_with_a_numeric_equation_and_its_documentation()
    {
        var c = YamlModelReader.Parse(Complete, "m.yaml").Variables[0];
        Assert.Equal(VariableKind.Aux, c.Kind);
        Assert.Equal("0.1", c.Equation!.Text);
        Assert.Equal("1/week", c.Units);
        Assert.Equal((0.0, 0.5), c.Range);
        Assert.Equal("Growth per week.", c.Description);
        Assert.Equal("Assumption: a tenth a week.", c.Source);
        Assert.Equal(new SourceLocation("m.yaml", 13, 12), c.Location);
    }

    [Fact]
    public void A_fractional_constant_becomes_its_exact_decimal()
    {
        var c = YamlModelReader.Parse(Sim + "constants:\n  third:\n    value: 1/3\n", "m.yaml").Variables[0];
        Assert.Equal(1.0 / 3, double.Parse(c.Equation!.Text, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Reads_a_stock()
    {
        var s = YamlModelReader.Parse(Complete, "m.yaml").Variables[1];
        Assert.Equal(VariableKind.Stock, s.Kind);
        Assert.Equal("100 * scale", s.Equation!.Text);
        Assert.Equal(new[] { "births" }, s.Inflows);
        Assert.Equal(new[] { "deaths", "moving out" }, s.Outflows);
        Assert.True(s.NonNegative);
        Assert.Equal("people", s.Units);
        Assert.Equal("Everyone.", s.Description);
        Assert.Equal(new SourceLocation("m.yaml", 20, 14), s.Location);
    }

    [Fact]
    public void Reads_flows_with_and_without_graphs()
    {
        var model = YamlModelReader.Parse(Complete, "m.yaml");
        var births = model.Variables[2];
        Assert.Equal((VariableKind.Flow, "Population * growth_rate", true, "people/week"), (births.Kind, births.Equation!.Text, births.NonNegative, births.Units));
        Assert.Null(births.Graph);
        var deaths = model.Variables[3];
        Assert.False(deaths.NonNegative);
        // A quoted equation's location is its first character, past the quote.
        Assert.Equal(new SourceLocation("m.yaml", 32, 16), deaths.Location);
        var moving = model.Variables[4];
        Assert.Equal("crowding", moving.Equation!.Text);
        Assert.Equal(GraphType.Extrapolate, moving.Graph!.Type);
        Assert.Equal(new[] { 0.0, 1, 2 }, moving.Graph.X);
        Assert.Equal(new[] { 1.0, 0.5, 0 }, moving.Graph.Y);
    }

    [Fact]
    public void Reads_auxiliaries_with_a_graph_of_their_equation()
    {
        var crowding = YamlModelReader.Parse(Complete, "m.yaml").Variables[7];
        Assert.Equal((VariableKind.Aux, "Population / 1000", "dimensionless"), (crowding.Kind, crowding.Equation!.Text, crowding.Units));
        Assert.Equal(GraphType.Continuous, crowding.Graph!.Type);
        Assert.Equal(new[] { 0.0, 0.5, 1 }, crowding.Graph.X);
        Assert.Equal(new[] { 0.0, 0.8, 1 }, crowding.Graph.Y);
    }

    [Fact]
    public void A_named_graphical_function_is_an_aux_with_no_equation()
    {
        var effect = YamlModelReader.Parse(Complete, "m.yaml").Variables[8];
        Assert.Equal(VariableKind.Aux, effect.Kind);
        Assert.Null(effect.Equation);
        Assert.Equal(new GraphType[] { GraphType.Discrete }, new[] { effect.Graph!.Type });
        Assert.Equal(new[] { 0.0, 1 }, effect.Graph.X);
        Assert.Equal(new[] { 1.0, 0.5 }, effect.Graph.Y);
        Assert.Equal("A step table.", effect.Description);
    }

    [Fact]
    public void Empty_sections_are_allowed()
    {
        Assert.Empty(YamlModelReader.Parse(Sim + "constants:\nstocks:\n", "m.yaml").Variables);
    }

    // ---- errors: each names file, line and column ----

    [Fact]
    public void Yaml_syntax_error_names_line_and_column()
    {
        var d = Single(Sim + "stocks:\n  S:\n    initial: 1\n   units: x\n");
        Assert.StartsWith("YAML syntax error", d.Message);
        At(d, 8, 4);
    }

    [Fact]
    public void Unclosed_bracket_is_a_syntax_error_not_a_crash()
    {
        var d = Single(Sim + "stocks:\n  S:\n    initial: 1\n    inflows: [a, b\n    units: x\n");
        Assert.StartsWith("YAML syntax error", d.Message);
        Assert.Equal(9, d.Location!.Line);
    }

    [Fact]
    public void Duplicate_key_in_one_mapping_is_an_error()
    {
        var d = Single(Sim + "auxiliaries:\n  a:\n    equation: 1\n  a:\n    equation: 2\n");
        Assert.Contains("Duplicate key", d.Message);
        At(d, 8, 3);
    }

    [Fact]
    public void Unknown_top_level_key_suggests_the_closest_and_lists_all()
    {
        var d = Single(Sim + "stock:\n  S:\n    initial: 1\n");
        Assert.Contains("unknown key 'stock'", d.Message);
        Assert.Contains("Did you mean 'stocks'?", d.Hint);
        Assert.Contains("model, description, sim, dimensions, constants, stocks, flows, auxiliaries, graphical_functions", d.Hint);
        At(d, 5, 1);
    }

    [Fact]
    public void Unknown_key_in_a_variable_suggests_the_closest()
    {
        var d = Single(Sim + "stocks:\n  S:\n    initial: 1\n    inflow: [f]\n");
        Assert.Equal("unknown key 'inflow' in stock 'S'.", d.Message);
        Assert.StartsWith("Did you mean 'inflows'? Allowed keys: initial, dimensions, inflows, outflows, non_negative, units, description.", d.Hint);
        At(d, 8, 5);
    }

    [Fact]
    public void A_string_where_a_number_is_needed()
    {
        var d = Single(Sim + "constants:\n  c:\n    value: ten\n");
        Assert.Equal("'value' of constant 'c' must be a number, not 'ten'.", d.Message);
        At(d, 7, 12);
    }

    [Fact]
    public void A_list_where_a_value_is_needed()
    {
        var d = Single(Sim + "flows:\n  f:\n    equation: [1, 2]\n");
        Assert.Contains("must be a single value, not a list", d.Message);
        At(d, 7, 15);
    }

    [Fact]
    public void A_variable_must_be_a_mapping()
    {
        var d = Single(Sim + "auxiliaries:\n  a: 3\n");
        Assert.Equal("auxiliary 'a' must be a mapping of 'key: value' lines, not the value '3'.", d.Message);
        At(d, 6, 6);
    }

    [Fact]
    public void Non_negative_must_be_a_boolean()
    {
        var d = Single(Sim + "stocks:\n  S:\n    initial: 1\n    non_negative: maybe\n");
        Assert.Equal("'non_negative' of stock 'S' must be true or false, not 'maybe'.", d.Message);
        At(d, 8, 19);
    }

    [Fact]
    public void Missing_equation_is_an_error_at_the_variable()
    {
        var d = Single(Sim + "flows:\n  f:\n    units: x\n");
        Assert.Equal("flow 'f' needs 'equation'.", d.Message);
        At(d, 7, 5);
    }

    [Fact]
    public void Duplicate_names_across_sections_are_found_canonically()
    {
        var d = Single(Sim + "stocks:\n  Active Members:\n    initial: 1\nauxiliaries:\n  active_members:\n    equation: 2\n");
        Assert.Equal("the name 'active_members' is already used by the stock 'Active Members' at m.yaml:6:3.", d.Message);
        At(d, 9, 3);
    }

    [Fact]
    public void Inflow_naming_no_flow_suggests_close_flows()
    {
        var d = Single(Sim + "stocks:\n  S:\n    initial: 1\n    inflows: [birth]\nflows:\n  births:\n    equation: 1\n");
        Assert.Equal("inflow 'birth' of stock 'S' names no flow.", d.Message);
        Assert.Equal("Did you mean 'births'?", d.Hint);
        At(d, 8, 15);
    }

    [Fact]
    public void Outflow_naming_an_auxiliary_is_an_error()
    {
        var d = Single(Sim + "stocks:\n  S:\n    initial: 1\n    outflows: loss\nauxiliaries:\n  loss:\n    equation: 1\n");
        Assert.Equal("outflow 'loss' of stock 'S' is the auxiliary 'loss', not a flow.", d.Message);
        At(d, 8, 15);
    }

    [Fact]
    public void Flow_references_match_any_spelling()
    {
        var model = YamlModelReader.Parse(Sim + "stocks:\n  S:\n    initial: 1\n    inflows: [New Members]\nflows:\n  new_members:\n    equation: 1\n", "m.yaml");
        Assert.Equal(new[] { "New Members" }, model.Variables[0].Inflows);
    }

    [Fact]
    public void Unsorted_graph_points_name_the_point()
    {
        var d = Single(Sim + "auxiliaries:\n  a:\n    equation: 1\n    graph:\n      points: [[0, 0], [2, 1], [1, 2]]\n");
        Assert.Equal("the x values of 'graph' of auxiliary 'a' must increase: point 3 has x = 1 after x = 2.", d.Message);
        At(d, 9, 32);
    }

    [Fact]
    public void Repeated_graph_x_is_an_error()
    {
        var d = Single(Sim + "graphical_functions:\n  g:\n    x: [0, 1, 1]\n    y: [0, 1, 2]\n");
        Assert.Contains("must increase: point 3 has x = 1 after x = 1", d.Message);
        At(d, 7, 15);
    }

    [Fact]
    public void Graph_x_and_y_of_different_lengths()
    {
        var d = Single(Sim + "graphical_functions:\n  g:\n    x: [0, 1, 2]\n    y: [0, 1]\n");
        Assert.Equal("graphical function 'g' has 3 x values but 2 y values; they must pair up.", d.Message);
        At(d, 8, 8);
    }

    [Fact]
    public void Graph_point_must_be_a_pair()
    {
        var d = Single(Sim + "graphical_functions:\n  g:\n    points: [[0, 0], [1, 2, 3]]\n");
        Assert.Equal("each point of graphical function 'g' must be a pair [x, y].", d.Message);
        At(d, 7, 22);
    }

    [Fact]
    public void Graph_with_both_points_and_x_y()
    {
        var d = Single(Sim + "graphical_functions:\n  g:\n    points: [[0, 0], [1, 1]]\n    x: [0, 1]\n    y: [0, 1]\n");
        Assert.Contains("gives both 'points' and 'x'/'y'", d.Message);
    }

    [Fact]
    public void Graph_needs_two_points()
    {
        var d = Single(Sim + "graphical_functions:\n  g:\n    points: [[0, 0]]\n");
        Assert.Equal("graphical function 'g' needs at least two points.", d.Message);
    }

    [Fact]
    public void Graph_without_points()
    {
        var d = Single(Sim + "graphical_functions:\n  g:\n    type: continuous\n");
        Assert.Contains("needs 'points: [[x, y], ...]', or both 'x: [...]' and 'y: [...]'", d.Message);
        At(d, 7, 5);
    }

    [Fact]
    public void Unknown_graph_type_suggests()
    {
        var d = Single(Sim + "graphical_functions:\n  g:\n    type: extrapolated\n    points: [[0, 0], [1, 1]]\n");
        Assert.Equal("unknown graph type 'extrapolated' in graphical function 'g'.", d.Message);
        Assert.StartsWith("Did you mean 'extrapolate'?", d.Hint);
        At(d, 7, 11);
    }

    [Fact]
    public void Stop_must_be_after_start()
    {
        var d = Single("sim:\n  start: 10\n  stop: 10\n  dt: 1\n");
        Assert.Equal("'stop' (10) must be after 'start' (10).", d.Message);
        At(d, 3, 9);
    }

    [Fact]
    public void Dt_must_be_positive()
    {
        var d = Single("sim:\n  start: 0\n  stop: 10\n  dt: -0.5\n");
        Assert.Equal("'dt' must be positive, not -0.5.", d.Message);
        At(d, 4, 7);
    }

    [Fact]
    public void Dt_of_zero_as_a_fraction_is_not_a_number()
    {
        var d = Single("sim:\n  start: 0\n  stop: 10\n  dt: 1/0\n");
        Assert.Equal("'dt' of 'sim' must be a number, not '1/0'.", d.Message);
    }

    [Fact]
    public void Unknown_method_suggests()
    {
        var d = Single(Sim + "  method: rk-4\n");
        Assert.Equal("unknown integration method 'rk-4'.", d.Message);
        Assert.Equal("Did you mean 'rk4'? Allowed: euler, rk2, rk4.", d.Hint);
        At(d, 5, 11);
    }

    [Fact]
    public void Missing_sim_and_missing_dt()
    {
        Assert.Equal("the model file needs 'sim'.", Single("constants:\n").Message);
        var d = Single("sim:\n  start: 0\n  stop: 1\n");
        Assert.Equal("'sim' needs 'dt'.", d.Message);
        At(d, 2, 3);
    }

    [Fact]
    public void Constant_outside_its_range()
    {
        var d = Single(Sim + "constants:\n  c:\n    value: 0.6\n    range: [0, 0.5]\n");
        Assert.Equal("the model file gives c the value 0.6, outside its declared range [0, 0.5].", d.Message);
        At(d, 7, 12);
    }

    [Fact]
    public void Range_needs_two_ordered_numbers()
    {
        Assert.Contains("must be two numbers [min, max], not 3", Single(Sim + "constants:\n  c:\n    value: 1\n    range: [0, 1, 2]\n").Message);
        Assert.Contains("has min 2 above max 1", Single(Sim + "constants:\n  c:\n    value: 1\n    range: [2, 1]\n").Message);
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        var d = Single("# nothing here\n");
        Assert.Contains("empty", d.Message);
        At(d, 1, 1);
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var e = Fails(Sim + """
            constants:
              c:
                value: x
            stocks:
              S:
                initial: 1
                inflows: [nothing]
            flows:
              f:
                equaton: 1
            """);
        Assert.Equal(3, e.Diagnostics.Count);
        Assert.Equal(new[] { 7, 14, 11 }, e.Diagnostics.Select(d => d.Location!.Line));
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_locations()
    {
        var path = Path.Combine(Path.GetTempPath(), $"loopsim-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Sim + "auxiliaries:\n  a:\n    equation: 2 * TIME\n");
        try
        {
            var a = YamlModelReader.Load(path).Variables.Single();
            Assert.Equal(new SourceLocation(path, 7, 15), a.Location);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Load_of_a_missing_file_names_it()
    {
        var e = Assert.Throws<ModelException>(() => YamlModelReader.Load("no/such/model.yaml"));
        Assert.Contains("'no/such/model.yaml' not found", e.Message);
    }
}
