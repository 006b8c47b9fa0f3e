using System.Text.RegularExpressions;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.ExternalData;

/// <summary>
/// A file of time series given with --data: to a Vensim model's data variables, and to calibrate as what was observed.
/// A .tab or .csv table, or a spreadsheet's first sheet: the times down the column headed "time" (any spelling), else
/// down the first column, and each other column one series headed by its name ("var[A,B]" for an element); or the same
/// transposed, times across the first row, as Vensim writes either. An empty cell, NA or NaN is a missing value; a row
/// whose first cell starts with # is a comment (e.g. the data's source). Several files are searched in order by
/// <see cref="Find"/>: the first holding a variable wins.
/// </summary>
public sealed class TimeSeriesFile
{
    private readonly Dictionary<string, int> _byKey = new();

    private TimeSeriesFile(string path, double[] times, List<string> names, List<double[]> values)
    {
        Path = path;
        Times = times;
        SeriesNames = names;
        Values = values;
        for (int s = 0; s < names.Count; s++) _byKey.TryAdd(Key(names[s]), s);
    }

    public string Path { get; }
    /// <summary>The times, increasing.</summary>
    public double[] Times { get; }
    /// <summary>The series' names as written, in the file's order.</summary>
    public IReadOnlyList<string> SeriesNames { get; }
    /// <summary>Values[s][t]: series s at Times[t]; NaN where missing.</summary>
    public IReadOnlyList<double[]> Values { get; }

    /// <summary>The series of a variable or element ("name" or "name[e1,e2]", any spelling Vensim allows), or null.</summary>
    public (double[] Times, double[] Values)? Find(string name) => _byKey.TryGetValue(Key(name), out var s) ? (Times, Values[s]) : null;

    public static TimeSeriesFile Load(string path)
    {
        Workbook workbook;
        try
        {
            workbook = Workbook.Load(path);
        }
        catch (ExternalDataException e)
        {
            throw new ModelException(DiagnosticCodes.DataOptionFileUnusable, $"--data: {e.Message}", new SourceLocation(path, 0, 0),
                hint: "Give an existing .tab, .csv or spreadsheet file of time series (the path is relative to the current folder).");
        }
        var sheet = workbook.Sheets.Count > 0 ? workbook.Sheets[0] : new Sheet("", []);
        var rows = Enumerable.Range(0, sheet.RowCount).Where(r => !CommentOrBlank(sheet, r)).ToArray();
        int header = rows.Length > 0 ? rows[0] : 0;
        // Names across the first row (times down a column), or, transposed, times across the first row.
        bool transposed = sheet.Cell(header, 1) is double;
        int timeColumn = transposed ? 0 : TimeColumn(sheet, header);
        var seriesAt = transposed ? rows.Skip(1).ToArray() : Enumerable.Range(0, sheet.ColumnCount).Where(c => c != timeColumn).ToArray();
        var timeAt = transposed ? Enumerable.Range(1, Math.Max(0, sheet.ColumnCount - 1)).ToArray() : rows.Skip(1).ToArray();
        (int Row, int Column) CellOf(int time, int series) => transposed ? (series, time) : (time, series);
        (int Row, int Column) TimeCell(int time) => transposed ? (header, time) : (time, timeColumn);
        string NameOf(int series) => (transposed ? sheet.Cell(series, 0) : sheet.Cell(header, series)) is string name ? name.Trim() : "";
        var named = seriesAt.Where(s => NameOf(s).Length > 0).ToArray();
        if (named.Length == 0 || timeAt.Length == 0)
            throw new ModelException(DiagnosticCodes.DataOptionFileUnusable, $"--data: '{path}' is not a table of time series", new SourceLocation(path, 0, 0),
                hint: "Write a first column of times headed 'time', then one column per variable headed by its name, and a row per time.");

        var times = new double[timeAt.Length];
        for (int t = 0; t < timeAt.Length; t++)
        {
            var (row, column) = TimeCell(timeAt[t]);
            times[t] = Number(sheet, row, column, path, "time");
            if (double.IsNaN(times[t]) || (t > 0 && !(times[t] > times[t - 1])))
                throw new ModelException(DiagnosticCodes.DataOptionValueInvalid,
                    $"--data: the time in cell {CellRange.Name(row, column)} of '{path}' is {(double.IsNaN(times[t]) ? "missing" : "not after the one before it")}",
                    new SourceLocation(path, row + 1, 0), hint: "List the times in increasing order, one per row (or column), none missing.");
        }
        var names = new List<string>();
        var values = new List<double[]>();
        foreach (int s in named)
        {
            var name = NameOf(s);
            var series = new double[timeAt.Length];
            for (int t = 0; t < timeAt.Length; t++)
            {
                var (row, column) = CellOf(timeAt[t], s);
                series[t] = Number(sheet, row, column, path, name);
            }
            names.Add(name);
            values.Add(series);
        }
        return new TimeSeriesFile(path, times, names, values);
    }

    /// <summary>A row whose first cell starts with # (a comment, e.g. the data's source), or with no cell at all.</summary>
    private static bool CommentOrBlank(Sheet sheet, int row) =>
        sheet.Cell(row, 0) is string first ? first.TrimStart().StartsWith('#') : Enumerable.Range(0, sheet.ColumnCount).All(c => sheet.Cell(row, c) is null);

    /// <summary>The column headed "time" (any spelling), else the first.</summary>
    private static int TimeColumn(Sheet sheet, int header) =>
        Enumerable.Range(0, sheet.ColumnCount).FirstOrDefault(c => sheet.Cell(header, c) is string h && Names.Canonical(h) == "time");

    /// <summary>A cell's number; NaN for a missing value (empty, NA or NaN).</summary>
    private static double Number(Sheet sheet, int row, int column, string path, string what) => sheet.Cell(row, column) switch
    {
        null => double.NaN,
        double d when double.IsFinite(d) || double.IsNaN(d) => d,
        string text when text.Trim().Length == 0 || text.Trim().Equals("NA", StringComparison.OrdinalIgnoreCase) => double.NaN,
        var cell => throw new ModelException(DiagnosticCodes.DataOptionValueInvalid,
            $"--data: cell {CellRange.Name(row, column)} of '{path}' ({what}) is '{cell}', not a number",
            new SourceLocation(path, row + 1, 0), hint: "Every time and value must be a finite number; leave a cell empty (or NA) for a missing value."),
    };

    /// <summary>A name as the model's reader spells element variables: canonical, no blanks around '[', ',' and ']'.</summary>
    internal static string Key(string name) => Names.Canonical(Regex.Replace(name.Trim(), @"\s*([\[\],])\s*", "$1"));
}
