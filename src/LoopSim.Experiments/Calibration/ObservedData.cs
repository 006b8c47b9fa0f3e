using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Experiments.Calibration;

/// <summary>
/// Observed time series: a <c>time</c> column and one column per observed variable, named as the model's variables
/// (any spelling). An empty cell, NA or NaN is a missing value. Lines starting with # are comments (e.g. the source).
/// </summary>
public sealed class ObservedData
{
    private ObservedData(string path, double[] times, IReadOnlyList<string> columns, double[][] values)
    {
        Path = path; Times = times; Columns = columns; Values = values;
    }

    public string Path { get; }
    public IReadOnlyList<double> Times { get; }
    /// <summary>The observed variables' column names, as written.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>Values[c][i]: column c at Times[i]; NaN where missing.</summary>
    public IReadOnlyList<double[]> Values { get; }

    public int Observations => Values.Sum(v => v.Count(double.IsFinite));

    /// <summary>Data held in memory (e.g. synthetic); <paramref name="source"/> names it in messages.</summary>
    public static ObservedData Create(string source, double[] times, IReadOnlyList<string> columns, double[][] values) =>
        new(source, times, columns, values);

    public static ObservedData Load(string path)
    {
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.FileNotFound, $"data file '{path}' not found.", hint: "Give a CSV file with a 'time' column and one column per observed variable.");
        var lines = File.ReadAllLines(path).Select((text, i) => (Text: text, Line: i + 1))
            .Where(l => l.Text.Trim().Length > 0 && !l.Text.TrimStart().StartsWith('#')).ToList();
        if (lines.Count < 2)
            throw new ModelException(DiagnosticCodes.DataMalformed, "the data file has no rows.", new SourceLocation(path, 1, 1), hint: "Write a header line (time,VARIABLE,...) and one row per time.");
        var header = DelimitedLine.Split(lines[0].Text, ',');
        int timeColumn = header.FindIndex(h => Names.Canonical(h) == "time");
        if (timeColumn < 0)
            throw new ModelException(DiagnosticCodes.DataMalformed, "the data file has no 'time' column.", new SourceLocation(path, lines[0].Line, 1), hint: "Name the first column 'time'.");
        var columns = header.Where((_, i) => i != timeColumn).ToList();
        if (columns.Count == 0)
            throw new ModelException(DiagnosticCodes.DataMalformed, "the data file has no observed variable, only 'time'.", new SourceLocation(path, lines[0].Line, 1), hint: "Add a column per observed variable, named as in the model.");
        var times = new List<double>();
        var values = columns.Select(_ => new List<double>()).ToArray();
        foreach (var (text, line) in lines.Skip(1))
        {
            var cells = DelimitedLine.Split(text, ',');
            if (cells.Count != header.Count)
                throw new ModelException(DiagnosticCodes.DataMalformed, $"row has {cells.Count} cells but the header has {header.Count}.", new SourceLocation(path, line, 1), hint: "Leave a missing value empty, but keep its comma.");
            var time = Number(cells[timeColumn], path, line, "time") ?? throw new ModelException(DiagnosticCodes.DataMalformed, "the time is missing.", new SourceLocation(path, line, 1));
            if (times.Count > 0 && time <= times[^1])
                throw new ModelException(DiagnosticCodes.DataMalformed, $"time {cells[timeColumn]} is not after the previous row's.", new SourceLocation(path, line, 1), hint: "Sort the rows by time, one row per time.");
            times.Add(time);
            int c = 0;
            for (int i = 0; i < cells.Count; i++)
                if (i != timeColumn) values[c++].Add(Number(cells[i], path, line, header[i]) ?? double.NaN);
        }
        return new ObservedData(path, [.. times], columns, values.Select(v => v.ToArray()).ToArray());
    }

    private static double? Number(string cell, string path, int line, string column)
    {
        var text = cell.Trim();
        if (text.Length == 0 || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        throw new ModelException(DiagnosticCodes.DataMalformed, $"'{text}' in column '{column}' is not a number.", new SourceLocation(path, line, 1), hint: "Write plain numbers; leave a missing value empty or NA.");
    }
}
