using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using MathNet.Numerics.Statistics;

namespace LoopSim.Experiments.Tests;

public class PercentileTests
{
    [Fact]
    public void Type7_by_hand()
    {
        // n = 5, sorted 1 2 3 4 10: h = 4p. p5: h = 0.2 → 1 + 0.2·1 = 1.2; p25: h = 1 → 2; p50: 3;
        // p75: h = 3 → 4; p95: h = 3.8 → 4 + 0.8·6 = 8.8. Mean 4.
        var s = Percentiles.Summarise(new float[] { 10, 3, 1, 4, 2 });
        Assert.Equal(new Summary(4, 1.2, 2, 3, 4, 8.8), s with { P5 = Math.Round(s.P5, 12), P95 = Math.Round(s.P95, 12) });
        Assert.Equal(7, Percentiles.Summarise(new float[] { 7 }).P95);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Type7_matches_MathNet_R7(bool ties)
    {
        var rng = new Random(1);
        foreach (int n in new[] { 1, 2, 3, 4, 10, 21, 101, 1000, 10_007 })
        {
            // With ties: a handful of distinct values, as in columns where most runs saturate.
            var values = Enumerable.Range(0, n).Select(_ => ties ? (float)rng.Next(3) : (float)(rng.NextDouble() * 100 - 20)).ToArray();
            var sorted = values.Select(v => (double)v).Order().ToArray();
            var s = Percentiles.Summarise(values.ToArray());
            Assert.Equal(sorted.Average(), s.Mean, 10);
            foreach (var (p, actual) in new[] { (0.05, s.P5), (0.25, s.P25), (0.5, s.P50), (0.75, s.P75), (0.95, s.P95) })
                Assert.Equal(SortedArrayStatistics.QuantileCustom(sorted, p, QuantileDefinition.R7), actual, 10);
        }
    }

    [Fact]
    public void Select_puts_the_kth_smallest_in_place()
    {
        var rng = new Random(2);
        foreach (int n in new[] { 1, 2, 5, 100, 1001 })
            foreach (int k in new[] { 0, n / 3, n / 2, n - 1 })
            {
                var values = Enumerable.Range(0, n).Select(_ => (float)rng.Next(n / 2 + 1)).ToArray();
                var sorted = values.Order().ToArray();
                Percentiles.Select(values, k);
                Assert.Equal(sorted[k], values[k]);
                Assert.All(values[..k], v => Assert.True(v <= values[k]));
                Assert.All(values[(k + 1)..], v => Assert.True(v >= values[k]));
                Assert.Equal(sorted, values.Order());
            }
        var same = Enumerable.Repeat(4f, 100_000).ToArray();
        Percentiles.Select(same, 50_000);
        Assert.Equal(4f, same[50_000]);
    }

    [Fact]
    public void A_broken_run_makes_the_column_NaN()
    {
        var s = Percentiles.Summarise(new float[] { 1, float.NaN, 3 });
        Assert.True(double.IsNaN(s.Mean) && double.IsNaN(s.P5) && double.IsNaN(s.P95));
    }

    [Fact]
    public void Statistic_names()
    {
        Assert.Equal(Statistic.P95, Percentiles.ParseStatistic("P95"));
        Assert.Equal(Statistic.Mean, Percentiles.ParseStatistic("mean"));
        Assert.Contains("Use mean, p5", Assert.Throws<ModelException>(() => Percentiles.ParseStatistic("p90")).Message);
    }
}
