using LoopSim.Engine.Formats;
using LoopSim.Engine.Formats.Mdl;
using LoopSim.Engine.Model;
using LoopSim.Engine.Units;

namespace LoopSim.Engine.Tests.Units;

/// <summary>Unit texts read into canonical powers: products, quotients, powers, numbers, "no unit" words, singular and plural, declared units.</summary>
public class UnitSystemTests
{
    private static Unit Read(string text, UnitSystem? system = null)
    {
        Assert.True((system ?? new UnitSystem()).TryParse(text, out var unit, out var error), error);
        return unit;
    }

    private static Dictionary<string, int> Powers(string text) => Read(text).Powers.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Products_quotients_and_powers_become_whole_powers_of_base_units()
    {
        Assert.Equal(new Dictionary<string, int> { ["cny"] = 1, ["person"] = -1, ["week"] = -1 }, Powers("CNY/person/week"));
        Assert.Equal(Read("CNY/person/week"), Read("CNY/(person*week)"));
        Assert.Equal(Read("CNY*person^-1*week^(-1)"), Read("CNY/(person*week)"));
        Assert.Equal(new Dictionary<string, int> { ["meter"] = 1, ["second"] = -2 }, Powers("meter/second^2"));
        Assert.Equal(Read("person*hour/week"), Read("hour * person / week"));
        Assert.Equal("CNY/(person*week)", Read("CNY/person/week").ToString(n => n == "cny" ? "CNY" : n));
    }

    [Fact]
    public void Numbers_are_scale_factors_and_the_words_for_no_unit_are_dimensionless()
    {
        Assert.Equal(new Dictionary<string, int> { ["week"] = -1 }, Powers("1/week"));
        Assert.Equal(Read("person"), Read("1000*people"));
        foreach (var none in new[] { "dmnl", "Dmnl", "dimensionless", "Unitless", "1", "radians" })
            Assert.True(Read(none).IsDimensionless, none);
        Assert.Equal("dimensionless", Read("week/weeks").ToString());
        Assert.False(Read("fraction").IsDimensionless);
    }

    [Theory]
    [InlineData("people", "person")]
    [InlineData("Persons", "person")]
    [InlineData("weeks", "week")]
    [InlineData("Months", "month")]
    [InlineData("Foxes", "fox")]
    [InlineData("inches", "inch")]
    [InlineData("currencies", "currency")]
    [InlineData("classes", "class")]
    [InlineData("Rs", "rs")]
    [InlineData("Widgets", "widget")]
    [InlineData("person hours", "person hour")]
    public void Plurals_and_case_are_one_unit(string written, string canonical) => Assert.Equal(canonical, UnitSystem.Canonical(written));

    [Theory]
    [InlineData("people/", "a unit is missing at the end")]
    [InlineData("(week", "')' missing")]
    [InlineData("week^x", "must be a whole number")]
    [InlineData("week^0.5", "unexpected '.'")]
    [InlineData("*week", "a unit is missing before '*'")]
    [InlineData("week)", "unexpected ')'")]
    public void Malformed_units_say_why(string text, string reason)
    {
        Assert.False(new UnitSystem().TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Units_the_model_declares_are_aliases_or_definitions()
    {
        var system = new UnitSystem([
            new UnitDefinition("People", null, ["person", "persons", "folk"]),
            new UnitDefinition("Hour", "60*minutes", []),
            new UnitDefinition("Percent", "dmnl", []),
        ]);
        Assert.Equal(Read("people", system), Read("folk", system));
        Assert.Equal(Read("minute", system), Read("hours", system));
        Assert.True(Read("percent", system).IsDimensionless);
        Assert.Equal("People/weeks", system.Display(Read("folk/weeks", system)));
    }
}

/// <summary>The units a model declares are read from XMILE and .mdl files, and written back to XMILE.</summary>
public class DeclaredUnitsReadingTests
{
    [Fact]
    public void XMILE_model_units_and_Vensim_equivalences_are_read_and_exported()
    {
        var xmile = XmileReader.Parse("""
            <xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">
              <sim_specs time_units="Days"><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
              <model_units>
                <unit name="People"><eqn/><alias>person</alias><alias>folk</alias></unit>
                <unit name="Week"><eqn>7*days</eqn></unit>
              </model_units>
              <model><variables>
                <stock name="Crowd"><eqn>10</eqn><inflow>arriving</inflow><units>folk</units></stock>
                <flow name="arriving"><eqn>Crowd / length</eqn><units>People/Day</units></flow>
                <aux name="length"><eqn>1</eqn><units>week</units></aux>
              </variables></model>
            </xmile>
            """, "m.xmile");
        Assert.Equal([new UnitDefinition("People", null, ["person", "folk"]), new UnitDefinition("Week", "7*days", [])],
            xmile.UnitDefinitions.Select(u => u with { Aliases = u.Aliases.ToList() }), new DefinitionComparer());
        Assert.Empty(UnitsChecker.Check(xmile)); // folk = People; a week is a number of days
        var back = XmileReader.Parse(XmileWriter.Write(xmile), "back.xmile");
        Assert.Equal(xmile.UnitDefinitions, back.UnitDefinitions, new DefinitionComparer());

        var mdl = MdlReader.Parse("""
            Crowd = INTEG(arriving, 10) ~ Persons ~ |
            arriving = 2 ~ Person/Month ~ |
            INITIAL TIME = 0 ~ Month ~ |
            FINAL TIME = 4 ~ Month ~ |
            TIME STEP = 1 ~ Month ~ |
            SAVEPER = 1 ~ Month ~ |
            \\\---/// Sketch information - do not modify anything except names
            V300  Do not put anything below this section - it will be ignored
            ///---\\\
            :L<%^E!@
            22:Person,People,Persons
            22:Month,Months
            """, "m.mdl");
        Assert.Equal([new UnitDefinition("Person", null, ["People", "Persons"]), new UnitDefinition("Month", null, ["Months"])],
            mdl.UnitDefinitions, new DefinitionComparer());
    }

    private sealed class DefinitionComparer : IEqualityComparer<UnitDefinition>
    {
        public bool Equals(UnitDefinition? a, UnitDefinition? b) =>
            a is not null && b is not null && a.Name == b.Name && a.Equation == b.Equation && a.Aliases.SequenceEqual(b.Aliases);

        public int GetHashCode(UnitDefinition d) => d.Name.GetHashCode(StringComparison.Ordinal);
    }
}
