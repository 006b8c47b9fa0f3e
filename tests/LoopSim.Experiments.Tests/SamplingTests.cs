using LoopSim.Engine.Runtime;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.Tests;

public class SamplingTests
{
    private static Distribution Uniform01 =>
        DistributionSpec.Parse("u", new Dictionary<string, object?> { ["dist"] = "uniform", ["min"] = 0, ["max"] = 1 }).Distribution;

    [Fact]
    public void Golden_values_of_the_stream_derivation()
    {
        // Computed independently (Python, arbitrary-precision integers, from the published algorithms).
        Assert.Equal(0xE220A8397B1DCDAFUL, SimRandom.SplitMix64(0));       // SplitMix64's first output from state 0
        Assert.Equal(0xCBF29CE484222325UL, RandomStreams.Fnv1a64(""));         // FNV-1a offset basis
        Assert.Equal(0xAF63DC4C8601EC8CUL, RandomStreams.Fnv1a64("a"));        // FNV-1a reference vector
        Assert.Equal(0x4EF4EF9EE82AF0C5UL, RandomStreams.Fnv1a64("上海"));
        Assert.Equal(0x29D7CE80BF713B03UL, RandomStreams.EquationSeed(42, "上海", 7));
        Assert.Equal(0x1B29465E5C339489UL, RandomStreams.EquationSeed(2024, "Shanghai", 0));
        var rng = RandomStreams.Stream(42, "上海", RandomStreams.Purpose.SimpleRandom, 7);
        Assert.Equal(0x88F46D490031D5BBUL, rng.NextUInt64());
        Assert.Equal(0xBDC309B682271363UL, rng.NextUInt64());
        Assert.Equal(0x9C250757F70480A5UL, rng.NextUInt64());
    }

    [Fact]
    public void Streams_differ_by_seed_city_purpose_and_index()
    {
        var keys = new[]
        {
            RandomStreams.Key(1, "Shanghai", RandomStreams.Purpose.Equations, 0),
            RandomStreams.Key(2, "Shanghai", RandomStreams.Purpose.Equations, 0),
            RandomStreams.Key(1, "Beijing", RandomStreams.Purpose.Equations, 0),
            RandomStreams.Key(1, "Shanghai", RandomStreams.Purpose.SimpleRandom, 0),
            RandomStreams.Key(1, "Shanghai", RandomStreams.Purpose.Equations, 1),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Uniforms_are_strictly_inside_the_unit_interval_and_bounded_integers_are_in_range()
    {
        var rng = new SimRandom(9);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++)
        {
            Assert.InRange(rng.NextOpenDouble(), double.Epsilon, Math.BitDecrement(1.0));
            counts[rng.NextBelow(7)]++;
        }
        // Each count is Binomial(70000, 1/7): sd ≈ 92.6; 5 sd either side of 10000.
        Assert.All(counts, c => Assert.InRange(c, 10000 - 463, 10000 + 463));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(10, 1)]
    [InlineData(1003, 4)]
    public void Latin_hypercube_puts_exactly_one_run_in_each_stratum_of_each_dimension(int runs, int dims)
    {
        var set = Sampler.Draw(Enumerable.Repeat(Uniform01, dims).ToArray(), runs, SamplingMethod.LatinHypercube, 5, "Hangzhou");
        for (int d = 0; d < dims; d++)
        {
            var strata = Enumerable.Range(0, runs).Select(r => (int)Math.Floor(set[r, d] * runs)).Order();
            Assert.Equal(Enumerable.Range(0, runs), strata);
        }
        if (dims > 1 && runs > 10)
        {
            // Each dimension has its own permutation.
            var first = Enumerable.Range(0, runs).Select(r => (int)(set[r, 0] * runs));
            var second = Enumerable.Range(0, runs).Select(r => (int)(set[r, 1] * runs));
            Assert.NotEqual(first, second);
        }
    }

    [Fact]
    public void Latin_hypercube_maps_strata_through_the_inverse_cdf()
    {
        var normal = DistributionSpec.Parse("n", new Dictionary<string, object?> { ["dist"] = "normal", ["mean"] = 5, ["sd"] = 2 }).Distribution;
        int runs = 400;
        var set = Sampler.Draw([normal], runs, SamplingMethod.LatinHypercube, 5, "Hangzhou");
        var strata = Enumerable.Range(0, runs).Select(r => (int)Math.Floor(normal.Cdf(set[r, 0]) * runs)).Order();
        Assert.Equal(Enumerable.Range(0, runs), strata);
    }

    [Fact]
    public void Simple_random_run_values_do_not_depend_on_the_number_of_runs()
    {
        var small = Sampler.Draw([Uniform01, Uniform01], 10, SamplingMethod.SimpleRandom, 11, "Chengdu");
        var large = Sampler.Draw([Uniform01, Uniform01], 1000, SamplingMethod.SimpleRandom, 11, "Chengdu");
        for (int r = 0; r < 10; r++)
        {
            Assert.Equal(small[r, 0], large[r, 0]);
            Assert.Equal(small[r, 1], large[r, 1]);
            Assert.Equal(small.EquationSeeds[r], large.EquationSeeds[r]);
        }
        // First uniform of run 3 is the first draw of its own stream.
        Assert.Equal(RandomStreams.Stream(11, "Chengdu", RandomStreams.Purpose.SimpleRandom, 3).NextOpenDouble(), small[3, 0]);
    }

    [Fact]
    public void Same_seed_same_samples_other_city_other_samples()
    {
        var a = Sampler.Draw([Uniform01], 50, SamplingMethod.LatinHypercube, 1, "Shenzhen");
        var b = Sampler.Draw([Uniform01], 50, SamplingMethod.LatinHypercube, 1, "Shenzhen");
        var c = Sampler.Draw([Uniform01], 50, SamplingMethod.LatinHypercube, 1, "Guangzhou");
        Assert.Equal(Enumerable.Range(0, 50).Select(r => a[r, 0]), Enumerable.Range(0, 50).Select(r => b[r, 0]));
        Assert.NotEqual(Enumerable.Range(0, 50).Select(r => a[r, 0]), Enumerable.Range(0, 50).Select(r => c[r, 0]));
        Assert.Equal(RandomStreams.EquationSeed(1, "Shenzhen", 49), a.EquationSeeds[49]);
    }

    [Fact]
    public void Sampling_method_names()
    {
        Assert.Equal(SamplingMethod.LatinHypercube, Sampler.ParseMethod("LHS"));
        Assert.Equal(SamplingMethod.LatinHypercube, Sampler.ParseMethod("latin hypercube"));
        Assert.Equal(SamplingMethod.SimpleRandom, Sampler.ParseMethod("random"));
        Assert.Contains("Use lhs", Assert.Throws<ModelException>(() => Sampler.ParseMethod("sobol")).Message);
    }
}
