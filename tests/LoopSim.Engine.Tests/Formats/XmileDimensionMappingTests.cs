using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>
/// Dimension mappings in XMILE (isee's &lt;isee:maps_to&gt; inside a &lt;dim&gt;, as Stella and xmutil write Vensim's
/// "A: a1, a2 -&gt; B"): an equation over one dimension uses an array over the other, elements paired by position.
/// </summary>
public class XmileDimensionMappingTests
{
    private static string Xmile(string variables, string mapsTo = "B", string bElements = """<elem name="b1"/><elem name="b2"/><elem name="b3"/>""") => $"""
        <xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" xmlns:isee="http://iseesystems.com/XMILE" version="1.0">
          <header><name>mapping</name></header>
          <sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
          <dimensions>
            <dim name="A"><elem name="a1"/><elem name="a2"/><elem name="a3"/><isee:maps_to>{mapsTo}</isee:maps_to></dim>
            <dim name="B">{bElements}</dim>
          </dimensions>
          <model><variables>{variables}</variables></model>
        </xmile>
        """;

    private const string X = """
        <aux name="x">
          <dimensions><dim name="B"/></dimensions>
          <element subscript="b1"><eqn>1</eqn></element>
          <element subscript="b2"><eqn>2</eqn></element>
          <element subscript="b3"><eqn>3 + TIME</eqn></element>
        </aux>
        """;

    [Fact]
    public void An_equation_over_a_dimension_reads_an_array_over_the_dimension_it_maps_to_element_by_position()
    {
        var model = XmileReader.Parse(Xmile(X + """
            <aux name="by name"><dimensions><dim name="A"/></dimensions><eqn>x[B] * 10</eqn></aux>
            <aux name="bare"><dimensions><dim name="A"/></dimensions><eqn>x * 2</eqn></aux>
            <aux name="by mapped name"><dimensions><dim name="A"/></dimensions><eqn>x[A] + 1</eqn></aux>
            <aux name="back"><dimensions><dim name="B"/></dimensions><eqn>by_name[A] - x[B]</eqn></aux>
            <aux name="total"><dimensions><dim name="A"/></dimensions><eqn>SUM(x[*]) + x[B]</eqn></aux>
            """), "mapping.xmile");
        var r = ModelCompiler.Compile(model).Run();
        Assert.Equal([10, 20, 30], new[] { "a1", "a2", "a3" }.Select(a => r[$"by name[{a}]"][0]));
        Assert.Equal([2, 4, 6], new[] { "a1", "a2", "a3" }.Select(a => r[$"bare[{a}]"][0]));
        Assert.Equal([2, 3, 4], new[] { "a1", "a2", "a3" }.Select(a => r[$"by mapped name[{a}]"][0]));
        Assert.Equal([9, 18, 27], new[] { "b1", "b2", "b3" }.Select(b => r[$"back[{b}]"][0]));
        Assert.Equal([7, 8, 9], new[] { "a1", "a2", "a3" }.Select(a => r[$"total[{a}]"][0]));
        Assert.Equal(50, r["by name[a3]"][2]);
        // written back with explicit elements, the export reads back to the same numbers
        var exported = ModelCompiler.Compile(XmileReader.Parse(XmileWriter.Write(model), "exported.xmile")).Run();
        for (int k = 0; k < r.Series.Length; k++) Assert.Equal(r.Series[k], exported[r.Names[k]]);
    }

    [Fact]
    public void A_mapping_to_an_undeclared_dimension_or_one_of_another_size_is_a_coded_error()
    {
        var unknown = Assert.Throws<ModelException>(() => XmileReader.Parse(Xmile(X, mapsTo: "C"), "mapping.xmile"));
        Assert.Contains(unknown.Diagnostics, d => d.Code == DiagnosticCodes.DimensionMapping && d.Message.Contains("'C'", StringComparison.Ordinal));
        var sizes = Assert.Throws<ModelException>(() => XmileReader.Parse(Xmile("", bElements: """<elem name="b1"/><elem name="b2"/>"""), "mapping.xmile"));
        var d = Assert.Single(sizes.Diagnostics);
        Assert.Equal(DiagnosticCodes.DimensionMapping, d.Code);
        Assert.Contains("(3 elements) maps to 'B' (2 elements)", d.Message, StringComparison.Ordinal);
        Assert.Equal("mapping.xmile", d.Location!.File);
    }

    [Fact]
    public void Without_a_mapping_an_array_over_another_dimension_is_still_an_error()
    {
        var e = Assert.Throws<ModelException>(() => ModelCompiler.Compile(XmileReader.Parse(Xmile(X + """
            <aux name="y"><dimensions><dim name="B"/></dimensions><eqn>1</eqn></aux>
            <aux name="z"><dimensions><dim name="C"/></dimensions><eqn>y</eqn></aux>
            """, mapsTo: "B").Replace("""<dim name="B">""", """<dim name="C"><elem name="c1"/></dim><dim name="B">""", StringComparison.Ordinal), "mapping.xmile")));
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.ArrayAsValue);
    }
}
