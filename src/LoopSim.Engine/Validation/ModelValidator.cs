using System.Globalization;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Validation;

/// <summary>Where a model's simulation specs were written and how each is called in its format ("'dt'", "&lt;dt&gt;").</summary>
public sealed record SimSpecsSource(SpecField Start, SpecField Stop, SpecField Dt, SpecField SaveStep)
{
    /// <summary>Specs without a file (a model built in code, an option such as --dt): named in plain words.</summary>
    public static SimSpecsSource Unlocated(SourceLocation? file) =>
        new(new("the start time", file), new("the stop time", file), new("the time step dt", file), new("the save step", file));
}

/// <summary>One field of the simulation specs: its name as the user wrote it, and where.</summary>
public sealed record SpecField(string Name, SourceLocation? At);

/// <summary>
/// The checks every model passes whichever format it was read from, so that XMILE and YAML (and any later reader)
/// give the same answer: the simulation specs and limits, and the declared ranges of constants. The readers call it
/// on what they read, and the compiler on the specs it will run (a --dt option included); both get every problem at
/// once.
/// </summary>
public static class ModelValidator
{
    /// <summary>
    /// The most time steps a run may take. Far beyond any model's needs (a century in steps of an hour is under a
    /// million), it refuses a dt or stop time off by orders of magnitude before the run allocates its results.
    /// </summary>
    public const long MaxSteps = 100_000_000;

    /// <summary>Every problem with the specs, in the order of the fields.</summary>
    public static IReadOnlyList<Diagnostic> CheckSpecs(SimSpecs specs, SimSpecsSource source)
    {
        var problems = new List<Diagnostic>();
        var (start, stop, dt) = (source.Start, source.Stop, source.Dt);
        if (!(specs.Stop > specs.Start))
            problems.Add(new Diagnostic(DiagnosticCodes.StopNotAfterStart, $"{stop.Name} ({F(specs.Stop)}) must be after {start.Name} ({F(specs.Start)}).",
                stop.At, Hint: "A run needs time to pass: set the stop time after the start time."));
        if (!(specs.Dt > 0) || double.IsInfinity(specs.Dt))
            problems.Add(new Diagnostic(DiagnosticCodes.DtNotPositive, $"{dt.Name} must be positive, not {F(specs.Dt)}.", dt.At,
                Hint: "A typical DT is 1/4 or 1/8 of the time unit."));
        else if (specs.Stop > specs.Start)
        {
            double horizon = specs.Stop - specs.Start;
            if (specs.Dt > horizon)
                problems.Add(new Diagnostic(DiagnosticCodes.DtLongerThanRun,
                    $"{dt.Name} ({F(specs.Dt)}) is longer than the run from {F(specs.Start)} to {F(specs.Stop)}, so not one step would be taken.", dt.At,
                    Hint: $"Use a dt of at most {F(horizon)}; a typical DT is 1/4 or 1/8 of the time unit."));
            else if (horizon / specs.Dt > MaxSteps)
                problems.Add(new Diagnostic(DiagnosticCodes.TooManySteps,
                    $"the run from {F(specs.Start)} to {F(specs.Stop)} in steps of {F(specs.Dt)} would take {(horizon / specs.Dt).ToString("G3", CultureInfo.InvariantCulture).ToLowerInvariant()} steps, more than the {MaxSteps:N0} allowed.",
                    dt.At, Hint: "Check the stop time and dt: a larger dt or a shorter run."));
        }
        if (specs.SaveStep is { } save && (!(save > 0) || double.IsInfinity(save)))
            problems.Add(new Diagnostic(DiagnosticCodes.SaveStepNotPositive, $"{source.SaveStep.Name} must be positive, not {F(save)}.", source.SaveStep.At,
                Hint: "Leave it out to save every dt."));
        return problems;
    }

    /// <summary>Throws the problems of <see cref="CheckSpecs"/>, if any.</summary>
    public static void ValidateSpecs(SimSpecs specs, SimSpecsSource source)
    {
        var problems = CheckSpecs(specs, source);
        if (problems.Count > 0) throw new ModelException(problems);
    }

    /// <summary>
    /// A value given to <paramref name="variable"/> (by the model file, a city, --set, a sweep or a distribution) outside
    /// the range the modeller declared for it; null when it has no range or the value lies within.
    /// </summary>
    /// <param name="source">Who gives the value, as the message names it: "the model file", "city 'Shanghai'", "--set".</param>
    public static Diagnostic? CheckRange(Variable variable, double value, string source, SourceLocation? at)
    {
        if (variable.Range is not var (min, max) || (value >= min && value <= max)) return null;
        return new Diagnostic(DiagnosticCodes.OutsideRange,
            $"{source} gives {Names.Display(variable.Name)} the value {F(value)}, outside its declared range [{F(min)}, {F(max)}].", at, variable.Name,
            "Use a value within the range, or widen the range in the model if the value is plausible.");
    }

    /// <summary>
    /// A distribution whose draws can leave the declared range of <paramref name="variable"/>: its support
    /// [<paramref name="low"/>, <paramref name="high"/>] must lie within the range.
    /// </summary>
    public static Diagnostic? CheckSupport(Variable variable, double low, double high, string source, SourceLocation? at)
    {
        if (variable.Range is not var (min, max) || (low >= min && high <= max)) return null;
        return new Diagnostic(DiagnosticCodes.OutsideRange,
            $"{source} draws {Names.Display(variable.Name)} from [{F(low)}, {F(high)}], beyond its declared range [{F(min)}, {F(max)}].", at, variable.Name,
            $"Truncate the distribution with min: {F(Math.Max(low, min))} and max: {F(Math.Min(high, max))}, or widen the range in the model.");
    }

    /// <summary>A number written in a model or scenario that does not fit a 64-bit float (1e400): the same answer from every format.</summary>
    public static Diagnostic TooLarge(string text, SourceLocation? at, string? variable = null) =>
        new(DiagnosticCodes.NumberTooLarge, $"the number '{text.Trim()}' is too large: numbers must lie between -1.8e308 and 1.8e308.", at, variable,
            "Check the exponent; if the value is meant to be unbounded, model it without infinity.");

    /// <summary>
    /// Reads a number as written in a model or scenario (invariant culture, exponents allowed). False when the text
    /// is not a number; <paramref name="tooLarge"/> is then true when it is one beyond the range of a double.
    /// </summary>
    public static bool TryParseNumber(string text, out double value, out bool tooLarge)
    {
        bool parsed = double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        tooLarge = parsed && double.IsInfinity(value) && !text.Contains("inf", StringComparison.OrdinalIgnoreCase) && !text.Contains('∞');
        return parsed && double.IsFinite(value);
    }

    private static string F(double x) => double.IsInfinity(x) ? (x > 0 ? "∞" : "-∞") : x.ToString("R", CultureInfo.InvariantCulture);
}
