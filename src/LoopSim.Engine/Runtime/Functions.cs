using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LoopSim.Engine.Runtime;

internal interface IFunction1 { static abstract double Apply(double a); }
internal interface IFunction2 { static abstract double Apply(double a, double b); }
internal interface IFunction3 { static abstract double Apply(double a, double b, double c); }
internal interface IFunction5 { static abstract double Apply(double a, double b, double c, double d, double e); }
/// <summary>A function with its own vector form, ApplyToLanes, equal lane for lane to Apply: a batch calls it instead of going lane by lane.</summary>
internal interface ILaneFunction;
internal interface ILaneFunction1 : IFunction1, ILaneFunction { static abstract Vector512<double> ApplyToLanes(Vector512<double> a); }
internal interface ILaneFunction5 : IFunction5, ILaneFunction
{
    static abstract Vector512<double> ApplyToLanes(Vector512<double> a, Vector512<double> b, Vector512<double> c, Vector512<double> d, Vector512<double> e);
}

/// <summary>
/// Runtime bodies of the builtins that are neither an operator nor a vector instruction. One run calls Apply
/// directly (the JIT inlines these wrappers); a batch calls it lane by lane through <see cref="PerLane"/>, so every
/// lane computes exactly what one run would.
/// </summary>
internal static class Functions
{
    public readonly struct Exp : ILaneFunction1
    {
        public static double Apply(double x) => DeterministicMath.Exp(x);
        public static Vector512<double> ApplyToLanes(Vector512<double> x) => DeterministicMath.Exp(x);
    }
    public readonly struct Ln : IFunction1 { public static double Apply(double x) => Math.Log(x); }
    public readonly struct Log10 : IFunction1 { public static double Apply(double x) => Math.Log10(x); }
    public readonly struct Sin : IFunction1 { public static double Apply(double x) => Math.Sin(x); }
    public readonly struct Cos : IFunction1 { public static double Apply(double x) => Math.Cos(x); }
    public readonly struct Tan : IFunction1 { public static double Apply(double x) => Math.Tan(x); }
    public readonly struct Arcsin : IFunction1 { public static double Apply(double x) => Math.Asin(x); }
    public readonly struct Arccos : IFunction1 { public static double Apply(double x) => Math.Acos(x); }
    public readonly struct Arctan : IFunction1 { public static double Apply(double x) => Math.Atan(x); }
    public readonly struct Sinh : IFunction1 { public static double Apply(double x) => Math.Sinh(x); }
    public readonly struct Cosh : IFunction1 { public static double Apply(double x) => Math.Cosh(x); }
    public readonly struct Tanh : IFunction1 { public static double Apply(double x) => Math.Tanh(x); }
    public readonly struct Power : IFunction2 { public static double Apply(double x, double y) => Math.Pow(x, y); }
    /// <summary>The remainder with the dividend's sign, x − y·trunc(x/y) exactly (Vensim's MODULO).</summary>
    public readonly struct TruncatedModulo : IFunction2 { public static double Apply(double x, double y) => x % y; }

    /// <summary>
    /// The floored modulus, x − y·floor(x/y), whose sign follows the divisor (XMILE 1.0 §3.3.1): the exact truncated
    /// remainder, moved by one divisor when its sign differs from the divisor's.
    /// </summary>
    public readonly struct FlooredModulo : IFunction2
    {
        public static double Apply(double x, double y)
        {
            double r = x % y;
            return r != 0 && (r < 0) != (y < 0) ? r + y : r;
        }
    }

    /// <summary>A pulse of the given volume: magnitude/DT during the one DT starting at <paramref name="first"/>, and every <paramref name="interval"/> after when it is positive.</summary>
    public readonly struct Pulse : ILaneFunction5
    {
        public static double Apply(double time, double dt, double magnitude, double first, double interval)
        {
            double since = time - first;
            double tolerance = dt * 1e-6;
            if (since < -tolerance) return 0;
            if (interval > 0) since -= Math.Floor((since + tolerance) / interval) * interval;
            return since < dt - tolerance ? magnitude / dt : 0;
        }

        /// <summary>The same operations in every lane, the branches as selects (a lane's discarded side changes nothing).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> ApplyToLanes(Vector512<double> time, Vector512<double> dt, Vector512<double> magnitude, Vector512<double> first, Vector512<double> interval)
        {
            var since = time - first;
            var tolerance = dt * 1e-6;
            var before = Vector512.LessThan(since, -tolerance);
            var repeated = Vector512.GreaterThan(interval, Vector512<double>.Zero);
            since = Vector512.ConditionalSelect(repeated, since - Vector512.Floor((since + tolerance) / interval) * interval, since);
            var on = Vector512.AndNot(Vector512.LessThan(since, dt - tolerance), before);
            return Vector512.ConditionalSelect(on, magnitude / dt, Vector512<double>.Zero);
        }
    }

    /// <summary>A lognormal variate with the given mean and standard deviation (of the variate itself), from a standard normal z.</summary>
    public readonly struct Lognormal : IFunction3
    {
        public static double Apply(double mean, double sd, double z)
        {
            if (mean <= 0) return double.NaN;
            double sigma2 = Math.Log(1 + sd * sd / (mean * mean));
            return Math.Exp(Math.Log(mean) - sigma2 / 2 + Math.Sqrt(sigma2) * z);
        }
    }

    /// <summary>A Poisson variate by inversion of the CDF at u (exact; sums in log space so large means do not underflow).</summary>
    public readonly struct Poisson : IFunction2
    {
        public static double Apply(double mean, double u)
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
    }

    public readonly struct Exponential : IFunction2 { public static double Apply(double mean, double u) => -mean * Math.Log(1 - u); }
}

/// <summary>
/// A scalar function applied to each lane of a batch (the compiled code first checks whether all lanes are alike).
/// Unrolled with constant lane indices, so no lane goes through memory.
/// </summary>
internal static class PerLane
{
    public static Vector512<double> Apply<F>(Vector512<double> a) where F : IFunction1 => Vector512.Create(
        F.Apply(a.GetElement(0)), F.Apply(a.GetElement(1)), F.Apply(a.GetElement(2)), F.Apply(a.GetElement(3)),
        F.Apply(a.GetElement(4)), F.Apply(a.GetElement(5)), F.Apply(a.GetElement(6)), F.Apply(a.GetElement(7)));

    public static Vector512<double> Apply<F>(Vector512<double> a, Vector512<double> b) where F : IFunction2 => Vector512.Create(
        F.Apply(a.GetElement(0), b.GetElement(0)), F.Apply(a.GetElement(1), b.GetElement(1)),
        F.Apply(a.GetElement(2), b.GetElement(2)), F.Apply(a.GetElement(3), b.GetElement(3)),
        F.Apply(a.GetElement(4), b.GetElement(4)), F.Apply(a.GetElement(5), b.GetElement(5)),
        F.Apply(a.GetElement(6), b.GetElement(6)), F.Apply(a.GetElement(7), b.GetElement(7)));

    public static Vector512<double> Apply<F>(Vector512<double> a, Vector512<double> b, Vector512<double> c) where F : IFunction3
    {
        Span<double> r = stackalloc double[Vector512<double>.Count];
        for (int l = 0; l < r.Length; l++) r[l] = F.Apply(a[l], b[l], c[l]);
        return Vector512.Create(r);
    }

    public static Vector512<double> Apply<F>(Vector512<double> a, Vector512<double> b, Vector512<double> c, Vector512<double> d, Vector512<double> e)
        where F : IFunction5
    {
        Span<double> r = stackalloc double[Vector512<double>.Count];
        for (int l = 0; l < r.Length; l++) r[l] = F.Apply(a[l], b[l], c[l], d[l], e[l]);
        return Vector512.Create(r);
    }
}
