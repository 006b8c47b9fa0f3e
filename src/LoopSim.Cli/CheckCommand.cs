using LoopSim.Engine.Diagnostics;
using System.CommandLine;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Validation;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim check SCENARIO|MODEL</c>: the validation suite (<see cref="ValidationSuite"/>): a table of what each check
/// tested, expected and measured, a pass/fail line per check, exit 1 when a check fails.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "A scenario (e.g. scenarios/alliance.yaml) or a model file (.xmile, .stmx, .yaml, .yml)." };
        var runs = new Option<int>("--runs", "-n")
        {
            Description = "Monte Carlo runs per named run for the reference modes' medians; 0 checks them on single runs only.",
            DefaultValueFactory = _ => new CheckSettings().MedianRuns,
        };
        var seed = new Option<ulong?>("--seed", "-s") { Description = "The Monte Carlo's seed; default: the scenario's 'seed'." };
        var threads = new Option<int>("--threads", "-t") { Description = "Worker threads; default: every core. Results do not depend on it.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cities = new Option<string[]>("--city") { Description = "Only this city (name or label; repeat for several). Default: every city." };
        var skip = new Option<string[]>("--skip") { Description = "Leave out a check by name: " + string.Join(", ", ValidationSuite.Checks.Select(c => $"'{c.Name}'")) + "." };
        var command = new Command("check", "Validate a model or scenario: mass balance, time constants, integration error, extreme conditions, reference modes, sensitivity.");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { runs, seed, threads, cities, skip }) command.Options.Add(option);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
        {
            if (parse.GetValue(runs) < 0) throw new ModelException(DiagnosticCodes.OptionInvalid, "--runs must be 0 or more.");
            ExperimentOptions.CheckedThreads(parse.GetValue(threads));
            var settings = new CheckSettings
            {
                MedianRuns = parse.GetValue(runs), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
                Cities = parse.GetValue(cities) ?? [], Skip = parse.GetValue(skip) ?? [],
            };
            return Run(parse.GetValue(target)!, settings, cancel);
        })));
        return command;
    }

    private static int Run(string path, CheckSettings settings, CancellationToken cancel)
    {
        var subject = CheckSubject.Load(path, settings);
        var reports = ValidationSuite.Run(subject, name => Console.Error.WriteLine($"checking {name}…"), cancel);

        var what = subject.Scenario is { } scenario
            ? $"check {path}: scenario '{scenario.Name}', model '{subject.Model.Name}', {Output.Count(subject.Cities.Count, "city", "cities")}"
            : $"check {path}: model '{subject.Model.Name}'";
        // The expectations are sentences: wrapped, a piped table stays readable instead of a thousand cells wide.
        var table = new SummaryTable(what, ["check", "result", "subject", "expected", "measured"]) { PlainWidth = 200 };
        foreach (var report in reports)
            for (int i = 0; i < report.Rows.Count; i++)
            {
                var row = report.Rows[i];
                table.AddRow(i == 0 ? report.Check : "", Word(row.Status), row.Subject, row.Expected, row.Measured);
            }
        table.Write(Output.Console());
        Console.WriteLine();
        foreach (var report in reports)
            Console.WriteLine($"{Word(report.Status),-4} {report.Check}: {report.Summary}");
        bool failed = reports.Any(r => r.Status == CheckStatus.Fail);
        Console.WriteLine(failed ? "check failed" : "check passed");
        return failed ? 1 : 0;
    }

    private static string Word(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Warn => "warn",
        CheckStatus.Fail => "FAIL",
        _ => "skip",
    };
}
