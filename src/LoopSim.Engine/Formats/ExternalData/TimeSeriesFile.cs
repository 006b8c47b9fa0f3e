using System.Text.RegularExpressions;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.ExternalData;

/// <summary>
/// Time series given with --data, for a Vensim model's data variables: a .tab or .csv table (a spreadsheet's first
/// sheet reads too) whose first column holds the times and each other column one variable, headed by its name
/// ("var[A,B]" for an element); or the same transposed, times across the first row, as Vensim writes either. An
/// empty cell is a missing value; several files are searched in order, the first holding a variable wins.
/// </summary>
public sealed class TimeSeriesFile
{
    private readonly Dictionary<string, (double[] Times, double[] Values)> _series;

    private TimeSeriesFile(string path, Dictionary<string, (double[], double[])> series)
    {
        Path = path;
        _series = series;
    }

    public string Path { get; }

    /// <summary>The series of a variable or element ("name" or "name[e1,e2]", any spelling Vensim allows), or null.</summary>
    public (double[] Times, double[] Values)? Find(string name) => _series.TryGetValue(Key(name), out var s) ? s : null;

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
                hint: "Give an existing .tab or .csv file of time series (the path is relative to the current folder).");
        }
        var sheet = workbook.Sheets.Count > 0 ? workbook.Sheets[0] : new Sheet("", []);
        // Names across the first row (times down the first column), or, transposed, times across the first row.
        bool transposed = sheet.Cell(0, 1) is double;
        int seriesCount = (transposed ? sheet.RowCount : sheet.ColumnCount) - 1;
        int timeCount = (transposed ? sheet.ColumnCount : sheet.RowCount) - 1;
        object? At(int time, int series) => transposed ? sheet.Cell(series, time) : sheet.Cell(time, series);
        string Where(int time, int series) => transposed ? CellRange.Name(series, time) : CellRange.Name(time, series);
        if (seriesCount < 1 || timeCount < 1)
            throw new ModelException(DiagnosticCodes.DataOptionFileUnusable, $"--data: '{path}' is not a table of time series", new SourceLocation(path, 0, 0),
                hint: "Write a first column of times headed 'Time', then one column per variable headed by its name.");

        var times = new double[timeCount];
        for (int t = 0; t < timeCount; t++)
        {
            times[t] = Number(At(t + 1, 0), path, Where(t + 1, 0), "time");
            if (double.IsNaN(times[t]) || (t > 0 && !(times[t] > times[t - 1])))
                throw new ModelException(DiagnosticCodes.DataOptionValueInvalid,
                    $"--data: the time in cell {Where(t + 1, 0)} of '{path}' is {(double.IsNaN(times[t]) ? "missing" : "not after the one before it")}",
                    new SourceLocation(path, transposed ? 1 : t + 2, 0), hint: "List the times in increasing order, one per row (or column), none missing.");
        }
        var series = new Dictionary<string, (double[], double[])>();
        for (int s = 1; s <= seriesCount; s++)
        {
            if (At(0, s) is not string name || name.Trim().Length == 0) continue;
            var values = new double[timeCount];
            for (int t = 0; t < timeCount; t++) values[t] = Number(At(t + 1, s), path, Where(t + 1, s), name);
            series.TryAdd(Key(name), (times, values));
        }
        return new TimeSeriesFile(path, series);
    }

    private static double Number(object? cell, string path, string where, string what) => cell switch
    {
        null => double.NaN,
        double d => d,
        _ => throw new ModelException(DiagnosticCodes.DataOptionValueInvalid, $"--data: cell {where} of '{path}' ({what}) is '{cell}', not a number",
            new SourceLocation(path, 0, 0), hint: "Every time and value must be a number; leave a cell empty for a missing value."),
    };

    /// <summary>A name as the model's reader spells element variables: canonical, no blanks around '[', ',' and ']'.</summary>
    internal static string Key(string name) => Names.Canonical(Regex.Replace(name.Trim(), @"\s*([\[\],])\s*", "$1"));
}
