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
        var s = Percentiles.Summarise(new double[] { 10, 3, 1, 4, 2 });
        Assert.Equal(new Summary(4, 1.2, 2, 3, 4, 8.8), s with { P5 = Math.Round(s.P5, 12), P95 = Math.Round(s.P95, 12) });
        Assert.Equal(7, Percentiles.Summarise(new double[] { 7 }).P95);
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
            var values = Enumerable.Range(0, n).Select(_ => ties ? (double)rng.Next(3) : (rng.NextDouble() * 100 - 20)).ToArray();
            var sorted = values.Select(v => (double)v).Order().ToArray();
            var s = Percentiles.Summarise(values.ToArray());
            Assert.Equal(sorted.Average(), s.Mean, 10);
            foreach (var (p, actual) in new[] { (0.05, s.P5), (0.25, s.P25), (0.5, s.P50), (0.75, s.P75), (0.95, s.P95) })
                Assert.Equal(SortedArrayStatistics.QuantileCustom(sorted, p, QuantileDefinition.R7), actual, 10);
        }
    }

    [Fact]
    public void Order_statistics_are_exact_however_the_values_spread()
    {
        var rng = new Random(2);
        double Wide() => ((rng.Next(2) * 2 - 1) * Math.Pow(10, rng.NextDouble() * 60 - 30));
        var spreads = new (string Name, Func<double> Draw)[]
        {
            ("uniform", () => (rng.NextDouble() * 100 - 20)),
            ("clustered", () => 100 + rng.NextDouble() * 1e-9),
            ("ties", () => rng.Next(4)),
            ("neighbours in the last bit", () => Math.BitIncrement(1.0) * rng.Next(2) + 1.0 * rng.Next(2)),
            ("orders of magnitude, both signs", Wide),
            ("zeros, infinities and a few others", () => rng.Next(6) switch { 0 => 0.0, 1 => -0.0, 2 => double.PositiveInfinity, 3 => double.NegativeInfinity, _ => Wide() }),
            ("one outlier", () => rng.Next(10_000) == 0 ? 1e300 : 1 + rng.NextDouble()),
        };
        foreach (var (name, draw) in spreads)
            foreach (int n in new[] { 1, 2, 63, 64, 65, 1000, 10_007, 100_000 })
            {
                var values = Enumerable.Range(0, n).Select(_ => draw()).ToArray();
                var sorted = values.Order().ToArray();
                var ranks = new[] { 0, n / 7, n / 2, n / 2 + 1, n - 2, n - 1 }.Where(r => r >= 0 && r < n).Distinct().Order().ToArray();
                var results = new double[ranks.Length];
                Percentiles.OrderStatistics(values, ranks, results);
                for (int i = 0; i < ranks.Length; i++)
                    Assert.True(sorted[ranks[i]].Equals(results[i]), $"{name}, n = {n}: rank {ranks[i]} is {sorted[ranks[i]]:R}, got {results[i]:R}");
            }
    }

    /// <summary>Columns where vectors and their scalar tails, or the bucket passes, could go astray.</summary>
    private static IEnumerable<(string Name, double[] Values)> EdgeColumns()
    {
        var rng = new Random(3);
        double Lognormal() => Math.Exp(2 + Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        var draws = new (string Name, Func<double> Draw)[]
        {
            ("lognormal", Lognormal),
            ("signed zeros", () => rng.Next(2) == 0 ? 0.0 : -0.0),
            ("infinities of one sign and others", () => rng.Next(3) == 0 ? double.PositiveInfinity : Lognormal()),
            ("subnormals of both signs", () => (rng.Next(2) * 2 - 1) * double.Epsilon * rng.Next(1, 1000)),
            ("a few values, most runs on one (saturated)", () => rng.Next(10) < 7 ? 400 : rng.Next(4) * 25.0),
            ("all equal", () => 3.25),
        };
        foreach (var (name, draw) in draws)
            foreach (int n in new[] { 1, 3, 4, 5, 17, 63, 64, 65, 66, 100, 1000, 10_007 })
                yield return ($"{name}, n = {n}", Enumerable.Range(0, n).Select(_ => draw()).ToArray());
    }

    [Fact]
    public void Key_range_and_sum_are_the_same_in_vectors_and_one_at_a_time()
    {
        foreach (var (name, values) in EdgeColumns())
        {
            double runOrder = 0;
            foreach (var v in values) runOrder += v;
            var vector = Percentiles.KeyRangeAndSum(values, sumInOrder: true, vectorised: true);
            var scalar = Percentiles.KeyRangeAndSum(values, sumInOrder: true, vectorised: false);
            Assert.True(vector.Equals(scalar), $"{name}: {vector} in vectors, {scalar} one at a time");
            Assert.True(BitConverter.DoubleToInt64Bits(runOrder) == BitConverter.DoubleToInt64Bits(vector.Sum), $"{name}: sum {vector.Sum:R}, in run order {runOrder:R}");
            Assert.Equal(0.0, Percentiles.KeyRangeAndSum(values, sumInOrder: false, vectorised: true).Sum);
        }
    }

    [Fact]
    public void Buckets_are_the_same_in_vectors_and_one_at_a_time()
    {
        foreach (var (name, values) in EdgeColumns())
        {
            var (lowest, highest, _) = Percentiles.KeyRangeAndSum(values, sumInOrder: false, vectorised: false);
            int shift = 0;
            while ((highest - lowest) >> shift >= 2048) shift++;
            var vector = new ushort[values.Length];
            var scalar = new ushort[values.Length];
            Percentiles.BucketsOf(values, lowest, shift, vector, vectorised: true);
            Percentiles.BucketsOf(values, lowest, shift, scalar, vectorised: false);
            Assert.True(vector.SequenceEqual(scalar), name);
            Assert.True(vector.All(b => b < 2048), name);
        }
    }

    [Fact]
    public void Summaries_of_awkward_columns_match_a_sort()
    {
        foreach (var (name, values) in EdgeColumns())
        {
            var sorted = values.Order().ToArray();
            double runOrder = 0;
            foreach (var v in values) runOrder += v;
            var s = Percentiles.Summarise(values);
            if (double.IsNaN(runOrder))
            {
                Assert.True(double.IsNaN(s.Mean) && double.IsNaN(s.P50), name);
                continue;
            }
            Assert.True(runOrder / values.Length == s.Mean, $"{name}: mean {s.Mean:R}");
            foreach (var (p, actual) in new[] { (0.05, s.P5), (0.25, s.P25), (0.5, s.P50), (0.75, s.P75), (0.95, s.P95) })
            {
                double h = (values.Length - 1) * p;
                int low = (int)Math.Floor(h);
                double expected = low + 1 >= values.Length || h == low ? sorted[low] : sorted[low] + (h - low) * (sorted[low + 1] - sorted[low]);
                Assert.True(expected.Equals(actual), $"{name}, p = {p}: {actual:R}, by sorting {expected:R}");
            }
        }
    }

    [Fact]
    public void Many_ranks_in_many_buckets_are_exact()
    {
        // Every twentieth rank: more wanted buckets than the percentiles ask for, interleaved through the column,
        // each gathered into its own stretch in the one pass.
        foreach (var (name, values) in EdgeColumns().Where(c => c.Values.Length >= 65))
        {
            var sorted = values.Order().ToArray();
            var ranks = Enumerable.Range(0, 20).Select(k => k * (values.Length - 1) / 19).Distinct().ToArray();
            var results = new double[ranks.Length];
            Percentiles.OrderStatistics(values, ranks, results);
            for (int i = 0; i < ranks.Length; i++)
                Assert.True(sorted[ranks[i]].Equals(results[i]), $"{name}: rank {ranks[i]} is {sorted[ranks[i]]:R}, got {results[i]:R}");
        }
    }

    [Fact]
    public void A_broken_run_makes_the_column_NaN()
    {
        var s = Percentiles.Summarise(new double[] { 1, double.NaN, 3 });
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
