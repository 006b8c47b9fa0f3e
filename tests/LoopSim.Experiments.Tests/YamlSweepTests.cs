using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sweeps;

namespace LoopSim.Experiments.Tests;

public class YamlSweepTests
{
    private static SweepSection Parse(string yaml)
    {
        var file = YamlFile.Parse(yaml, "s.yaml");
        return YamlSweep.Parse(file, file.Root!);
    }

    [Fact]
    public void Reads_ranges_lists_and_the_metric()
    {
        var section = Parse("""
            params:
              commission_rate: 0.05:0.30:0.05
              member_cap: [50, 100, 200, 400]
              board_seats: 8,12
            metric: referrals_per_week@104:p75
            """);
        Assert.Equal(["commission_rate", "member_cap", "board_seats"], section.Axes.Select(a => a.Parameter));
        Assert.Equal([0.05, 0.1, 0.15, 0.2, 0.25, 0.3], section.Axes[0].Values);
        Assert.Equal([50.0, 100, 200, 400], section.Axes[1].Values);
        Assert.Equal([8.0, 12], section.Axes[2].Values);
        Assert.Equal(new SourceLocation("s.yaml", 3, 3), section.Axes[1].Location);
        Assert.Equal([new MetricSpec("referrals_per_week", 104, Statistic.P75)], section.Metrics);
    }

    [Fact]
    public void The_metric_is_optional() => Assert.Empty(Parse("params: {x: [1]}").Metrics);

    [Fact]
    public void The_metric_can_be_a_list_the_first_one_ranked()
    {
        var section = Parse("params: {x: [1]}\nmetric: [referrals_per_week@156, engagement:p25]");
        Assert.Equal([new MetricSpec("referrals_per_week", 156, Statistic.P50), new MetricSpec("engagement", null, Statistic.P25)], section.Metrics);
    }

    [Theory]
    [InlineData("params: {}", "'params' of 'sweep' lists no parameters.", 1)]
    [InlineData("metric: x", "'sweep' needs 'params'.", 1)]
    [InlineData("params: {x: 3:1:1}", "sweep: the range 3:1 is empty (TO is below FROM).", 1)]
    [InlineData("params:\n  x: [1, two]", "sweep: 'two' is not a number.", 2)]
    [InlineData("params: {x: [1]}\nmetrc: y", "unknown key 'metrc' in 'sweep'.", 2)]
    public void Mistakes_are_located(string yaml, string message, int line)
    {
        var e = Assert.Throws<ModelException>(() => Parse(yaml));
        var d = Assert.Single(e.Diagnostics);
        Assert.Contains(message, d.Message);
        Assert.Equal(line, d.Location!.Line);
    }
}
