namespace LoopSim.Experiments.Validation;

/// <summary>
/// The reference modes of the checks file (the behaviour the model must reproduce), in every city, on single runs and at
/// the median of a Monte Carlo of <see cref="CheckSettings.MedianRuns"/> runs per named run. A mode fails if any of its
/// assertions fails in any city either way; its measurements are reported beside it.
/// </summary>
public sealed class ReferenceModesCheck : IModelCheck
{
    public string Name => "reference modes";

    public CheckReport Run(CheckSubject subject, CancellationToken cancel)
    {
        var modes = subject.Checks?.Modes ?? [];
        if (modes.Count == 0)
            return CheckReport.Skip(Name, subject.Checks is null ? "no checks file (checks/MODEL.yaml beside the model) states reference modes" : "the checks file states no reference modes");
        int runs = subject.Settings.MedianRuns;
        var ways = new List<(string Label, int Runs)> { ("single runs", 0) };
        if (runs > 1) ways.Add(($"median of {runs} runs", runs));
        var results = new List<(string Way, ModeResult Result)>();
        foreach (var (label, n) in ways)
            foreach (var city in subject.Cities)
            {
                cancel.ThrowIfCancellationRequested();
                results.AddRange(ReferenceModes.Evaluate(subject, city, n).Select(r => (label, r)));
            }

        var rows = new List<CheckRow>();
        foreach (var mode in modes)
        {
            var mine = results.Where(r => r.Result.Mode == mode).ToList();
            var failures = mine.Where(r => !r.Result.Holds).ToList();
            var counts = string.Join(", ", ways.Select(w => $"{mine.Count(r => r.Way == w.Label && r.Result.Holds)}/{subject.Cities.Count} {w.Label}"));
            var details = failures.Take(3).Select(f =>
                $"{f.Result.City.DisplayName} ({f.Way}): {string.Join("; ", f.Result.Asserts.Where(a => !a.Holds).Select(a => $"{a.Assertion.Text} → {a.Measured}"))}");
            var reports = mode.Reports.Count == 0 ? "" : "; " + string.Join("; ", mode.Reports.Select((report, k) =>
                $"{report.Text}: " + string.Join(", ", mine.Where(r => r.Way == ways[^1].Label).Select(r => $"{r.Result.City.DisplayName} {r.Result.Reports[k].Measured}"))));
            rows.Add(new CheckRow($"{mode.Id} {mode.Name}", mode.Claim,
                failures.Count == 0 ? $"holds: {counts}{reports}" : $"{counts}: " + string.Join(" | ", details) + (failures.Count > 3 ? $" | … {failures.Count - 3} more" : ""),
                failures.Count == 0 ? CheckStatus.Pass : CheckStatus.Fail));
        }
        var report = CheckReport.From(Name, rows, "");
        int failed = rows.Count(r => r.Status == CheckStatus.Fail);
        return report with
        {
            Summary = failed == 0
                ? $"all {modes.Count} modes hold in {subject.Cities.Count} cit{(subject.Cities.Count == 1 ? "y" : "ies")}, {string.Join(" and ", ways.Select(w => w.Label))}"
                : $"{failed} of {modes.Count} modes fail",
        };
    }
}
