using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.Validation;

/// <summary>
/// Extreme conditions (Sterman ch. 21; Barlas 1996): the settings as they are, then each condition of the checks file, are run
/// for every city. In every one,
/// every value stays finite, stocks that start at or above zero stay there, the declared bounds hold and the declared sums
/// are conserved; then the condition's own assertions, which say in numbers what its 'expect' says in words, must hold
/// (a bare name reads the condition's run, base.NAME the unchanged one).
/// </summary>
public sealed class ExtremeConditionsCheck : IModelCheck
{
    public string Name => "extreme conditions";

    public CheckReport Run(CheckSubject subject, CancellationToken cancel)
    {
        if (subject.Checks is null)
            return CheckReport.Skip(Name, "no checks file (checks/MODEL.yaml beside the model) states extreme conditions");
        // The scenario as it is comes first: it must be as sound as any extreme.
        var unchanged = new ExtremeCondition("as set", new Dictionary<string, double>(), "Finite, in bounds, conserved.", []);
        var rows = new List<CheckRow>();
        foreach (var extreme in subject.Checks.Extremes.Prepend(unchanged))
        {
            var problems = new List<string>();
            string? measured = null;
            foreach (var city in subject.Cities)
            {
                cancel.ThrowIfCancellationRequested();
                var (model, settings, _) = subject.Resolve(null, city);
                var changed = new Dictionary<string, double>(settings);
                foreach (var (name, value) in extreme.Set) changed[name] = value;
                var run = subject.Simulations.Run(model, changed);
                var baseRun = subject.Simulations.Run(model, settings);
                var where = MassBalanceCheck.Where(subject, city.DisplayName);
                problems.AddRange(Sound(subject, model, run).Select(p => p + where));
                var results = extreme.Asserts.Select(a => a.Evaluate((r, v) => (r == "base" ? baseRun : run)[v], run.Times)).ToList();
                problems.AddRange(results.Where(r => !r.Holds).Select(r => $"{r.Assertion.Text}: {r.Measured}{where}"));
                measured ??= string.Join("; ", results.Select(r => r.Measured));
            }
            var settingsText = extreme.Set.Count == 0 ? "the scenario's settings" : string.Join(", ", extreme.Set.Select(s => $"{s.Key} = {s.Value:0.###}"));
            rows.Add(new CheckRow($"{extreme.Name} ({settingsText})", extreme.Expect,
                problems.Count == 0 ? (string.IsNullOrEmpty(measured) ? "finite, in bounds, conserved" : measured) : string.Join("; ", problems.Take(3)) + (problems.Count > 3 ? $"; … {problems.Count - 3} more" : ""),
                problems.Count == 0 ? CheckStatus.Pass : CheckStatus.Fail));
        }
        var report = CheckReport.From(Name, rows, "");
        int failed = rows.Count(r => r.Status == CheckStatus.Fail);
        return report with
        {
            Summary = failed == 0
                ? $"the settings as they are and {rows.Count - 1} extreme conditions × {subject.Cities.Count} cit{(subject.Cities.Count == 1 ? "y" : "ies")}: finite, in bounds, conserved, and as the real system would behave"
                : $"{failed} of {rows.Count} runs (the settings as they are and each extreme) are unsound or unlike the real system",
        };
    }

    /// <summary>What must hold in any run: finite values, non-negative stocks staying so, the checks file's bounds and conserved sums.</summary>
    internal static IEnumerable<string> Sound(CheckSubject subject, SdModel model, SimulationResult run)
    {
        for (int k = 0; k < run.Names.Count; k++)
        {
            int bad = Array.FindIndex(run.Series[k], v => !double.IsFinite(v));
            if (bad >= 0) { yield return $"{run.Names[k]} is {run.Series[k][bad]} at {run.Times[bad]:0.##}"; yield break; }
        }
        foreach (var stock in model.Variables.Where(v => v.Kind == VariableKind.Stock))
        {
            var s = run[stock.Name];
            if (s[0] >= 0 && s.Min() < 0) yield return $"{stock.Name} falls to {AssertionResult.Format(s.Min())}";
        }
        foreach (var (name, (min, max)) in subject.Checks?.Bounds ?? new Dictionary<string, (double, double)>())
        {
            var s = run[name];
            double tolerance = 1e-9 * Math.Max(1, Math.Max(Math.Abs(min), Math.Abs(max)));
            if (s.Min() < min - tolerance || s.Max() > max + tolerance)
                yield return $"{name} leaves [{min:0.###}, {max:0.###}] ({AssertionResult.Format(s.Min())} to {AssertionResult.Format(s.Max())})";
        }
        foreach (var sum in subject.Checks?.Conserved ?? [])
        {
            var total = Enumerable.Range(0, run.Times.Length).Select(i => sum.Variables.Sum(v => run[v][i])).ToArray();
            double drift = total.Max(t => Math.Abs(t - total[0])) / Math.Max(1, Math.Abs(total[0]));
            if (!(drift <= 1e-9)) yield return $"{sum.Name} drifts by {AssertionResult.Format(drift)}";
        }
    }
}
