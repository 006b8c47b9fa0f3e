using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats;

/// <summary>Loads a model file with the reader its extension names; the one entry point the CLI and scenarios use.</summary>
public static class ModelLoader
{
    private static readonly Dictionary<string, Func<string, SdModel>> Readers = new(StringComparer.OrdinalIgnoreCase)
    {
        [".yaml"] = YamlModelReader.Load,
        [".yml"] = YamlModelReader.Load,
        [".xmile"] = XmileReader.Load,
        [".stmx"] = XmileReader.Load,
        [".mdl"] = Mdl.MdlReader.Load,
    };

    /// <summary>The extensions <see cref="Load"/> understands, with the dot.</summary>
    public static IReadOnlyCollection<string> Extensions => Readers.Keys;

    public static SdModel Load(string path)
    {
        var extension = Path.GetExtension(path);
        if (!Readers.TryGetValue(extension, out var read))
            throw new ModelException(DiagnosticCodes.UnknownFileType, $"cannot read model file '{path}': unknown extension '{extension}'.",
                hint: "Supported model files: " + string.Join(", ", Extensions) + ".");
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.FileNotFound, $"model file '{path}' not found.", hint: "Check the path (relative paths start from the current folder).");
        return read(path);
    }
}
