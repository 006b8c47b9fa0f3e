using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.Sensitivity;

/// <summary>A first-order or total index with its bootstrap confidence interval.</summary>
public readonly record struct Estimate(double Value, double Low, double High);

/// <summary>The Sobol' indices of one parameter for one output.</summary>
public sealed record SobolIndex(string Parameter, Estimate First, Estimate Total);

/// <summary>
/// Saltelli's design for first-order and total Sobol' indices of k inputs from N base points (Saltelli et al. 2010,
/// "Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181, 259–270). Two N × k matrices A
/// and B take the first and the last k coordinates of Sobol' points 1 … N (point 0, the origin, is skipped: its
/// coordinates map to the edges of unbounded distributions); A_B^(j) is A with column j from B. The design's
/// N(k + 2) runs are numbered explicitly so that any slice of them can run anywhere:
/// run r = i(k + 2) + c belongs to base point i, and is A_i (c = 0), B_i (c = 1) or A_B^(c − 2)_i.
/// </summary>
public static class SobolDesign
{
    public static long RunCount(int basePoints, int inputs) => (long)basePoints * (inputs + 2);

    /// <summary>The unit-cube coordinates of every run, row-major (run r's k inputs at [r·k, (r + 1)·k)).</summary>
    public static double[] UnitInputs(int basePoints, int inputs)
    {
        if (2 * inputs > SobolSequence.MaxDimensions)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"At most {SobolSequence.MaxDimensions / 2} inputs.");
        int k = inputs, stride = k + 2;
        var points = SobolSequence.Points(1, basePoints, 2 * k);
        var design = new double[RunCount(basePoints, k) * k];
        for (int i = 0; i < basePoints; i++)
        {
            var a = points.AsSpan(i * 2 * k, k);
            var b = points.AsSpan(i * 2 * k + k, k);
            long row = (long)i * stride;
            a.CopyTo(design.AsSpan((int)(row * k), k));
            b.CopyTo(design.AsSpan((int)((row + 1) * k), k));
            for (int j = 0; j < k; j++)
            {
                var ab = design.AsSpan((int)((row + 2 + j) * k), k);
                a.CopyTo(ab);
                ab[j] = b[j];
            }
        }
        return design;
    }

    /// <summary>
    /// First-order indices by Saltelli 2010's estimator with f(B) centred on the mean (the shift leaves the index's
    /// expectation unchanged and removes the noise a large mean adds), S_j = mean((f(B) − f̄)·(f(A_B^j) − f(A))) / V, and total indices by
    /// Jansen's, ST_j = mean((f(A) − f(A_B^j))²) / 2V, with V the variance of f over A and B together. Intervals are
    /// percentile bootstrap intervals over the base points (<paramref name="resamples"/> resamples drawn from
    /// <paramref name="rng"/>). <paramref name="outputs"/> are the design's outputs in run order.
    /// </summary>
    public static IReadOnlyList<SobolIndex> Indices(ReadOnlySpan<double> outputs, IReadOnlyList<string> parameters,
        int resamples, double confidence, SimRandom rng)
    {
        int k = parameters.Count, stride = k + 2;
        if (outputs.Length % stride != 0) throw new ArgumentException($"{outputs.Length} outputs are not a whole number of base points of {stride} runs.");
        int n = outputs.Length / stride;
        if (n < 2) throw new ArgumentException("Sobol' indices need at least two base points.");
        var y = outputs.ToArray();

        var all = Enumerable.Range(0, n).ToArray();
        var first = new double[k];
        var total = new double[k];
        Estimate(y, stride, k, all, first, total);

        var firstSamples = new double[k][];
        var totalSamples = new double[k][];
        for (int j = 0; j < k; j++) { firstSamples[j] = new double[resamples]; totalSamples[j] = new double[resamples]; }
        var rows = new int[n];
        var f = new double[k];
        var t = new double[k];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < n; i++) rows[i] = (int)rng.NextBelow((ulong)n);
            Estimate(y, stride, k, rows, f, t);
            for (int j = 0; j < k; j++) { firstSamples[j][b] = f[j]; totalSamples[j][b] = t[j]; }
        }
        var indices = new SobolIndex[k];
        for (int j = 0; j < k; j++)
            indices[j] = new SobolIndex(parameters[j],
                Interval(first[j], firstSamples[j], confidence), Interval(total[j], totalSamples[j], confidence));
        return indices;
    }

    /// <summary>The estimators over the base points <paramref name="rows"/> (with repeats, for the bootstrap); NaN when f does not vary.</summary>
    private static void Estimate(double[] y, int stride, int k, int[] rows, double[] first, double[] total)
    {
        // Variance of f(A) and f(B) together, centred on their mean (two passes: the outputs may be large and nearly equal).
        double mean = 0;
        foreach (int i in rows) mean += y[i * stride] + y[i * stride + 1];
        mean /= 2.0 * rows.Length;
        double variance = 0;
        foreach (int i in rows)
        {
            double da = y[i * stride] - mean, db = y[i * stride + 1] - mean;
            variance += da * da + db * db;
        }
        variance /= 2.0 * rows.Length - 1;
        for (int j = 0; j < k; j++)
        {
            double s = 0, st = 0;
            foreach (int i in rows)
            {
                double fa = y[i * stride], fb = y[i * stride + 1], fab = y[i * stride + 2 + j];
                s += (fb - mean) * (fab - fa);   // centred: the same index in expectation, less noise when the mean is large
                st += (fa - fab) * (fa - fab);
            }
            first[j] = variance > 0 ? s / rows.Length / variance : double.NaN;
            total[j] = variance > 0 ? st / (2.0 * rows.Length) / variance : double.NaN;
        }
    }

    /// <summary>The estimate with the percentile interval of its bootstrap replicates.</summary>
    internal static Estimate Interval(double value, double[] replicates, double confidence)
    {
        var finite = replicates.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0) return new Estimate(value, double.NaN, double.NaN);
        double tail = (1 - confidence) / 2;
        return new Estimate(value, Quantile(finite, tail), Quantile(finite, 1 - tail));
    }

    /// <summary>Linear interpolation between order statistics (type 7, as R and NumPy by default).</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
