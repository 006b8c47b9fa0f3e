using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>Arrays in the YAML format (docs/yaml-format.md): the same flattening as XMILE's, so the same model gives the same numbers.</summary>
public class YamlArraysTests
{
    private const string Yaml = """
        sim: { start: 0, stop: 5, dt: 0.5 }
        dimensions:
          Region: [north, south]
          Product: 3
        constants:
          price:
            dimensions: [Product]
            value: { 1: 2, 2: 3.5, 3: 5 }
        stocks:
          inventory:
            dimensions: [Region, Product]
            initial: 10 * Product
            inflows: [receiving]
            outflows: shipping
        flows:
          receiving:
            dimensions: [Region, Product]
            equation: extra[Region] * price
          shipping:
            dimensions: [Region, Product]
            equation: inventory / 4
        auxiliaries:
          extra:
            dimensions: [Region]
            equation:
              north: 1
              south: 2 + TIME / 10
          revenue:
            equation: SUM(shipping[*, *] * price[Product])
          average stock:
            dimensions: [Region]
            equation: MEAN(inventory[Region, *])
        """;

    private const string Xmile = """
        <xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">
          <header><name>arrays</name></header>
          <sim_specs><start>0</start><stop>5</stop><dt>0.5</dt></sim_specs>
          <dimensions>
            <dim name="Region"><elem name="north"/><elem name="south"/></dim>
            <dim name="Product" size="3"/>
          </dimensions>
          <model><variables>
            <aux name="price"><dimensions><dim name="Product"/></dimensions>
              <element subscript="1"><eqn>2</eqn></element><element subscript="2"><eqn>3.5</eqn></element><element subscript="3"><eqn>5</eqn></element>
            </aux>
            <stock name="inventory"><dimensions><dim name="Region"/><dim name="Product"/></dimensions>
              <eqn>10 * Product</eqn><inflow>receiving</inflow><outflow>shipping</outflow></stock>
            <flow name="receiving"><dimensions><dim name="Region"/><dim name="Product"/></dimensions><eqn>extra[Region] * price</eqn></flow>
            <flow name="shipping"><dimensions><dim name="Region"/><dim name="Product"/></dimensions><eqn>inventory / 4</eqn></flow>
            <aux name="extra"><dimensions><dim name="Region"/></dimensions>
              <element subscript="north"><eqn>1</eqn></element><element subscript="south"><eqn>2 + TIME / 10</eqn></element>
            </aux>
            <aux name="revenue"><eqn>SUM(shipping[*, *] * price[Product])</eqn></aux>
            <aux name="average stock"><dimensions><dim name="Region"/></dimensions><eqn>MEAN(inventory[Region, *])</eqn></aux>
          </variables></model>
        </xmile>
        """;

    [Fact]
    public void The_same_arrayed_model_in_YAML_and_XMILE_gives_identical_results()
    {
        var yaml = ModelCompiler.Compile(YamlModelReader.Parse(Yaml, "arrays.yaml")).Run();
        var xmile = ModelCompiler.Compile(XmileReader.Parse(Xmile, "arrays.xmile")).Run();
        Assert.Equal(xmile.Names, yaml.Names);
        Assert.Equal(25, yaml.Names.Count(n => n.Contains('[')));
        foreach (var name in xmile.Names)
            Assert.Equal(xmile[name], yaml[name]); // bit for bit
        // One step by hand: inventory[north,2] = 20 + 0.5 × (1 × 3.5 − 20/4).
        Assert.Equal(20 + 0.5 * (3.5 - 5), yaml["inventory[north,2]"][1]);
        // revenue at the start: both regions ship inventory / 4 = 2.5, 5, 7.5 at prices 2, 3.5, 5.
        Assert.Equal(2 * (2.5 * 2 + 5 * 3.5 + 7.5 * 5), yaml["revenue"][0]);
        Assert.Equal(20, yaml["average stock[south]"][0]);
    }

    [Fact]
    public void The_XMILE_export_writes_real_arrays_that_read_back_to_the_same_results()
    {
        var model = YamlModelReader.Parse(Yaml, "arrays.yaml");
        var xml = XmileWriter.Write(model);
        Assert.Contains("<dim name=\"Product\" size=\"3\" />", xml);
        Assert.Contains("<elem name=\"north\" />", xml);
        Assert.Contains("<element subscript=\"south, 3\">", xml);
        Assert.Contains("<eqn>extra[south] * price[3]</eqn>", xml);
        Assert.Contains("<inflow>receiving</inflow>", xml);
        Assert.Contains("<eqn>MEAN(inventory[north, *])</eqn>", xml); // the flattened elements written back as a whole dimension
        Assert.DoesNotContain("name=\"inventory[", xml);
        var original = ModelCompiler.Compile(model).Run();
        var again = ModelCompiler.Compile(XmileReader.Parse(xml, "exported.xmile")).Run();
        Assert.Equal(original.Names, again.Names);
        foreach (var name in original.Names)
            Assert.Equal(original[name], again[name]);
    }

    [Fact]
    public void Arrays_errors_in_YAML_are_coded_and_located()
    {
        var e = Assert.Throws<ModelException>(() => YamlModelReader.Parse("""
            sim: { start: 0, stop: 1, dt: 1 }
            dimensions:
              Region: [north, south]
            auxiliaries:
              a:
                dimensions: [Regoin]
                equation: 1
              b:
                dimensions: [Region]
                equation:
                  north: 1
                  west: 2
              c:
                dimensions: [Region]
                equation:
                  north: 1
            """, "bad.yaml"));
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.UnknownDimension && d.Location!.Line == 6);
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.UnknownElement && d.Location!.Line == 12);
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.EquationMissing && d.Message.Contains("c[south]"));
    }
}
