using System.Text;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.Mdl;

/// <summary>
/// The text of a Vensim .mdl file cut into its three parts: the equations, the sketch (views, from the
/// "\\\---///" line) and the settings after the sketch ("///---\\\"). Offsets into <see cref="Text"/> map to
/// line and column for messages.
/// </summary>
internal sealed class MdlSource
{
    /// <summary>The sketch starts at "\\\---///" (some files have two backslashes).</summary>
    private const string SketchMarker = "\\\\---///";
    private const string SettingsMarker = "///---\\\\\\";

    private readonly int[] _lineStarts;

    private MdlSource(string text, string? file)
    {
        Text = text;
        File = file;
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
                starts.Add(i + 1);
        _lineStarts = starts.ToArray();

        int sketch = FindLineStarting(SketchMarker);
        EquationsEnd = sketch < 0 ? text.Length : sketch;
        if (sketch >= 0)
        {
            int settings = text.IndexOf(SettingsMarker, sketch, StringComparison.Ordinal);
            Sketch = settings < 0 ? text[sketch..] : text[sketch..settings];
            Settings = settings < 0 ? "" : text[settings..];
        }
    }

    public string Text { get; }
    public string? File { get; }
    /// <summary>Where the equations end (the sketch marker, or the end of the file).</summary>
    public int EquationsEnd { get; }
    /// <summary>The views as written, from the sketch marker to the settings (empty when the file has none).</summary>
    public string Sketch { get; } = "";
    /// <summary>The settings block after the sketch (unit equivalents, the saved run's options), as written.</summary>
    public string Settings { get; } = "";

    /// <summary>Reads a .mdl file: UTF-8 when it says {UTF-8} (or has no marker: ASCII files read the same), else Windows Latin-1.</summary>
    public static MdlSource Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelException(DiagnosticCodes.FileUnreadable, $"cannot read the model file: {e.Message}", new SourceLocation(path, 0, 0));
        }
        return Parse(Decode(bytes), path);
    }

    public static MdlSource Parse(string text, string? file = null) => new(text, file);

    /// <summary>
    /// Vensim writes {UTF-8} on the first line of files in UTF-8; older files are in the platform's 8-bit code page.
    /// Bytes that are not valid UTF-8 are read as Latin-1, which keeps every byte as one character.
    /// </summary>
    private static string Decode(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    public SourceLocation At(int offset)
    {
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new SourceLocation(File, line + 1, offset - _lineStarts[line] + 1);
    }

    private int FindLineStarting(string marker)
    {
        foreach (int start in _lineStarts)
        {
            int i = start;
            while (i < Text.Length && (Text[i] == ' ' || Text[i] == '\t')) i++;
            while (i + 2 < Text.Length && Text[i] == '\\' && Text[i + 1] == '\\' && Text[i + 2] == '\\') i++;
            if (string.CompareOrdinal(Text, i, marker, 0, marker.Length) == 0) return start;
        }
        return -1;
    }
}
