using System.Globalization;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Simulation;

/// <summary>
/// The first value of a run's results that is not a finite number: the earliest time, then the first variable in output
/// order, then (for many runs) the lowest run. Found after the run, so the step loop stays as fast as it is.
/// </summary>
public sealed record NonFiniteValue(double Time, string Variable, double Value, int? Run = null)
{
    /// <summary>Warning <see cref="DiagnosticCodes.NonFiniteResult"/>; <paramref name="context"/> says which city or sweep point, <paramref name="location"/> which file.</summary>
    public Diagnostic Warning(string? context = null, SourceLocation? location = null)
    {
        var what = double.IsNaN(Value) ? "NaN" : Value > 0 ? "+∞" : "−∞";
        var time = Time.ToString("R", CultureInfo.InvariantCulture);
        var where = (Run is { } run ? $" in run {run}" : "") + (context is null ? "" : $" ({context})");
        return new Diagnostic(DiagnosticCodes.NonFiniteResult, $"became {what} at time {time}{where}; what is computed from it is not a number either.",
            location, Variable, "Look for a division by zero, LN or SQRT of a negative number, or growth without limit at that time.");
    }
}
