using System.Numerics;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>
/// The correctly rounded e^x, to judge an EXP implementation by. <see cref="Exact"/> works in 320-bit fixed point with
/// big integers (slow, and certain); <see cref="Fast"/> in double-double arithmetic (about 2^-94 relative), which
/// decides the rounding except when the exact value lies within 2^-30 ulp of a rounding boundary: then it asks
/// <see cref="Exact"/>. Neither uses Math.Exp.
/// </summary>
internal static class ExpReference
{
    /// <summary>The correctly rounded e^x and the exact value's distance from it, in units of its last place.</summary>
    public readonly record struct Rounded(double Value, double ExactMinusValueUlps)
    {
        /// <summary>How far <paramref name="y"/> is from the exact e^x, in ulps of the correctly rounded value.</summary>
        public double ErrorUlps(double y) => Value == y ? Math.Abs(ExactMinusValueUlps)
            : double.IsInfinity(y) || double.IsInfinity(Value) ? double.PositiveInfinity
            : Math.Abs((y - Value) / Ulp(Value) - ExactMinusValueUlps);
    }

    public static double Ulp(double y) =>
        y == 0 ? double.Epsilon : Math.Max(Math.ScaleB(1.0, Math.ILogB(Math.Abs(y)) - 52), double.Epsilon);

    // ln 2 = Ln2A + Ln2B + Ln2C (each the nearest double to what remains).
    private const double Ln2A = 0.6931471805599453, Ln2B = 2.3190468138462996e-17, Ln2C = 5.707708438416212e-34;

    public static Rounded Fast(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || Math.Abs(x) < 9.094947017729282e-13 || x > 709.7 || x < -745.2) return Exact(x);
        double k = Math.Round(x / Ln2A);
        // r = x − k·ln2, as a double-double
        var r = Sub(new DD(x, 0), Mul(new DD(Ln2A, Ln2B), k));
        r = Sub(r, new DD(k * Ln2C, 0));
        // e^r = (e^(r/1024))^1024, the inner one by its Taylor series
        var small = new DD(Math.ScaleB(r.Hi, -10), Math.ScaleB(r.Lo, -10));
        DD sum = new(1, 0), term = new(1, 0);
        for (int n = 1; n < 16; n++)
        {
            term = Div(Mul(term, small), n);
            sum = Add(sum, term);
            if (Math.Abs(term.Hi) < 1e-36) break;
        }
        for (int i = 0; i < 10; i++) sum = Mul(sum, sum);

        int power = (int)k;
        if (Math.ScaleB(sum.Hi, power) >= 2.2250738585072014E-308)
        {
            // A normal result: scaling by 2^power keeps hi's ulps, so the rounding is decided before scaling.
            double hi = sum.Hi, lo = sum.Lo;
            double ulp = Ulp(hi), ulpBelow = hi - Math.BitDecrement(hi);
            bool nearBoundary = Math.Abs(lo - ulp / 2) < ulp * 9.313225746154785e-10 || Math.Abs(lo + ulpBelow / 2) < ulp * 9.313225746154785e-10;
            return nearBoundary ? Exact(x) : new Rounded(Math.ScaleB(hi, power), lo / ulp);
        }
        // Below the normal range: round hi + lo on the grid of multiples of 2^-1074.
        double a = Math.ScaleB(sum.Hi, power + 1074), b = Math.ScaleB(sum.Lo, power + 1074);
        double whole = Math.Floor(a), fraction = (a - whole) + b;
        if (Math.Abs(fraction - 0.5) < 9.313225746154785e-10) return Exact(x);
        double units = fraction > 0.5 ? whole + 1 : whole;
        return new Rounded(Math.ScaleB(units, -1074), (a - units) + b);
    }

    // ---- Exact: 320 fraction bits in a BigInteger ----

    private const int Bits = 320;
    private static readonly BigInteger One = BigInteger.One << Bits;
    private static readonly BigInteger Ln2Fixed = ComputeLn2();

    // ln 2 = Σ 1/(n·2^n); each truncated term is off by less than one unit of 2^-Bits.
    private static BigInteger ComputeLn2()
    {
        BigInteger sum = 0;
        for (int n = 1; n <= Bits + 8; n++) sum += (One >> n) / n;
        return sum;
    }

    public static Rounded Exact(double x)
    {
        if (double.IsNaN(x)) return new Rounded(double.NaN, 0);
        if (double.IsPositiveInfinity(x) || x > 710) return new Rounded(double.PositiveInfinity, 0);
        if (double.IsNegativeInfinity(x) || x < -746) return new Rounded(0, 0);
        if (x == 0) return new Rounded(1, 0);

        // x = mantissa · 2^exponent, then x · 2^Bits (floored below 2^-Bits: far beyond any rounding decision)
        long bitsOfX = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        int biased = (int)(bitsOfX >> 52);
        long mantissa = (bitsOfX & 0xFFFFFFFFFFFFFL) | (biased == 0 ? 0 : 1L << 52);
        int exponent = (biased == 0 ? 1 : biased) - 1075;
        BigInteger fixedX = exponent + Bits >= 0 ? (BigInteger)mantissa << (exponent + Bits) : (BigInteger)mantissa >> -(exponent + Bits);
        if (x < 0) fixedX = -fixedX;

        long k = (long)Math.Round(x / Ln2A);
        BigInteger r = fixedX - k * Ln2Fixed, sum = One, term = One;
        for (int n = 1; !term.IsZero; n++)
        {
            term = term * r / (One * n);
            sum += term;
        }

        // sum · 2^(k − Bits), rounded to nearest even on the grid of 53 significant bits, or of 2^-1074 below 2^-1022
        long length = (long)sum.GetBitLength();
        long binaryExponent = length - 1 + k - Bits;
        if (binaryExponent > 1023) return new Rounded(double.PositiveInfinity, 0);
        int shift = (int)(binaryExponent >= -1022 ? length - 53 : Bits - k - 1074);
        if (shift > sum.GetBitLength() + 1) return new Rounded(0, 0);
        BigInteger units = sum >> shift, remainder = sum - (units << shift), half = BigInteger.One << (shift - 1);
        if (remainder > half || (remainder == half && !units.IsEven)) units += 1;
        int grid = (int)(shift + k - Bits);   // the rounding grid is 2^grid; the value's ulp is that or, after a carry into the next binade, twice it
        double value = Math.ScaleB((double)units, grid);
        if (double.IsInfinity(value)) return new Rounded(value, 0);
        double offsetInGrid = (double)(sum - (units << shift)) / Math.ScaleB(1.0, shift);
        return new Rounded(value, Math.ScaleB(offsetInGrid, grid - (value == 0 ? -1074 : Math.Max(Math.ILogB(value) - 52, -1074))));
    }

    // ---- double-double arithmetic (hi + lo with |lo| ≤ ulp(hi)/2) ----

    private readonly record struct DD(double Hi, double Lo);

    private static DD TwoSum(double a, double b)
    {
        double s = a + b, bb = s - a;
        return new DD(s, (a - (s - bb)) + (b - bb));
    }

    private static DD QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new DD(s, b - (s - a));
    }

    private static DD Add(DD a, DD b)
    {
        var s = TwoSum(a.Hi, b.Hi);
        var t = TwoSum(a.Lo, b.Lo);
        s = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(s.Hi, s.Lo + t.Lo);
    }

    private static DD Sub(DD a, DD b) => Add(a, new DD(-b.Hi, -b.Lo));

    private static DD Mul(DD a, DD b)
    {
        double p = a.Hi * b.Hi, e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p);
        return QuickTwoSum(p, e + (a.Hi * b.Lo + a.Lo * b.Hi));
    }

    private static DD Mul(DD a, double b)
    {
        double p = a.Hi * b, e = Math.FusedMultiplyAdd(a.Hi, b, -p);
        return QuickTwoSum(p, e + a.Lo * b);
    }

    private static DD Div(DD a, int n)
    {
        double q = a.Hi / n;
        double remainder = Math.FusedMultiplyAdd(-q, n, a.Hi) + a.Lo;
        return QuickTwoSum(q, remainder / n);
    }
}
