using LoopSim.Engine.Analysis;

namespace LoopSim.Engine.Tests.Analysis;

/// <summary>The share of each stock's change that the loops listed explain, and the warning when it is low.</summary>
public class LoopCoverageTests
{
    /// <summary>
    /// S grows through ten parallel loops S → x → growth → S: x = a with weight 0.02, x = b1…b9 with weight 0.01 each.
    /// Every path's score is its weight × ΔS / Δgrowth, so a set of loops explains Σ its weights ÷ 0.11 of S's change.
    /// </summary>
    private static TestModel Parallel()
    {
        var model = new TestModel(stop: 10, dt: 0.25)
            .Stock("S", "100", inflows: new[] { "growth" })
            .Flow("growth", "0.02 * a + 0.01 * (" + string.Join(" + ", Enumerable.Range(1, 9).Select(i => $"b{i}")) + ")")
            .Aux("a", "S");
        for (int i = 1; i <= 9; i++) model.Aux($"b{i}", "S");
        return model;
    }

    [Fact]
    public void EveryLoopListedExplainsAllOfTheChange()
    {
        var analysis = LoopAnalyzer.Analyze(Parallel().Compile());
        Assert.True(analysis.Exhaustive);
        Assert.Equal(10, analysis.Loops.Count);
        var s = Assert.Single(analysis.Coverage);
        Assert.Equal(("S", 1), (s.Stock, s.Partition));
        Assert.Equal(1, s.Explained, 12);
        Assert.Equal(1, s.Lowest, 12);
        Assert.Empty(analysis.Warnings);
    }

    [Fact]
    public void TheStrongestPathSearchsLoopsExplainTheirWeightsShareAndALowShareIsWarned()
    {
        var analysis = LoopAnalyzer.Analyze(Parallel().Compile(), new LoopAnalysisOptions { LoopCap = 1 });
        Assert.False(analysis.Exhaustive);
        // The search follows the strongest links and prunes the weaker paths into growth: a and at most one b.
        Assert.InRange(analysis.Loops.Count, 1, 2);
        Assert.Contains(analysis.Loops, l => l.Variables.Contains("a"));
        double expected = analysis.Loops.Sum(l => l.Variables.Contains("a") ? 0.02 : 0.01) / 0.11;

        var s = Assert.Single(analysis.Coverage);
        Assert.Equal(expected, s.Explained, 9);
        Assert.Equal(expected, s.Lowest, 9);
        Assert.True(s.Explained < LoopAnalyzer.LowCoverage);
        // Relative scores are shares of what the loops found explain: they still add up to 1.
        Assert.Equal(1, analysis.Loops.Sum(l => Math.Abs(l.RelativeScores[3])), 12);

        var warning = Assert.Single(analysis.Warnings);
        Assert.Equal("LS6005", warning.Code.Id);
        Assert.Equal(LoopSim.Engine.Diagnostics.Severity.Warning, warning.Severity);
        Assert.Contains($"S {expected:P0}", warning.Message);
        Assert.Contains("--max-loops", warning.Hint);
    }

    /// <summary>n stocks, each flow reading every stock: every ordered cycle of stocks is a loop.</summary>
    internal static TestModel Dense(int n, double stop = 20, double dt = 0.25, double? saveStep = null)
    {
        var model = new TestModel(stop: stop, dt: dt, saveStep: saveStep);
        for (int i = 0; i < n; i++)
        {
            var terms = Enumerable.Range(0, n).Select(j => j == i ? $"-0.3 * S{j}" : $"{0.02 * (1 + (i + 2 * j) % 4)} * S{j}");
            model.Stock($"S{i}", $"{10 + 5 * i}", inflows: new[] { $"f{i}" }).Flow($"f{i}", string.Join(" + ", terms));
        }
        return model;
    }

    [Fact]
    public void ThePartExplainedIsTheListedLoopsScoreOverThatOfEveryLoopThroughTheStock()
    {
        // Four coupled stocks: 24 loops. With --max-loops 3 the strongest-path search lists some; the share of each
        // stock's change they explain must equal, step by step, Σ|score| of those through it ÷ Σ|score| of all 24.
        var compiled = Dense(4).Compile();
        var all = LoopAnalyzer.Analyze(compiled);
        var found = LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions { LoopCap = 3 });
        Assert.Equal(24, all.Loops.Count);
        Assert.False(found.Exhaustive);
        Assert.InRange(found.Loops.Count, 4, 23);

        foreach (var stock in found.Coverage)
        {
            var ratios = new List<double>();
            for (int step = 0; step < all.Times.Length; step++)
            {
                double every = all.Loops.Where(l => l.Variables.Contains(stock.Stock)).Sum(l => Math.Abs(l.Scores[step]));
                double listed = found.Loops.Where(l => l.Variables.Contains(stock.Stock)).Sum(l => Math.Abs(l.Scores[step]));
                if (every > 0) ratios.Add(listed / every);
            }
            Assert.Equal(ratios.Average(), stock.Explained, 9);
            Assert.Equal(ratios.Min(), stock.Lowest, 9);
            Assert.True(stock.Explained < 1, stock.Stock);
        }
        Assert.All(all.Coverage, c => Assert.Equal(1, c.Explained));
    }

    [Fact]
    public void ADelaysHiddenStagesAreStatesOfTheLoop()
    {
        // Two model loops, one through SMTH3: its hidden stages are states of the subset programme, one path between
        // each. With the search forced (cap 1), the share explained is still the listed loops' |score| over both's.
        var compiled = new TestModel(stop: 20, dt: 0.25)
            .Stock("Users", "10", inflows: new[] { "signups" }, outflows: new[] { "churn" })
            .Flow("signups", "0.1 * SMTH3(Users, 3)").Flow("churn", "Users / 50").Compile();
        var all = LoopAnalyzer.Analyze(compiled);
        Assert.Equal(2, all.Loops.Count);
        var found = LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions { LoopCap = 1 });
        var users = Assert.Single(found.Coverage);
        Assert.Equal("Users", users.Stock);
        var ratios = Enumerable.Range(0, all.Times.Length).Select(step => (
                Listed: found.Loops.Sum(l => Math.Abs(l.Scores[step])), Every: all.Loops.Sum(l => Math.Abs(l.Scores[step]))))
            .Where(r => r.Every > 0).Select(r => r.Listed / r.Every).ToList();
        Assert.Equal(ratios.Average(), users.Explained, 9);
    }
}
