using System.Runtime.CompilerServices;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Simulation;

/// <summary>Runtime bodies of the builtins that are more than one operator; compiled equations call these.</summary>
internal static class Functions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double time, double height, double start) => time >= start ? height : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Ramp(double time, double slope, double start, double end) =>
        time <= start ? 0 : slope * (Math.Min(time, end) - start);

    /// <summary>A pulse of the given volume: magnitude/DT during the one DT starting at <paramref name="first"/>, and every <paramref name="interval"/> after when it is positive.</summary>
    public static double Pulse(double time, double dt, double magnitude, double first, double interval)
    {
        double since = time - first;
        double tolerance = dt * 1e-6;
        if (since < -tolerance) return 0;
        if (interval > 0) since -= Math.Floor((since + tolerance) / interval) * interval;
        return since < dt - tolerance ? magnitude / dt : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SafeDiv(double a, double b, double onZero) => b == 0 ? onZero : a / b;

    public static double Lookup(GraphicalFunction table, double x)
    {
        var xs = table.X;
        var ys = table.Y;
        int last = xs.Length - 1;
        if (double.IsNaN(x)) return double.NaN;
        if (table.Type == GraphType.Discrete)
        {
            if (x < xs[0]) return ys[0];
            int i = 0;
            while (i < last && x >= xs[i + 1]) i++;
            return ys[i];
        }
        if (x <= xs[0])
            return table.Type == GraphType.Extrapolate && last > 0 && x < xs[0]
                ? ys[0] + (x - xs[0]) * (ys[1] - ys[0]) / (xs[1] - xs[0]) : ys[0];
        if (x >= xs[last])
            return table.Type == GraphType.Extrapolate && last > 0 && x > xs[last]
                ? ys[last] + (x - xs[last]) * (ys[last] - ys[last - 1]) / (xs[last] - xs[last - 1]) : ys[last];
        int k = 1;
        while (x > xs[k]) k++;
        return ys[k - 1] + (x - xs[k - 1]) * (ys[k] - ys[k - 1]) / (xs[k] - xs[k - 1]);
    }

    /// <summary>A lognormal variate with the given mean and standard deviation (of the variate itself), from a standard normal z.</summary>
    public static double Lognormal(double mean, double sd, double z)
    {
        if (mean <= 0) return double.NaN;
        double sigma2 = Math.Log(1 + sd * sd / (mean * mean));
        return Math.Exp(Math.Log(mean) - sigma2 / 2 + Math.Sqrt(sigma2) * z);
    }

    /// <summary>A Poisson variate by inversion of the CDF at u (exact; sums in log space so large means do not underflow).</summary>
    public static double Poisson(double mean, double u)
    {
        if (mean <= 0) return 0;
        double logP = -mean, cdf = Math.Exp(logP);
        int k = 0;
        while (u > cdf && k < 100_000_000)
        {
            k++;
            logP += Math.Log(mean / k);
            cdf += Math.Exp(logP);
            if (k > mean && Math.Exp(logP) < 1e-17) break;
        }
        return k;
    }

    public static double Exponential(double mean, double u) => -mean * Math.Log(1 - u);
}
