using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Designs;

namespace LoopSim.Experiments.Discovery;

/// <summary>One side of a condition: a metric of the scenario, or of the scenario it is compared with (<c>versus.</c>).</summary>
public sealed record WhereTerm(RunMetric Metric, bool Versus)
{
    public override string ToString() => (Versus ? "versus." : "") + Metric;
}

public enum WhereComparison { Greater, GreaterOrEqual, Less, LessOrEqual }

/// <summary>
/// Which cases are of interest: <c>TERM OP NUMBER</c> or <c>TERM / TERM OP NUMBER</c> or <c>TERM - TERM OP NUMBER</c>, with
/// TERM = <c>[versus.]VARIABLE[@TIME]</c> and OP one of <c>&gt; &gt;= &lt; &lt;=</c>; e.g.
/// <c>referrals_per_week@156 / versus.referrals_per_week@156 &gt; 2</c>.
/// </summary>
public sealed record WhereCondition(WhereTerm Left, char? Operator, WhereTerm? Right, WhereComparison WhereComparison, double Threshold)
{
    private const string Hint = "Write METRIC OP NUMBER, METRIC / METRIC OP NUMBER or METRIC - METRIC OP NUMBER, with METRIC = [versus.]VARIABLE[@TIME] "
        + "and OP one of > >= < <=, e.g. \"referrals_per_week / versus.referrals_per_week > 2\".";

    public IEnumerable<WhereTerm> Terms => Right is null ? [Left] : [Left, Right];

    public bool UsesVersus => Terms.Any(t => t.Versus);

    public static WhereCondition Parse(string text)
    {
        int at = -1, length = 0;
        WhereComparison comparison = default;
        foreach (var (symbol, kind) in new[] { (">=", WhereComparison.GreaterOrEqual), ("<=", WhereComparison.LessOrEqual), (">", WhereComparison.Greater), ("<", WhereComparison.Less) })
        {
            int i = text.IndexOf(symbol, StringComparison.Ordinal);
            if (i >= 0 && (at < 0 || i < at)) { at = i; length = symbol.Length; comparison = kind; }
        }
        if (at < 0) throw Error(text, "it has no comparison (>, >=, <, <=).");
        var left = text[..at].Trim();
        var right = text[(at + length)..].Trim();
        if (right.IndexOfAny(['<', '>']) >= 0) throw Error(text, "it has more than one comparison.");
        if (!double.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
            throw Error(text, $"'{right}' is not a number; the right side of the comparison must be one.");
        if (left.Length == 0) throw Error(text, "the left side is empty.");
        int op = left.IndexOfAny(['/', '-']);
        if (op < 0) return new WhereCondition(Term(left, text), null, null, comparison, threshold);
        return new WhereCondition(Term(left[..op], text), left[op], Term(left[(op + 1)..], text), comparison, threshold);
    }

    /// <summary>The left side's value from its terms' values.</summary>
    public double Value(double left, double right) => Operator switch
    {
        '/' => left / right,
        '-' => left - right,
        _ => left,
    };

    public bool Holds(double value) => WhereComparison switch
    {
        WhereComparison.Greater => value > Threshold,
        WhereComparison.GreaterOrEqual => value >= Threshold,
        WhereComparison.Less => value < Threshold,
        _ => value <= Threshold,
    };

    public override string ToString()
    {
        var op = WhereComparison switch { WhereComparison.Greater => ">", WhereComparison.GreaterOrEqual => ">=", WhereComparison.Less => "<", _ => "<=" };
        return $"{Left}{(Right is null ? "" : $" {Operator} {Right}")} {op} {Threshold.ToString(CultureInfo.InvariantCulture)}";
    }

    private static WhereTerm Term(string text, string whole)
    {
        text = text.Trim();
        if (text.Length == 0) throw Error(whole, "a side of '/' or '-' is empty.");
        bool versus = text.StartsWith("versus.", StringComparison.OrdinalIgnoreCase);
        var metric = versus ? text["versus.".Length..] : text;
        try { return new WhereTerm(RunMetric.Parse(metric), versus); }
        catch (ModelException e) { throw Error(whole, e.Diagnostics[0].Message); }
    }

    private static ModelException Error(string text, string why) => new(DiagnosticCodes.ConditionMalformed, $"--where \"{text}\": {why}", hint: Hint);
}
