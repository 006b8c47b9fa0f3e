using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.Sensitivity;

/// <summary>
/// The elementary effects of one parameter: μ (mean, signed), μ* (mean of absolute values, Campolongo, Cariboni and
/// Saltelli 2007) and σ (standard deviation), in output units per unit of the parameter's probability scale.
/// </summary>
public sealed record MorrisEffect(string Parameter, double Mu, double MuStar, double Sigma);

/// <summary>
/// Morris's one-at-a-time trajectories (Morris 1991, "Factorial sampling plans for preliminary computational
/// experiments", Technometrics 33, 161–174) on a grid of p levels (p even) of the unit cube, with the jump
/// Δ = p / (2(p − 1)). Each trajectory starts at a random grid point, then moves its k inputs one at a time,
/// in a random order, by ±Δ: k + 1 runs, numbered explicitly (run r = t(k + 1) + s is step s of trajectory t).
/// A level x maps to the probability (x(p − 1) + ½) / p, the centre of its stratum, so that unbounded
/// distributions get finite values.
/// </summary>
public static class MorrisDesign
{
    public static long RunCount(int trajectories, int inputs) => (long)trajectories * (inputs + 1);

    /// <summary>The jump between levels, on the unit scale.</summary>
    public static double Delta(int levels) => levels / (2.0 * (levels - 1));

    /// <summary>
    /// The unit-cube coordinates of every run (row-major, k per run); trajectory t draws from stream
    /// <paramref name="stream"/>(t), so a trajectory does not depend on how many there are.
    /// </summary>
    public static double[] UnitInputs(int trajectories, int inputs, int levels, Func<int, SimRandom> stream)
    {
        if (levels < 2 || levels % 2 != 0) throw new ArgumentOutOfRangeException(nameof(levels), "An even number of levels, at least 2.");
        int k = inputs;
        var design = new double[RunCount(trajectories, k) * k];
        var order = new int[k];
        var x = new double[k];
        for (int t = 0; t < trajectories; t++)
        {
            var rng = stream(t);
            // Each input sits at a low level ℓ/(p − 1), ℓ < p/2, or ℓ + p/2 levels higher, starting at either at random.
            for (int j = 0; j < k; j++)
            {
                int low = (int)rng.NextBelow((ulong)(levels / 2));
                bool startHigh = rng.NextBelow(2) == 1;
                x[j] = (low + (startHigh ? levels / 2 : 0)) / (double)(levels - 1);
            }
            for (int j = 0; j < k; j++) order[j] = j;
            for (int j = k - 1; j > 0; j--)
            {
                int swap = (int)rng.NextBelow((ulong)j + 1);
                (order[j], order[swap]) = (order[swap], order[j]);
            }
            long run = (long)t * (k + 1);
            x.CopyTo(design.AsSpan((int)(run * k), k));
            double delta = Delta(levels);
            for (int s = 0; s < k; s++)
            {
                int j = order[s];
                x[j] = x[j] + delta <= 1 + 1e-12 ? x[j] + delta : x[j] - delta;
                x.CopyTo(design.AsSpan((int)((run + 1 + s) * k), k));
            }
        }
        return design;
    }

    /// <summary>The probability a grid level stands for: the centre of its stratum.</summary>
    public static double Probability(double level, int levels) => (level * (levels - 1) + 0.5) / levels;

    /// <summary>
    /// μ, μ* and σ of each input's elementary effects (y_after − y_before) / (x_after − x_before), with x the design's
    /// coordinates (the grid levels, or the probabilities they stand for).
    /// </summary>
    public static IReadOnlyList<MorrisEffect> Effects(ReadOnlySpan<double> unitInputs, ReadOnlySpan<double> outputs, IReadOnlyList<string> parameters)
    {
        int k = parameters.Count, steps = k + 1;
        int trajectories = outputs.Length / steps;
        var effects = new List<double>[k];
        for (int j = 0; j < k; j++) effects[j] = new List<double>(trajectories);
        for (int t = 0; t < trajectories; t++)
            for (int s = 0; s < k; s++)
            {
                long before = (long)t * steps + s, after = before + 1;
                var xb = unitInputs.Slice((int)(before * k), k);
                var xa = unitInputs.Slice((int)(after * k), k);
                for (int j = 0; j < k; j++)
                {
                    double dx = xa[j] - xb[j];
                    if (dx != 0) { effects[j].Add((outputs[(int)after] - outputs[(int)before]) / dx); break; }
                }
            }
        return parameters.Select((name, j) =>
        {
            var e = effects[j];
            if (e.Count == 0) return new MorrisEffect(name, double.NaN, double.NaN, double.NaN);
            double mu = e.Average(), muStar = e.Average(Math.Abs);
            double sigma = e.Count > 1 ? Math.Sqrt(e.Sum(v => (v - mu) * (v - mu)) / (e.Count - 1)) : 0;
            return new MorrisEffect(name, mu, muStar, sigma);
        }).ToList();
    }
}
