using LoopSim.Engine.Simulation;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;

namespace LoopSim.Experiments.Sampling;

public enum SamplingMethod
{
    /// <summary>Each run draws its own uniforms from its own stream: run i's values do not depend on how many runs there are.</summary>
    SimpleRandom,
    /// <summary>Per dimension, the runs fall one in each of <c>runs</c> equal-probability strata, in a random order per dimension.</summary>
    LatinHypercube,
}

/// <summary>The sampled uncertain values of every run of one city, and each run's equation seed.</summary>
public sealed class SampleSet
{
    private readonly double[] _values;

    internal SampleSet(int runs, int dimensions, double[] values, ulong[] equationSeeds)
    {
        Runs = runs; Dimensions = dimensions; _values = values; EquationSeeds = equationSeeds;
    }

    public int Runs { get; }
    public int Dimensions { get; }
    /// <summary>The value of dimension <paramref name="dimension"/> in run <paramref name="run"/>.</summary>
    public double this[int run, int dimension] => _values[run * Dimensions + dimension];
    /// <summary>The values of one run, one per dimension.</summary>
    public ReadOnlySpan<double> Run(int run) => _values.AsSpan(run * Dimensions, Dimensions);
    /// <summary>The seed each run's equation random functions get (see <see cref="RandomStreams.EquationSeed"/>).</summary>
    public IReadOnlyList<ulong> EquationSeeds { get; }
}

public static class Sampler
{
    /// <summary>Reads a sampling method as written in a scenario: "lhs" / "latin_hypercube" or "random" / "simple_random".</summary>
    public static SamplingMethod ParseMethod(string text, SourceLocation? location = null) =>
        Names.Canonical(text) switch
        {
            "lhs" or "latin_hypercube" => SamplingMethod.LatinHypercube,
            "random" or "simple_random" => SamplingMethod.SimpleRandom,
            _ => throw new ModelException(DiagnosticCodes.UnknownSampling, $"unknown sampling method '{text}'.", location, hint: "Use lhs (Latin hypercube) or random (simple random)."),
        };

    /// <summary>
    /// Draws <paramref name="runs"/> values of each distribution for <paramref name="city"/>.
    /// Simple random: run i, dimension d uses the d-th uniform of stream (seed, city, SimpleRandom, i).
    /// Latin hypercube: from stream (seed, city, LatinHypercube, 0), for each dimension in order a
    /// Fisher–Yates permutation π of the strata and then one jitter v per run; run i gets
    /// u = (π[i] + v) / runs. Values are InverseCdf(u) in both cases.
    /// </summary>
    public static SampleSet Draw(IReadOnlyList<Distribution> distributions, int runs, SamplingMethod method, ulong seed, string city)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), runs, "At least one run.");
        int dims = distributions.Count;
        var values = new double[runs * dims];
        var linked = Enumerable.Range(0, dims).Select(d => LinkedTo(distributions, d)).ToArray();
        var uniforms = linked.Any((l) => l >= 0) ? new double[runs * dims] : null;   // kept only to share with linked columns
        if (method == SamplingMethod.SimpleRandom)
        {
            for (int run = 0; run < runs; run++)
            {
                var rng = RandomStreams.Stream(seed, city, RandomStreams.Purpose.SimpleRandom, run);
                for (int d = 0; d < dims; d++)
                {
                    double u = linked[d] >= 0 ? uniforms![run * dims + linked[d]] : rng.NextOpenDouble();
                    if (uniforms is not null) uniforms[run * dims + d] = u;
                    values[run * dims + d] = distributions[d].InverseCdf(u);
                }
            }
        }
        else
        {
            var rng = RandomStreams.Stream(seed, city, RandomStreams.Purpose.LatinHypercube, 0);
            var strata = new int[runs];
            for (int d = 0; d < dims; d++)
            {
                if (linked[d] >= 0)
                {
                    for (int run = 0; run < runs; run++) values[run * dims + d] = distributions[d].InverseCdf(uniforms![run * dims + linked[d]]);
                    continue;
                }
                for (int i = 0; i < runs; i++) strata[i] = i;
                for (int i = runs - 1; i > 0; i--)
                {
                    int j = (int)rng.NextBelow((ulong)i + 1);
                    (strata[i], strata[j]) = (strata[j], strata[i]);
                }
                for (int run = 0; run < runs; run++)
                {
                    double u = Stratum(strata[run], rng.NextOpenDouble(), runs);
                    if (uniforms is not null) uniforms[run * dims + d] = u;
                    values[run * dims + d] = distributions[d].InverseCdf(u);
                }
            }
        }
        var seeds = new ulong[runs];
        for (int run = 0; run < runs; run++) seeds[run] = RandomStreams.EquationSeed(seed, city, run);
        return new SampleSet(runs, dims, values, seeds);
    }

    /// <summary>
    /// The earlier dimension whose uniform number dimension <paramref name="d"/> shares (a column of the same table of joint
    /// draws, e.g. a posterior), or −1 when it draws its own.
    /// </summary>
    private static int LinkedTo(IReadOnlyList<Distribution> distributions, int d)
    {
        if (distributions[d] is not Calibration.JointColumnDistribution joint) return -1;
        for (int e = 0; e < d; e++)
            if (distributions[e] is Calibration.JointColumnDistribution other && ReferenceEquals(other.Table, joint.Table)) return e;
        return -1;
    }

    /// <summary>A point of stratum k of n, (k + v) / n; for the top stratum the division can round up to 1, which is kept just below it.</summary>
    internal static double Stratum(int k, double v, int n) => Math.Min((k + v) / n, Math.BitDecrement(1.0));
}
