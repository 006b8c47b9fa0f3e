using LoopSim.Engine.Formats.ExternalData;

namespace LoopSim.Experiments.Calibration;

/// <summary>
/// Observed time series: the times and one series per observed variable, named as the model's variables (any
/// spelling), read by the one reader of --data files (<see cref="TimeSeriesFile"/>: a 'time' column, a missing value
/// empty or NA, # lines as comments, .csv, .tab or a spreadsheet).
/// </summary>
public sealed class ObservedData
{
    private ObservedData(string path, double[] times, IReadOnlyList<string> columns, IReadOnlyList<double[]> values)
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
        var file = TimeSeriesFile.Load(path);
        return new ObservedData(path, file.Times, file.SeriesNames, file.Values);
    }
}
