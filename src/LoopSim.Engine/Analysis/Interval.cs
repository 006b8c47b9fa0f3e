namespace LoopSim.Engine.Analysis;

/// <summary>
/// A closed range of values [Lo, Hi] (either end may be infinite), for the value-range inference behind link
/// polarity. Empty (no value seen yet) is Lo = +∞, Hi = −∞.
/// </summary>
internal readonly record struct Interval(double Lo, double Hi)
{
    public static readonly Interval Empty = new(double.PositiveInfinity, double.NegativeInfinity);
    public static readonly Interval All = new(double.NegativeInfinity, double.PositiveInfinity);
    public static readonly Interval NonNegative = new(0, double.PositiveInfinity);
    public static readonly Interval Zero = new(0, 0);
    public static readonly Interval Bool = new(0, 1);

    public static Interval Of(double value) => double.IsNaN(value) ? All : new(value, value);

    public bool IsEmpty => Lo > Hi;
    public bool CanBeNegative => !IsEmpty && Lo < 0;
    public bool CanBePositive => !IsEmpty && Hi > 0;
    public bool IsNonNegative => !IsEmpty && Lo >= 0;
    public bool IsNonPositive => !IsEmpty && Hi <= 0;

    public Interval Hull(Interval other) =>
        IsEmpty ? other : other.IsEmpty ? this : new(Math.Min(Lo, other.Lo), Math.Max(Hi, other.Hi));

    public static Interval operator -(Interval a) => a.IsEmpty ? a : new(-a.Hi, -a.Lo);

    public static Interval operator +(Interval a, Interval b) =>
        a.IsEmpty || b.IsEmpty ? Empty : new(a.Lo + b.Lo, a.Hi + b.Hi);

    public static Interval operator -(Interval a, Interval b) => a + -b;

    public static Interval operator *(Interval a, Interval b)
    {
        if (a.IsEmpty || b.IsEmpty) return Empty;
        double p1 = Product(a.Lo, b.Lo), p2 = Product(a.Lo, b.Hi), p3 = Product(a.Hi, b.Lo), p4 = Product(a.Hi, b.Hi);
        return new(Math.Min(Math.Min(p1, p2), Math.Min(p3, p4)), Math.Max(Math.Max(p1, p2), Math.Max(p3, p4)));
    }

    /// <summary>a / b. A divisor that touches zero only at one end is taken as strictly signed there (a denominator is not zero where the equation is defined).</summary>
    public static Interval operator /(Interval a, Interval b)
    {
        if (a.IsEmpty || b.IsEmpty) return Empty;
        if (b.Lo >= 0) return a * new Interval(b.Hi == double.PositiveInfinity ? 0 : 1 / b.Hi, b.Lo > 0 ? 1 / b.Lo : double.PositiveInfinity);
        if (b.Hi <= 0) return a * new Interval(b.Hi < 0 ? 1 / b.Hi : double.NegativeInfinity, b.Lo == double.NegativeInfinity ? 0 : 1 / b.Lo);
        return All;
    }

    /// <summary>A monotone non-decreasing function applied to the range.</summary>
    public Interval Map(Func<double, double> increasing) => IsEmpty ? this : Sane(increasing(Lo), increasing(Hi));

    public static Interval Min(Interval a, Interval b) =>
        a.IsEmpty || b.IsEmpty ? Empty : new(Math.Min(a.Lo, b.Lo), Math.Min(a.Hi, b.Hi));

    public static Interval Max(Interval a, Interval b) =>
        a.IsEmpty || b.IsEmpty ? Empty : new(Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi));

    public Interval Abs() => IsEmpty ? this
        : Lo >= 0 ? this : Hi <= 0 ? -this : new(0, Math.Max(-Lo, Hi));

    /// <summary>NaN from an undefined end (e.g. ln of a negative bound) widens that end to infinity.</summary>
    private static Interval Sane(double lo, double hi) =>
        new(double.IsNaN(lo) ? double.NegativeInfinity : lo, double.IsNaN(hi) ? double.PositiveInfinity : hi);

    private static double Product(double x, double y) => x == 0 || y == 0 ? 0 : x * y;

    public override string ToString() => IsEmpty ? "[]" : $"[{Lo}, {Hi}]";
}
