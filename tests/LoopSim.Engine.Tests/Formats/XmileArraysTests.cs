using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>XMILE 1.0 §3.7 arrays, flattened to one scalar variable per element ("name[e1,e2]"), against hand-computed values.</summary>
public class XmileArraysTests
{
    private const string Dimensions = """
        <dimensions>
          <dim name="Region"><elem name="north"/><elem name="south"/></dim>
          <dim name="Product" size="3"/>
        </dimensions>
        """;

    private static string Xmile(string variables, string dimensions = Dimensions, string stop = "3") => $"""
        <xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">
          <header><name>arrays</name></header>
          <sim_specs><start>0</start><stop>{stop}</stop><dt>1</dt></sim_specs>
          {dimensions}
          <model><variables>{variables}</variables></model>
        </xmile>
        """;

    private static SimulationResult Run(string variables, string dimensions = Dimensions) =>
        ModelCompiler.Compile(XmileReader.Parse(Xmile(variables, dimensions), "arrays.xmile")).Run();

    private static ModelException Fails(string variables) =>
        Assert.Throws<ModelException>(() => ModelCompiler.Compile(XmileReader.Parse(Xmile(variables), "arrays.xmile")));

    [Fact]
    public void Apply_to_all_stock_and_flow_over_a_two_dimensional_array()
    {
        // inventory[r,p] starts at 10·p (p = 1, 2, 3) and gains rate[r,p] = p + (1 for north, 2 for south) a step.
        var r = Run("""
            <stock name="inventory">
              <dimensions><dim name="Region"/><dim name="Product"/></dimensions>
              <eqn>10 * Product</eqn><inflow>receiving</inflow>
            </stock>
            <flow name="receiving">
              <dimensions><dim name="Region"/><dim name="Product"/></dimensions>
              <eqn>Product + extra[Region]</eqn>
            </flow>
            <aux name="extra">
              <dimensions><dim name="Region"/></dimensions>
              <element subscript="north"><eqn>1</eqn></element>
              <element subscript="south"><eqn>2</eqn></element>
            </aux>
            """);
        foreach (var (region, extra) in new[] { ("north", 1), ("south", 2) })
            for (int p = 1; p <= 3; p++)
                Close.Equal(Enumerable.Range(0, 4).Select(t => 10.0 * p + t * (p + extra)).ToArray(), r[$"inventory[{region},{p}]"]);
    }

    [Fact]
    public void Sums_over_a_whole_array_and_over_one_dimension()
    {
        var r = Run("""
            <aux name="sales">
              <dimensions><dim name="Region"/><dim name="Product"/></dimensions>
              <eqn>IF Region = 1 THEN Product ELSE 10 * Product</eqn>
            </aux>
            <aux name="total"><eqn>SUM(sales[*, *])</eqn></aux>
            <aux name="by region">
              <dimensions><dim name="Region"/></dimensions>
              <eqn>SUM(sales[Region, *])</eqn>
            </aux>
            <aux name="by product">
              <dimensions><dim name="Product"/></dimensions>
              <eqn>SUM(sales[*, Product])</eqn>
            </aux>
            <aux name="bare"><eqn>MEAN(sales) + SIZE(sales) + MAX(sales[Region, 2])</eqn></aux>
            <aux name="share">
              <dimensions><dim name="Region"/></dimensions>
              <eqn>by_region / total</eqn>
            </aux>
            """);
        // north: 1, 2, 3; south: 10, 20, 30.
        Assert.Equal(66, r["total"][0]);
        Assert.Equal(6, r["by region[north]"][0]);
        Assert.Equal(60, r["by region[south]"][0]);
        Assert.Equal(22, r["by product[2]"][0]);
        Assert.Equal(11 + 6 + 20, r["bare"][0]);
        Assert.Equal(6.0 / 66, r["share[north]"][0], 15);
    }

    [Fact]
    public void Array_builtins_match_hand_computed_values()
    {
        var r = Run("""
            <aux name="x">
              <dimensions><dim name="Eight"/></dimensions>
              <eqn>2, 4, 4, 4, 5, 5, 7, 9</eqn>
            </aux>
            <aux name="sum"><eqn>SUM(x[*])</eqn></aux>
            <aux name="mean"><eqn>MEAN(x[*])</eqn></aux>
            <aux name="sd"><eqn>STDDEV(x[*])</eqn></aux>
            <aux name="low"><eqn>MIN(x[*])</eqn></aux>
            <aux name="high"><eqn>MAX(x[*])</eqn></aux>
            <aux name="size"><eqn>SIZE(x[*])</eqn></aux>
            <aux name="product"><eqn>PROD(x[1], x[2], x[8])</eqn></aux>
            <aux name="squares"><eqn>SUM(x[*] * x[*])</eqn></aux>
            """, """<dimensions><dim name="Eight" size="8"/></dimensions>""");
        Assert.Equal(40, r["sum"][0]);
        Assert.Equal(5, r["mean"][0]);
        Assert.Equal(2, r["sd"][0]); // squared deviations 9+1+1+1+0+0+4+16 = 32, ÷ 8 = 4
        Assert.Equal(2, r["low"][0]);
        Assert.Equal(9, r["high"][0]);
        Assert.Equal(8, r["size"][0]);
        Assert.Equal(72, r["product"][0]);
        Assert.Equal(4 + 16 * 3 + 25 * 2 + 49 + 81, r["squares"][0]);
    }

    [Fact]
    public void Elements_by_name_by_position_and_as_dimension_dot_element()
    {
        var r = Run("""
            <aux name="price">
              <dimensions><dim name="Region"/></dimensions>
              <element subscript="north"><eqn>3</eqn></element>
              <element subscript="south"><eqn>5</eqn></element>
            </aux>
            <aux name="a"><eqn>price[south] - price[1] + price[Region.north]</eqn></aux>
            """);
        Assert.Equal(5 - 3 + 3, r["a"][0]);
    }

    [Fact]
    public void Graphical_functions_per_element_and_for_all_elements()
    {
        var r = Run("""
            <aux name="effect">
              <dimensions><dim name="Region"/></dimensions>
              <eqn>TIME</eqn>
              <element subscript="north"><eqn>TIME</eqn><gf><xscale min="0" max="2"/><ypts>0,10,20</ypts></gf></element>
              <element subscript="south"><eqn>TIME / 2</eqn><gf><xscale min="0" max="2"/><ypts>0,100,200</ypts></gf></element>
            </aux>
            <aux name="shared">
              <dimensions><dim name="Region"/></dimensions>
              <eqn>TIME</eqn>
              <gf><xscale min="0" max="1"/><ypts>1,2</ypts></gf>
            </aux>
            """);
        Close.Equal([0, 10, 20, 20], r["effect[north]"]);
        Close.Equal([0, 50, 100, 150], r["effect[south]"]);
        Close.Equal([1, 2, 2, 2], r["shared[south]"]);
    }

    [Fact]
    public void The_flattened_elements_are_scalar_variables_named_like_the_mdl_readers()
    {
        var model = XmileReader.Parse(Xmile("""
            <aux name="Unit Cost"><dimensions><dim name="Region"/></dimensions><eqn>1</eqn></aux>
            """));
        Assert.Equal(["Unit Cost[north]", "Unit Cost[south]"], model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void An_unknown_dimension_is_a_coded_error()
    {
        var e = Fails("""<aux name="x"><dimensions><dim name="Regoin"/></dimensions><eqn>1</eqn></aux>""");
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownDimension, d.Code);
        Assert.Contains("Did you mean 'Region'", d.Hint);
    }

    [Fact]
    public void An_unknown_element_is_a_coded_error()
    {
        var e = Fails("""
            <aux name="x"><dimensions><dim name="Region"/></dimensions><eqn>1</eqn></aux>
            <aux name="y"><eqn>x[west] + x[3]</eqn></aux>
            """);
        Assert.Equal(2, e.Diagnostics.Count);
        Assert.All(e.Diagnostics, d => Assert.Equal(DiagnosticCodes.UnknownElement, d.Code));
        Assert.Contains("'west' is not an element of Region", e.Diagnostics[0].Message);
    }

    [Fact]
    public void An_element_subscript_that_is_not_an_element_is_a_coded_error()
    {
        var e = Fails("""<aux name="x"><dimensions><dim name="Region"/></dimensions><element subscript="east"><eqn>1</eqn></element></aux>""");
        Assert.Equal(DiagnosticCodes.UnknownElement, e.Diagnostics[0].Code);
    }

    [Fact]
    public void The_wrong_number_of_subscripts_is_a_coded_error()
    {
        var e = Fails("""
            <aux name="x"><dimensions><dim name="Region"/></dimensions><eqn>1</eqn></aux>
            <aux name="s"><eqn>2</eqn></aux>
            <aux name="y"><eqn>x[north, 1] + s[1]</eqn></aux>
            """);
        Assert.Equal(2, e.Diagnostics.Count);
        Assert.All(e.Diagnostics, d => Assert.Equal(DiagnosticCodes.SubscriptCount, d.Code));
        Assert.Contains("has 1 dimension (Region), but is given 2 subscripts", e.Diagnostics[0].Message);
    }

    [Fact]
    public void A_whole_array_where_one_value_is_needed_is_a_coded_error()
    {
        var e = Fails("""
            <aux name="x"><dimensions><dim name="Region"/></dimensions><eqn>1</eqn></aux>
            <aux name="y"><eqn>x + x[*]</eqn></aux>
            """);
        Assert.Equal(2, e.Diagnostics.Count);
        Assert.All(e.Diagnostics, d => Assert.Equal(DiagnosticCodes.ArrayAsValue, d.Code));
        Assert.Equal("y", e.Diagnostics[0].Variable);
    }

    [Fact]
    public void Subscripts_in_a_model_without_dimensions_are_a_coded_error()
    {
        var e = Assert.Throws<ModelException>(() => ModelCompiler.Compile(XmileReader.Parse(Xmile("""<aux name="y"><eqn>x[1]</eqn></aux><aux name="x"><eqn>1</eqn></aux>""", ""))));
        Assert.Equal(DiagnosticCodes.ArraysUnsupported, Assert.Single(e.Diagnostics).Code);
    }
}
