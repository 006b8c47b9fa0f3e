using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.Discovery;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Tests.Sensitivity;

namespace LoopSim.Experiments.Tests.Discovery;

public class PrimTests
{
    private static readonly string[] Names = ["x1", "x2", "x3", "x4", "x5"];

    /// <summary>n cases uniform on [0, 1]^5; of interest when x1 ∈ [0.2, 0.6] and x2 ∈ [0.5, 0.9], each label flipped with probability <paramref name="noise"/>.</summary>
    private static (double[] X, bool[] Y) Synthetic(int n, double noise, ulong seed)
    {
        var rng = new SimRandom(seed);
        var x = new double[n * 5];
        var y = new bool[n];
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < 5; d++) x[i * 5 + d] = rng.NextOpenDouble();
            bool inBox = x[i * 5] >= 0.2 && x[i * 5] <= 0.6 && x[i * 5 + 1] >= 0.5 && x[i * 5 + 1] <= 0.9;
            y[i] = rng.NextOpenDouble() < noise ? !inBox : inBox;
        }
        return (x, y);
    }

    /// <summary>
    /// The known box is recovered within 0.05 on each limit, from 5,000 cases, without and with 10% of the labels flipped;
    /// the three irrelevant parameters are left unrestricted, or restricted insignificantly (p &gt; 0.05).
    /// </summary>
    [Theory]
    [InlineData(0.0, 0.9, 0.8)]
    [InlineData(0.1, 0.8, 0.5)]   // a tenth of the cases outside the box are flipped to 'of interest': at most 63% can be inside
    public void Recovers_a_known_box(double noise, double threshold, double minCoverage)
    {
        var (x, y) = Synthetic(5000, noise, 11);
        var result = Prim.Run(x, y, Names, new PrimOptions { Threshold = threshold });
        var limits = result.Limits.ToDictionary(l => l.Parameter);
        Assert.Equal(0.2, limits["x1"].Low, 0.05);
        Assert.Equal(0.6, limits["x1"].High, 0.05);
        Assert.Equal(0.5, limits["x2"].Low, 0.05);
        Assert.Equal(0.9, limits["x2"].High, 0.05);
        Assert.True(limits["x1"].PValue < 1e-6 && limits["x2"].PValue < 1e-6);
        foreach (var name in new[] { "x3", "x4", "x5" })
            if (limits.TryGetValue(name, out var limit)) Assert.True(limit.PValue > 0.05, $"{name} restricted to [{limit.Low}, {limit.High}] with p = {limit.PValue}");
        Assert.True(result.Box.Density >= threshold);
        Assert.True(result.Box.Coverage > minCoverage, $"coverage {result.Box.Coverage}");
    }

    [Fact]
    public void The_trajectory_loses_coverage_as_it_gains_density_and_stops_at_the_minimum_mass()
    {
        var (x, y) = Synthetic(2000, 0.05, 3);
        var result = Prim.Run(x, y, Names, new PrimOptions { MinMass = 0.1 });
        Assert.Equal(1.0, result.Trajectory[0].Coverage);
        Assert.Equal(1.0, result.Trajectory[0].Mass);
        for (int i = 1; i < result.Trajectory.Count; i++)
            Assert.True(result.Trajectory[i].Coverage <= result.Trajectory[i - 1].Coverage);
        Assert.True(result.Trajectory[^1].Mass >= 0.1);
        Assert.Equal(result.Box.Cases, result.Inside.Count(v => v));
    }

    [Fact]
    public void Discovery_runs_each_case_in_both_scenarios_with_the_same_inputs_and_seed()
    {
        // Own: y = x1 + noise(seed); versus: y = noise(seed). Their difference is x1 exactly only if both runs of a case share the seed.
        static double Noise(ulong seed) => (seed % 1000) / 1000.0;
        var own = new FunctionModel(2, (x, seed) => x[0] + Noise(seed));
        var versus = new FunctionModel(2, (_, seed) => Noise(seed));
        var setup = new AnalysisSetup
        {
            City = "c", Seed = 5, Threads = 2,
            Parameters = [new DistributionSpec("x1", new UniformDistribution(0, 1), null), new DistributionSpec("x2", new UniformDistribution(0, 1), null)],
        };
        var where = WhereCondition.Parse("y - versus.y > 0.7");
        var result = DiscoveryRunner.Run(own, setup, 500, where, (versus, new Dictionary<string, double>()), new PrimOptions { Threshold = 1 }, null, CancellationToken.None);
        for (int i = 0; i < result.Cases; i++)
        {
            Assert.Equal(result.Inputs[i * 2], result.Values[i], 1e-12);
            Assert.Equal(result.Inputs[i * 2] > 0.7, result.OfInterest[i]);
        }
        var limit = Assert.Single(result.Prim.Limits, l => l.PValue < 0.01);
        Assert.Equal("x1", limit.Parameter);
        Assert.Equal(0.7, limit.Low, 0.03);
    }

    [Theory]
    [InlineData("referrals_per_week / versus.referrals_per_week > 2", "referrals_per_week", '/', true, WhereComparison.Greater, 2)]
    [InlineData("members@104 <= 150", "members@104", null, false, WhereComparison.LessOrEqual, 150)]
    [InlineData("a - b >= -1.5", "a", '-', false, WhereComparison.GreaterOrEqual, -1.5)]
    public void Where_conditions_parse(string text, string left, char? op, bool versusRight, WhereComparison comparison, double threshold)
    {
        var where = WhereCondition.Parse(text);
        Assert.Equal(left, where.Left.Metric.ToString());
        Assert.Equal(op, where.Operator);
        Assert.Equal(versusRight, where.Right?.Versus ?? false);
        Assert.Equal(comparison, where.WhereComparison);
        Assert.Equal(threshold, where.Threshold);
    }

    [Theory]
    [InlineData("members", "no comparison")]
    [InlineData("members > lots", "'lots' is not a number")]
    [InlineData(" > 3", "the left side is empty")]
    [InlineData("members / > 3", "a side of '/' or '-' is empty")]
    [InlineData("members:p50 > 3", "a statistic such as ':p50' does not apply here")]
    public void Bad_where_conditions_say_why(string text, string message)
    {
        var e = Assert.Throws<LoopSim.Engine.Diagnostics.ModelException>(() => WhereCondition.Parse(text));
        Assert.Contains(message, e.Message);
    }
}
