using LoopSim.Engine.Model;

namespace LoopSim.Engine.Simulation;

/// <summary>Results of one run: every visible variable at every save time.</summary>
public sealed class SimulationResult
{
    private readonly Dictionary<string, int> _index;

    public SimulationResult(double[] times, IReadOnlyList<string> names, double[][] series)
    {
        Times = times;
        Names = names;
        Series = series;
        _index = new Dictionary<string, int>();
        for (int k = 0; k < names.Count; k++) _index.TryAdd(Model.Names.Canonical(names[k]), k);
    }

    /// <summary>
    /// The result of a run saved as <see cref="Runtime.SaveLayout.Columns"/> with stride 1: the series of
    /// <paramref name="names"/>[k] at values[k × times.Length, (k + 1) × times.Length).
    /// </summary>
    public static SimulationResult FromColumns(double[] times, IReadOnlyList<string> names, ReadOnlySpan<double> values)
    {
        var series = new double[names.Count][];
        for (int k = 0; k < series.Length; k++) series[k] = values.Slice(k * times.Length, times.Length).ToArray();
        return new SimulationResult(times, names, series);
    }

    public double[] Times { get; }
    /// <summary>Display names, model order.</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>Series[k][i] = value of Names[k] at Times[i].</summary>
    public double[][] Series { get; }

    /// <summary>The series of a variable by any spelling of its name; ModelException with close names if unknown.</summary>
    public double[] this[string name] => TryGet(name, out var series) ? series
        : throw new ModelException(DiagnosticCodes.UnknownName, $"no variable '{Model.Names.Display(name)}' in the results", hint: Model.Names.DidYouMean(name, Names));

    /// <summary>The first value that is NaN or infinite (earliest time, then model order), or null when every value is finite.</summary>
    public NonFiniteValue? FirstNonFinite()
    {
        for (int i = 0; i < Times.Length; i++)
            for (int k = 0; k < Series.Length; k++)
                if (!double.IsFinite(Series[k][i])) return new NonFiniteValue(Times[i], Names[k], Series[k][i]);
        return null;
    }

    public bool TryGet(string name, out double[] series)
    {
        bool found = _index.TryGetValue(Model.Names.Canonical(name), out var k);
        series = found ? Series[k] : Array.Empty<double>();
        return found;
    }
}
