using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;

namespace LoopSim.Experiments.Calibration;

/// <summary>
/// Posterior draws as a scenario's uncertainty (the scenario key <c>posterior: FILE.csv</c>): a CSV with one column per
/// parameter and one row per draw, as <c>loopsim calibrate --mcmc</c> writes it. A Monte Carlo run takes one whole row,
/// so the parameters keep their joint distribution (their correlations); under Latin hypercube sampling the rows are
/// drawn stratified. Each column becomes one uncertain parameter whose draws are linked to the others'.
/// </summary>
public sealed class PosteriorSample
{
    private PosteriorSample(string path, string[] names, double[][] columns) { Path = path; Names = names; Columns = columns; }

    public string Path { get; }
    public IReadOnlyList<string> Names { get; }
    /// <summary>Columns[j][r]: parameter j in draw r.</summary>
    public IReadOnlyList<double[]> Columns { get; }
    public int Rows => Columns[0].Length;

    public static PosteriorSample Load(string path, SourceLocation? location = null)
    {
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.FileNotFound, $"posterior file '{path}' not found.", location, hint: "The path is relative to the scenario file's folder; 'loopsim calibrate --mcmc' writes posterior.csv.");
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        if (lines.Count < 2)
            throw new ModelException(DiagnosticCodes.PosteriorMalformed, "the posterior file has no draws.", new SourceLocation(path, 1, 1), hint: "Write a header of parameter names and one row per draw.");
        var names = lines[0].Split(',').Select(n => n.Trim()).ToArray();
        var columns = names.Select(_ => new double[lines.Count - 1]).ToArray();
        for (int r = 1; r < lines.Count; r++)
        {
            var cells = lines[r].Split(',');
            if (cells.Length != names.Length)
                throw new ModelException(DiagnosticCodes.PosteriorMalformed, $"draw has {cells.Length} values for {names.Length} parameters.", new SourceLocation(path, r + 1, 1));
            for (int j = 0; j < names.Length; j++)
                if (!double.TryParse(cells[j].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out columns[j][r - 1]) || !double.IsFinite(columns[j][r - 1]))
                    throw new ModelException(DiagnosticCodes.PosteriorMalformed, $"'{cells[j].Trim()}' is not a number.", new SourceLocation(path, r + 1, 1), names[j]);
        }
        return new PosteriorSample(path, names, columns);
    }

    /// <summary>One uncertain parameter per column, all drawn from the same row in a run.</summary>
    public IReadOnlyList<DistributionSpec> Specs(SourceLocation? location) =>
        Names.Select((name, j) => new DistributionSpec(name, new JointColumnDistribution(this, Columns[j]), location)).ToList();
}

/// <summary>
/// One column of a table of joint draws: the value in row ⌊u · rows⌋. Columns of the same table are linked: the sampler
/// gives them one uniform number per run, so a run takes one whole row.
/// </summary>
public sealed class JointColumnDistribution : Distribution
{
    private readonly double[] _values;

    internal JointColumnDistribution(object table, double[] values) { Table = table; _values = values; }

    /// <summary>The table the column belongs to: columns with the same table are sampled together.</summary>
    public object Table { get; }

    public override double InverseCdf(double u) => _values[Math.Min(_values.Length - 1, (int)(u * _values.Length))];

    public override double Cdf(double x) => (double)_values.Count(v => v <= x) / _values.Length;

    public override (double Min, double Max) Support => (_values.Min(), _values.Max());

    public override string ToString() => $"joint draws ({_values.Length} rows)";
}
