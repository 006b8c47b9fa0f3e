using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.Validation;

/// <summary>
/// Integration error (Sterman ch. 21): the key outputs (the checks file's, else every stock) must not move by more than
/// the tolerance when DT is halved, nor when the method changes (Euler against RK4). Change is measured at every saved
/// time, relative to the largest magnitude the output reaches in the base run.
/// </summary>
public sealed class IntegrationErrorCheck : IModelCheck
{
    public string Name => "integration error";

    public CheckReport Run(CheckSubject subject, CancellationToken cancel)
    {
        var specs = subject.Model.Specs;
        var outputs = subject.Checks?.KeyOutputs is { Count: > 0 } keys ? keys
            : subject.Model.Variables.Where(v => v.Kind == VariableKind.Stock).Select(v => v.Name).ToList();
        if (outputs.Count == 0) return CheckReport.Skip(Name, "the model has no stocks");
        double tolerance = subject.Checks?.Tolerance ?? CheckFile.DefaultTolerance;
        var other = specs.Method == IntegrationMethod.Euler ? IntegrationMethod.RK4 : IntegrationMethod.Euler;
        var comparisons = new (string Label, IntegrationMethod? Method, double? Dt)[]
        {
            ($"DT {specs.Dt:0.###} → {specs.Dt / 2:0.####} ({Method(specs.Method)})", null, specs.Dt / 2),
            ($"{Method(specs.Method)} → {Method(other)} (DT {specs.Dt:0.###})", other, null),
        };

        var rows = new List<CheckRow>();
        foreach (var (label, method, dt) in comparisons)
        {
            (double Change, string Output, string City) worst = (0, outputs[0], subject.Cities[0].DisplayName);
            foreach (var city in subject.Cities)
            {
                cancel.ThrowIfCancellationRequested();
                var (model, settings, _) = subject.Resolve(null, city);
                var baseRun = subject.Simulations.Run(model, settings);
                var changed = subject.Simulations.Run(model, settings, method, dt);
                var at = changed.Times.Select((t, i) => (t, i)).ToDictionary(p => Math.Round(p.t, 9), p => p.i);
                foreach (var output in outputs)
                {
                    var a = baseRun[output];
                    var b = changed[output];
                    double scale = a.Max(Math.Abs);
                    if (scale == 0) scale = 1;
                    for (int i = 0; i < a.Length; i++)
                    {
                        if (!at.TryGetValue(Math.Round(baseRun.Times[i], 9), out var j)) continue;
                        double change = Math.Abs(b[j] - a[i]) / scale;
                        if (!(change <= worst.Change)) worst = (change, output, city.DisplayName);   // NaN counts as the worst
                    }
                }
            }
            rows.Add(new CheckRow($"{label}: {outputs.Count} key outputs", $"≤ {tolerance:0.##%} of each output's range",
                $"largest change {worst.Change:0.###%} ({worst.Output}{MassBalanceCheck.Where(subject, worst.City)})",
                worst.Change <= tolerance ? CheckStatus.Pass : CheckStatus.Fail));
        }
        var report = CheckReport.From(Name, rows, "");
        return report with
        {
            Summary = report.Status == CheckStatus.Pass
                ? $"halving DT and changing the method move no key output by more than {tolerance:0.##%}"
                : $"the results depend on DT or the method by more than {tolerance:0.##%}: use a smaller DT (or the other method)",
        };
    }

    private static string Method(IntegrationMethod method) => method switch
    {
        IntegrationMethod.Euler => "Euler",
        IntegrationMethod.RK2 => "RK2",
        _ => "RK4",
    };
}
