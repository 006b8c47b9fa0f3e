using System.Globalization;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// An expected output of the SDXorg suite (output.csv / output.tab): first column time, one column
/// per variable under its display name. Line endings may be CR, LF or CRLF; Vensim leaves constants
/// blank after the first row, which means "unchanged".
/// </summary>
public sealed class ExpectedOutput
{
    /// <summary>Vensim's control variables: not model variables, never compared.</summary>
    private static readonly HashSet<string> ControlColumns =
        new[] { "INITIAL TIME", "FINAL TIME", "TIME STEP", "SAVEPER" }.Select(Names.Canonical).ToHashSet();

    public required double[] Times { get; init; }
    /// <summary>Column header as written to its values (NaN where a row had no value and no earlier row did).</summary>
    public required IReadOnlyList<(string Header, double[] Values)> Columns { get; init; }

    public static ExpectedOutput Read(string path)
    {
        var text = File.ReadAllText(path).Replace("\r\n", "\n").Replace('\r', '\n');
        var lines = text.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        char separator = lines[0].Contains('\t') ? '\t' : ',';
        var headers = lines[0].Split(separator).Select(h => h.Trim()).ToArray();
        var rows = lines.Skip(1).Select(l => l.Split(separator)).ToList();

        double Cell(string[] row, int column, int line) =>
            column >= row.Length || row[column].Trim().Length == 0 ? double.NaN
            : double.TryParse(row[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new InvalidDataException($"{path}: line {line + 2}, column '{headers[column]}': '{row[column]}' is not a number");

        var times = rows.Select((r, i) => Cell(r, 0, i)).ToArray();
        var columns = new List<(string, double[])>();
        for (int c = 1; c < headers.Length; c++)
        {
            if (ControlColumns.Contains(Names.Canonical(headers[c]))) continue;
            var values = new double[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                var v = Cell(rows[i], c, i);
                values[i] = double.IsNaN(v) && i > 0 ? values[i - 1] : v; // blank: the previous row's value
            }
            columns.Add((headers[c], values));
        }
        return new ExpectedOutput { Times = times, Columns = columns };
    }
}
