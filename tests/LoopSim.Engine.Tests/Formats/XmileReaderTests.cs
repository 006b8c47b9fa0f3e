using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Tests.Formats;

public class XmileReaderTests
{
    private const string Oasis = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0";
    private const string OldXmile = "http://www.systemdynamics.org/XMILE";

    /// <summary>A small file: <paramref name="body"/> goes inside &lt;model&gt;, <paramref name="top"/> before it.</summary>
    private static string Xmile(string body, string specs = "<start>0</start><stop>10</stop><dt>0.5</dt>",
        string specsAttributes = "", string top = "", string ns = Oasis) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <xmile version="1.0" xmlns="{ns}">
          <header><name>small</name></header>
          <sim_specs{specsAttributes}>{specs}</sim_specs>
          {top}
          <model>
            {body}
          </model>
        </xmile>
        """;

    private const string Teacup = """
        <variables>
          <stock name="Teacup Temperature">
            <eqn>180</eqn>
            <outflow>Heat Loss to Room</outflow>
            <units>Degrees</units>
            <doc>The tea's temperature.</doc>
          </stock>
          <flow name="Heat Loss to Room">
            <eqn>(Teacup_Temperature - Room_Temperature) / Characteristic_Time</eqn>
          </flow>
          <aux name="Room Temperature"><eqn>70</eqn></aux>
          <aux name="Characteristic Time"><eqn>10</eqn><units>Minutes</units></aux>
        </variables>
        """;

    private static Variable Get(SdModel model, string name) =>
        model.Variables.Single(v => v.CanonicalName == Names.Canonical(name));

    [Theory]
    [InlineData(Oasis)]
    [InlineData(OldXmile)]
    [InlineData("")]
    public void Reads_stocks_flows_and_auxes_in_any_XMILE_namespace(string ns)
    {
        var model = XmileReader.Parse(Xmile(Teacup, ns: ns), "teacup.xmile");

        Assert.Equal("small", model.Name);
        Assert.Equal("teacup.xmile", model.SourceFile);
        Assert.Equal(new[] { "Teacup Temperature", "Heat Loss to Room", "Room Temperature", "Characteristic Time" },
            model.Variables.Select(v => v.Name));
        var stock = Get(model, "teacup_temperature");
        Assert.Equal(VariableKind.Stock, stock.Kind);
        Assert.Equal("180", stock.Equation!.Text);
        Assert.Equal(new[] { "Heat Loss to Room" }, stock.Outflows);
        Assert.Empty(stock.Inflows);
        Assert.Equal("Degrees", stock.Units);
        Assert.Equal("The tea's temperature.", stock.Description);
        Assert.False(stock.NonNegative);
        var flow = Get(model, "heat loss to room");
        Assert.Equal(VariableKind.Flow, flow.Kind);
        Assert.Equal("(Teacup_Temperature - Room_Temperature) / Characteristic_Time", flow.Equation!.Text);
        Assert.Equal(VariableKind.Aux, Get(model, "Characteristic Time").Kind);
        Assert.Equal("Minutes", Get(model, "Characteristic Time").Units);
        Assert.Null(Get(model, "Room Temperature").Units);
    }

    [Fact]
    public void Records_where_each_equation_is_written()
    {
        var model = XmileReader.Parse(Xmile(Teacup), "teacup.xmile");

        // <eqn>180</eqn> of the stock is on line 9: 6 lines up to <model>, then <variables>, <stock>.
        var location = Get(model, "teacup_temperature").Location!;
        Assert.Equal("teacup.xmile", location.File);
        Assert.Equal(9, location.Line);
        Assert.True(location.Column > 0);
    }

    [Fact]
    public void Reads_sim_specs()
    {
        var model = XmileReader.Parse(Xmile(Teacup, specs: "<start> 1 </start><stop>31.5</stop><dt>0.125</dt>",
            specsAttributes: " method=\"RK4\" time_units=\"Minutes\""));

        Assert.Equal(new SimSpecs { Start = 1, Stop = 31.5, Dt = 0.125, Method = IntegrationMethod.RK4, TimeUnits = "Minutes" }, model.Specs);
    }

    [Theory]
    [InlineData("euler", IntegrationMethod.Euler)]
    [InlineData("Euler", IntegrationMethod.Euler)]
    [InlineData("rk2", IntegrationMethod.RK2)]
    [InlineData("RK4", IntegrationMethod.RK4)]
    public void Reads_the_integration_method_in_any_case(string written, IntegrationMethod expected)
    {
        var model = XmileReader.Parse(Xmile(Teacup, specsAttributes: $" method=\"{written}\""));
        Assert.Equal(expected, model.Specs.Method);
    }

    [Fact]
    public void Euler_is_the_default_method_and_DT_defaults_to_1()
    {
        var model = XmileReader.Parse(Xmile(Teacup, specs: "<start>0</start><stop>10</stop>"));
        Assert.Equal(IntegrationMethod.Euler, model.Specs.Method);
        Assert.Equal(1, model.Specs.Dt);
        Assert.Null(model.Specs.SaveStep);
    }

    [Fact]
    public void An_unknown_method_is_a_clear_error()
    {
        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(Xmile(Teacup, specsAttributes: " method=\"rk45\""), "m.xmile"));
        Assert.Contains("unsupported integration method 'rk45'", e.Message);
        Assert.Contains("RK4", e.Message);
        Assert.Contains("m.xmile:4", e.Message);
    }

    [Theory]
    [InlineData("<dt reciprocal=\"true\">32</dt>", 1.0 / 32)]
    [InlineData("<dt reciprocal=\"TRUE\">4</dt>", 0.25)]
    [InlineData("<dt reciprocal=\"false\">4</dt>", 4)]
    [InlineData("<dt>1/32</dt>", 1.0 / 32)]
    [InlineData("<dt> 0.03125 </dt>", 0.03125)]
    public void Reads_DT_including_reciprocal_and_fraction_forms(string dt, double expected)
    {
        var model = XmileReader.Parse(Xmile(Teacup, specs: "<start>0</start><stop>10</stop>" + dt));
        Assert.Equal(expected, model.Specs.Dt);
    }

    [Theory]
    [InlineData("<dt>0</dt>")]
    [InlineData("<dt>-1</dt>")]
    [InlineData("<dt>fast</dt>")]
    public void A_bad_DT_is_a_clear_error(string dt)
    {
        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(Xmile(Teacup, specs: "<start>0</start><stop>10</stop>" + dt)));
        Assert.Contains("<dt>", e.Message);
    }

    [Fact]
    public void Reads_the_save_step_from_the_undeclared_isee_prefix_or_a_savestep_element()
    {
        // isee: is used here without any xmlns:isee declaration, as in 89 files of the SDXorg suite.
        var withIsee = XmileReader.Parse(Xmile(Teacup, specsAttributes: " isee:save_interval=\"2\"",
            top: "<isee:prefs show_module_prefix=\"true\"/>"));
        Assert.Equal(2, withIsee.Specs.SaveStep);

        var withElement = XmileReader.Parse(Xmile(Teacup, specs: "<start>0</start><stop>10</stop><dt>0.5</dt><savestep>1</savestep>"));
        Assert.Equal(1, withElement.Specs.SaveStep);
    }

    [Fact]
    public void Accepts_a_declared_isee_namespace_too_and_ignores_vendor_elements()
    {
        var xml = Xmile(Teacup.Replace("<aux name=\"Room Temperature\">",
                "<isee:stock name=\"not a variable\"><eqn>1</eqn></isee:stock><aux name=\"Room Temperature\">"),
            top: "<isee:prefs/>").Replace("<xmile version=\"1.0\"", "<xmile xmlns:isee=\"http://iseesystems.com/XMILE\" version=\"1.0\"");

        var model = XmileReader.Parse(xml);

        Assert.Equal(4, model.Variables.Count);
        Assert.DoesNotContain(model.Variables, v => v.Name == "not a variable");
    }

    [Fact]
    public void Reads_Stella_10_files_with_variables_directly_under_model()
    {
        var legacy = Teacup.Replace("<variables>", "").Replace("</variables>", "") + "<display x=\"1\" y=\"2\"/>";

        var model = XmileReader.Parse(Xmile(legacy, ns: OldXmile));

        Assert.Equal(4, model.Variables.Count);
        Assert.Equal(VariableKind.Stock, Get(model, "Teacup Temperature").Kind);
    }

    [Fact]
    public void Reads_non_negative_on_stocks_and_flows()
    {
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <stock name="a"><eqn>1</eqn><non_negative/></stock>
              <stock name="b"><eqn>1</eqn><non_negative> TruE  </non_negative></stock>
              <stock name="c"><eqn>1</eqn><non_negative>FALSE </non_negative></stock>
              <stock name="d"><eqn>1</eqn></stock>
              <flow name="f"><eqn>1</eqn><non_negative></non_negative></flow>
              <flow name="g"><eqn>1</eqn></flow>
            </variables>
            """));

        Assert.Equal(new[] { true, true, false, false, true, false }, model.Variables.Select(v => v.NonNegative));
    }

    [Fact]
    public void Behavior_non_negative_applies_to_stocks_and_flows_that_do_not_say_otherwise()
    {
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <stock name="a"><eqn>1</eqn></stock>
              <stock name="b"><eqn>1</eqn><non_negative>false</non_negative></stock>
              <flow name="f"><eqn>1</eqn></flow>
              <flow name="g"><eqn>1</eqn><non_negative>false</non_negative></flow>
              <aux name="x"><eqn>1</eqn></aux>
            </variables>
            """, top: "<behavior><non_negative/></behavior>"));

        Assert.Equal(new[] { true, false, true, false, false }, model.Variables.Select(v => v.NonNegative));
    }

    [Fact]
    public void Behavior_can_set_stocks_and_flows_separately()
    {
        const string body = """
            <variables>
              <stock name="a"><eqn>1</eqn></stock>
              <flow name="f"><eqn>1</eqn></flow>
            </variables>
            """;

        var stocksOnly = XmileReader.Parse(Xmile(body, top: "<behavior><stock><non_negative/></stock></behavior>"));
        Assert.Equal(new[] { true, false }, stocksOnly.Variables.Select(v => v.NonNegative));

        var flowsOnly = XmileReader.Parse(Xmile(body, top: "<behavior><flow><non_negative/></flow></behavior>"));
        Assert.Equal(new[] { false, true }, flowsOnly.Variables.Select(v => v.NonNegative));

        var both = XmileReader.Parse(Xmile(body, top: "<behavior><flow><non_negative/></flow><stock><non_negative/></stock></behavior>"));
        Assert.Equal(new[] { true, true }, both.Variables.Select(v => v.NonNegative));
    }

    [Fact]
    public void Reads_an_inline_graphical_function()
    {
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <aux name="effect">
                <eqn>Time</eqn>
                <gf type="extrapolate">
                  <yscale min="0" max="1"/>
                  <xpts>0,1.5,3</xpts>
                  <ypts>1, 0.5 ,0.25</ypts>
                </gf>
              </aux>
            </variables>
            """));

        var effect = Get(model, "effect");
        Assert.Equal("Time", effect.Equation!.Text);
        Assert.Equal(GraphType.Extrapolate, effect.Graph!.Type);
        Assert.Equal(new[] { 0, 1.5, 3 }, effect.Graph.X);
        Assert.Equal(new[] { 1, 0.5, 0.25 }, effect.Graph.Y);
    }

    [Fact]
    public void Reads_a_named_graphical_function_as_a_lookup_table_without_equation()
    {
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <gf name="lookup function table">
                <xpts>0,5,10</xpts>
                <ypts>0,1,0</ypts>
              </gf>
              <aux name="lookup function call"><eqn>lookup_function_table(Time)</eqn></aux>
            </variables>
            """));

        var table = Get(model, "lookup_function_table");
        Assert.Equal("lookup function table", table.Name);
        Assert.Equal(VariableKind.Aux, table.Kind);
        Assert.Null(table.Equation);
        Assert.Equal(GraphType.Continuous, table.Graph!.Type);
        Assert.Equal(new double[] { 0, 5, 10 }, table.Graph.X);
        Assert.Equal("lookup_function_table(Time)", Get(model, "lookup function call").Equation!.Text);
    }

    [Fact]
    public void An_xscale_without_xpts_spreads_x_evenly_over_the_y_points()
    {
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <gf name="table"><xscale min="0" max="45"/><ypts>0,0,1,1,0,0,-1,-1,0,0</ypts></gf>
            </variables>
            """));

        Assert.Equal(new double[] { 0, 5, 10, 15, 20, 25, 30, 35, 40, 45 }, Get(model, "table").Graph!.X);
    }

    [Fact]
    public void Xpts_win_over_a_degenerate_xscale()
    {
        // Found in the hares-and-lynxes sample: <xscale min="0" max="0"/> next to real <xpts>.
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <aux name="g"><eqn>1</eqn><gf><xscale min="0" max="0"/><xpts>0,10</xpts><ypts>1,2</ypts></gf></aux>
            </variables>
            """));

        Assert.Equal(new double[] { 0, 10 }, Get(model, "g").Graph!.X);
    }

    [Fact]
    public void Honours_the_sep_attribute_of_xpts_and_ypts()
    {
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <gf name="t"><xpts sep=";">0;5;10</xpts><ypts>1,2,3</ypts></gf>
              <gf name="u"><xpts>0,5,10</xpts><ypts sep=";">1;-2;3e-1</ypts></gf>
            </variables>
            """));

        Assert.Equal(new double[] { 0, 5, 10 }, Get(model, "t").Graph!.X);
        Assert.Equal(new[] { 1, -2, 0.3 }, Get(model, "u").Graph!.Y);
    }

    [Theory]
    [InlineData("type=\"discrete\"", GraphType.Discrete)]
    [InlineData("type=\"Continuous\"", GraphType.Continuous)]
    [InlineData("discrete=\"true\"", GraphType.Discrete)]
    [InlineData("discrete=\"false\"", GraphType.Continuous)]
    [InlineData("", GraphType.Continuous)]
    public void Reads_the_graphical_function_type(string attribute, GraphType expected)
    {
        var model = XmileReader.Parse(Xmile($"""
            <variables><gf name="t" {attribute}><xpts>0,1</xpts><ypts>1,2</ypts></gf></variables>
            """));
        Assert.Equal(expected, Get(model, "t").Graph!.Type);
    }

    [Theory]
    [InlineData("<xpts>0,1,2</xpts><ypts>1,2</ypts>", "3 x points but 2 y points")]
    [InlineData("<xpts>0,2,1</xpts><ypts>1,2,3</ypts>", "x values must increase")]
    [InlineData("<xpts>0,1,1</xpts><ypts>1,2,3</ypts>", "x values must increase")]
    [InlineData("<xpts>0,1</xpts>", "no <ypts>")]
    [InlineData("<ypts>1,2</ypts>", "neither <xpts> nor <xscale>")]
    [InlineData("<xpts>0,one</xpts><ypts>1,2</ypts>", "found 'one'")]
    [InlineData("<xpts>0,1</xpts><ypts>1,2</ypts>", "unknown graphical function type 'wiggly'", "type=\"wiggly\"")]
    public void A_bad_graphical_function_is_a_clear_error_naming_the_variable(string points, string expected, string attribute = "")
    {
        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(Xmile($"""
            <variables><aux name="effect of x"><eqn>x</eqn><gf {attribute}>{points}</gf></aux><aux name="x"><eqn>1</eqn></aux></variables>
            """), "g.xmile"));

        Assert.Contains(expected, e.Message);
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("effect of x", d.Variable);
        Assert.Equal("g.xmile", d.Location!.File);
        Assert.True(d.Location.Line > 0);
    }

    [Fact]
    public void Keeps_names_as_written_including_escaped_and_real_newlines()
    {
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <aux name="size_of_one\ntime_lynx_harvest"><eqn>100</eqn></aux>
              <aux name="Stock with&#10;Newline"><eqn>  1 +
                2  </eqn></aux>
            </variables>
            """));

        Assert.Equal(@"size_of_one\ntime_lynx_harvest", model.Variables[0].Name);
        Assert.Equal("size_of_one_time_lynx_harvest", model.Variables[0].CanonicalName);
        Assert.Equal("stock_with_newline", model.Variables[1].CanonicalName);
        Assert.Contains("\n", model.Variables[1].Name);
        Assert.StartsWith("1 +", model.Variables[1].Equation!.Text);
        Assert.EndsWith("2", model.Variables[1].Equation!.Text);
    }

    [Fact]
    public void Malformed_XML_is_a_ModelException_with_file_line_and_column()
    {
        const string xml = "<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<model>\n<variables>\n<flow name=\"f\"><eqn>1</eqn>\n</variables>\n</model>\n</xmile>";

        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(xml, "broken.xmile"));

        var d = Assert.Single(e.Diagnostics);
        Assert.StartsWith("malformed XML", d.Message);
        Assert.Equal("broken.xmile", d.Location!.File);
        Assert.Equal(5, d.Location.Line);
        Assert.True(d.Location.Column > 0);
        Assert.StartsWith("broken.xmile:5:", e.Message);
        Assert.DoesNotContain("   at ", e.Message);
    }

    [Fact]
    public void Load_reports_a_missing_file_as_a_ModelException()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "m.xmile");
        var e = Assert.Throws<ModelException>(() => XmileReader.Load(path));
        Assert.Contains("cannot read the model file", e.Message);
    }

    [Fact]
    public void Load_reads_a_file_from_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), "loopsim-xmile-" + Guid.NewGuid() + ".xmile");
        File.WriteAllText(path, Xmile(Teacup));
        try
        {
            var model = XmileReader.Load(path);
            Assert.Equal(path, model.SourceFile);
            Assert.Equal(path, model.Variables[0].Location!.File);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Not_an_XMILE_file_is_a_clear_error()
    {
        var e = Assert.Throws<ModelException>(() => XmileReader.Parse("<svg/>", "picture.svg"));
        Assert.Contains("not an XMILE file", e.Message);
    }

    [Fact]
    public void Reports_every_problem_of_a_file_at_once()
    {
        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(Xmile("""
            <variables>
              <aux name="a"></aux>
              <stock name="s"><eqn>1</eqn><dimensions><dim name="d"/></dimensions></stock>
              <flow><eqn>1</eqn></flow>
            </variables>
            """), "m.xmile"));

        Assert.Equal(3, e.Diagnostics.Count);
        Assert.Contains(e.Diagnostics, d => d.Variable == "a" && d.Message.Contains("no equation"));
        Assert.Contains(e.Diagnostics, d => d.Variable == "s" && d.Message.Contains("'d', which is not a dimension"));
        Assert.Contains(e.Diagnostics, d => d.Message.Contains("a <flow> has no name"));
    }

    [Fact]
    public void Auxiliaries_listed_as_a_stock_inflow_or_outflow_become_flows()
    {
        // Vensim-exported XMILE (tests/zeroled_decimals) declares its flows as <aux>.
        var model = XmileReader.Parse(Xmile("""
            <variables>
              <stock name="s"><eqn>0</eqn><inflow>
                in
              </inflow></stock>
              <aux name="in"><eqn>1</eqn></aux>
              <aux name="other"><eqn>2</eqn></aux>
            </variables>
            """));

        Assert.Equal(new[] { "in" }, Get(model, "s").Inflows);
        Assert.Equal(VariableKind.Flow, Get(model, "in").Kind);
        Assert.Equal("1", Get(model, "in").Equation!.Text);
        Assert.Equal(VariableKind.Aux, Get(model, "other").Kind);
        Assert.Equal(new[] { "s", "in", "other" }, model.Variables.Select(v => v.Name));
    }

    private const string HaresAndLynxes = """
        <?xml version="1.0" encoding="utf-8"?>
        <xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
          <sim_specs method="Euler"><start>0</start><stop>12</stop><dt>0.5</dt></sim_specs>
          <model>
            <variables>
              <module name="hares">
                <connect to="hares.area" from=".area"/>
                <connect to="lynxes" from="lynxes.lynxes"/>
              </module>
              <module name="lynxes">
                <connect to="lynxes.hare_density" from="hares.hare_density"/>
              </module>
              <aux name="area"><eqn>1000</eqn></aux>
              <aux name="total"><eqn>hares.hares + lynxes.lynxes</eqn></aux>
            </variables>
          </model>
          <model name="hares">
            <variables>
              <stock name="hares"><eqn>50000</eqn><inflow>births</inflow><non_negative/></stock>
              <flow name="births"><eqn>hares * birth_fraction - lynxes * "killed\nper lynx"</eqn></flow>
              <aux name="birth_fraction"><eqn>1.25</eqn></aux>
              <aux name="area"><eqn>{Enter equation for use when not hooked up to other models}</eqn></aux>
              <aux name="hare_density"><eqn>hares / area</eqn></aux>
              <stock name="lynxes"><eqn>{placeholder}</eqn><non_negative/></stock>
              <aux name="killed\nper lynx"><eqn>TIME</eqn></aux>
            </variables>
          </model>
          <model name="lynxes">
            <variables>
              <stock name="lynxes"><eqn>1250</eqn></stock>
              <aux name="hare_density"><eqn>{placeholder}</eqn></aux>
              <aux name="effect"><eqn>hare_density</eqn><gf><xpts>0,100</xpts><ypts>1,0</ypts></gf></aux>
            </variables>
          </model>
        </xmile>
        """;

    [Fact]
    public void Modules_are_flattened_into_one_model_with_dotted_names()
    {
        var model = XmileReader.Parse(HaresAndLynxes);

        Assert.Equal(new[]
        {
            "area", "total",
            "hares.hares", "hares.births", "hares.birth_fraction", "hares.area", "hares.hare_density", "hares.lynxes", @"hares.killed\nper lynx",
            "lynxes.lynxes", "lynxes.hare_density", "lynxes.effect",
        }, model.Variables.Select(v => v.Name));

        // The root's references to module variables stay as written.
        Assert.Equal("hares.hares + lynxes.lynxes", ExprWriter.Write(Get(model, "total").Equation!.Syntax));
        // Inside a module, references point at the prefixed names; TIME is not a variable of the module.
        Assert.Equal("hares.hares * hares.birth_fraction - hares.lynxes * hares.killed_per_lynx", ExprWriter.Write(Get(model, "hares.births").Equation!.Syntax));
        Assert.Equal("hares.hares / hares.area", ExprWriter.Write(Get(model, "hares.hare_density").Equation!.Syntax));
        Assert.Equal("TIME", ExprWriter.Write(Get(model, "hares.killed per lynx").Equation!.Syntax));
        Assert.Equal("lynxes.hare_density", ExprWriter.Write(Get(model, "lynxes.effect").Equation!.Syntax));
        Assert.NotNull(Get(model, "lynxes.effect").Graph);

        var hares = Get(model, "hares.hares");
        Assert.Equal(VariableKind.Stock, hares.Kind);
        Assert.Equal(new[] { "hares.births" }, hares.Inflows);
        Assert.True(hares.NonNegative);
    }

    [Fact]
    public void A_connected_module_input_becomes_a_reference_to_its_source()
    {
        var model = XmileReader.Parse(HaresAndLynxes);

        // to="hares.area" and to="lynxes" (with or without the module prefix); from=".area" is the outer model's area.
        Assert.Equal("area", ExprWriter.Write(Get(model, "hares.area").Equation!.Syntax));
        var connectedStock = Get(model, "hares.lynxes");
        Assert.Equal(VariableKind.Aux, connectedStock.Kind);
        Assert.Equal("lynxes.lynxes", ExprWriter.Write(connectedStock.Equation!.Syntax));
        Assert.False(connectedStock.NonNegative);
        Assert.Equal("hares.hare_density", ExprWriter.Write(Get(model, "lynxes.hare_density").Equation!.Syntax));
    }

    [Fact]
    public void A_connection_to_an_unknown_module_variable_is_a_clear_error()
    {
        var xml = HaresAndLynxes.Replace("to=\"hares.area\"", "to=\"hares.aera\"");

        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(xml, "hl.xmile"));

        var d = Assert.Single(e.Diagnostics);
        Assert.Contains("model 'hares' has no variable 'aera'", d.Message);
        Assert.Contains("area", d.Hint);
        Assert.Equal(7, d.Location!.Line);
    }

    [Fact]
    public void A_module_without_its_model_is_a_clear_error()
    {
        var xml = HaresAndLynxes.Replace("<model name=\"lynxes\">", "<model name=\"wolves\">");

        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(xml));

        Assert.Contains("module 'lynxes' has no <model name=\"lynxes\">", e.Message);
        Assert.Contains("wolves", e.Message);
    }
    [Fact]
    public void A_modules_graphical_functions_keep_working_when_called_like_functions()
    {
        var model = XmileReader.Parse("""
            <xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
              <sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
              <model><variables><module name="m"/></variables></model>
              <model name="m">
                <variables>
                  <gf name="table"><xpts>0,2</xpts><ypts>0,20</ypts></gf>
                  <aux name="called"><eqn>table(TIME) + MAX(TIME, 1)</eqn></aux>
                  <aux name="looked up"><eqn>LOOKUP(table, TIME)</eqn></aux>
                </variables>
              </model>
            </xmile>
            """);

        Assert.Equal("m.table(TIME) + MAX(TIME, 1)", ExprWriter.Write(Get(model, "m.called").Equation!.Syntax));
        Assert.Equal("LOOKUP(m.table, TIME)", ExprWriter.Write(Get(model, "m.looked up").Equation!.Syntax));
    }
}
