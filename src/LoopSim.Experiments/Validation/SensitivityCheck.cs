using LoopSim.Engine.Diagnostics;
using System.Collections.Concurrent;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Model;

namespace LoopSim.Experiments.Validation;

/// <summary>
/// Sensitivity of the conclusions (Sterman ch. 21, "policy sensitivity"): each constant that no scenario or city sets is
/// moved by ± the checks file's change (default 50%, within its plausible range), one at a time, and the reference modes
/// are evaluated again on single runs in every city. The rows list the changes that flip a mode (warnings: what the
/// conclusions hang on); the check fails only if the modes do not hold to begin with.
/// </summary>
public sealed class SensitivityCheck : IModelCheck
{
    public string Name => "sensitivity";

    public CheckReport Run(CheckSubject subject, CancellationToken cancel)
    {
        var checks = subject.Checks;
        if (checks is null || checks.Modes.Count == 0)
            return CheckReport.Skip(Name, "no reference modes to test the sensitivity of");
        var baseline = subject.Cities.SelectMany(c => ReferenceModes.Evaluate(subject, c)).ToDictionary(r => (r.Mode.Id, r.City.Name), r => r.Holds);
        var changes = Changes(subject).ToList();

        var flips = new ConcurrentDictionary<(string Parameter, double From, double To), List<(string Mode, string City)>>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = subject.Simulations.Threads, CancellationToken = cancel };
        Parallel.ForEach(changes, options, change =>
        {
            var flipped = new List<(string, string)>();
            foreach (var city in subject.Cities)
                foreach (var result in ReferenceModes.Evaluate(subject, city, 0, (change.Parameter, change.To)))
                    if (result.Holds != baseline[(result.Mode.Id, city.Name)]) flipped.Add((result.Mode.Id, city.DisplayName));
            flips[change] = flipped;
        });

        var rows = new List<CheckRow>();
        foreach (var change in changes.Where(c => flips[c].Count > 0))
        {
            var byMode = flips[change].GroupBy(f => f.Mode).Select(g =>
                $"mode {g.Key}" + (subject.Cities.Count > 1 ? $" ({(g.Count() == subject.Cities.Count ? "every city" : string.Join(", ", g.Select(f => f.City)))})" : ""));
            rows.Add(new CheckRow($"{change.Parameter} {(change.To > change.From ? "+" : "−")}{Math.Abs(change.To / change.From - 1):0%} ({change.From:0.####} → {change.To:0.####})",
                "every mode as without the change", "flips " + string.Join("; ", byMode), CheckStatus.Warn));
        }
        int failing = baseline.Count(b => !b.Value);
        var status = failing > 0 ? CheckStatus.Fail : rows.Count > 0 ? CheckStatus.Warn : CheckStatus.Pass;
        var parameters = changes.Select(c => c.Parameter).Distinct().Count();
        var summary = failing > 0
            ? $"{failing} mode–city pairs fail without any change: see the reference modes"
            : $"{rows.Count} of {changes.Count} changes (±{checks.Sensitivity:0%} of {parameters} parameters) flip a mode; "
              + (rows.Count == 0 ? "every conclusion is robust to them" : "the rows show what each conclusion hangs on");
        return new CheckReport(Name, status, summary, rows);
    }

    /// <summary>
    /// The constants no scenario or city of the checks sets, each moved down and up by the checks file's change, kept within
    /// its plausible range; zero-valued constants (switches that are off) are left alone.
    /// </summary>
    private static IEnumerable<(string Parameter, double From, double To)> Changes(CheckSubject subject)
    {
        var set = new HashSet<string>();
        foreach (var city in subject.Cities)
        {
            foreach (var name in subject.Resolve(null, city).Settings.Keys) set.Add(Names.Canonical(name));
            foreach (var run in subject.Checks!.Runs.Values)
                foreach (var name in subject.Resolve(run, city).Settings.Keys) set.Add(Names.Canonical(name));
        }
        double change = subject.Checks!.Sensitivity;
        foreach (var variable in subject.Model.Variables.Where(v => v.Kind == VariableKind.Aux && v.Graph is null && !set.Contains(v.CanonicalName)))
        {
            if (variable.Equation?.Syntax is not NumberExpr { Value: var value } || value == 0) continue;
            foreach (var factor in new[] { 1 - change, 1 + change })
            {
                double to = value * factor;
                if (variable.Range is { } range) to = Math.Clamp(to, range.Min, range.Max);
                if (to != value) yield return (variable.Name, value, to);
            }
        }
    }
}
