using LoopSim.Engine.Analysis;
using LoopSim.Engine.Simulation;
using Xunit.Abstractions;

namespace LoopSim.Experiments.Tests.Claims;

/// <summary>
/// The loops of ecosystem-model.md §3 (R1–R5, B1–B4), as mapped in scenarios/models/sales-ecosystem.loops.yaml,
/// are found by the loop analysis of the shipped model, each with its polarity from structure.
/// </summary>
public class EcosystemLoopsTests(ITestOutputHelper output)
{
    private static (CompiledModel Model, IReadOnlyList<NamedLoop> Named) Compile(string scenarioFile, string? cityName = null)
    {
        var scenario = ShippedScenarios.Load(scenarioFile);
        var city = cityName is null ? scenario.Cities[0] : scenario.Cities.Single(c => c.Name == cityName);
        var compiled = ModelCompiler.Compile(scenario.Model, new CompileOptions { Overrides = scenario.OverridesFor(city) });
        var namedFile = NamedLoops.FileFor(scenario.ModelPath);
        Assert.NotNull(namedFile);
        return (compiled, NamedLoops.Load(namedFile!, scenario.Model));
    }

    public static TheoryData<string> Scenarios() => new() { ShippedScenarios.Conventional, ShippedScenarios.CommissionRace, ShippedScenarios.Alliance };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void EveryNamedLoopIsFoundWithItsPolarity(string scenario)
    {
        var (model, named) = Compile(scenario);
        var analysis = LoopAnalyzer.Analyze(model);

        Assert.True(analysis.Exhaustive);
        Assert.Equal(new[] { "R1", "R2", "R3", "R4", "R5", "B1", "B2", "B3", "B4" }, named.Select(n => n.Id));
        foreach (var result in NamedLoops.Match(analysis, named))
        {
            Assert.True(result.Loops.Count > 0, $"{result.Named.Id} {result.Named.Name}: no loop found");
            var wrong = result.Loops.Where(l => l.Polarity != result.Named.Polarity).Select(l => $"{l.Id} {l.Path}");
            Assert.True(result.Confirmed, $"{result.Named.Id} {result.Named.Name} should be {result.Named.Polarity}: {string.Join("; ", wrong)}");
        }
        // The two named loops whose path the article spells out, exactly.
        Assert.Contains(analysis.Loops, l => l.Path == "Familiarity → forgetting → Familiarity" && l.Polarity == LoopPolarity.Balancing);
        Assert.Contains(analysis.Loops, l => l.Path == "Spammers → spam_removal → Spammers" && l.Polarity == LoopPolarity.Balancing);
        // The commission loop runs through the referral pipeline, a third-order material delay.
        var commission = NamedLoops.Match(analysis, named).Single(r => r.Named.Id == "R1").Loops;
        Assert.All(commission, l => Assert.Contains(l.Links, k => k.Through == "DELAY3" && k.IsDelay && k.To == "closing"));
    }

    [Fact]
    public void WhatDominatesDiffersBetweenConventionalAndAlliance()
    {
        // Conventional: no moderation, so the spam loop does nothing; the alliance's strict moderation makes
        // spam removal one of its strongest loops, and its cap makes the capacity loop matter.
        var shares = new Dictionary<string, Dictionary<string, double>>();
        foreach (var scenario in new[] { ShippedScenarios.Conventional, ShippedScenarios.Alliance })
        {
            var (model, named) = Compile(scenario);
            shares[scenario] = NamedLoops.Match(LoopAnalyzer.Analyze(model), named).ToDictionary(r => r.Named.Id, r => r.Share);
            output.WriteLine($"{scenario}: {string.Join(", ", shares[scenario].Select(s => $"{s.Key} {s.Value:P1}"))}");
        }
        var conventional = shares[ShippedScenarios.Conventional];
        var alliance = shares[ShippedScenarios.Alliance];
        Assert.Equal(0, conventional["B1"], 3);
        Assert.True(alliance["B1"] > 0.02);
        Assert.Equal(0, conventional["B2"], 3);
        Assert.True(alliance["B2"] > 0.005);
        Assert.True(alliance["R4"] > conventional["R4"]);                  // word of mouth only recruits in the alliance
        Assert.True(conventional["R1"] > 0.1 && alliance["R1"] > 0.1);     // the commission loop matters in both
    }
}
