using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
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
        double sum = OrderStatistics(values, ranks, order, sumInOrder: true);
        if (double.IsNaN(sum)) return Summary.NaN;
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
    /// partitions, the passes have no branch that depends on the data, but for Gather's skipping whole vectors of values not wanted.
    /// </summary>
    internal static void OrderStatistics(ReadOnlySpan<double> values, ReadOnlySpan<int> ranks, Span<double> results) =>
        OrderStatistics(values, ranks, results, sumInOrder: false);

    /// <summary>
    /// <see cref="OrderStatistics(ReadOnlySpan{double}, ReadOnlySpan{int}, Span{double})"/>, also returning the sum of
    /// the values added in order when <paramref name="sumInOrder"/> (else 0, or that sum). With values holding a NaN the
    /// sum is NaN and the order statistics are meaningless, but found without fault.
    /// </summary>
    private static double OrderStatistics(ReadOnlySpan<double> values, ReadOnlySpan<int> ranks, Span<double> results, bool sumInOrder)
    {
        if (values.Length <= 64)
        {
            Span<double> sorted = stackalloc double[values.Length];
            values.CopyTo(sorted);
            sorted.Sort();
            for (int i = 0; i < ranks.Length; i++) results[i] = sorted[ranks[i]];
            return sumInOrder ? SumInOrder(values) : 0;
        }
        var (lowest, highest, sum) = KeyRangeAndSum(values, sumInOrder, vectorised: Vector.IsHardwareAccelerated);
        if (lowest == highest)
        {
            results[..ranks.Length].Fill(values[0]);
            return sum;
        }
        int shift = 0;
        while ((highest - lowest) >> shift >= Buckets) shift++;

        // Each value's bucket, worked out several at a time in vectors and kept for the gathering below.
        Span<int> counts = stackalloc int[Buckets];
        counts.Clear();
        var bucketOfValue = ArrayPool<ushort>.Shared.Rent(values.Length);
        var buckets = bucketOfValue.AsSpan(0, values.Length);
        BucketsOf(values, lowest, shift, buckets, vectorised: Vector.IsHardwareAccelerated);
        Count(buckets, counts);

        // The number of values in the buckets before each rank's; the ranks' buckets (ascending, as the ranks),
        // each gathered into a stretch of one scratch array, with one spare place behind for Gather's writes past the end.
        Span<int> before = stackalloc int[ranks.Length];
        Span<int> slotOfRank = stackalloc int[ranks.Length];
        Span<ushort> slotBucket = stackalloc ushort[ranks.Length];
        Span<int> slotStart = stackalloc int[ranks.Length + 1];
        slotStart[0] = 0;
        int slots = 0, bucketAt = 0, passed = 0;
        for (int i = 0; i < ranks.Length; i++)
        {
            while (passed + counts[bucketAt] <= ranks[i]) passed += counts[bucketAt++];
            if (slots == 0 || slotBucket[slots - 1] != bucketAt)
            {
                slotBucket[slots] = (ushort)bucketAt;
                slotStart[slots + 1] = slotStart[slots] + counts[bucketAt] + 1;
                slots++;
            }
            (before[i], slotOfRank[i]) = (passed, slots - 1);
        }
        var gathered = ArrayPool<double>.Shared.Rent(slotStart[slots]);
        Span<int> filled = stackalloc int[slots];
        slotStart[..slots].CopyTo(filled);
        Gather(values, buckets, slotBucket[..slots], filled, gathered);
        ArrayPool<ushort>.Shared.Return(bucketOfValue);
        Span<int> inner = stackalloc int[ranks.Length];
        for (int i = 0; i < ranks.Length;)
        {
            int first = i, slot = slotOfRank[i];
            for (; i < ranks.Length && slotOfRank[i] == slot; i++) inner[i] = ranks[i] - before[i];
            OrderStatistics(gathered.AsSpan(slotStart[slot], slotStart[slot + 1] - 1 - slotStart[slot]), inner[first..i], results[first..i], sumInOrder: false);
        }
        ArrayPool<double>.Shared.Return(gathered);
        return sum;
    }

    /// <summary>
    /// Writes each value's bucket, (key − <paramref name="lowest"/>) >> <paramref name="shift"/>, into
    /// <paramref name="buckets"/>; several at a time in vectors when <paramref name="vectorised"/>.
    /// </summary>
    internal static void BucketsOf(ReadOnlySpan<double> values, ulong lowest, int shift, Span<ushort> buckets, bool vectorised)
    {
        int i = 0;
        if (vectorised)
        {
            var bits = MemoryMarshal.Cast<double, ulong>(values);
            var low = new Vector<ulong>(lowest);
            int lanes = Vector<ulong>.Count;
            Vector<ulong> Bucket(ReadOnlySpan<ulong> at) => Vector.ShiftRightLogical(Key(new Vector<ulong>(at)) - low, shift);
            for (; i <= values.Length - 4 * lanes; i += 4 * lanes)
                Vector.Narrow(Vector.Narrow(Bucket(bits[i..]), Bucket(bits[(i + lanes)..])),
                              Vector.Narrow(Bucket(bits[(i + 2 * lanes)..]), Bucket(bits[(i + 3 * lanes)..]))).CopyTo(buckets[i..]);
        }
        for (; i < values.Length; i++) buckets[i] = (ushort)((Key(values[i]) - lowest) >> shift);
    }

    /// <summary>Adds each bucket's number of values to <paramref name="counts"/> (a method of its own: the JIT keeps its loop's spans in registers).</summary>
    private static void Count(ReadOnlySpan<ushort> buckets, Span<int> counts)
    {
        foreach (var bucket in buckets) counts[bucket]++;
    }

    /// <summary>
    /// Copies the values in each of the <paramref name="wanted"/> buckets, in order, into <paramref name="target"/>
    /// from that bucket's <paramref name="at"/> on (which it moves on), each bucket's stretch followed by a spare place.
    /// Runs of values in none of the buckets are skipped a vector at a time.
    /// </summary>
    private static void Gather(ReadOnlySpan<double> values, ReadOnlySpan<ushort> buckets, ReadOnlySpan<ushort> wanted, Span<int> at, Span<double> target)
    {
        int lanes = Vector<ushort>.Count, i = 0;
        Span<Vector<ushort>> probes = stackalloc Vector<ushort>[wanted.Length];
        for (int w = 0; w < wanted.Length; w++) probes[w] = new Vector<ushort>(wanted[w]);
        for (; i <= values.Length - lanes; i += lanes)
        {
            var block = new Vector<ushort>(buckets[i..]);
            var hit = Vector.Equals(block, probes[0]);
            for (int w = 1; w < probes.Length; w++) hit |= Vector.Equals(block, probes[w]);
            if (hit == Vector<ushort>.Zero) continue;
            for (int w = 0; w < probes.Length; w++)
                if (Vector.EqualsAny(block, probes[w]))
                    at[w] = GatherFrom(values.Slice(i, lanes), buckets.Slice(i, lanes), wanted[w], target, at[w]);
        }
        for (int w = 0; w < wanted.Length; w++) at[w] = GatherFrom(values[i..], buckets[i..], wanted[w], target, at[w]);
    }

    /// <summary>
    /// Copies the values in <paramref name="bucket"/> to <paramref name="target"/> from <paramref name="at"/> on; returns
    /// where the next goes. Branch-free, each value written and the position moved on only for those in the bucket: a
    /// branch would be mispredicted on a bucket holding a fair share of the values in no pattern.
    /// </summary>
    private static int GatherFrom(ReadOnlySpan<double> values, ReadOnlySpan<ushort> buckets, ushort bucket, Span<double> target, int at)
    {
        for (int k = 0; k < values.Length; k++)
        {
            target[at] = values[k];
            at += buckets[k] == bucket ? 1 : 0;
        }
        return at;
    }

    /// <summary>
    /// The smallest and the largest <see cref="Key"/> of the values, several at a time in vectors when
    /// <paramref name="vectorised"/> (the same result: min and max of integers do not depend on the order); and
    /// when <paramref name="sumInOrder"/> their sum added in order (else 0). One pass for both overlaps the sum's chain
    /// of dependent adds with the loads (a column of a large Monte Carlo comes from memory, not cache) and the keys.
    /// </summary>
    internal static (ulong Lowest, ulong Highest, double Sum) KeyRangeAndSum(ReadOnlySpan<double> values, bool sumInOrder, bool vectorised)
    {
        ulong lowest = ulong.MaxValue, highest = 0;
        double sum = 0;
        int i = 0;
        if (vectorised && values.Length >= Vector<ulong>.Count)
        {
            var bits = MemoryMarshal.Cast<double, ulong>(values);
            Vector<ulong> low = new(ulong.MaxValue), high = Vector<ulong>.Zero;
            for (; i <= bits.Length - Vector<ulong>.Count; i += Vector<ulong>.Count)
            {
                var key = Key(new Vector<ulong>(bits[i..]));
                low = Vector.Min(low, key);
                high = Vector.Max(high, key);
                if (sumInOrder)
                    for (int lane = 0; lane < Vector<ulong>.Count; lane++) sum += values[i + lane];
            }
            for (int lane = 0; lane < Vector<ulong>.Count; lane++)
            {
                lowest = Math.Min(lowest, low[lane]);
                highest = Math.Max(highest, high[lane]);
            }
        }
        for (; i < values.Length; i++)
        {
            ulong key = Key(values[i]);
            lowest = Math.Min(lowest, key);
            highest = Math.Max(highest, key);
            if (sumInOrder) sum += values[i];
        }
        return (lowest, highest, sum);
    }

    private static double SumInOrder(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }

    /// <summary>The double's bits as an unsigned key with the same order (negatives flipped, the sign bit set on the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // called a value in the passes above; the JIT left it a call
    private static ulong Key(double v)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        return bits ^ (ulong)((long)bits >> 63 | long.MinValue);
    }

    /// <summary><see cref="Key(double)"/> of each lane's double bits.</summary>
    private static Vector<ulong> Key(Vector<ulong> bits) =>
        bits ^ (Vector.AsVectorUInt64(Vector.ShiftRightArithmetic(Vector.AsVectorInt64(bits), 63)) | new Vector<ulong>(1UL << 63));

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
