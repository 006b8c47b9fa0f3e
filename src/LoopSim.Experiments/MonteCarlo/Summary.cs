using System.Buffers;
using System.Runtime.CompilerServices;
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
    /// Only the order statistics the percentiles need are found (<see cref="OrderStatistics"/>),
    /// several times cheaper than a sort for the thousands of columns of a Monte Carlo. A column
    /// holding a NaN (a run that broke down) summarises to NaN throughout, rather than to
    /// percentiles of the other runs.
    /// </summary>
    public static Summary Summarise(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        if (double.IsNaN(sum)) return Summary.NaN;
        int n = values.Length;
        Span<int> ranks = stackalloc int[2 * Levels.Length];   // ⌊h⌋ and ⌊h⌋ + 1 of each level, ascending
        int count = 0;
        foreach (var p in Levels)
        {
            int low = (int)Math.Floor((n - 1) * p);
            for (int r = low; r <= Math.Min(low + 1, n - 1); r++)
                if (count == 0 || ranks[count - 1] < r) ranks[count++] = r;
        }
        ranks = ranks[..count];
        Span<double> order = stackalloc double[count];
        OrderStatistics(values, ranks, order);
        Span<double> q = stackalloc double[Levels.Length];
        for (int i = 0; i < Levels.Length; i++)
        {
            double h = (n - 1) * Levels[i];
            int low = (int)Math.Floor(h);
            double below = order[ranks.IndexOf(low)];
            q[i] = low + 1 >= n || h == low ? below : below + (h - low) * (order[ranks.IndexOf(low + 1)] - below);
        }
        return new Summary(sum / n, q[0], q[1], q[2], q[3], q[4]);
    }

    private const int Buckets = 2048;

    /// <summary>
    /// Writes the order statistics of <paramref name="values"/> (no NaN) at <paramref name="ranks"/>
    /// (0-based, ascending, distinct) into <paramref name="results"/>, exactly. Doubles map to integer
    /// keys in the same order; one pass counts the keys into 2,048 buckets spanning the smallest to the
    /// largest key, which tells each rank's bucket, and only those buckets' values are looked at again,
    /// the same way (each round narrows the keys 2,048-fold, so at most six, and usually two: few values share a bucket). Unlike a quickselect's
    /// partitions, the passes have no branch that depends on the data.
    /// </summary>
    internal static void OrderStatistics(ReadOnlySpan<double> values, ReadOnlySpan<int> ranks, Span<double> results)
    {
        if (values.Length <= 64)
        {
            Span<double> sorted = stackalloc double[values.Length];
            values.CopyTo(sorted);
            sorted.Sort();
            for (int i = 0; i < ranks.Length; i++) results[i] = sorted[ranks[i]];
            return;
        }
        ulong lowest = ulong.MaxValue, highest = 0;
        foreach (var v in values)
        {
            ulong key = Key(v);
            lowest = Math.Min(lowest, key);
            highest = Math.Max(highest, key);
        }
        if (lowest == highest)
        {
            results[..ranks.Length].Fill(values[0]);
            return;
        }
        int shift = 0;
        while ((highest - lowest) >> shift >= Buckets) shift++;
        Span<int> counts = stackalloc int[Buckets];
        counts.Clear();
        foreach (var v in values) counts[(int)((Key(v) - lowest) >> shift)]++;

        // Each rank's bucket and the number of values in the buckets before it; wanted buckets get a slot.
        Span<int> bucketOf = stackalloc int[ranks.Length];
        Span<int> before = stackalloc int[ranks.Length];
        Span<short> slotOf = stackalloc short[Buckets];
        slotOf.Fill(-1);
        int slots = 0, bucket = 0, passed = 0;
        for (int i = 0; i < ranks.Length; i++)
        {
            while (passed + counts[bucket] <= ranks[i]) passed += counts[bucket++];
            (bucketOf[i], before[i]) = (bucket, passed);
            if (slotOf[bucket] < 0) slotOf[bucket] = (short)slots++;
        }
        var gathered = new double[slots][];
        var filled = new int[slots];
        for (int i = 0; i < ranks.Length; i++)
            gathered[slotOf[bucketOf[i]]] ??= ArrayPool<double>.Shared.Rent(counts[bucketOf[i]]);
        foreach (var v in values)
        {
            int slot = slotOf[(int)((Key(v) - lowest) >> shift)];
            if (slot >= 0) gathered[slot][filled[slot]++] = v;
        }
        Span<int> inner = stackalloc int[ranks.Length];
        for (int i = 0; i < ranks.Length;)
        {
            int first = i, slot = slotOf[bucketOf[i]];
            for (; i < ranks.Length && bucketOf[i] == bucketOf[first]; i++) inner[i] = ranks[i] - before[i];
            OrderStatistics(gathered[slot].AsSpan(0, filled[slot]), inner[first..i], results[first..i]);
            ArrayPool<double>.Shared.Return(gathered[slot]);
        }
    }

    /// <summary>The double's bits as an unsigned key with the same order (negatives flipped, the sign bit set on the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // three calls a value in the passes above; the JIT left it a call
    private static ulong Key(double v)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        return bits ^ (ulong)((long)bits >> 63 | long.MinValue);
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
            _ => throw new ModelException(DiagnosticCodes.MetricMalformed, $"unknown statistic '{text}'.", location, hint: "Use mean, p5, p25, p50, p75 or p95."),
        };

    public static string Name(Statistic statistic) => statistic.ToString().ToLowerInvariant();
}
