using System.CommandLine;

namespace LoopSim.Cli;

/// <summary>
/// <c>--strict</c> of <c>simulate</c>, <c>run</c> and <c>sweep</c>: a result that is NaN or infinite (LS6001) is a warning,
/// or with --strict an error: exit 1, and nothing written.
/// </summary>
internal static class StrictOption
{
    public static Option<bool> Create() => new("--strict") { Description = "Treat a result that is NaN or infinite as an error: exit 1 and write nothing." };

    /// <summary>Prints each finding as a warning, or, when <paramref name="strict"/>, stops the command with them as errors (before its output is committed).</summary>
    public static void Report(IEnumerable<Diagnostic> nonFinite, bool strict)
    {
        var found = nonFinite.ToList();
        if (strict && found.Count > 0)
            throw new ModelException(found.Select(d => d with { Code = d.Code with { Severity = Severity.Error } }).ToList());
        foreach (var d in found) Output.Report(d);
    }
}
