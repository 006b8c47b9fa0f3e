using LoopSim.Engine.Runtime;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sampling;
using MathNet.Numerics.Distributions;

namespace LoopSim.Experiments.Tests;

public class DistributionTests
{
    private static Distribution Parse(string parameter, params (string Key, object? Value)[] fields) =>
        DistributionSpec.Parse(parameter, fields.ToDictionary(f => f.Key, f => f.Value), new SourceLocation("scenario.yaml", 12, 5)).Distribution;

    /// <summary>
    /// Draws n samples and checks the sample mean and variance against the closed-form moments with
    /// tolerances of 5 standard errors from the central limit theorem: the standard error of the mean
    /// is σ/√n, that of the sample variance √((m4 − σ⁴)/n) with m4 the sample fourth central moment.
    /// At 5 standard errors a correct distribution fails with probability below 1e-6, while a wrong
    /// parameterisation (mean and sd swapped, spread read as σ, …) is off by hundreds of them.
    /// </summary>
    private static void AssertMoments(Distribution distribution, double mean, double variance, int n = 200_000)
    {
        var rng = new SimRandom(RandomStreams.Key(7, "moments", RandomStreams.Purpose.SimpleRandom, 0));
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = distribution.Sample(rng);
        double m = x.Average();
        double m2 = x.Sum(v => (v - m) * (v - m)) / (n - 1);
        double m4 = x.Sum(v => Math.Pow(v - m, 4)) / n;
        double meanError = Math.Sqrt(variance / n), varianceError = Math.Sqrt(Math.Max(m4 - m2 * m2, 0) / n);
        Assert.True(Math.Abs(m - mean) < 5 * meanError, $"{distribution}: mean {m}, expected {mean} ± {5 * meanError}");
        Assert.True(Math.Abs(m2 - variance) < 5 * varianceError, $"{distribution}: variance {m2}, expected {variance} ± {5 * varianceError}");
    }

    [Fact]
    public void Uniform_moments() => AssertMoments(Parse("p", ("dist", "uniform"), ("min", "2"), ("max", "5")), 3.5, 9.0 / 12);

    [Fact]
    public void Normal_moments() => AssertMoments(Parse("p", ("dist", "normal"), ("mean", "10"), ("sd", "3")), 10, 9);

    [Fact]
    public void Lognormal_by_median_and_spread_moments()
    {
        double mu = Math.Log(300000), sigma = Math.Log(1.5);
        AssertMoments(Parse("deal_value", ("dist", "lognormal"), ("median", 300000), ("spread", 1.5)),
            Math.Exp(mu + sigma * sigma / 2), (Math.Exp(sigma * sigma) - 1) * Math.Exp(2 * mu + sigma * sigma));
    }

    [Fact]
    public void Lognormal_by_mean_and_sd_moments() =>
        AssertMoments(Parse("deal_value", ("dist", "lognormal"), ("mean", "350000"), ("sd", "100000")), 350000, 1e10);

    [Fact]
    public void Triangular_moments()
    {
        double a = 0.05, c = 0.1, b = 0.2;
        AssertMoments(Parse("commission_rate", ("dist", "triangular"), ("min", a), ("mode", c), ("max", b)),
            (a + b + c) / 3, (a * a + b * b + c * c - a * b - a * c - b * c) / 18);
    }

    [Fact]
    public void Beta_scaled_moments()
    {
        double alpha = 2, beta = 5, lo = 10, hi = 30;
        AssertMoments(Parse("p", ("dist", "beta"), ("alpha", alpha), ("beta", beta), ("min", lo), ("max", hi)),
            lo + (hi - lo) * alpha / (alpha + beta),
            (hi - lo) * (hi - lo) * alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1)), n: 50_000);
    }

    [Fact]
    public void Discrete_moments_and_values()
    {
        var d = Parse("member_cap", ("dist", "discrete"), ("values", new object[] { "200", "50", "100" }), ("weights", new object[] { 1, 2, 1 }));
        // Values 50 (w 2), 100 (w 1), 200 (w 1): mean 100, E[x²] = (2·2500 + 10000 + 40000)/4 = 13750.
        AssertMoments(d, 100, 13750 - 100 * 100);
        var rng = new SimRandom(1);
        for (int i = 0; i < 1000; i++) Assert.Contains(d.Sample(rng), new[] { 50.0, 100, 200 });
    }

    [Fact]
    public void Discrete_never_picks_a_zero_weight_value()
    {
        var d = Parse("p", ("dist", "discrete"), ("values", new[] { 1, 2, 3 }), ("weights", new[] { 1, 0, 1 }));
        Assert.Equal(1, d.InverseCdf(0.4999));
        Assert.Equal(3, d.InverseCdf(0.5001));
        Assert.Equal(3, d.InverseCdf(Math.BitDecrement(1.0)));
        Assert.Equal(1, d.InverseCdf(double.Epsilon));
    }

    [Fact]
    public void Truncated_normal_moments_and_bounds()
    {
        // Closed form of the normal truncated to [a, b]: with α = (a−μ)/σ, β = (b−μ)/σ, Z = Φ(β) − Φ(α),
        // mean = μ + σ(φ(α) − φ(β))/Z, variance = σ²[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²].
        double mu = 1, sigma = 2, a = 0, b = 5;
        double al = (a - mu) / sigma, be = (b - mu) / sigma;
        double phiA = Math.Exp(-al * al / 2) / Math.Sqrt(2 * Math.PI), phiB = Math.Exp(-be * be / 2) / Math.Sqrt(2 * Math.PI);
        double z = Normal.CDF(0, 1, be) - Normal.CDF(0, 1, al);
        double mean = mu + sigma * (phiA - phiB) / z;
        double variance = sigma * sigma * (1 + (al * phiA - be * phiB) / z - Math.Pow((phiA - phiB) / z, 2));
        var d = Parse("p", ("dist", "normal"), ("mean", mu), ("sd", sigma), ("min", a), ("max", b));
        AssertMoments(d, mean, variance);
        Assert.Equal(a, d.InverseCdf(1e-300), 12);
        Assert.Equal(b, d.InverseCdf(Math.BitDecrement(1.0)), 9);
        var rng = new SimRandom(3);
        for (int i = 0; i < 100_000; i++) Assert.InRange(d.Sample(rng), a, b);
    }

    [Fact]
    public void One_sided_truncation_of_a_lognormal()
    {
        var d = Parse("p", ("dist", "lognormal"), ("median", 100), ("spread", 2), ("max", 150));
        var rng = new SimRandom(4);
        for (int i = 0; i < 100_000; i++) Assert.InRange(d.Sample(rng), 0, 150);
        // Half of the untruncated mass is below the median; the truncation keeps F(150).
        double kept = LogNormal.CDF(Math.Log(100), Math.Log(2), 150);
        Assert.Equal(100, d.InverseCdf(0.5 / kept), 9);
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.77)]
    [InlineData(0.999)]
    public void Inverse_cdf_matches_MathNet(double u)
    {
        void Same(double expected, Distribution actual) => Assert.Equal(expected, actual.InverseCdf(u), 10);
        Same(new ContinuousUniform(2, 5).InverseCumulativeDistribution(u), Parse("p", ("dist", "uniform"), ("min", 2), ("max", 5)));
        Same(new Normal(10, 3).InverseCumulativeDistribution(u), Parse("p", ("dist", "normal"), ("mean", 10), ("sd", 3)));
        Same(new LogNormal(Math.Log(300), Math.Log(1.5)).InverseCumulativeDistribution(u), Parse("p", ("dist", "lognormal"), ("median", 300), ("spread", 1.5)));
        Same(new Triangular(0.05, 0.2, 0.1).InverseCumulativeDistribution(u), Parse("p", ("dist", "triangular"), ("min", 0.05), ("mode", 0.1), ("max", 0.2)));
        Same(new Beta(2, 5).InverseCumulativeDistribution(u), Parse("p", ("dist", "beta"), ("alpha", 2), ("beta", 5)));
        var d = Parse("p", ("dist", "beta"), ("alpha", 2), ("beta", 5), ("min", 10), ("max", 30));
        Assert.Equal(10 + 20 * new Beta(2, 5).InverseCumulativeDistribution(u), d.InverseCdf(u), 9);
        Assert.Equal(u, d.Cdf(d.InverseCdf(u)), 9);
    }

    public static TheoryData<string, (string, object?)[], string> Impossible => new()
    {
        { "sd", [("dist", "normal"), ("mean", 1), ("sd", 0)], "sd must be greater than 0" },
        { "minmax", [("dist", "uniform"), ("min", 2), ("max", 2)], "min (2) must be less than max (2)" },
        { "mode", [("dist", "triangular"), ("min", 0), ("mode", 3), ("max", 2)], "mode 3 is outside [min, max]" },
        { "spread", [("dist", "lognormal"), ("median", 10), ("spread", 1)], "spread must be greater than 1" },
        { "both", [("dist", "lognormal"), ("median", 10), ("sd", 1)], "either median and spread, or mean and sd" },
        { "alpha", [("dist", "beta"), ("alpha", -1), ("beta", 1)], "alpha must be greater than 0" },
        { "negweight", [("dist", "discrete"), ("values", new[] { 1, 2 }), ("weights", new[] { 1, -1 })], "negative" },
        { "zeroweights", [("dist", "discrete"), ("values", new[] { 1, 2 }), ("weights", new[] { 0, 0 })], "sum to 0" },
        { "weightcount", [("dist", "discrete"), ("values", new[] { 1, 2 }), ("weights", new[] { 1 })], "one weight per value" },
        { "support", [("dist", "lognormal"), ("median", 10), ("spread", 2), ("min", -1)], "below the smallest value" },
        { "nomass", [("dist", "normal"), ("mean", 0), ("sd", 1), ("min", 20), ("max", 30)], "keep a probability of only" },
        { "unknownkey", [("dist", "uniform"), ("min", 0), ("max", 1), ("mode", 0.5)], "'mode' is not an argument of a uniform" },
        { "unknowndist", [("dist", "gaussian"), ("mean", 0)], "unknown distribution 'gaussian'" },
        { "missing", [("dist", "normal"), ("mean", 0)], "'sd' is missing" },
        { "notnumber", [("dist", "normal"), ("mean", "ten"), ("sd", 1)], "'mean' must be a finite number" },
        { "nodist", [("mean", 0), ("sd", 1)], "no 'dist' given" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void Impossible_arguments_are_a_clear_error(string _, (string, object?)[] fields, string expected)
    {
        var e = Assert.Throws<ModelException>(() => Parse("commission_rate", fields));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("scenario.yaml:12:5: variable 'commission_rate': ", e.Message);
        Assert.NotNull(e.Diagnostics[0].Hint);
    }

    [Fact]
    public void Yaml_uncertain_section_is_read_with_line_numbers()
    {
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader("""
            uncertain:
              commission_rate: { dist: triangular, min: 0.05, mode: 0.1, max: 0.2 }
              deal_value:
                dist: lognormal
                median: 300000
                spread: 1.5
              member_cap: { dist: discrete, values: [50, 100, 200], weights: [1, 2, 1] }
              churn: { dist: normal, mean: 0.02, sd: 0 }
            """));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        var section = (YamlDotNet.RepresentationModel.YamlMappingNode)root["uncertain"];
        var e = Assert.Throws<ModelException>(() => YamlUncertainty.Parse(section, "alliance.yaml"));
        Assert.StartsWith("alliance.yaml:8:3: variable 'churn': uncertain parameter: sd must be greater than 0", e.Message);

        section.Children.Remove(new YamlDotNet.RepresentationModel.YamlScalarNode("churn"));
        var specs = YamlUncertainty.Parse(section, "alliance.yaml");
        Assert.Equal(["commission_rate", "deal_value", "member_cap"], specs.Select(s => s.Parameter));
        Assert.IsType<TriangularDistribution>(specs[0].Distribution);
        Assert.Equal(300000, specs[1].Distribution.InverseCdf(0.5), 6);
        Assert.Equal([50.0, 100, 200], ((DiscreteDistribution)specs[2].Distribution).Values);
        Assert.Equal(3, specs[1].Location!.Line);
    }

    [Fact]
    public void Untyped_yaml_objects_are_accepted()
    {
        var yaml = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>("""
            commission_rate: { dist: triangular, min: 0.05, mode: 0.1, max: 0.2 }
            member_cap: { dist: discrete, values: [50, 100, 200] }
            """);
        var specs = DistributionSpec.ParseSection(yaml, new SourceLocation("alliance.yaml", 20, 1));
        Assert.Equal(0.1, ((TriangularDistribution)specs[0].Distribution).Mode);
        Assert.Equal([50.0, 100, 200], ((DiscreteDistribution)specs[1].Distribution).Values);
        var e = Assert.Throws<ModelException>(() => DistributionSpec.ParseSection(
            new Dictionary<string, object?> { ["churn"] = "0.1" }, new SourceLocation("alliance.yaml", 20, 1)));
        Assert.StartsWith("alliance.yaml:20:1: variable 'churn': uncertain parameter: the distribution must be a mapping.", e.Message);
    }
}
