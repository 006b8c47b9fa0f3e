using LoopSim.Engine.Analysis;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Analysis;

public class NamedLoopsTests
{
    private static TestModel Population() => new TestModel(stop: 30, dt: 0.25)
        .Stock("Population", "100", inflows: new[] { "births" }, outflows: new[] { "deaths" })
        .Flow("births", "Population * 0.1").Flow("deaths", "Population / 20");

    [Fact]
    public void NamedLoopsAreMatchedByTheVariablesTheyPassThroughAndComposed()
    {
        var model = Population();
        var named = NamedLoops.Parse("""
            loops:
              growth:
                name: births
                polarity: reinforcing
                through: [Population, births]
              ageing:
                polarity: balancing
                through: Population
                not_through: [births]
            """, "population.loops.yaml", model.Model);
        var results = NamedLoops.Match(LoopAnalyzer.Analyze(model.Compile()), named).Families;

        Assert.Equal(new[] { "growth", "ageing" }, results.Select(r => r.Named.Id));
        Assert.All(results, r => Assert.True(r.Confirmed));
        Assert.Equal("Population → births → Population", Assert.Single(results[0].Loops).Path);
        Assert.Equal("Population → deaths → Population", Assert.Single(results[1].Loops).Path);
        Assert.Equal(2.0 / 3, results[0].Share, 9);
        Assert.Equal(1.0 / 3, results[1].Share, 9);
    }

    [Fact]
    public void AWrongPolarityIsNotConfirmed()
    {
        var model = Population();
        var named = NamedLoops.Parse("loops:\n  x:\n    polarity: balancing\n    through: [births]\n", "p.loops.yaml", model.Model);
        Assert.False(Assert.Single(NamedLoops.Match(LoopAnalyzer.Analyze(model.Compile()), named).Families).Confirmed);
    }

    [Fact]
    public void FamiliesClaimEachLoopOnceInFileOrderAndLeaveTheRestToOther()
    {
        var model = Population();
        var loops = LoopAnalyzer.Analyze(model.Compile());
        var both = NamedLoops.Match(loops, NamedLoops.Parse("""
            loops:
              everything:
                name: all of the population
                family: { through_any: [Population] }
              growth:
                polarity: reinforcing
                through: [births]
            """, "p.loops.yaml", model.Model));
        // The first family claims both loops; 'growth' still finds its named loop, with its polarity, but owns none.
        Assert.Equal(2, both.Families[0].Members.Count);
        Assert.Null(both.Families[0].Named.Polarity);
        Assert.True(both.Families[0].Confirmed);
        Assert.Empty(both.Families[1].Members);
        Assert.Single(both.Families[1].Loops);
        Assert.Empty(both.Others);
        Assert.Equal(1, both.Families[0].Share, 9);   // a family's share adds its loops' |relative scores|: births 2/3, deaths 1/3
        var one = NamedLoops.Match(loops, NamedLoops.Parse("loops:\n  growth:\n    polarity: reinforcing\n    through: [births]\n", "p.loops.yaml", model.Model));
        Assert.Equal("Population → deaths → Population", Assert.Single(one.Others).Path);
        Assert.Equal(1.0 / 3, one.OtherShare, 9);
    }

    [Theory]
    [InlineData("loops:\n  x:\n    name: a family\n", 2, "has no 'through' list and no 'family'", null)]
    [InlineData("loops:\n  x:\n    through: [births]\n", 2, "without its polarity", null)]
    [InlineData("loops:\n  x:\n    family: { through_any: [birth] }\n", 3, "'birth', which is not a variable of the model", "Did you mean 'births'?")]
    [InlineData("loops:\n  x:\n    polarity: reinforcing\n    through: [birth]\n", 4, "'birth', which is not a variable of the model", "Did you mean 'births'?")]
    [InlineData("loops:\n  x:\n    polarity: sideways\n    through: [births]\n", 3, "must be reinforcing or balancing", null)]
    [InlineData("loops:\n  x:\n    polarity: reinforcing\n", 2, "has no 'through' list", null)]
    [InlineData("loops:\n  x:\n    polarity: reinforcing\n    via: [births]\n", 4, "unknown key 'via'", null)]
    public void MistakesAreReportedWithTheirLine(string yaml, int line, string message, string? hint)
    {
        var e = Assert.Throws<ModelException>(() => NamedLoops.Parse(yaml, "p.loops.yaml", Population().Model));
        var d = Assert.Single(e.Diagnostics);
        Assert.Contains(message, d.Message);
        Assert.Equal(line, d.Location!.Line);
        Assert.Equal("p.loops.yaml", d.Location.File);
        if (hint is not null) Assert.Contains(hint, d.Hint);
    }
}
