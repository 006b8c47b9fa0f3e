using LoopSim.Engine.Analysis;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Analysis;

public class LoopDominanceTests
{
    [Fact]
    public void FirstOrderNegativeLoopIsOneBalancingLoopWithRelativeScoreMinusOneAtEveryStep()
    {
        var model = new TestModel(stop: 20, dt: 0.5).Stock("S", "100", outflows: new[] { "draining" }).Flow("draining", "S / 4").Compile();
        var analysis = LoopAnalyzer.Analyze(model);

        var loop = Assert.Single(analysis.Loops);
        Assert.Equal("B1", loop.Id);
        Assert.Equal(LoopPolarity.Balancing, loop.Polarity);
        Assert.Equal("S → draining → S", loop.Path);
        Assert.Equal(2, loop.Length);
        Assert.Equal(40, analysis.Times.Length);
        Assert.Equal(0.0, analysis.Times[0]);   // each step labelled by its start, the last one 19.5 → 20
        Assert.Equal(19.5, analysis.Times[^1]);
        Assert.Equal(20.0, analysis.End);
        Assert.All(loop.RelativeScores, r => Assert.Equal(-1.0, r));
        Assert.All(loop.Scores, r => Assert.Equal(-1.0, r, 12));
        var period = Assert.Single(analysis.Dominance);
        Assert.Equal((0.0, 20.0), (period.From, period.To));
        Assert.Equal(new[] { "B1" }, period.LoopIds);
    }

    [Fact]
    public void BirthsAndDeathsShareTheirStockInProportionToTheirRates()
    {
        // Population with births 0.1/yr and an average lifetime of 20 yr: the LTM paper's pedagogical example,
        // R1 +67 %, B1 −33 %. LS(births→P) = |Δb/Δnet| = b/(b − d), LS(deaths→P) = −d/(b − d).
        var model = new TestModel(stop: 30, dt: 0.25)
            .Stock("Population", "100", inflows: new[] { "births" }, outflows: new[] { "deaths" })
            .Flow("births", "Population * birth_rate").Flow("deaths", "Population / lifetime")
            .Aux("birth_rate", "0.1").Aux("lifetime", "20").Compile();
        var analysis = LoopAnalyzer.Analyze(model);

        Assert.Equal(new[] { "R1", "B1" }, analysis.Loops.Select(l => l.Id));
        Assert.All(analysis.Loops, l => Assert.Equal(1, l.Partition));
        Close.Equal(Enumerable.Repeat(0.1 / 0.15, analysis.Times.Length).ToArray(), analysis["R1"].RelativeScores, 1e-9);
        Close.Equal(Enumerable.Repeat(-0.05 / 0.15, analysis.Times.Length).ToArray(), analysis["B1"].RelativeScores, 1e-9);
        Close.Equal(Enumerable.Repeat(0.1 / 0.05, analysis.Times.Length).ToArray(), analysis["R1"].Scores, 1e-9);
        Assert.Equal("Population → births → Population", analysis["R1"].Path);
        Assert.Equal(new[] { "R1" }, Assert.Single(analysis.Dominance).LoopIds);
    }

    /// <summary>dP/dt = r·P·(1 − P/K) with the crowding term in its own variable, so the two loops are separate.</summary>
    private static TestModel Logistic(double dt) => new TestModel(stop: 20, dt: dt)
        .Stock("P", "10", inflows: new[] { "growth" })
        .Flow("growth", "r * P * fraction_remaining")
        .Aux("fraction_remaining", "1 - P / K")
        .Aux("r", "0.5").Aux("K", "1000");

    [Fact]
    public void LogisticGrowthRelativeScoresAreOneMinusPOverKAndTheCrowdingShare()
    {
        // For the step from t to t + dt, with Δ_P g = r·fr·ΔP and Δ_fr g = −r·P·ΔP/K (both at t), the reinforcing loop's
        // relative score is fr/(fr + P/K) = 1 − P(t)/K and the balancing loop's −P(t)/K, from the simulated P at the label t.
        var compiled = Logistic(0.05).Compile();
        var analysis = LoopAnalyzer.Analyze(compiled);
        var p = compiled.Run()["P"];

        var growth = analysis.Loops.Single(l => l.Path == "P → growth → P");
        var crowding = analysis.Loops.Single(l => l.Path == "P → fraction_remaining → growth → P");
        Assert.Equal(LoopPolarity.Reinforcing, growth.Polarity);
        Assert.Equal(LoopPolarity.Balancing, crowding.Polarity);
        Close.Equal(p.Take(analysis.Times.Length).Select(x => 1 - x / 1000).ToArray(), growth.RelativeScores, 1e-9, 1e-12);
        Close.Equal(p.Take(analysis.Times.Length).Select(x => -x / 1000).ToArray(), crowding.RelativeScores, 1e-9, 1e-12);
    }

    [Fact]
    public void LogisticDominanceSwitchesFromReinforcingToBalancingAtTheAnalyticInflectionPoint()
    {
        double r = 0.5, k = 1000, p0 = 10;
        double inflection = Math.Log((k - p0) / p0) / r; // 9.19
        var analysis = LoopAnalyzer.Analyze(Logistic(0.01).Compile());

        var periods = analysis.Dominance.Where(d => d.LoopIds.Count > 0).ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal(new[] { "R1" }, periods[0].LoopIds);
        Assert.Equal(new[] { "B1" }, periods[1].LoopIds);
        Assert.Equal(periods[0].To, periods[1].From);
        Assert.InRange(periods[1].From, inflection - 0.05, inflection + 0.05);
        Assert.InRange(analysis["R1"].DominantFraction, 0.4, 0.5); // 9.2 of 20 time units
    }

    [Fact]
    public void FlowToStockScoresDoNotDependOnWhetherFlowsAreNetted()
    {
        // The 2023 correction: a stock with an inflow and an outflow, and the same stock with one net flow made
        // of the same two terms, give the same relative loop scores at every step (the 2020 formula did not).
        var apart = new TestModel(stop: 15, dt: 0.25)
            .Stock("S", "50", inflows: new[] { "gain" }, outflows: new[] { "loss" }, nonNegative: true)
            .Flow("gain", "0.3 * S").Flow("loss", "S * S / 400").Compile();
        var netted = new TestModel(stop: 15, dt: 0.25)
            .Stock("S", "50", inflows: new[] { "net" }, nonNegative: true)
            .Flow("net", "gain - loss").Aux("gain", "0.3 * S").Aux("loss", "S * S / 400").Compile();

        var a = LoopAnalyzer.Analyze(apart);
        var b = LoopAnalyzer.Analyze(netted);
        Assert.Equal(new[] { "B1", "R1" }, a.Loops.Select(l => l.Id).Order());
        Assert.Equal(new[] { "B1", "R1" }, b.Loops.Select(l => l.Id).Order());
        foreach (var id in new[] { "R1", "B1" })
            Close.Equal(a[id].RelativeScores, b[id].RelativeScores, 1e-9, 1e-12);
        Assert.Contains(a["B1"].RelativeScores, x => x < -0.5); // the crowding loop takes over
    }

    [Fact]
    public void TwoLoopsThroughTwoStocksShareOnePartitionAndASeparateStockHasItsOwn()
    {
        // Predator–prey: prey growth R, predation links both stocks; an unrelated decaying stock is another partition.
        var model = new TestModel(stop: 20, dt: 0.05)
            .Stock("Prey", "40", inflows: new[] { "prey_births" }, outflows: new[] { "predation" })
            .Stock("Predators", "9", inflows: new[] { "predator_births" }, outflows: new[] { "predator_deaths" })
            .Flow("prey_births", "0.6 * Prey").Flow("predation", "0.025 * Prey * Predators")
            .Flow("predator_births", "0.01 * Prey * Predators").Flow("predator_deaths", "0.3 * Predators")
            .Stock("Dust", "5", outflows: new[] { "settling" }).Flow("settling", "Dust / 3")
            .Compile();
        var analysis = LoopAnalyzer.Analyze(model);

        Assert.Equal(2, analysis.Partitions.Count);
        var big = analysis.Partitions[0];
        Assert.Equal(new[] { "Prey", "Predators" }, big.Stocks);
        Assert.Equal(5, big.LoopIds.Count); // prey R, predation B (on prey), predator births R, predator deaths B, and the prey–predator B
        var crossLoop = analysis.Loops.Single(l => l.Variables.Contains("Prey") && l.Variables.Contains("Predators"));
        Assert.Equal(LoopPolarity.Balancing, crossLoop.Polarity);
        Assert.Equal(4, crossLoop.Length);
        var dust = Assert.Single(analysis.Loops, l => l.Partition == 2);
        Assert.All(dust.RelativeScores, x => Assert.Equal(-1.0, x));
        // Within the big partition the |relative scores| add up to 1 at every step where anything changes.
        for (int step = 0; step < analysis.Times.Length; step++)
        {
            double sum = analysis.Loops.Where(l => l.Partition == 1).Sum(l => Math.Abs(l.RelativeScores[step]));
            Assert.True(sum == 0 || Math.Abs(sum - 1) < 1e-12, $"step {step}: {sum}");
        }
    }

    [Fact]
    public void WhenTheCapIsExceededTheStrongestPathSearchFindsTheActiveLoops()
    {
        var model = new TestModel(stop: 10, dt: 0.25)
            .Stock("Population", "100", inflows: new[] { "births" }, outflows: new[] { "deaths" })
            .Flow("births", "Population * 0.1").Flow("deaths", "Population / 20").Compile();
        var full = LoopAnalyzer.Analyze(model);
        var found = LoopAnalyzer.Analyze(model, new LoopAnalysisOptions { LoopCap = 1 });

        Assert.True(full.Exhaustive);
        Assert.False(found.Exhaustive);
        Assert.Contains("strongest-path search", found.Method);
        Assert.Equal(full.Loops.Select(l => (l.Id, l.Path)), found.Loops.Select(l => (l.Id, l.Path)));
        Close.Equal(full["R1"].RelativeScores, found["R1"].RelativeScores, 0, 0);
    }
}
