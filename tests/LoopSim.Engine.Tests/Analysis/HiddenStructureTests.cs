using LoopSim.Engine.Analysis;

namespace LoopSim.Engine.Tests.Analysis;

/// <summary>Loops through the hidden stocks that SMTH and DELAY are lowered to: found, marked as delays, reported by model variables.</summary>
public class HiddenStructureTests
{
    /// <summary>A stock adjusting toward 100 through a perceived value: S → perceived → adjustment → S.</summary>
    private static TestModel GoalSeeking(string perceived, double stop = 30) => new TestModel(stop: stop, dt: 0.125)
        .Stock("S", "0", inflows: new[] { "adjustment" }, nonNegative: true)
        .Flow("adjustment", "(100 - perceived) / 4")
        .Aux("perceived", perceived);

    [Fact]
    public void WithoutASmoothTheLoopIsPlain()
    {
        var loop = Assert.Single(LoopAnalyzer.Analyze(GoalSeeking("S").Compile()).Loops);
        Assert.Equal("S → perceived → adjustment → S", loop.Path);
        Assert.Equal(LoopPolarity.Balancing, loop.Polarity);
        Assert.All(loop.Links, l => Assert.False(l.IsDelay));
    }

    [Theory]
    [InlineData("SMTH1(S, 2)", "SMTH1")]
    [InlineData("SMTH3(S, 2)", "SMTH3")]
    [InlineData("SMTHN(S, 2, 5)", "SMTHN")]
    [InlineData("DELAY1(S, 2)", "DELAY1")]
    [InlineData("DELAY3(S, 2)", "DELAY3")]
    [InlineData("DELAY(S, 2)", "DELAY")]
    public void ABuiltinInTheLoopIsSeenThroughAndMarkedAsADelay(string perceived, string builtin)
    {
        var analysis = LoopAnalyzer.Analyze(GoalSeeking(perceived).Compile());

        // The builtin's own adjustment loops (a hidden stage and its flow) are not the model's loops.
        var loop = Assert.Single(analysis.Loops);
        Assert.Equal($"S →({builtin})→ perceived → adjustment → S", loop.Path);
        Assert.Equal(LoopPolarity.Balancing, loop.Polarity);
        Assert.Equal("B1", loop.Id);
        Assert.True(loop.Links[0].IsDelay);
        Assert.Equal(builtin, loop.Links[0].Through);
        Assert.Equal(LinkPolarity.Positive, loop.Links[0].Polarity);
        Assert.Equal(3, loop.Length);
        // Alone in its partition: relative score −1 whenever the loop is active.
        Assert.All(loop.RelativeScores, r => Assert.Contains(r, new[] { -1.0, 0.0 }));
        Assert.True(loop.RelativeScores.Count(r => r == -1) > analysis.Times.Length / 2);
    }

    [Fact]
    public void ReinforcingThroughADelay()
    {
        var model = new TestModel(stop: 20, dt: 0.25)
            .Stock("Users", "10", inflows: new[] { "signups" })
            .Flow("signups", "0.1 * SMTH1(Users, 3)").Compile();
        var loop = Assert.Single(LoopAnalyzer.Analyze(model).Loops);
        Assert.Equal("Users →(SMTH1)→ signups → Users", loop.Path);
        Assert.Equal("R1", loop.Id);
    }

    [Fact]
    public void PathsThatDifferOnlyInsideABuiltinAreOneLoopScoredByTheStrongest()
    {
        // SMTH3 with a smoothing time that depends on S: tau reaches the output through each of the three stages,
        // three loops of the full graph that all read "S → tau →(SMTH3)→ perceived → adjustment → S".
        var analysis = LoopAnalyzer.Analyze(GoalSeeking("SMTH3(S, tau)").Aux("tau", "2 + S / 50").Compile());

        Assert.Equal(2, analysis.Loops.Count);
        var throughTau = Assert.Single(analysis.Loops, l => l.Variables.Contains("tau"));
        Assert.Equal("S → tau →(SMTH3)→ perceived → adjustment → S", throughTau.Path);
        Assert.Equal(LinkPolarity.Undetermined, throughTau.Links[1].Polarity); // a longer smoothing time: up or down depending on the trend
        Assert.Equal(LoopPolarity.Undetermined, throughTau.Polarity);
        Assert.StartsWith("B1", analysis.Loops.Single(l => l != throughTau).Id);
    }

    [Fact]
    public void TheLoopCapCountsTheLoopsAUserSeesNotThoseInsideBuiltins()
    {
        // Two model loops; the lowered graph has more: SMTH3's three stages each adjust in a loop of their own, and
        // the loop through tau reaches the output through each of the three stages.
        var compiled = GoalSeeking("SMTH3(S, tau)").Aux("tau", "2 + S / 50").Compile();
        var graph = CausalGraph.Build(compiled);
        var successors = graph.Nodes.Select(_ => new List<int>()).ToArray();
        foreach (var link in graph.Links.Where(graph.OnSomeCycle)) successors[link.From].Add(link.To);
        Assert.Equal(7, ElementaryCycles.Enumerate(successors).Count());

        var two = LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions { LoopCap = 2 });
        Assert.True(two.Exhaustive);
        Assert.Equal(2, two.Loops.Count);
        var one = LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions { LoopCap = 1 });
        Assert.False(one.Exhaustive);
        Assert.Contains("more than 1 loop", one.Method);
    }
}
