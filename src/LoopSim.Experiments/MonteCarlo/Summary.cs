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
    /// <summary>
    /// The p-quantile of sorted data by linear interpolation between order statistics (Hyndman and
    /// Fan's type 7, the default of R, NumPy and Excel's PERCENTILE.INC): with h = (n − 1)·p,
    /// Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]), zero-based.
    /// </summary>
    public static double Type7(ReadOnlySpan<float> sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int low = (int)Math.Floor(h);
        if (low >= sorted.Length - 1) return sorted[^1];
        double below = sorted[low];
        return below + (h - low) * (sorted[low + 1] - below);
    }

    /// <summary>
    /// Mean (summed in run order, in double) and the 5/25/50/75/95th percentiles of one column of
    /// run values. Sorts <paramref name="values"/> in place. A column holding a NaN (a run that
    /// broke down) summarises to NaN throughout, rather than to percentiles of the other runs.
    /// </summary>
    public static Summary Summarise(Span<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        values.Sort();
        // Sort puts NaN first.
        if (float.IsNaN(values[0])) return Summary.NaN;
        ReadOnlySpan<float> sorted = values;
        return new Summary(sum / values.Length, Type7(sorted, 0.05), Type7(sorted, 0.25), Type7(sorted, 0.50), Type7(sorted, 0.75), Type7(sorted, 0.95));
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
