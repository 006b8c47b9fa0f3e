using System.CommandLine;
using System.Globalization;
using System.Text;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Calibration;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>loopsim calibrate MODEL-or-SCENARIO --data observed.csv --fit NAME=LOW..HIGH ...</c>: fits parameters to observed
/// time series; fit.csv with Hessian intervals, series.csv and fit charts, the fitted scenario (fitted.yaml) and,
/// with --mcmc, the posterior draws (posterior.csv) that fitted.yaml's Monte Carlo samples.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("model-or-scenario") { Description = "A model (.yaml, .xmile, .stmx) or a scenario file (then one city: --city, default the first)." };
        var data = new Option<string>("--data", "-d") { Description = "Observed CSV: a 'time' column and one column per observed variable, named as in the model; empty or NA is missing.", Required = true };
        var fit = new Option<string[]>("--fit", "-f") { Description = "A parameter to fit and its range: NAME=LOW..HIGH; repeat.", Required = true };
        var payoff = new Option<string>("--payoff")
        {
            Description = "gaussian: normal errors with an unknown sd per variable (default); poisson: counts; sse: weighted sum of squares (--weight).",
            DefaultValueFactory = _ => "gaussian",
        };
        payoff.AcceptOnlyFromAmong("gaussian", "poisson", "sse");
        var weights = new Option<string[]>("--weight") { Description = "With --payoff sse: a column's weight, COLUMN=W (default 1); repeat." };
        var starts = new Option<int>("--starts") { Description = "Optimiser starts, a Latin hypercube over the ranges (default 8).", DefaultValueFactory = _ => 8 };
        var mcmc = new Option<int>("--mcmc") { Description = "Generations of the DE-MC posterior sampler (0: none; e.g. 2000). Writes posterior.csv, which fitted.yaml samples.", DefaultValueFactory = _ => 0 };
        var chains = new Option<int>("--chains") { Description = "DE-MC chains (even, at least 4; default 16).", DefaultValueFactory = _ => 16 };
        var options = new AnalysisOptions("calibrate");
        var command = new Command("calibrate", "Fit parameters of a model or scenario to observed time series: best fit with intervals, fit charts, the fitted scenario, optionally the posterior.");
        command.Arguments.Add(target);
        command.Options.Add(data);
        command.Options.Add(fit);
        command.Options.Add(payoff);
        command.Options.Add(weights);
        command.Options.Add(starts);
        command.Options.Add(mcmc);
        command.Options.Add(chains);
        options.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
        {
            var ranges = parse.GetValue(fit)!.Select(f => ParameterRange.Parse(f, "--fit")).ToList();
            if (ranges.FirstOrDefault(r => !r.HasRange) is { } bare)
                throw new ModelException(DiagnosticCodes.ParameterRangeMalformed, $"--fit '{bare.Parameter}' has no range.", variable: bare.Parameter, hint: $"Write --fit {bare.Parameter}=LOW..HIGH.");
            var calibration = new CalibrationOptions
            {
                Payoff = parse.GetValue(payoff) switch { "poisson" => Payoff.Poisson, "sse" => Payoff.Sse, _ => Payoff.Gaussian },
                Weights = (parse.GetValue(weights) ?? []).Select(Weight).ToDictionary(),
                Starts = parse.GetValue(starts),
                Generations = parse.GetValue(mcmc),
                Chains = parse.GetValue(chains),
            };
            var subject = Subject.Load(parse, options, parse.GetValue(target)!);
            var observed = ObservedData.Load(parse.GetValue(data)!);
            var setup = new AnalysisSetup
            {
                City = subject.City,
                CityParameters = subject.CityParameters,
                Parameters = ranges.Select(r => r.Uniform()).ToList(),
                Seed = parse.GetValue(options.Seed) ?? subject.Seed,
                Threads = parse.GetValue(options.Threads),
            };
            ExperimentOptions.CheckedThreads(setup.Threads);
            return Run(subject, setup, observed, calibration, options.Folder(parse, subject.Name), !parse.GetValue(options.NoCharts), cancel);
        })));
        return command;
    }

    private static KeyValuePair<string, double> Weight(string text)
    {
        int equals = text.IndexOf('=');
        if (equals <= 0 || !double.TryParse(text[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !(w > 0) || !double.IsFinite(w))
            throw new ModelException(DiagnosticCodes.OptionInvalid, $"--weight '{text}' is not COLUMN=W with W > 0.", hint: "For example --weight members=0.1.");
        return new(text[..equals].Trim(), w);
    }

    /// <summary>What is calibrated: a model on its own, or one city of a scenario (its settings on top of the model's).</summary>
    private sealed record Subject(string Name, string ModelPath, SdModel Source, CompiledModel Model, string City, string? CityLabel,
        IReadOnlyDictionary<string, double> CityParameters, ulong Seed)
    {
        public static Subject Load(ParseResult parse, AnalysisOptions options, string path)
        {
            if (!File.Exists(path))
                throw new ModelException(DiagnosticCodes.FileNotFound, $"file '{path}' not found.", hint: "Give a model (.yaml, .xmile, .stmx) or a scenario file.");
            if (IsScenario(path))
            {
                var plan = options.Plan(parse, path);
                if ((parse.GetValue(options.Cities) ?? []).Length > 1)
                    throw new ModelException(DiagnosticCodes.OptionInvalid, "calibrate fits one city at a time.", hint: "Give one --city (default: the scenario's first).");
                var city = plan.Cities[0];
                return new Subject(plan.Scenario.Name, plan.Scenario.ModelPath, plan.Scenario.Model, city.Model, city.City.Name, city.City.Label,
                    city.Setup.CityParameters, city.Setup.Seed);
            }
            var model = ModelLoader.Load(path);
            return new Subject(model.Name, Path.GetFullPath(path), model, ModelCompiler.Compile(model), model.Name, null, new Dictionary<string, double>(), 42);
        }

        /// <summary>A scenario file names its model at the top level; a model file does not.</summary>
        private static bool IsScenario(string path) =>
            Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml"
            && File.ReadLines(path).Any(line => line.StartsWith("model:", StringComparison.Ordinal) && line.Contains('.'));
    }

    private static int Run(Subject subject, AnalysisSetup setup, ObservedData data, CalibrationOptions options, OutputChoice output, bool charts, CancellationToken cancel)
    {
        Calibrator.Check(subject.Model, setup, data, options);
        using var folder = output.Open();
        CalibrationResult result;
        var what = $"{subject.Name}: fitting {Output.Count(setup.Parameters.Count, "parameter", "parameters")} to {Path.GetFileName(data.Path)}";
        using (var progress = Output.Progress(what, Calibrator.Steps(options), "steps"))
            result = Calibrator.Run(subject.Model, setup, data, options, new RunsProgress(progress), cancel);

        var files = new List<string> { "fit.csv", "series.csv", "fitted.yaml" };
        new CsvTable(["parameter", "value", "std_error", "low", "high", "range_low", "range_high", "posterior_mean", "posterior_low", "posterior_high"],
            result.Parameters.Select(p => new CsvCell[] { p.Parameter, p.Value, p.StdError, p.Low, p.High, p.RangeLow, p.RangeHigh, p.PosteriorMean, p.PosteriorLow, p.PosteriorHigh }))
            .Save(folder.PathFor("fit.csv"), cancel);
        new CsvTable(["column", "variable", "time", "fitted", "posterior_p5", "posterior_p50", "posterior_p95", "observed"],
            result.Series.SelectMany(s => s.Times.Select((t, i) => new CsvCell[] { s.Column, s.Variable, t, s.Fitted[i],
                s.P5?[i] ?? double.NaN, s.P50?[i] ?? double.NaN, s.P95?[i] ?? double.NaN, Observed(s, t) })))
            .Save(folder.PathFor("series.csv"), cancel);
        if (result.Posterior is { } posterior)
        {
            int p = result.Parameters.Count;
            new CsvTable(result.Parameters.Select(f => f.Parameter),
                Enumerable.Range(0, result.Draws).Select(d => Enumerable.Range(0, p).Select(j => (CsvCell)posterior[d * p + j]).ToArray()))
                .Save(folder.PathFor("posterior.csv"), cancel);
            files.Add("posterior.csv");
        }
        AtomicFile.WriteAllBytes(folder.PathFor("fitted.yaml"), Encoding.UTF8.GetBytes(FittedScenario(subject, setup, data, result, folder.Target)), cancel);

        int chartCount = 0;
        if (charts)
        {
            var writer = Output.Charts([], [], ["fitted"]);
            var time = new Quantity("Time", subject.Source.Specs.TimeUnits);
            var list = result.Series.Select(s =>
            {
                var units = subject.Source.Variables.FirstOrDefault(v => v.CanonicalName == Names.Canonical(s.Variable))?.Units;
                Band? band = s.P5 is null ? null : new Band(s.Times, s.P50!, s.P5, s.P50!, s.P50!, s.P50!, s.P95!);
                var chart = new FitChart($"{Output.Label(s.Variable)}: fitted {subject.Name} against {Path.GetFileName(data.Path)}", time,
                    new Quantity(Output.Label(s.Variable), Output.Units(units)), new Series("fitted", s.Times, s.Fitted), new Series("observed", s.DataTimes, s.Data), band);
                return (Action)(() => writer.Save(folder.PathFor(Path.Combine("charts", $"fit-{Output.Slug(s.Column)}.png")), chart, cancel));
            }).ToList();
            Output.RenderAll(list, setup.Threads, cancel);
            chartCount = list.Count;
        }
        folder.Commit(cancel);

        Table(subject, data, result).Write(Output.Console());
        Output.Wrote(output.Name, files, chartCount);
        return 0;
    }

    private static double Observed(FittedSeries s, double time)
    {
        for (int i = 0; i < s.DataTimes.Length; i++)
            if (Math.Abs(s.DataTimes[i] - time) <= 1e-9 * Math.Max(1, Math.Abs(time))) return s.Data[i];
        return double.NaN;
    }

    private static SummaryTable Table(Subject subject, ObservedData data, CalibrationResult result)
    {
        bool posterior = result.Posterior is not null;
        var title = $"{subject.Name} fitted to {Path.GetFileName(data.Path)}: {result.Observations} observations, {result.Kind.ToString().ToLowerInvariant()} payoff {NumberFormat.Readable(result.Payoff)}, {NumberFormat.Readable(result.Evaluations)} runs"
            + (posterior ? $", DE-MC acceptance {result.Acceptance:P0}" : "");
        var table = new SummaryTable(title, posterior
            ? ["parameter", "fitted", "95% (Hessian)", "posterior mean", "95% (posterior)", "range"]
            : ["parameter", "fitted", "95% (Hessian)", "range"]);
        foreach (var p in result.Parameters)
        {
            // An interval past the fitted range means the data hardly constrain the parameter there: say so rather than print it.
            var wald = !double.IsFinite(p.StdError) ? "not identified (flat)"
                : p.Low < p.RangeLow || p.High > p.RangeHigh ? "wider than the range: weakly identified"
                : NumberFormat.Range(p.Low, p.High);
            if (posterior) table.AddRow(p.Parameter, p.Value, wald, p.PosteriorMean, NumberFormat.Range(p.PosteriorLow, p.PosteriorHigh), NumberFormat.Range(p.RangeLow, p.RangeHigh));
            else table.AddRow(p.Parameter, p.Value, wald, NumberFormat.Range(p.RangeLow, p.RangeHigh));
        }
        return table;
    }

    /// <summary>
    /// The fitted scenario: the model, the subject's settings and the fitted values, one city; with a posterior, the fitted
    /// parameters are sampled from posterior.csv instead of set (a parameter is either set or uncertain).
    /// </summary>
    private static string FittedScenario(Subject subject, AnalysisSetup setup, ObservedData data, CalibrationResult result, string target)
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var fitted = result.Parameters.Select(p => p.Parameter).ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Written by loopsim calibrate: {subject.Name} fitted to {Path.GetFileName(data.Path)} ({result.Observations} observations, {result.Kind.ToString().ToLowerInvariant()} payoff).\n");
        text.Append(CultureInfo.InvariantCulture, $"scenario: {subject.Name}-fitted\n");
        text.Append(CultureInfo.InvariantCulture, $"model: {Yaml(Path.GetRelativePath(target, subject.ModelPath).Replace('\\', '/'))}\n");
        var set = subject.CityParameters.Where(kv => !fitted.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value)).ToList();
        if (result.Posterior is null) set.AddRange(result.Parameters.Select(p => (p.Parameter, p.Value)));
        if (set.Count > 0)
        {
            text.Append("set:\n");
            foreach (var (name, value) in set) text.Append(CultureInfo.InvariantCulture, $"  {Yaml(name)}: {N(value)}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"cities:\n  - name: {Yaml(subject.City)}\n");
        if (subject.CityLabel is { } label) text.Append(CultureInfo.InvariantCulture, $"    label: {Yaml(label)}\n");
        text.Append(CultureInfo.InvariantCulture, $"report: [{string.Join(", ", result.Series.Select(s => Yaml(s.Variable)).Distinct())}]\n");
        text.Append(CultureInfo.InvariantCulture, $"seed: {setup.Seed}\n");
        if (result.Posterior is not null)
        {
            text.Append("# Each Monte Carlo run takes one row of the posterior draws: the fitted parameters with their joint uncertainty.\n");
            text.Append("runs: 1000\nposterior: posterior.csv\n");
        }
        return text.ToString();
    }

    private static string Yaml(string text) => text.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/') ? text : "\"" + text.Replace("\"", "\\\"") + "\"";
}
