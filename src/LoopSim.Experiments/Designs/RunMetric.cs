using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Experiments.Designs;

/// <summary>One value of each run: a variable at a saved time (default the last), e.g. <c>referrals_per_week@104</c>.</summary>
public sealed record RunMetric(string Variable, double? Time)
{
    /// <summary>Reads <c>VARIABLE[@TIME]</c>. A statistic (<c>:p50</c>) is refused: these analyses use each run's own value.</summary>
    public static RunMetric Parse(string text, SourceLocation? location = null)
    {
        var rest = text.Trim();
        if (rest.Contains(':'))
            throw new ModelException(DiagnosticCodes.MetricMalformed, $"metric '{text}': a statistic such as ':p50' does not apply here.", location,
                hint: "These analyses use every run's own value: write VARIABLE[@TIME], e.g. referrals_per_week@104.");
        double? time = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var timeText = rest[(at + 1)..].Trim();
            if (!double.TryParse(timeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t))
                throw new ModelException(DiagnosticCodes.MetricMalformed, $"metric '{text}': '{timeText}' is not a time.", location, hint: "Write VARIABLE@TIME, e.g. referrals_per_week@104.");
            time = t;
            rest = rest[..at].Trim();
        }
        if (rest.Length == 0)
            throw new ModelException(DiagnosticCodes.MetricMalformed, $"metric '{text}' names no variable.", location, hint: "Write VARIABLE[@TIME], e.g. referrals_per_week@104.");
        return new RunMetric(rest, time);
    }

    public override string ToString() => Variable + (Time is { } t ? "@" + t.ToString(CultureInfo.InvariantCulture) : "");
}

/// <summary>A metric resolved against a model: the output's index and display name, the saved time's index and value.</summary>
public sealed record MetricPoint(int Output, int SaveIndex, string Variable, double Time)
{
    internal static MetricPoint Resolve(IRunnableModel model, RunMetric metric)
    {
        int output = ResolvedSetup.OutputIndex(model, metric.Variable, null);
        var times = model.SaveTimes;
        int index = metric.Time is { } t ? MonteCarloRunner.SaveIndex(times, t) : times.Count - 1;
        return new MetricPoint(output, index, model.OutputNames[output], times[index]);
    }

    /// <summary>"referrals_per_week@156".</summary>
    public string Label => Variable + "@" + Time.ToString(CultureInfo.InvariantCulture);
}
