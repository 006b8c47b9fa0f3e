namespace LoopSim.Experiments.Validation;

/// <summary>How a check came out. Only <see cref="Fail"/> makes <c>loopsim check</c> exit non-zero.</summary>
public enum CheckStatus { Pass, Warn, Fail, Skipped }

/// <summary>One line of a check's table: what was checked, what was expected, what was measured.</summary>
public sealed record CheckRow(string Subject, string Expected, string Measured, CheckStatus Status);

/// <summary>A check's outcome: its rows, its status (the worst of its rows unless it says otherwise) and a one-line summary.</summary>
public sealed record CheckReport(string Check, CheckStatus Status, string Summary, IReadOnlyList<CheckRow> Rows)
{
    public static CheckReport From(string check, IReadOnlyList<CheckRow> rows, string summary)
    {
        var statuses = rows.Select(r => r.Status).Where(s => s != CheckStatus.Skipped).ToList();
        return new(check, statuses.Count == 0 ? CheckStatus.Skipped : statuses.Max(), summary, rows);
    }

    public static CheckReport Skip(string check, string why) => new(check, CheckStatus.Skipped, why, []);
}

/// <summary>
/// One check of the validation suite (Sterman, Business Dynamics ch. 21; Barlas 1996): it reads the subject (model,
/// cities, checks file) and reports rows and a status. Add a check by implementing this and listing it in
/// <see cref="ValidationSuite.Checks"/>.
/// </summary>
public interface IModelCheck
{
    /// <summary>A short name, also what <c>--skip</c> takes ("mass balance", "sensitivity", ...).</summary>
    string Name { get; }

    CheckReport Run(CheckSubject subject, CancellationToken cancel);
}
