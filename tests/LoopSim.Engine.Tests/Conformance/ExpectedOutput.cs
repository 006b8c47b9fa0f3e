using System.Globalization;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// An expected output of the SDXorg suite (output.csv / output.tab): first column time, one column
/// per variable under its display name (in CSV quotes when it holds a separator or a quote). Line endings may be CR,
/// LF or CRLF. Vensim leaves a cell blank when the value is unchanged since the row before (constants after the first
/// row), and also when it is :NA: (its missing value): <see cref="Blank"/> says which cells were blank.
/// </summary>
public sealed class ExpectedOutput
{
    /// <summary>Vensim's control variables: not model variables, never compared.</summary>
    private static readonly HashSet<string> ControlColumns =
        new[] { "INITIAL TIME", "FINAL TIME", "TIME STEP", "SAVEPER" }.Select(Names.Canonical).ToHashSet();

    public required double[] Times { get; init; }
    /// <summary>Column header as written to its values (NaN where a row had no value and no earlier row did).</summary>
    public required IReadOnlyList<(string Header, double[] Values)> Columns { get; init; }
    /// <summary>Blank[c][i]: row i of column c was blank in the file (its value above is the previous row's).</summary>
    public required IReadOnlyList<bool[]> Blank { get; init; }

    public static ExpectedOutput Read(string path)
    {
        var text = Decode(File.ReadAllBytes(path)).Replace("\r\n", "\n").Replace('\r', '\n');
        var lines = text.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        char separator = lines[0].Contains('\t') ? '\t' : ',';
        var headers = DelimitedLine.Split(lines[0], separator);
        var rows = lines.Skip(1).Select(l => DelimitedLine.Split(l, separator)).ToList();

        double Cell(List<string> row, int column, int line) =>
            column >= row.Count || row[column].Length == 0 ? double.NaN
            : double.TryParse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new InvalidDataException($"{path}: line {line + 2}, column '{headers[column]}': '{row[column]}' is not a number");

        var times = rows.Select((r, i) => Cell(r, 0, i)).ToArray();
        var columns = new List<(string, double[])>();
        var blanks = new List<bool[]>();
        for (int c = 1; c < headers.Count; c++)
        {
            if (ControlColumns.Contains(Names.Canonical(headers[c]))) continue;
            var values = new double[rows.Count];
            var blank = new bool[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                var v = Cell(rows[i], c, i);
                blank[i] = double.IsNaN(v);
                values[i] = double.IsNaN(v) && i > 0 ? values[i - 1] : v; // blank: the previous row's value
            }
            columns.Add((headers[c], values));
            blanks.Add(blank);
        }
        return new ExpectedOutput { Times = times, Columns = columns, Blank = blanks };
    }

    /// <summary>UTF-8, or Latin-1 when the bytes are not UTF-8 (tests/unicode_characters' output is Latin-1).</summary>
    private static string Decode(byte[] bytes)
    {
        try { return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF'); }
        catch (System.Text.DecoderFallbackException) { return System.Text.Encoding.Latin1.GetString(bytes); }
    }
}
