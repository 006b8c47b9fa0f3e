using LoopSim.Engine.Model;

namespace LoopSim.Experiments.MonteCarlo;

public enum Statistic { Mean, P5, P25, P50, P75, P95 }

/// <summary>Mean and percentiles of one output at one time over all runs (percentiles: see <see cref="Percentiles"/>).</summary>
public readonly record struct Summary(double Mean, double P5, double P25, double P50, double P75, double P95)
{
    public double this[Statistic statistic] => statistic switch
    {
        Statistic.Mean => Mean,
        Statistic.P5 => P5,
        Statistic.P25 => P25,
        Statistic.P50 => P50,
        Statistic.P75 => P75,
        _ => P95,
    };

    public static readonly Summary NaN = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
}

public static class Percentiles
{
    private static readonly double[] Levels = [0.05, 0.25, 0.50, 0.75, 0.95];

    /// <summary>
    /// Mean (summed in run order, in double) and the 5/25/50/75/95th percentiles of one column of
    /// run values. The p-quantile interpolates linearly between order statistics (Hyndman and Fan's
    /// type 7, the default of R, NumPy and Excel's PERCENTILE.INC): with x sorted ascending,
    /// zero-based, h = (n − 1)·p and Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
    /// Reorders <paramref name="values"/>: instead of a full sort, only the order statistics the
    /// percentiles need are put in place (quickselect), several times cheaper for the thousands of
    /// columns of a Monte Carlo. A column holding a NaN (a run that broke down)
    /// summarises to NaN throughout, rather than to percentiles of the other runs.
    /// </summary>
    public static Summary Summarise(Span<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        if (double.IsNaN(sum)) return Summary.NaN;
        Span<double> q = stackalloc double[Levels.Length];
        int placed = 0;   // values[..placed] are each in their sorted position's partition
        for (int i = 0; i < Levels.Length; i++)
        {
            double h = (values.Length - 1) * Levels[i];
            int low = (int)Math.Floor(h);
            if (low >= placed) { Select(values[placed..], low - placed); placed = low + 1; }
            double below = values[low];
            if (low + 1 >= values.Length || h == low) { q[i] = below; continue; }
            // The next order statistic is the smallest value above position low.
            float next = values[low + 1];
            foreach (var v in values[(low + 2)..]) if (v < next) next = v;
            q[i] = below + (h - low) * (next - below);
        }
        return new Summary(sum / values.Length, q[0], q[1], q[2], q[3], q[4]);
    }

    /// <summary>Hoare's quickselect: afterwards values[k] is the k-th smallest, nothing before it is larger and nothing after it smaller.</summary>
    internal static void Select(Span<float> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (right > left)
        {
            float a = values[left], b = values[left + (right - left) / 2], c = values[right];
            float pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));   // median of three
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return;
        }
    }

    /// <summary>Reads "mean", "p5", "p25", "p50", "p75" or "p95" (case-insensitive).</summary>
    public static Statistic ParseStatistic(string text, SourceLocation? location = null) =>
        text.Trim().ToLowerInvariant() switch
        {
            "mean" => Statistic.Mean,
            "p5" => Statistic.P5,
            "p25" => Statistic.P25,
            "p50" or "median" => Statistic.P50,
            "p75" => Statistic.P75,
            "p95" => Statistic.P95,
            _ => throw new ModelException($"unknown statistic '{text}'.", location, hint: "Use mean, p5, p25, p50, p75 or p95."),
        };

    public static string Name(Statistic statistic) => statistic.ToString().ToLowerInvariant();
}
