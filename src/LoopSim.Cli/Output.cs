using System.Runtime.ExceptionServices;
using System.Text;
using LoopSim.Engine.Model;
using LoopSim.Engine.Units;
using LoopSim.Reports;
using Spectre.Console;

namespace LoopSim.Cli;

/// <summary>Small helpers the verbs share for what they print and the files they name.</summary>
internal static class Output
{
    /// <summary>The console the summary tables go to: whatever Console.Out is now (a terminal, a pipe, or a test's writer).</summary>
    public static IAnsiConsole Console() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });

    /// <summary>A verb's atomic output folder: --output, or its default; messages name it as the user gave it.</summary>
    public static OutputFolder Folder(string? option, string fallback) =>
        new(option ?? fallback, option is null ? $"the output folder '{fallback}' (the default of --output)" : $"--output '{option}'");

    /// <summary>A progress bar when standard output is a terminal, else plain progress lines on it.</summary>
    public static IProgressSink Progress(string description, long total, string unit = "runs") =>
        ProgressSinks.For(System.Console.IsOutputRedirected ? null : AnsiConsole.Console, System.Console.Out, description, total, unit);

    /// <summary>"1 city", "5 cities", "1,000 runs".</summary>
    public static string Count(long n, string one, string many) => $"{NumberFormat.Readable(n)} {(n == 1 ? one : many)}";

    /// <summary>A variable as people read it: "referrals per week".</summary>
    public static string Label(string variable) => Names.Display(variable).Replace('_', ' ');

    /// <summary>A name safe in a file name on every system: "referrals_per_week", "shanghai".</summary>
    public static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in Names.Canonical(name))
            slug.Append(char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '-');
        return slug.ToString();
    }

    /// <summary>Units worth printing on an axis (not "dimensionless").</summary>
    public static string? Units(string? units) =>
        units is null || Names.Canonical(units) is "dimensionless" or "dmnl" or "1" or "unitless" ? null : units;

    /// <summary>
    /// Whether values are best read as percentages: a dimensionless share (a rate, a fraction) whose values all lie in 0..1,
    /// not a 0/1 switch. Commission rate 0.05 reads "5%".
    /// </summary>
    public static bool IsShare(string? units, IReadOnlyList<double> values) =>
        Units(units) is null && values.All(v => v is >= 0 and <= 1) && values.Any(v => v != Math.Floor(v));

    /// <summary>The chart writer of one command: warns once on stderr when the font cannot draw the labels (Chinese city names without a CJK font).</summary>
    public static ChartWriter Charts(IEnumerable<string> cities, IEnumerable<string> scenarios, IEnumerable<string> series)
    {
        var cityNames = cities.ToList();
        return new ChartWriter(new ChartOptions
        {
            Cities = new ChartPalette(cityNames),
            Scenarios = new ChartPalette(scenarios),
            // Lines keyed by city take the city's colour: the same names pinned in the same order get the same slots.
            Series = new ChartPalette(cityNames.Concat(series)),
        }, warn: FontWarning);
    }

    /// <summary>The chart writers' warning that the labels' characters are not all in the font.</summary>
    public static void FontWarning(string message) => Report(new Diagnostic(DiagnosticCodes.ChartFontMissing, message));

    /// <summary>The model's inconsistencies of units as warnings on stderr (simulate, run): they never stop a run; `loopsim check` fails on them.</summary>
    public static void WarnUnits(SdModel model) => WarnUnits(UnitsChecker.Check(model));

    /// <summary>The issues of <see cref="UnitsChecker.Check"/> as warnings on stderr, at most <see cref="Commands.MaxShown"/>.</summary>
    public static void WarnUnits(IReadOnlyList<UnitsIssue> issues)
    {
        foreach (var issue in issues.Take(Commands.MaxShown)) Report(issue.Diagnostic);
        if (issues.Count > Commands.MaxShown)
            System.Console.Error.WriteLine($"… and {issues.Count - Commands.MaxShown} more warnings about units; 'loopsim check' lists them all.");
    }

    /// <summary>Prints a diagnostic on stderr as "error LS1234: where: message. Fix."</summary>
    public static void Report(Diagnostic diagnostic) => System.Console.Error.WriteLine(diagnostic.Format());

    /// <summary>Renders the charts on up to <paramref name="threads"/> threads; the first failure is rethrown as itself.</summary>
    public static void RenderAll(IReadOnlyList<Action> charts, int threads, CancellationToken cancel)
    {
        try
        {
            Parallel.ForEach(charts, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, chart => chart());
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }
    }

    /// <summary>"wrote out/alliance: percentiles.csv, runs.csv, summary.csv and 83 charts".</summary>
    public static void Wrote(string folder, IReadOnlyList<string> files, int charts)
    {
        var list = string.Join(", ", files) + (charts > 0 ? $" and {Count(charts, "chart", "charts")} in charts/" : "");
        System.Console.WriteLine($"wrote {folder}: {list}");
    }
}

/// <summary>Turns the runners' "runs done so far" (per city, or per sweep) into the steps a progress sink counts.</summary>
internal sealed class RunsProgress(IProgressSink sink) : IProgress<int>
{
    private int _reported;

    // The runners report increasing totals, one report at a time.
    public void Report(int value)
    {
        sink.Advance(value - _reported);
        _reported = value;
    }
}
