using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Experiments.Validation;

/// <summary>
/// The time step against the model's time constants: DT should be at most a quarter of the smallest (Sterman ch. 21),
/// else Euler overshoots and indices leave their range. Measured on the base run of each city: a stock's time constant is
/// its value over its outflows (the shortest over the run), a smooth's or delay's is its time divided by its stages. A
/// time constant shorter than 4 DT is a warning naming it; the integration-error check measures what it costs.
/// </summary>
public sealed class TimeConstantCheck : IModelCheck
{
    /// <summary>DT may be at most this share of a time constant.</summary>
    private const double Share = 0.25;

    /// <summary>
    /// The builtins with a time constant: the argument holding it and the number of stages it is split over (a number,
    /// or −1 for "the argument after the time"). One fact the builtin catalogue should hold once it has a place for it.
    /// </summary>
    private static readonly Dictionary<string, int> Stages = new()
    {
        ["smth1"] = 1, ["smth3"] = 3, ["smthn"] = -1, ["delay1"] = 1, ["delay3"] = 3, ["delayn"] = -1, ["trend"] = 1, ["forcst"] = 1,
    };

    public string Name => "time constants";

    public CheckReport Run(CheckSubject subject, CancellationToken cancel)
    {
        double dt = subject.Model.Specs.Dt;
        string unit = subject.Model.Specs.TimeUnits ?? "time units";
        var found = new List<(string What, string City, double Tau)>();
        foreach (var city in subject.Cities)
        {
            cancel.ThrowIfCancellationRequested();
            var (model, settings, _) = subject.Resolve(null, city);
            var run = subject.Simulations.Run(model, settings);
            foreach (var (what, tau) in StockTimeConstants(model, run).Concat(DelayTimeConstants(model, run)))
                found.Add((what, city.DisplayName, tau));
        }
        if (found.Count == 0)
            return CheckReport.Skip(Name, "no stock drains and no smooth or delay: no time constant to compare DT with");

        var rows = new List<CheckRow>();
        var expected = $"DT = {dt:0.###} ≤ ¼ τ";
        foreach (var group in found.Where(f => dt > Share * f.Tau).GroupBy(f => f.What))
        {
            var shortest = group.MinBy(f => f.Tau);
            rows.Add(new CheckRow(group.Key, expected,
                $"τ = {shortest.Tau:0.###} {unit} = {shortest.Tau / dt:0.#} DT{(subject.Cities.Count > 1 ? $" ({string.Join(", ", group.Select(g => g.City).Distinct())})" : "")}",
                CheckStatus.Warn));
        }
        var smallest = found.MinBy(f => f.Tau);
        if (rows.Count == 0)
            rows.Add(new CheckRow($"smallest: {smallest.What}", expected, $"τ = {smallest.Tau:0.###} {unit} = {smallest.Tau / dt:0.#} DT", CheckStatus.Pass));
        var report = CheckReport.From(Name, rows, "");
        return report with
        {
            Summary = rows.Count == 1 && rows[0].Status == CheckStatus.Pass
                ? $"DT is at most a quarter of every time constant (smallest {smallest.Tau:0.###} {unit}: {smallest.What})"
                : $"{rows.Count} time constant{(rows.Count == 1 ? " is" : "s are")} shorter than 4 DT: halve DT, or see what the integration-error check measures",
        };
    }

    /// <summary>Each draining stock's shortest residence time over the run: stock ÷ total outflow.</summary>
    private static IEnumerable<(string, double)> StockTimeConstants(SdModel model, SimulationResult run)
    {
        foreach (var stock in model.Variables.Where(v => v.Kind == VariableKind.Stock && v.Outflows.Count > 0))
        {
            var s = run[stock.Name];
            double scale = s.Max(Math.Abs), shortest = double.PositiveInfinity;
            var outflows = stock.Outflows.Select(f => run[f]).ToList();
            for (int i = 0; i < s.Length; i++)
            {
                double outflow = outflows.Sum(f => f[i]);
                if (outflow > 0 && s[i] > 1e-9 * scale) shortest = Math.Min(shortest, s[i] / outflow);
            }
            if (double.IsFinite(shortest))
                yield return ($"{stock.Name} drains through {string.Join(" + ", stock.Outflows)}", shortest);
        }
    }

    /// <summary>Each smooth's or delay's time per stage, from its time argument's lowest value over the run.</summary>
    private static IEnumerable<(string, double)> DelayTimeConstants(SdModel model, SimulationResult run)
    {
        double[] Series(string runName, string variable) =>
            runName.Length == 0 && run.TryGet(variable, out var series) ? series : throw new KeyNotFoundException($"no series '{variable}'");
        foreach (var variable in model.Variables.Where(v => v.Equation is not null && v.Kind != VariableKind.Stock))
        {
            var equation = variable.Equation!.Syntax;
            foreach (var call in Calls(equation).Where(c => Stages.ContainsKey(c.Function) && c.Args.Count > 1))
            {
                var time = Assertion.EvaluateSeries(call.Args[1], Series, run.Times);
                int stages = Stages[call.Function];
                if (stages < 0)
                    stages = call.Args.Count > 2 && Assertion.EvaluateSeries(call.Args[2], Series, run.Times) is [var n, ..] ? Math.Max(1, (int)Math.Round(n)) : 1;
                if (time is null || time.Length == 0) continue;
                yield return ($"{variable.Name}: {call.Written.ToUpperInvariant()} time / {stages} stage{(stages == 1 ? "" : "s")}", time.Min() / stages);
            }
        }
    }

    private static IEnumerable<CallExpr> Calls(Expr expr) => expr switch
    {
        CallExpr call => call.Args.SelectMany(Calls).Prepend(call),
        BinaryExpr b => Calls(b.Left).Concat(Calls(b.Right)),
        UnaryExpr u => Calls(u.Operand),
        IfExpr i => Calls(i.Condition).Concat(Calls(i.Then)).Concat(Calls(i.Else)),
        _ => [],
    };
}
