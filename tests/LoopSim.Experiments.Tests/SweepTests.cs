using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sweeps;

namespace LoopSim.Experiments.Tests;

public class SweepTests
{
    [Fact]
    public void Range_includes_its_end_despite_floating_error()
    {
        var axis = SweepAxis.Parse("commission_rate=0.05:0.30:0.05");
        Assert.Equal("commission_rate", axis.Parameter);
        Assert.Equal([0.05, 0.1, 0.15, 0.2, 0.25, 0.3], axis.Values);
        Assert.Equal([0.0, 0.1, 0.2, 0.3], SweepAxis.Parse("x=0:0.3:0.1").Values);   // 3·0.1 = 0.30000000000000004
        Assert.Equal([1.0, 1.25, 1.5, 1.75, 2], SweepAxis.Parse("x = 1:2:0.25").Values);
        Assert.Equal([0.0, 0.3, 0.6, 0.9], SweepAxis.Parse("x=0:1:0.3").Values);      // end off the grid: stops below it
        Assert.Equal([5.0], SweepAxis.Parse("x=5:5:1").Values);
        Assert.Equal([1e-3, 2e-3], SweepAxis.Parse("x=1e-3:2e-3:1e-3").Values);
    }

    [Fact]
    public void Lists_are_read_as_given()
    {
        var axis = SweepAxis.Parse("member_cap=50,100,200,400");
        Assert.Equal([50.0, 100, 200, 400], axis.Values);
        Assert.Equal([3.0, -1], SweepAxis.Parse("member cap", " 3, -1 ").Values);
    }

    [Theory]
    [InlineData("commission_rate=0.05:0.30:0", "the step must be positive")]
    [InlineData("commission_rate=0.05:0.30:-0.05", "the step must be positive")]
    [InlineData("commission_rate=0.30:0.05:0.05", "is empty")]
    [InlineData("commission_rate=0.05:0.30", "is not a range")]
    [InlineData("commission_rate=", "'' is not a number")]
    [InlineData("commission_rate=1,,2", "'' is not a number")]
    [InlineData("commission_rate=a:b:c", "'a' is not a number")]
    [InlineData("commission_rate", "has no '='")]
    [InlineData("=1,2", "has no name")]
    [InlineData("x=0:1:0.000001", "too many")]
    public void Bad_parameter_ranges_are_clear_errors(string text, string expected)
    {
        var e = Assert.Throws<ModelException>(() => SweepAxis.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Grid_is_the_cartesian_product_first_axis_slowest()
    {
        var grid = SweepRunner.Grid([SweepAxis.Parse("a=1,2"), SweepAxis.Parse("b=10,20,30")]).ToList();
        Assert.Equal(6, grid.Count);
        Assert.Equal([1.0, 10], grid[0]);
        Assert.Equal([1.0, 30], grid[2]);
        Assert.Equal([2.0, 10], grid[3]);
        Assert.Equal([2.0, 30], grid[5]);
    }

    [Theory]
    [InlineData("referrals_per_week@104:p50", "referrals_per_week", 104.0, Statistic.P50)]
    [InlineData("referrals_per_week@104", "referrals_per_week", 104.0, Statistic.P50)]
    [InlineData("referrals per week:mean", "referrals per week", null, Statistic.Mean)]
    [InlineData(" engagement @ 52.5 : P95 ", "engagement", 52.5, Statistic.P95)]
    [InlineData("engagement", "engagement", null, Statistic.P50)]
    public void Metric_specs(string text, string variable, double? time, Statistic statistic) =>
        Assert.Equal(new MetricSpec(variable, time, statistic), MetricSpec.Parse(text));

    [Theory]
    [InlineData("x@soon:p50", "'soon' is not a time")]
    [InlineData("x@104:p90", "unknown statistic 'p90'")]
    [InlineData("@104", "names no variable")]
    public void Bad_metrics_are_clear_errors(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<ModelException>(() => MetricSpec.Parse(text)).Message);

    private static MonteCarloSetup Setup(int threads = 1) => new()
    {
        City = "Shanghai",
        Uncertain = [DistributionSpec.Parse("start", new Dictionary<string, object?> { ["dist"] = "normal", ["mean"] = 10, ["sd"] = 3 })],
        Runs = 257,
        Seed = 7,
        Threads = threads,
    };

    [Fact]
    public void Sweep_uses_common_random_numbers_at_every_point()
    {
        var result = SweepRunner.Run(new FakeModel(), Setup(), [SweepAxis.Parse("growth_rate=0.5:2:0.5"), SweepAxis.Parse("cap=1,2")],
            MetricSpec.Parse("level@4:mean"), null, default);
        Assert.Equal(8, result.Points.Count);
        Assert.Equal("level", result.MetricVariable);
        Assert.Equal(4, result.MetricTime);
        var first = result.Points[0].MonteCarlo;
        foreach (var point in result.Points)
        {
            var mc = point.MonteCarlo;
            double growth = point.Values[0];
            for (int r = 0; r < mc.Runs; r++)
            {
                // The same sampled start and the same equation seed in run r at every point.
                Assert.Equal(first.Samples[r, 0], mc.Samples[r, 0]);
                Assert.Equal(first.Samples.EquationSeeds[r], mc.Samples.EquationSeeds[r]);
                Assert.Equal(mc.Samples[r, 0] + growth * 10, mc.FinalValue(r, 0));
            }
            // Mean of level at t = 4 is the mean sampled start plus 4·growth.
            double meanStart = Enumerable.Range(0, mc.Runs).Average(r => mc.Samples[r, 0] + growth * 4);
            Assert.Equal(meanStart, point.Metric.Mean, 9);
            Assert.Equal(point.Metric.Mean, result.Value(point));
        }
        // With common random numbers, the effect of the swept parameter is exact: 4·Δgrowth.
        Assert.Equal(4 * 1.5, result.Points[6].Metric.Mean - result.Points[0].Metric.Mean, 4);
    }

    [Fact]
    public void Sweep_is_bit_identical_whatever_the_thread_count()
    {
        SweepResult Run(int threads) => SweepRunner.Run(new FakeModel(), Setup(threads), [SweepAxis.Parse("growth_rate=1,2,3")],
            MetricSpec.Parse("noise:p25"), null, default);
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(10, one.MetricTime);
        Assert.Equal(one.Points.Select(p => BitConverter.DoubleToInt64Bits(one.Value(p))), two.Points.Select(p => BitConverter.DoubleToInt64Bits(two.Value(p))));
    }

    [Fact]
    public void Sweep_progress_counts_runs_over_all_points()
    {
        var reports = new List<int>();
        SweepRunner.Run(new FakeModel(), Setup(), [SweepAxis.Parse("cap=1,2,3")], MetricSpec.Parse("level"), new Recorder(reports), default);
        Assert.Equal(3 * 257, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public void Sweep_mistakes_are_reported_before_any_run()
    {
        var model = new FakeModel();
        ModelException Fails(IReadOnlyList<SweepAxis> axes, string metric = "level") =>
            Assert.Throws<ModelException>(() => SweepRunner.Run(model, Setup(), axes, MetricSpec.Parse(metric), null, default));

        Assert.Contains("Did you mean 'Growth Rate'", Fails([SweepAxis.Parse("growth=1,2")]).Message);
        Assert.Contains("swept twice", Fails([SweepAxis.Parse("cap=1,2"), SweepAxis.Parse("CAP=3")]).Message);
        Assert.Contains("uncertain parameter is also swept", Fails([SweepAxis.Parse("start=1,2")]).Message);
        Assert.Contains("no parameters to sweep", Fails([]).Message);
        Assert.Contains("Did you mean 'level'", Fails([SweepAxis.Parse("cap=1")], "lvel@4").Message);
        Assert.Contains("time 4.5 is not a saved time", Fails([SweepAxis.Parse("cap=1")], "level@4.5").Message);
        Assert.Contains("the grid has 1000000 points", Fails([SweepAxis.Parse("cap=1:1000:1"), SweepAxis.Parse("growth_rate=1:1000:1")]).Message);
        Assert.Equal(0, model.RunsStarted);
    }

    private sealed class Recorder(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
