using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.Validation;

/// <summary>
/// Mass balance: every stock changes by exactly its flows (run with Euler, saved every DT: a non-negative stock limits
/// its outflows, but one that a negative inflow takes below zero is held at zero, which creates material, and shows here), and each sum the checks
/// file declares conserved stays at its starting value under the model's own method.
/// </summary>
public sealed class MassBalanceCheck : IModelCheck
{
    /// <summary>Rounding allowed, relative to the largest value of the stock or sum over the run.</summary>
    private const double Tolerance = 1e-9;

    public string Name => "mass balance";

    public CheckReport Run(CheckSubject subject, CancellationToken cancel)
    {
        var rows = new List<CheckRow>();
        var stocks = subject.Model.Variables.Where(v => v.Kind == VariableKind.Stock && v.Inflows.Count + v.Outflows.Count > 0).ToList();
        double dt = subject.Model.Specs.Dt;

        var gaps = new List<(string City, string Stock, double First, double Gap, double Scale)>();
        var sums = new Dictionary<string, List<(string City, double Drift)>>();
        foreach (var city in subject.Cities)
        {
            cancel.ThrowIfCancellationRequested();
            var (model, settings, _) = subject.Resolve(null, city);
            var run = subject.Simulations.Run(model, settings, IntegrationMethod.Euler, everyStep: true);
            foreach (var stock in stocks)
            {
                var s = run[stock.Name];
                double scale = Math.Max(1, s.Max(Math.Abs));
                var inflows = stock.Inflows.Select(f => run[f]).ToList();
                var outflows = stock.Outflows.Select(f => run[f]).ToList();
                double worst = 0, first = double.NaN;
                for (int i = 0; i + 1 < s.Length; i++)
                {
                    double net = inflows.Sum(f => f[i]) - outflows.Sum(f => f[i]);
                    double gap = Math.Abs(s[i + 1] - (s[i] + dt * net));
                    if (!(gap <= worst)) worst = gap;   // NaN counts as the worst
                    if (double.IsNaN(first) && !(gap <= Tolerance * scale)) first = run.Times[i];
                }
                gaps.Add((city.DisplayName, stock.Name, first, worst, scale));
            }
            var own = subject.Checks?.Conserved.Count > 0 ? subject.Simulations.Run(model, settings) : null;
            foreach (var sum in subject.Checks?.Conserved ?? [])
            {
                var total = Enumerable.Range(0, own!.Times.Length).Select(i => sum.Variables.Sum(v => own[v][i])).ToArray();
                double drift = total.Max(t => Math.Abs(t - total[0])) / Math.Max(1, Math.Abs(total[0]));
                if (total.Any(t => !double.IsFinite(t))) drift = double.NaN;
                (sums.TryGetValue(sum.Name, out var list) ? list : sums[sum.Name] = []).Add((city.DisplayName, drift));
            }
        }

        var broken = gaps.Where(g => !(g.Gap <= Tolerance * g.Scale)).ToList();
        var largest = gaps.MaxBy(g => double.IsNaN(g.Gap) ? double.PositiveInfinity : g.Gap / g.Scale);
        rows.Add(new CheckRow($"{stocks.Count} stocks: each step adds DT × (inflows − outflows) (Euler, every DT)",
            $"gap ≤ {Tolerance:0e0} of the stock",
            broken.Count == 0
                ? $"largest gap {largest.Gap / largest.Scale:0.0e0} ({largest.Stock}{Where(subject, largest.City)})"
                : string.Join("; ", broken.Take(3).Select(b => $"{b.Stock} overdrawn at {subject.Model.Specs.TimeUnits ?? "time"} {b.First:0.##}{Where(subject, b.City)}: gap up to {AssertionResult.Format(b.Gap)}")),
            broken.Count == 0 ? CheckStatus.Pass : CheckStatus.Fail));
        foreach (var sum in subject.Checks?.Conserved ?? [])
        {
            var drifts = sums[sum.Name];
            var worst = drifts.MaxBy(d => double.IsNaN(d.Drift) ? double.PositiveInfinity : d.Drift);
            bool holds = drifts.All(d => d.Drift <= Tolerance);
            rows.Add(new CheckRow($"{sum.Name} = {string.Join(" + ", sum.Variables)}", $"constant within {Tolerance:0e0}",
                $"largest drift {AssertionResult.Format(worst.Drift)}{Where(subject, worst.City)}", holds ? CheckStatus.Pass : CheckStatus.Fail));
        }
        var report = CheckReport.From(Name, rows, "");
        return report with
        {
            Summary = report.Status == CheckStatus.Pass
                ? $"every stock balances its flows{(rows.Count > 1 ? ", and every declared sum is conserved" : "")}"
                : "material is created or lost: see the rows",
        };
    }

    internal static string Where(CheckSubject subject, string city) => subject.Cities.Count > 1 ? $", {city}" : "";
}
