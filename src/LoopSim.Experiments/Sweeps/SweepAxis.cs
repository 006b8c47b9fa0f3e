using System.Globalization;
using LoopSim.Engine.Model;

namespace LoopSim.Experiments.Sweeps;

/// <summary>One swept parameter and its values, e.g. <c>commission_rate=0.05:0.30:0.05</c> or <c>member_cap=50,100,200,400</c>.</summary>
public sealed record SweepAxis
{
    public SweepAxis(string parameter, IReadOnlyList<double> values, SourceLocation? location = null)
    {
        if (string.IsNullOrWhiteSpace(parameter))
            throw new ModelException(DiagnosticCodes.SweepAxisMalformed, "sweep: a swept parameter has no name.", location, hint: "Write NAME=FROM:TO:STEP or NAME=V1,V2,...");
        if (values.Count == 0)
            throw new ModelException(DiagnosticCodes.SweepAxisMalformed, "sweep: no values to sweep.", location, parameter, "Give at least one value.");
        if (values.Any(v => !double.IsFinite(v)))
            throw new ModelException(DiagnosticCodes.SweepAxisMalformed, "sweep: values must be finite numbers.", location, parameter, "Remove the infinite or NaN value.");
        Parameter = parameter.Trim();
        Values = values;
        Location = location;
    }

    public string Parameter { get; }
    public IReadOnlyList<double> Values { get; }
    public SourceLocation? Location { get; }

    /// <summary>Reads <c>NAME=FROM:TO:STEP</c> (inclusive) or <c>NAME=V1,V2,...</c>, as given to <c>--param</c>.</summary>
    public static SweepAxis Parse(string text, SourceLocation? location = null)
    {
        int equals = text.IndexOf('=');
        if (equals < 0)
            throw new ModelException(DiagnosticCodes.SweepAxisMalformed, $"sweep: '{text}' has no '='.", location, hint: "Write NAME=FROM:TO:STEP or NAME=V1,V2,...");
        return Parse(text[..equals], text[(equals + 1)..], location);
    }

    /// <summary>Reads the values <c>FROM:TO:STEP</c> (inclusive) or <c>V1,V2,...</c> of parameter <paramref name="parameter"/>.</summary>
    public static SweepAxis Parse(string parameter, string values, SourceLocation? location = null)
    {
        parameter = parameter.Trim();
        var parts = values.Split(':');
        if (parts.Length == 3)
            return new SweepAxis(parameter, Range(parameter, parts, location), location);
        if (parts.Length != 1)
            throw new ModelException(DiagnosticCodes.SweepAxisMalformed, $"sweep: '{values}' is not a range.", location, parameter, "Write FROM:TO:STEP, e.g. 0.05:0.30:0.05.");
        return new SweepAxis(parameter, values.Split(',').Select(v => Number(parameter, v, location)).ToArray(), location);
    }

    /// <summary>
    /// FROM, FROM + STEP, … up to TO inclusive. Values are FROM + i·STEP (not accumulated), TO is
    /// included when it is within a millionth of a step of the grid, and every value is rounded to
    /// the decimals written, so 0.05:0.30:0.05 gives exactly 0.05, 0.1, 0.15, …, 0.3.
    /// </summary>
    private static double[] Range(string parameter, string[] parts, SourceLocation? location)
    {
        double from = Number(parameter, parts[0], location), to = Number(parameter, parts[1], location), step = Number(parameter, parts[2], location);
        if (step <= 0)
            throw new ModelException(DiagnosticCodes.SweepAxisMalformed, $"sweep: the step must be positive (got {parts[2].Trim()}).", location, parameter, "Write FROM:TO:STEP with FROM ≤ TO and STEP > 0.");
        if (to < from)
            throw new ModelException(DiagnosticCodes.SweepAxisMalformed, $"sweep: the range {parts[0].Trim()}:{parts[1].Trim()} is empty (TO is below FROM).", location, parameter, "Write FROM:TO:STEP with FROM ≤ TO.");
        double count = Math.Floor((to - from) / step + 1e-6) + 1;
        if (count > 100_000)
            throw new ModelException(DiagnosticCodes.SweepTooLarge, $"sweep: {count} values is too many for one parameter.", location, parameter, "Use a larger step.");
        int? decimals = parts.Select(Decimals).Aggregate((int?)0, (a, b) => a is null || b is null ? null : Math.Max(a.Value, b.Value));
        var values = new double[(int)count];
        for (int i = 0; i < values.Length; i++)
        {
            double v = from + i * step;
            if (Math.Abs(v - to) <= 1e-6 * step) v = to;
            values[i] = decimals is { } d && d <= 15 ? Math.Round(v, d) : v;
        }
        return values;
    }

    /// <summary>The number of decimals written in a plain decimal literal; null for exponent notation.</summary>
    private static int? Decimals(string literal)
    {
        literal = literal.Trim();
        if (literal.Contains('e') || literal.Contains('E')) return null;
        int dot = literal.IndexOf('.');
        return dot < 0 ? 0 : literal.Length - dot - 1;
    }

    private static double Number(string parameter, string text, SourceLocation? location) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ModelException(DiagnosticCodes.SweepAxisMalformed, $"sweep: '{text.Trim()}' is not a number.", location, parameter, "Write FROM:TO:STEP or V1,V2,... with plain numbers.");
}
