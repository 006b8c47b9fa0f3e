using LoopSim.Engine.Diagnostics;
namespace LoopSim.Experiments.Validation;

/// <summary>The checks of <c>loopsim check</c>, in the order they are reported.</summary>
public static class ValidationSuite
{
    public static IReadOnlyList<IModelCheck> Checks { get; } =
    [
        new UnitsCheck(),
        new MassBalanceCheck(),
        new TimeConstantCheck(),
        new IntegrationErrorCheck(),
        new ExtremeConditionsCheck(),
        new ReferenceModesCheck(),
        new SensitivityCheck(),
    ];

    /// <summary>Runs every check not skipped by the subject's settings; <paramref name="progress"/> hears each check's name as it starts.</summary>
    public static IReadOnlyList<CheckReport> Run(CheckSubject subject, Action<string>? progress = null, CancellationToken cancel = default)
    {
        var skip = subject.Settings.Skip.Select(s => s.Trim().ToLowerInvariant()).ToHashSet();
        foreach (var name in skip)
            if (!Checks.Any(c => c.Name == name))
                throw new ModelException(DiagnosticCodes.UnknownCheck, $"--skip '{name}' is not a check.", hint: "The checks: " + string.Join(", ", Checks.Select(c => c.Name)) + ".");
        var reports = new List<CheckReport>();
        foreach (var check in Checks)
        {
            cancel.ThrowIfCancellationRequested();
            if (skip.Contains(check.Name))
            {
                reports.Add(CheckReport.Skip(check.Name, "skipped (--skip)"));
                continue;
            }
            progress?.Invoke(check.Name);
            reports.Add(check.Run(subject, cancel));
        }
        return reports;
    }
}
