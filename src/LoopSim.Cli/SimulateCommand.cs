using System.CommandLine;
using System.Globalization;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>`loopsim simulate MODEL`: one deterministic run; a CSV of every variable, or a summary table.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The model file (.xmile, .stmx, .mdl, .yaml, .yml)." };
        var set = new Option<string[]>("--set") { Description = "Replace a variable by a constant: NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var method = new Option<string?>("--method") { Description = "Integration method, overriding the model's: euler, rk2 or rk4." };
        method.AcceptOnlyFromAmong("euler", "rk2", "rk4");
        var dt = new Option<double?>("--dt") { Description = "Time step, overriding the model's." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random functions (UNIFORM, NORMAL, …).", DefaultValueFactory = _ => 42 };
        var output = new Option<string?>("--output", "-o") { Description = "Write every variable at every save time to this CSV file." };
        var strict = StrictOption.Create();
        var data = DataOption.Create();

        var command = new Command("simulate", "Run one model once and write its results (CSV) or print a summary.");
        command.Arguments.Add(model);
        command.Options.Add(set);
        command.Options.Add(method);
        command.Options.Add(dt);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.Options.Add(strict);
        command.Options.Add(data);
        command.SetAction(parse => Commands.Guard(() =>
        {
            var options = new CompileOptions
            {
                Method = parse.GetValue(method) is { } m ? Enum.Parse<IntegrationMethod>(m, ignoreCase: true) : null,
                Dt = parse.GetValue(dt),
                Overrides = ParseSettings(parse.GetValue(set) ?? Array.Empty<string>()),
            };
            var source = ModelLoader.Load(parse.GetValue(model)!, DataOption.Read(parse, data));
            var compiled = ModelCompiler.Compile(source, options);
            Output.WarnUnits(source);
            var result = compiled.Run(seed: parse.GetValue(seed));
            StrictOption.Report(result.FirstNonFinite() is { } nonFinite ? [nonFinite.Warning(location: new SourceLocation(parse.GetValue(model), 0, 0))] : [], parse.GetValue(strict));
            if (parse.GetValue(output) is { } path)
            {
                TimeSeriesTable(result).Save(path);
                Console.WriteLine($"wrote {path}: {result.Names.Count} variables at {result.Times.Length} times");
            }
            else
                Summary(result, compiled).Write(Output.Console());
            return 0;
        }));
        return command;
    }

    /// <summary>NAME=VALUE pairs; a malformed one is bad input.</summary>
    internal static Dictionary<string, double> ParseSettings(IEnumerable<string> settings)
    {
        var result = new Dictionary<string, double>();
        foreach (var setting in settings)
        {
            int eq = setting.IndexOf('=');
            if (eq <= 0 || !double.TryParse(setting[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new ModelException(DiagnosticCodes.SetMalformed, $"--set '{setting}' is not NAME=VALUE with a number", hint: "Write e.g. --set \"Birth Rate=0.03\".");
            result[setting[..eq].Trim()] = value;
        }
        return result;
    }

    private static CsvTable TimeSeriesTable(SimulationResult result)
    {
        var header = new[] { "time" }.Concat(result.Names.Select(Names.Display));
        return new CsvTable(header, Enumerable.Range(0, result.Times.Length).Select(i =>
            new[] { CsvCell.FromNumber(result.Times[i]) }.Concat(result.Series.Select(s => CsvCell.FromNumber(s[i]))).ToArray()));
    }

    private static SummaryTable Summary(SimulationResult result, CompiledModel compiled)
    {
        var specs = compiled.Specs;
        // Constants would only repeat the model file: the table shows what changes.
        var stocks = compiled.Source.Variables.Where(v => v.Kind == VariableKind.Stock).Select(v => v.CanonicalName).ToHashSet();
        var constants = compiled.ParameterNames.Select(Names.Canonical).Where(n => !stocks.Contains(n)).ToHashSet();
        var shown = Enumerable.Range(0, result.Names.Count).Where(k => !constants.Contains(Names.Canonical(result.Names[k]))).ToList();
        var table = new SummaryTable(
            $"{compiled.Source.Name}: {specs.Method}, dt {specs.Dt.ToString(CultureInfo.InvariantCulture)}, t = {result.Times[0].ToString(CultureInfo.InvariantCulture)}…{result.Times[^1].ToString(CultureInfo.InvariantCulture)} {specs.TimeUnits} ({result.Names.Count - shown.Count} constants not shown)",
            new[] { "variable", "start", "end", "min", "max" });
        foreach (var k in shown)
        {
            var s = result.Series[k];
            table.AddRow(Names.Display(result.Names[k]), s[0], s[^1], s.Min(), s.Max());
        }
        return table;
    }
}
