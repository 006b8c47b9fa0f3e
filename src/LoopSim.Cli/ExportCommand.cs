using System.CommandLine;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;

namespace LoopSim.Cli;

/// <summary>
/// `loopsim export MODEL|SCENARIO [--city NAME] [--to xmile] [--output FILE]`: writes a model in another format, e.g. to open it
/// in Stella or PySD. From a scenario, the model with the scenario's and the city's values applied, as the city's deterministic
/// run uses them: each set variable becomes that constant (its graphical function, if any, dropped), exactly as the compiler
/// applies the settings, so the exported model runs to the same numbers.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("model") { Description = "The model file (.yaml, .yml, .xmile, .stmx, .mdl), or a scenario file (then --city picks the city)." };
        var to = new Option<string>("--to") { Description = "The format to write.", DefaultValueFactory = _ => "xmile" };
        to.AcceptOnlyFromAmong("xmile");
        var city = new Option<string?>("--city") { Description = "With a scenario: the city whose values apply (name or label; default: the first city)." };
        var output = new Option<string?>("--output", "-o") { Description = "The file to write; default: the model's path with the .xmile extension, or out/SCENARIO-CITY.xmile." };
        var data = DataOption.Create();

        var command = new Command("export", "Write a model (or a scenario's model with one city's values) in another format: XMILE 1.0, readable by other SD tools.");
        command.Arguments.Add(source);
        command.Options.Add(to);
        command.Options.Add(city);
        command.Options.Add(output);
        command.Options.Add(data);
        command.SetAction(parse => Commands.Guard(() =>
        {
            var path = parse.GetValue(source)!;
            bool isScenario = LoopsCommand.IsScenario(path);
            var outputPath = parse.GetValue(output) ?? (isScenario ? null : Path.ChangeExtension(path, ".xmile"));
            if (outputPath is not null && Path.GetFullPath(outputPath) == Path.GetFullPath(path))
                throw new ModelException(DiagnosticCodes.OutputUnusable, $"exporting '{path}' would overwrite it.", hint: "Name another file with --output.");
            var target = LoopsCommand.Resolve(path, parse.GetValue(city), DataOption.Read(parse, data));
            var model = target.Model;
            if (target.Overrides is { } overrides)
            {
                Apply(model, overrides);
                model.Name = target.Name;
                outputPath ??= Path.Combine("out", target.Name + ".xmile");
                if (Path.GetFullPath(outputPath) == Path.GetFullPath(target.ModelPath))
                    throw new ModelException(DiagnosticCodes.OutputUnusable, $"exporting '{path}' would overwrite its model '{target.ModelPath}'.", hint: "Name another file with --output.");
            }
            var file = outputPath ?? Path.ChangeExtension(path, ".xmile");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            XmileWriter.Save(model, file);
            Console.WriteLine($"wrote {file}");
            return 0;
        }));
        return command;
    }

    /// <summary>Each setting replaces its variable's equation by the constant, as the compiler's overrides do.</summary>
    private static void Apply(SdModel model, IReadOnlyDictionary<string, double> overrides)
    {
        foreach (var (name, value) in overrides)
        {
            var variable = model.Variables.First(v => v.CanonicalName == Names.Canonical(name));
            variable.Equation = Equation.Constant(value);
            variable.Graph = null;
        }
    }
}
