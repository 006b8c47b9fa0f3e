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

    public static SdModel Load(string path) => Load(path, []);

    /// <summary>
    /// Loads a model; <paramref name="dataFiles"/> (--data) feed a Vensim model's data variables, and only a .mdl
    /// model has those.
    /// </summary>
    public static SdModel Load(string path, IReadOnlyList<string> dataFiles)
    {
        var extension = Path.GetExtension(path);
        if (!Readers.TryGetValue(extension, out var read))
            throw new ModelException(DiagnosticCodes.UnknownFileType, $"cannot read model file '{path}': unknown extension '{extension}'.",
                hint: "Supported model files: " + string.Join(", ", Extensions) + ".");
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.FileNotFound, $"model file '{path}' not found.", hint: "Check the path (relative paths start from the current folder).");
        if (dataFiles.Count > 0)
        {
            if (!extension.Equals(".mdl", StringComparison.OrdinalIgnoreCase))
                throw new ModelException(DiagnosticCodes.DataOptionFileUnusable, $"--data feeds the data variables of Vensim .mdl models; '{path}' is not one",
                    hint: "Leave out --data, or give the data as a graphical function of TIME in the model.");
            return Mdl.MdlReader.Load(path, dataFiles);
        }
        return read(path);
    }
}
