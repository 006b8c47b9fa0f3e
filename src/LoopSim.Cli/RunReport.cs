using System.Globalization;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// report.html of <c>run</c> and <c>sweep</c>: the summary table, the charts that sum up every city (the same PNGs as in
/// charts/, embedded), the loop-dominance chart, and the scenario's assumptions: runs and seed, what the scenario and
/// each city set, what is uncertain and how, with the model's source for each figure.
/// </summary>
internal static class RunReport
{
    public static void Save(ScenarioPlan plan, string what, SummaryTable summary, IEnumerable<RunCharts.Written> charts, string path, CancellationToken cancel)
    {
        var scenario = plan.Scenario;
        var version = typeof(RunReport).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "";
        var setup = plan.Cities[0].Setup;
        var report = new HtmlReport($"{scenario.Title ?? scenario.Name} — {what}",
            $"{Path.GetFileName(scenario.Source.Path)} · {(plan.IsMonteCarlo ? $"{Output.Count(plan.Runs, "run", "runs")} per city, seed {setup.Seed}" : "one run per city")} · LoopSim {version}");
        if (scenario.Description is { } description) report.Paragraph(description);
        report.Heading("Summary").Table(summary);

        var shown = charts.Where(c => c.InReport).ToList();
        var dominance = shown.Where(c => Path.GetFileName(c.Path).StartsWith("loop-dominance-", StringComparison.Ordinal)).ToList();
        // The pages of every city first (variable by variable), then each city's composition, as they were queued per city.
        var pages = shown.Except(dominance).OrderBy(c => Path.GetFileName(c.Path).StartsWith("composition-", StringComparison.Ordinal)).ToList();
        if (pages.Count > 0) report.Heading("Charts").Images(pages.Select(c => (c.Title, c.Path)));
        if (dominance.Count > 0)
            report.Heading("Which loops dominate")
                .Paragraph("Loop scores over time in the city's single run with its own values (Loops That Matter; see `loopsim loops`): the loop with the largest share drives the behaviour at that time.")
                .Images(dominance.Select(c => (c.Title, c.Path)));

        report.Heading("Assumptions");
        report.Paragraph($"Model {Path.GetFileName(scenario.ModelPath)}, {scenario.Model.Specs.Start.ToString(CultureInfo.InvariantCulture)} to {scenario.Model.Specs.Stop.ToString(CultureInfo.InvariantCulture)} {scenario.Model.Specs.TimeUnits}, "
            + (plan.IsMonteCarlo ? $"{Output.Count(plan.Runs, "run", "runs")} per city ({setup.Sampling switch { Experiments.Sampling.SamplingMethod.LatinHypercube => "Latin hypercube", _ => "simple random" }} sampling), seed {setup.Seed}." : "each city run once with its own values."));
        if (scenario.Set.Count > 0)
            report.Table(["set by the scenario", "value", "the model's default and source"], scenario.Set.Select(s => Row(scenario.Model, s.Name, Number(s.Value))), "Policy");
        report.Table(["city", "values"], plan.Cities.Select(c => (IReadOnlyList<string>)[c.City.DisplayName,
            string.Join(", ", c.City.Set.Select(s => $"{s.Name} = {Number(s.Value)}"))]), "Cities");
        if (plan.IsMonteCarlo && setup.Uncertain.Count > 0)
            report.Table(["uncertain", "distribution", "the model's default and source"],
                setup.Uncertain.Select(u => Row(scenario.Model, u.Parameter, u.Distribution.ToString()!)), "Drawn per run");
        report.Save(path, cancel);
    }

    private static IReadOnlyList<string> Row(SdModel model, string name, string value)
    {
        var variable = model.Variables.FirstOrDefault(v => v.CanonicalName == Names.Canonical(name));
        var notes = variable is null ? "" : string.Join("; ", new[]
        {
            variable.Equation?.Text.Trim(),
            variable.Range is { } r ? $"range {Number(r.Min)}–{Number(r.Max)}" : null,
            variable.Source,
        }.Where(t => !string.IsNullOrWhiteSpace(t)));
        return [Output.Label(name), value, notes];
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
