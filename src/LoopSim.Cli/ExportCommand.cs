using System.CommandLine;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Cli;

/// <summary>`loopsim export MODEL --to xmile [--output FILE]`: writes a model in another format, e.g. to open it in Stella.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The model file (.yaml, .yml, .xmile, .stmx, .mdl)." };
        var to = new Option<string>("--to") { Description = "The format to write.", Required = true };
        to.AcceptOnlyFromAmong("xmile");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write; default: the model's path with the .xmile extension." };

        var command = new Command("export", "Write a model in another format (XMILE 1.0, readable by other SD tools).");
        command.Arguments.Add(model);
        command.Options.Add(to);
        command.Options.Add(output);
        command.SetAction(parse => Commands.Guard(() =>
        {
            var modelPath = parse.GetValue(model)!;
            var outputPath = parse.GetValue(output) ?? Path.ChangeExtension(modelPath, ".xmile");
            if (Path.GetFullPath(outputPath) == Path.GetFullPath(modelPath))
                throw new ModelException(DiagnosticCodes.OutputUnusable, $"exporting '{modelPath}' would overwrite it.", hint: "Name another file with --output.");
            XmileWriter.Save(ModelLoader.Load(modelPath), outputPath);
            Console.WriteLine($"wrote {outputPath}");
            return 0;
        }));
        return command;
    }
}
