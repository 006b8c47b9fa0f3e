using System.Globalization;

namespace LoopSim.Reports;

/// <summary>How numbers read to people (tables, chart labels); CSV keeps full precision instead.</summary>
public static class NumberFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// About three significant digits with thousands separators, never dropping integer digits:
    /// 12,346 · 156 · 12.3 · 1.23 · 0.123 · 0.00123 · 1.23e-5; whole numbers without decimals
    /// (45, not 45.0). NaN is "n/a".
    /// </summary>
    public static string Readable(double value)
    {
        double magnitude = Math.Abs(value);
        if (value == Math.Round(value))
            return Fixed(value, 0);
        if (magnitude is > 0 and < 1e-4)
            return value.ToString("0.00e0", Invariant);
        return Fixed(value, DecimalsFor(magnitude));
    }

    /// <summary>
    /// The decimals that give about three significant digits at <paramref name="magnitude"/>
    /// (0 from 100 up, 1 from 10, 2 from 1, more below): one count for a whole column or grid,
    /// so its numbers line up.
    /// </summary>
    public static int DecimalsFor(double magnitude)
    {
        magnitude = Math.Abs(magnitude);
        if (!double.IsFinite(magnitude) || magnitude == 0 || magnitude >= 100) return 0;
        return Math.Min(2 - (int)Math.Floor(Math.Log10(magnitude)), 6);
    }

    /// <summary>The value with thousands separators and exactly <paramref name="decimals"/> decimals; NaN is "n/a".</summary>
    public static string Fixed(double value, int decimals)
    {
        if (double.IsNaN(value)) return "n/a";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "-∞";
        string text = value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), Invariant);
        // A small negative value rounds to "-0.00": show it as zero.
        return text[0] == '-' && text.AsSpan(1).IndexOfAnyExcept("0.,") < 0 ? text[1..] : text;
    }

    /// <summary>A range as "low–high", both <see cref="Readable"/>.</summary>
    public static string Range(double low, double high) => $"{Readable(low)}–{Readable(high)}";

    /// <summary>Axis tick labels: thousands separators, up to six decimals, no floating-point noise (0.30000000000000004 is 0.3).</summary>
    public static string Tick(double value)
    {
        string text = value.ToString("#,0.######", Invariant);
        return text == "-0" ? "0" : text;
    }

    /// <summary>A share as a percentage for a tick or title: 0.05 is "5%", 0.125 "12.5%" (up to four decimals of a percent).</summary>
    public static string Percent(double share) => Tick(Math.Round(share * 100, 4)) + "%";
}
