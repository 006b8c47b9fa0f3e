using LoopSim.Engine.Units;

namespace LoopSim.Experiments.Validation;

/// <summary>
/// Dimensional consistency (Sterman ch. 21, "dimensional consistency"): every equation of the model checked by
/// <see cref="UnitsChecker"/>. Each inconsistency is a failing row naming the variable and the two units that
/// disagree; a model that declares no units is skipped, since nothing can be checked.
/// </summary>
public sealed class UnitsCheck : IModelCheck
{
    public string Name => "units";

    public CheckReport Run(CheckSubject subject, CancellationToken cancel)
    {
        var variables = subject.Model.Variables;
        int declared = variables.Count(v => !string.IsNullOrWhiteSpace(v.Units));
        if (declared == 0)
            return CheckReport.Skip(Name, "no variable declares units: nothing to check");
        var issues = UnitsChecker.Check(subject.Model);
        var coverage = $"{declared} of {variables.Count} variables declare units, time in {subject.Model.Specs.TimeUnits ?? "(no time unit)"}";
        if (issues.Count == 0)
            return CheckReport.From(Name, [new CheckRow("every equation", "consistent units", coverage, CheckStatus.Pass)],
                $"every equation is dimensionally consistent ({coverage})");
        var rows = issues.Select(i => new CheckRow(Subject(i), i.Expected, i.Found, CheckStatus.Fail)).ToList();
        return CheckReport.From(Name, rows,
            $"{issues.Count} inconsistenc{(issues.Count == 1 ? "y" : "ies")} of units ({coverage}); 'loopsim simulate' prints each with its place and fix");
    }

    /// <summary>"Members (LS7002, model.yaml:12:5)": the variable, the code and where.</summary>
    private static string Subject(UnitsIssue issue)
    {
        var d = issue.Diagnostic;
        var where = d.Location?.ToString() is { Length: > 0 } at ? ", " + at : "";
        return $"{(d.Variable is null ? "model" : Engine.Model.Names.Display(d.Variable))} ({d.Code.Id}{where})";
    }
}
