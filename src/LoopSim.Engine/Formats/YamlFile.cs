using System.Globalization;
using LoopSim.Engine.Model;
using LoopSim.Engine.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Engine.Formats;

/// <summary>
/// One parsed YAML file (model, scenario or city list). It turns nodes into typed values and every
/// problem into a <see cref="ModelException"/> that names the file, line and column, so the readers
/// built on it never lose track of where a value was written.
/// </summary>
public sealed class YamlFile
{
    private readonly string[] _lines;

    private YamlFile(string? path, YamlNode? root, string text)
    {
        Path = path;
        Root = root;
        _lines = text.Split('\n');
    }

    /// <summary>The file as named by the caller; null for text parsed from memory.</summary>
    public string? Path { get; }

    /// <summary>The document's root node; null when the file holds no document.</summary>
    public YamlNode? Root { get; }

    /// <summary>Reads and parses a file; a missing file is a <see cref="ModelException"/> naming <paramref name="what"/>.</summary>
    public static YamlFile Load(string path, string what = "file")
    {
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.FileNotFound, $"{what} '{path}' not found.", hint: "Check the path (relative paths start from the current folder).");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses YAML text; syntax errors become a <see cref="ModelException"/> at their line and column.</summary>
    public static YamlFile Parse(string text, string? path = null)
    {
        var scanner = new Scanner(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new ModelException(DiagnosticCodes.YamlSyntax, "YAML syntax error: " + e.Message, new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column),
                hint: "Check indentation (spaces, not tabs), colons after keys, and closing brackets and quotes.");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, without a YamlException, on an unclosed [ or { at the end of a line.
            var at = scanner.CurrentPosition;
            throw new ModelException(DiagnosticCodes.YamlSyntax, "YAML syntax error: a [ ] or { } collection is not closed.", new SourceLocation(path, (int)at.Line, (int)at.Column),
                hint: "Close the bracket on the line where it opens, or write the list as '- item' lines.");
        }
        if (stream.Documents.Count > 1)
            throw new ModelException(DiagnosticCodes.YamlManyDocuments, "the file holds more than one YAML document ('---'); write one document per file.",
                new SourceLocation(path, (int)stream.Documents[1].RootNode.Start.Line, (int)stream.Documents[1].RootNode.Start.Column));
        return new YamlFile(path, stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode, text);
    }

    public SourceLocation Locate(YamlNode node) => new(Path, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>
    /// Where a scalar's text itself starts, so that an offset into the text (an equation error) maps to the file:
    /// past the opening quote of a quoted scalar, and on the first content line of a '|' or '>' block.
    /// </summary>
    public SourceLocation LocateText(YamlNode node)
    {
        var at = Locate(node);
        switch ((node as YamlScalarNode)?.Style)
        {
            case ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted:
                return at with { Column = at.Column + 1 };
            case ScalarStyle.Literal or ScalarStyle.Folded:
                for (int i = at.Line; i < _lines.Length; i++) // _lines[at.Line] is the line after the indicator
                    if (_lines[i].Trim().Length > 0)
                        return new SourceLocation(Path, i + 1, _lines[i].Length - _lines[i].TrimStart().Length + 1);
                return at;
            default:
                return at;
        }
    }

    /// <summary>An error at a node, ready to throw or to collect.</summary>
    public ModelException Error(YamlNode node, DiagnosticCode code, string message, string? hint = null, string? variable = null) =>
        new(code, message, Locate(node), variable, hint);

    /// <summary>True for an empty value, '~' or 'null' (unquoted): an optional field left blank.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
        && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, DiagnosticCodes.WrongShape, $"{what} must be a mapping of 'key: value' lines, not {Describe(node)}.");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, DiagnosticCodes.WrongShape, $"{what} must be a list ([a, b] or '- item' lines), not {Describe(node)}.");

    /// <summary>A scalar's text, trimmed; empty or null values are an error.</summary>
    public string Text(YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar)
            throw Error(node, DiagnosticCodes.WrongShape, $"{what} must be a single value, not {Describe(node)}.",
                hint: "Quote the text if it contains ': ', '[' or '{', or use a '>' block for long text.");
        var text = (scalar.Value ?? "").Trim();
        if (text.Length == 0 || IsNull(node)) throw Error(node, DiagnosticCodes.ValueMissing, $"{what} is empty.");
        return text;
    }

    /// <summary>A finite number; a fraction such as 1/4 is accepted too.</summary>
    public double Number(YamlNode node, string what)
    {
        var text = Text(node, what);
        if (TryParseNumber(text, out var value, out var tooLarge)) return value;
        if (tooLarge) throw new ModelException(ModelValidator.TooLarge(text, Locate(node)));
        throw Error(node, DiagnosticCodes.WrongValueType, $"{what} must be a number, not '{text}'.", hint: "Write digits with a '.' decimal point, e.g. 0.25 or 1/4.");
    }

    public int Integer(YamlNode node, string what)
    {
        var text = Text(node, what);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        throw Error(node, DiagnosticCodes.WrongValueType, $"{what} must be a whole number, not '{text}'.");
    }

    public bool Boolean(YamlNode node, string what)
    {
        var text = Text(node, what);
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        throw Error(node, DiagnosticCodes.WrongValueType, $"{what} must be true or false, not '{text}'.");
    }

    /// <summary>A single name or a list of names (each a non-empty scalar).</summary>
    public IReadOnlyList<(string Name, YamlNode Node)> NameList(YamlNode node, string what)
    {
        if (node is YamlScalarNode) return [(Text(node, what), node)];
        return Sequence(node, what).Children.Select(item => (Text(item, "an entry of " + what), item)).ToList();
    }

    /// <summary>
    /// The entries of a mapping whose keys must be among <paramref name="allowed"/> (exact spelling). An unknown key
    /// is an error naming the closest allowed key and the full list.
    /// </summary>
    public YamlFields Fields(YamlNode node, string what, IReadOnlyList<string> allowed)
    {
        var map = Mapping(node, what);
        var fields = new Dictionary<string, (YamlScalarNode Key, YamlNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = KeyText(keyNode, what);
            if (!allowed.Contains(key))
            {
                var close = Names.Suggest(key, allowed, 1);
                throw Error(keyNode, DiagnosticCodes.UnknownKey, $"unknown key '{key}' in {what}.",
                    (close.Count > 0 ? $"Did you mean '{close[0]}'? " : "") + "Allowed keys: " + string.Join(", ", allowed) + ".");
            }
            fields[key] = ((YamlScalarNode)keyNode, value);
        }
        return new YamlFields(this, map, what, fields);
    }

    /// <summary>The entries of a mapping whose keys are names chosen by the author (variables, overrides).</summary>
    public IReadOnlyList<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Entries(YamlNode node, string what)
    {
        if (IsNull(node)) return [];
        return Mapping(node, what).Children.Select(kv => (KeyText(kv.Key, what), (YamlScalarNode)kv.Key, kv.Value)).ToList();
    }

    /// <summary>A finite number, or a fraction such as 1/4; <paramref name="tooLarge"/> tells a number beyond a double's range (1e400).</summary>
    internal static bool TryParseNumber(string text, out double value, out bool tooLarge)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) return ModelValidator.TryParseNumber(text, out value, out tooLarge);
        bool isFraction = ModelValidator.TryParseNumber(text[..slash], out var numerator, out var numeratorTooLarge)
                          & ModelValidator.TryParseNumber(text[(slash + 1)..], out var denominator, out var denominatorTooLarge);
        value = numerator / denominator;
        tooLarge = numeratorTooLarge || denominatorTooLarge || (isFraction && denominator != 0 && double.IsInfinity(value));
        return isFraction && double.IsFinite(value);
    }

    private string KeyText(YamlNode keyNode, string what) => keyNode is YamlScalarNode
        ? Text(keyNode, "a key in " + what)
        : throw Error(keyNode, DiagnosticCodes.WrongShape, $"a key in {what} must be a plain name, not {Describe(keyNode)}.");

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "an empty value",
        YamlScalarNode s => $"the value '{s.Value}'",
        _ => "this node",
    };
}

/// <summary>The checked fields of one mapping: look-ups by key, with errors located at the mapping.</summary>
public sealed class YamlFields
{
    private readonly YamlFile _file;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _fields;

    internal YamlFields(YamlFile file, YamlMappingNode mapping, string what, Dictionary<string, (YamlScalarNode, YamlNode)> fields)
    {
        _file = file;
        _fields = fields;
        Mapping = mapping;
        What = what;
    }

    public YamlMappingNode Mapping { get; }
    /// <summary>What the mapping is, for messages ("stock 'Active'").</summary>
    public string What { get; }

    /// <summary>The value of a key, or null when the key is absent or left blank.</summary>
    public YamlNode? Get(string key) =>
        _fields.TryGetValue(key, out var field) && !YamlFile.IsNull(field.Value) ? field.Value : null;

    /// <summary>The key node itself, for locating a problem with the entry as a whole.</summary>
    public YamlNode? KeyNode(string key) => _fields.TryGetValue(key, out var field) ? field.Key : null;

    public YamlNode Require(string key, string? hint = null) =>
        Get(key) ?? throw _file.Error(KeyNode(key) ?? (YamlNode)Mapping, DiagnosticCodes.ValueMissing, $"{What} needs '{key}'.", hint);

    public string? Text(string key) => Get(key) is { } node ? _file.Text(node, $"'{key}' of {What}") : null;
    public double? Number(string key) => Get(key) is { } node ? _file.Number(node, $"'{key}' of {What}") : null;
    public int? Integer(string key) => Get(key) is { } node ? _file.Integer(node, $"'{key}' of {What}") : null;
    public bool? Boolean(string key) => Get(key) is { } node ? _file.Boolean(node, $"'{key}' of {What}") : null;
}
