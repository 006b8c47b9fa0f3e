using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;

namespace LoopSim.Experiments.Designs;

/// <summary>
/// A parameter named on the command line: <c>NAME</c> (take its distribution from the scenario's <c>uncertain:</c>
/// section) or <c>NAME=LOW..HIGH</c> (uniform over the range).
/// </summary>
public sealed record ParameterRange(string Parameter, double? Low, double? High)
{
    public bool HasRange => Low is not null;

    /// <summary>The uniform distribution over the range.</summary>
    public DistributionSpec Uniform() => HasRange
        ? new DistributionSpec(Parameter, new UniformDistribution(Low!.Value, High!.Value), null)
        : throw new InvalidOperationException($"'{Parameter}' has no range.");

    public static ParameterRange Parse(string text, string option)
    {
        int equals = text.IndexOf('=');
        if (equals < 0)
        {
            var name = text.Trim();
            if (name.Length == 0) throw new ModelException(DiagnosticCodes.ParameterRangeMalformed, $"{option}: empty parameter name.", hint: $"Write {option} NAME or {option} NAME=LOW..HIGH.");
            return new ParameterRange(name, null, null);
        }
        var parameter = text[..equals].Trim();
        var range = text[(equals + 1)..];
        if (parameter.Length == 0)
            throw new ModelException(DiagnosticCodes.ParameterRangeMalformed, $"{option} '{text}' names no parameter.", hint: $"Write {option} NAME=LOW..HIGH, e.g. commission_rate=0.05..0.30.");
        int dots = range.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
            throw new ModelException(DiagnosticCodes.ParameterRangeMalformed, $"{option} '{text}': '{range}' is not a range.", variable: parameter, hint: "Write LOW..HIGH, e.g. 0.05..0.30.");
        double low = Number(range[..dots], text, parameter, option), high = Number(range[(dots + 2)..], text, parameter, option);
        if (!(low < high))
            throw new ModelException(DiagnosticCodes.ParameterRangeMalformed, $"{option} '{text}': the range is empty (LOW must be below HIGH).", variable: parameter, hint: "Write LOW..HIGH with LOW < HIGH.");
        return new ParameterRange(parameter, low, high);
    }

    private static double Number(string text, string whole, string parameter, string option) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new ModelException(DiagnosticCodes.ParameterRangeMalformed, $"{option} '{whole}': '{text.Trim()}' is not a number.", variable: parameter, hint: "Write LOW..HIGH with plain numbers, e.g. 0.05..0.30.");
}
