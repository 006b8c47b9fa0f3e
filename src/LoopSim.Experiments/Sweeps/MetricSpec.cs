using System.Globalization;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Experiments.Sweeps;

/// <summary>What a sweep compares across grid points: one variable's statistic at one time, e.g. <c>referrals_per_week@104:p50</c>.</summary>
public sealed record MetricSpec(string Variable, double? Time, Statistic Statistic)
{
    /// <summary>
    /// Reads <c>VARIABLE[@TIME][:STAT]</c>: TIME defaults to the final saved time, STAT (mean, p5,
    /// p25, p50, p75, p95) to p50.
    /// </summary>
    public static MetricSpec Parse(string text, SourceLocation? location = null)
    {
        var rest = text.Trim();
        var statistic = Statistic.P50;
        int colon = rest.LastIndexOf(':');
        if (colon >= 0)
        {
            statistic = Percentiles.ParseStatistic(rest[(colon + 1)..], location);
            rest = rest[..colon];
        }
        double? time = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var timeText = rest[(at + 1)..].Trim();
            if (!double.TryParse(timeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t))
                throw new ModelException(DiagnosticCodes.MetricMalformed, $"metric '{text}': '{timeText}' is not a time.", location, hint: "Write VARIABLE@TIME:STAT, e.g. referrals_per_week@104:p50.");
            time = t;
            rest = rest[..at];
        }
        if (string.IsNullOrWhiteSpace(rest))
            throw new ModelException(DiagnosticCodes.MetricMalformed, $"metric '{text}' names no variable.", location, hint: "Write VARIABLE@TIME:STAT, e.g. referrals_per_week@104:p50.");
        return new MetricSpec(rest.Trim(), time, statistic);
    }

    public override string ToString() =>
        Variable + (Time is { } t ? "@" + t.ToString(CultureInfo.InvariantCulture) : "") + ":" + Percentiles.Name(Statistic);
}
