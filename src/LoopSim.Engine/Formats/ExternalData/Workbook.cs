using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using ExcelDataReader;
using LoopSim.Engine.Diagnostics;

namespace LoopSim.Engine.Formats.ExternalData;

/// <summary>
/// A problem with an external data file (a spreadsheet, .csv or .tab a model reads): its code, what is wrong, where
/// in the file, and the fix. The model reader turns it into a diagnostic at the equation that reads the file.
/// </summary>
public sealed class ExternalDataException(DiagnosticCode code, string message, string hint) : Exception(message)
{
    public DiagnosticCode Code { get; } = code;
    public string Hint { get; } = hint;
}

/// <summary>A rectangle of cells, from 0: first row and column, and the number of rows and columns.</summary>
public readonly record struct CellRange(int Row, int Column, int Rows, int Columns)
{
    /// <summary>"B5" → row 4, column 1; "$C$5" too; null when the text is not a cell reference.</summary>
    public static (int Row, int Column)? ParseCell(string text)
    {
        var s = text.Replace("$", "", StringComparison.Ordinal).Trim();
        int i = 0, column = 0;
        while (i < s.Length && char.IsAsciiLetter(s[i]))
        {
            column = column * 26 + (char.ToUpperInvariant(s[i]) - 'A' + 1);
            i++;
        }
        if (i == 0 || i > 3 || i == s.Length) return null;
        if (!int.TryParse(s.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out var row) || row < 1) return null;
        return (row - 1, column - 1);
    }

    /// <summary>A column's letters ("C", "AB") → its number from 0; null when the text is not one.</summary>
    public static int? ParseColumn(string text)
    {
        var s = text.Trim();
        if (s.Length is 0 or > 3 || !s.All(char.IsAsciiLetter)) return null;
        return s.Aggregate(0, (n, c) => n * 26 + (char.ToUpperInvariant(c) - 'A' + 1)) - 1;
    }

    /// <summary>A cell's name as a spreadsheet shows it: row 4, column 1 → "B5".</summary>
    public static string Name(int row, int column)
    {
        var letters = "";
        for (int c = column + 1; c > 0; c = (c - 1) / 26) letters = (char)('A' + (c - 1) % 26) + letters;
        return letters + (row + 1).ToString(CultureInfo.InvariantCulture);
    }

    public override string ToString() => Rows == 1 && Columns == 1 ? Name(Row, Column) : $"{Name(Row, Column)}:{Name(Row + Rows - 1, Column + Columns - 1)}";
}

/// <summary>One sheet's cells: a number (double), a text (string) or nothing (null), rows and columns from 0.</summary>
public sealed class Sheet(string name, List<object?[]> rows)
{
    public string Name { get; } = name;
    public int RowCount => rows.Count;
    public int ColumnCount { get; } = rows.Count == 0 ? 0 : rows.Max(r => r.Length);

    public object? Cell(int row, int column) => row < rows.Count && column < rows[row].Length ? rows[row][column] : null;

    /// <summary>The cell as a number, or NaN when it is empty, text or outside the sheet.</summary>
    public double Number(int row, int column) => Cell(row, column) is double d ? d : double.NaN;
}

/// <summary>
/// A data file as sheets of cells: a spreadsheet (.xls, .xlsx, read with ExcelDataReader; the named ranges of an
/// .xlsx from its workbook part), or a text table (.csv, .tab, .txt) as one sheet. Cells hold what the file holds:
/// numbers, texts (a number written as text in a .csv is read as a number), or nothing.
/// </summary>
public sealed class Workbook
{
    private static readonly HashSet<string> SpreadsheetExtensions = new(StringComparer.OrdinalIgnoreCase) { ".xls", ".xlsx", ".xlsm", ".xlsb" };

    static Workbook() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // .xls files name their code page

    private readonly List<Sheet> _sheets;
    /// <summary>Named ranges: (sheet name or "" for a workbook-wide name, name) → (sheet, range), names compared ignoring case.</summary>
    private readonly Dictionary<(string Scope, string Name), (string Sheet, CellRange Range)> _names;

    private Workbook(string path, List<Sheet> sheets, Dictionary<(string, string), (string, CellRange)> names)
    {
        Path = path;
        _sheets = sheets;
        _names = names;
    }

    public string Path { get; }
    public bool IsSpreadsheet => SpreadsheetExtensions.Contains(System.IO.Path.GetExtension(Path));
    public IReadOnlyList<Sheet> Sheets => _sheets;

    /// <summary>
    /// Reads a data file. <paramref name="separator"/> is for text tables: null for the extension's own (',' for .csv,
    /// a tab otherwise). A missing or unreadable file throws <see cref="ExternalDataException"/>.
    /// </summary>
    public static Workbook Load(string path, char? separator = null)
    {
        if (!File.Exists(path))
            throw new ExternalDataException(DiagnosticCodes.DataFileNotFound, $"the data file '{path}' does not exist",
                "Put the file beside the model, or correct its name (a relative name starts from the model's folder).");
        try
        {
            var extension = System.IO.Path.GetExtension(path);
            if (SpreadsheetExtensions.Contains(extension)) return ReadSpreadsheet(path);
            return new Workbook(path, [ReadText(path, separator ?? (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : '\t'))], new());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ExcelDataReader.Exceptions.ExcelReaderException or System.Xml.XmlException)
        {
            throw new ExternalDataException(DiagnosticCodes.DataFileUnreadable, $"the data file '{path}' cannot be read: {e.Message}",
                "Check that the file is a spreadsheet (.xls, .xlsx) or a table of text (.csv, .tab) and not open in another program; save it again from the spreadsheet program if it is damaged.");
        }
    }

    /// <summary>The sheet of that name (ignoring case, as Vensim does).</summary>
    public Sheet Sheet(string name)
    {
        if (!IsSpreadsheet) return _sheets[0];
        return _sheets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ExternalDataException(DiagnosticCodes.DataSheetNotFound, $"'{Path}' has no sheet '{name}'",
                $"Name one of its sheets: {string.Join(", ", _sheets.Select(s => "'" + s.Name + "'"))}.");
    }

    /// <summary>A named range: the sheet's own name first, then a workbook-wide one; null when neither exists.</summary>
    public CellRange? Named(string sheet, string name)
    {
        foreach (var scope in new[] { sheet, "" })
            if (_names.TryGetValue((scope.ToUpperInvariant(), name.ToUpperInvariant()), out var found)
                && string.Equals(found.Sheet, sheet, StringComparison.OrdinalIgnoreCase))
                return found.Range;
        return null;
    }

    private static Workbook ReadSpreadsheet(string path)
    {
        var sheets = new List<Sheet>();
        using (var stream = File.OpenRead(path))
        using (var reader = ExcelReaderFactory.CreateReader(stream))
        {
            do
            {
                var rows = new List<object?[]>();
                while (reader.Read())
                {
                    var row = new object?[reader.FieldCount];
                    for (int i = 0; i < row.Length; i++)
                        row[i] = reader.GetValue(i) switch
                        {
                            null => null,
                            double d => d,
                            bool b => b ? 1.0 : 0.0,
                            DateTime t => t.ToOADate(),
                            IConvertible c and (int or long or float or decimal) => c.ToDouble(CultureInfo.InvariantCulture),
                            var other => Convert.ToString(other, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null,
                        };
                    rows.Add(row);
                }
                sheets.Add(new Sheet(reader.Name, rows));
            } while (reader.NextResult());
        }
        var names = System.IO.Path.GetExtension(path).Equals(".xls", StringComparison.OrdinalIgnoreCase) ? new() : DefinedNames(path, sheets);
        return new Workbook(path, sheets, names);
    }

    /// <summary>
    /// The named ranges of an .xlsx/.xlsm workbook (xl/workbook.xml, &lt;definedName name="…" localSheetId="i"&gt;Sheet!$B$2:$F$2&lt;/definedName&gt;):
    /// ExcelDataReader reads cells, not names. Names that are not one rectangle of one sheet are left out.
    /// </summary>
    private static Dictionary<(string, string), (string, CellRange)> DefinedNames(string path, List<Sheet> sheets)
    {
        var names = new Dictionary<(string, string), (string, CellRange)>();
        using var zip = ZipFile.OpenRead(path);
        if (zip.GetEntry("xl/workbook.xml") is not { } entry) return names;
        XDocument document;
        using (var stream = entry.Open()) document = XDocument.Load(stream);
        foreach (var element in document.Descendants().Where(e => e.Name.LocalName == "definedName"))
        {
            var name = element.Attribute("name")?.Value;
            var reference = element.Value.Trim();
            int bang = reference.LastIndexOf('!');
            if (name is null || bang <= 0) continue;
            var sheet = reference[..bang].Trim('\'').Replace("''", "'", StringComparison.Ordinal);
            var corners = reference[(bang + 1)..].Split(':');
            if (corners.Length > 2 || CellRange.ParseCell(corners[0]) is not var (r0, c0)) continue;
            var (r1, c1) = corners.Length == 2 && CellRange.ParseCell(corners[1]) is { } end ? end : (r0, c0);
            var scope = element.Attribute("localSheetId")?.Value is { } id && int.TryParse(id, CultureInfo.InvariantCulture, out var index) && index < sheets.Count
                ? sheets[index].Name : "";
            names[(scope.ToUpperInvariant(), name.ToUpperInvariant())] = (sheet, new CellRange(Math.Min(r0, r1), Math.Min(c0, c1), Math.Abs(r1 - r0) + 1, Math.Abs(c1 - c0) + 1));
        }
        return names;
    }

    /// <summary>A text table: cells split at the separator (double quotes around a cell are removed), numbers read in the invariant culture.</summary>
    private static Sheet ReadText(string path, char separator)
    {
        var rows = new List<object?[]>();
        foreach (var line in File.ReadLines(path))
        {
            var cells = DelimitedLine.Split(line.TrimEnd('\r'), separator);
            rows.Add(cells.Select(c => c.Length == 0 ? null
                : double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (object)d : c).ToArray());
        }
        return new Sheet(System.IO.Path.GetFileNameWithoutExtension(path), rows);
    }
}
