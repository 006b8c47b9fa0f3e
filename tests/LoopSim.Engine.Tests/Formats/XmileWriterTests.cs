using System.Globalization;
using System.Xml.Linq;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Formats;

public class XmileWriterTests
{
    private static readonly XNamespace X = XmileWriter.Namespace;
    private static readonly XNamespace Isee = XmileWriter.IseeNamespace;

    private const string Model = """
        model: tiny & <small>
        sim:
          start: 1
          stop: 11
          dt: 1/3
          save_step: 0.5
          method: rk4
          time_units: week
        constants:
          growth_rate:
            value: 0.1
            units: 1/week
            range: [0, 0.5]
            description: Growth per week.
            source: "Assumption."
        stocks:
          Population:
            initial: 100
            inflows: births
            outflows: [moving out]
            non_negative: true
            units: people
        flows:
          births:
            equation: Population * growth_rate * effect(Population / 1000)
            non_negative: true
          moving out:
            equation: Population / 1000
            graph:
              type: extrapolate
              x: [0, 1, 2]
              y: [0, 0.5, 3]
        auxiliaries:
          Scale "A":
            equation: IF Population > 50 AND 1 < 2 THEN 1 ELSE 0
        graphical_functions:
          effect:
            type: discrete
            points: [[0, 1], [0.5, 0.8], [1, 0.2]]
        """;

    private static XElement Write() => XDocument.Parse(XmileWriter.Write(YamlModelReader.Parse(Model, "m.yaml"))).Root!;

    private static XElement Variable(XElement root, string element, string name) =>
        root.Element(X + "model")!.Element(X + "variables")!.Elements(X + element).Single(e => (string?)e.Attribute("name") == name);

    [Fact]
    public void Root_is_xmile_1_0_with_the_isee_namespace_declared()
    {
        var text = XmileWriter.Write(YamlModelReader.Parse(Model, "m.yaml"));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text);
        var root = XDocument.Parse(text).Root!;
        Assert.Equal(X + "xmile", root.Name);
        Assert.Equal("1.0", (string?)root.Attribute("version"));
        Assert.Equal(XmileWriter.IseeNamespace, (string?)root.Attribute(XNamespace.Xmlns + "isee"));
    }

    [Fact]
    public void Header_names_the_model_vendor_and_product()
    {
        var header = Write().Element(X + "header")!;
        Assert.Equal("tiny & <small>", (string?)header.Element(X + "name"));
        Assert.Equal("LoopSim", (string?)header.Element(X + "vendor"));
        Assert.NotNull(header.Element(X + "product")!.Attribute("version"));
    }

    [Fact]
    public void Sim_specs_carry_method_units_save_interval_and_exact_times()
    {
        var specs = Write().Element(X + "sim_specs")!;
        Assert.Equal("RK4", (string?)specs.Attribute("method"));
        Assert.Equal("week", (string?)specs.Attribute("time_units"));
        Assert.Equal("0.5", (string?)specs.Attribute(Isee + "save_interval"));
        Assert.Equal("1", (string?)specs.Element(X + "start"));
        Assert.Equal("11", (string?)specs.Element(X + "stop"));
        Assert.Equal(1.0 / 3, double.Parse((string)specs.Element(X + "dt")!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Stock_has_equation_flows_by_reference_non_negative_and_units()
    {
        var stock = Variable(Write(), "stock", "Population");
        Assert.Equal("100", (string?)stock.Element(X + "eqn"));
        Assert.Equal(new[] { "births" }, stock.Elements(X + "inflow").Select(e => e.Value));
        Assert.Equal(new[] { "moving_out" }, stock.Elements(X + "outflow").Select(e => e.Value));
        Assert.NotNull(stock.Element(X + "non_negative"));
        Assert.Equal("people", (string?)stock.Element(X + "units"));
    }

    [Fact]
    public void Flow_keeps_its_display_name_and_an_inline_graph()
    {
        var root = Write();
        Assert.NotNull(Variable(root, "flow", "births").Element(X + "non_negative"));
        var moving = Variable(root, "flow", "moving out");
        Assert.Null(moving.Element(X + "non_negative"));
        Assert.Equal("Population / 1000", (string?)moving.Element(X + "eqn"));
        var gf = moving.Element(X + "gf")!;
        Assert.Equal("extrapolate", (string?)gf.Attribute("type"));
        Assert.Equal("0,1,2", (string?)gf.Element(X + "xpts"));
        Assert.Equal("0,0.5,3", (string?)gf.Element(X + "ypts"));
        Assert.Equal(("0", "2"), ((string)gf.Element(X + "xscale")!.Attribute("min")!, (string)gf.Element(X + "xscale")!.Attribute("max")!));
        Assert.Equal(("0", "3"), ((string)gf.Element(X + "yscale")!.Attribute("min")!, (string)gf.Element(X + "yscale")!.Attribute("max")!));
    }

    [Fact]
    public void Equations_with_xml_characters_survive()
    {
        var aux = Variable(Write(), "aux", "Scale \"A\"");
        Assert.Equal("IF Population > 50 AND 1 < 2 THEN 1 ELSE 0", (string?)aux.Element(X + "eqn"));
    }

    [Fact]
    public void Named_graphical_function_is_a_gf_element()
    {
        var gf = Variable(Write(), "gf", "effect");
        Assert.Equal("discrete", (string?)gf.Attribute("type"));
        Assert.Equal("0,0.5,1", (string?)gf.Element(X + "xpts"));
        Assert.Equal("1,0.8,0.2", (string?)gf.Element(X + "ypts"));
        Assert.Null(gf.Element(X + "eqn"));
    }

    [Fact]
    public void Constant_doc_holds_description_source_and_range()
    {
        var c = Variable(Write(), "aux", "growth_rate");
        Assert.Equal("0.1", (string?)c.Element(X + "eqn"));
        Assert.Equal("1/week", (string?)c.Element(X + "units"));
        Assert.Equal("Growth per week.\nSource: Assumption.\nPlausible range: [0, 0.5]", (string?)c.Element(X + "doc"));
    }

    [Fact]
    public void Euler_is_written_by_name_and_no_save_interval_when_every_dt()
    {
        var model = YamlModelReader.Parse("sim: {start: 0, stop: 1, dt: 0.5}\n", "m.yaml");
        var specs = XDocument.Parse(XmileWriter.Write(model)).Root!.Element(X + "sim_specs")!;
        Assert.Equal("Euler", (string?)specs.Attribute("method"));
        Assert.Null(specs.Attribute(Isee + "save_interval"));
        Assert.Null(specs.Attribute("time_units"));
    }

    [Fact]
    public void Save_writes_the_whole_file_and_leaves_no_temporary()
    {
        var folder = Directory.CreateTempSubdirectory("loopsim-xmile-").FullName;
        try
        {
            var path = Path.Combine(folder, "out.xmile");
            File.WriteAllText(path, "old");
            var model = YamlModelReader.Parse(Model, "m.yaml");
            XmileWriter.Save(model, path);
            Assert.Equal(XmileWriter.Write(model), File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(folder));
        }
        finally { Directory.Delete(folder, true); }
    }
}
