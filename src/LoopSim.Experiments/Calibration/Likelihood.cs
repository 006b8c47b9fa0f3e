using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using MathNet.Numerics;

namespace LoopSim.Experiments.Calibration;

/// <summary>How a run's fit to the data is scored (lower is better).</summary>
public enum Payoff
{
    /// <summary>
    /// Gaussian errors with an unknown standard deviation per observed variable, integrated out under Jeffreys' prior
    /// (equivalently, profiled): −log L = Σ_v (n_v / 2) ln SSE_v. Scale-free, so variables in different units mix.
    /// </summary>
    Gaussian,
    /// <summary>Counts: −log L = Σ (μ − y ln μ + ln y!), μ the model's value (at least 1e-9).</summary>
    Poisson,
    /// <summary>Weighted sum of squared errors Σ_v w_v SSE_v; intervals treat it as Gaussian with one variance estimated from the residuals.</summary>
    Sse,
}

/// <summary>The data matched to a model: per observed column its output and the save index of each observed time.</summary>
internal sealed class Likelihood
{
    private readonly int[] _saveIndex;         // per data time
    private readonly double[][] _observed;     // per column, per data time (NaN: missing)
    private readonly double[] _weights;

    public Likelihood(IRunnableModel model, ObservedData data, Payoff payoff, IReadOnlyDictionary<string, double> weights)
    {
        Payoff = payoff;
        var outputs = new List<int>();
        foreach (var column in data.Columns)
        {
            var canonical = Names.Canonical(column);
            int index = -1;
            for (int k = 0; k < model.OutputNames.Count && index < 0; k++)
                if (Names.Canonical(model.OutputNames[k]) == canonical) index = k;
            if (index < 0)
                throw new ModelException(DiagnosticCodes.DataColumnUnknown, $"data column '{column}' matches no variable of the model.", new SourceLocation(data.Path, 1, 1),
                    hint: Names.DidYouMean(column, model.OutputNames) ?? "Name each column after a stock, flow or auxiliary of the model (any spelling).");
            outputs.Add(index);
        }
        Outputs = [.. outputs];
        var times = model.SaveTimes;
        _saveIndex = data.Times.Select(t =>
        {
            try { return MonteCarloRunner.SaveIndex(times, t); }
            catch (ModelException e) { throw new ModelException(DiagnosticCodes.DataTimeNotSaved, $"data time {t}: {e.Diagnostics[0].Message}", new SourceLocation(data.Path, 1, 1), hint: e.Diagnostics[0].Hint); }
        }).ToArray();
        _observed = [.. data.Values];
        foreach (var name in weights.Keys)
            if (!data.Columns.Any(c => Names.Canonical(c) == Names.Canonical(name)))
                throw new ModelException(DiagnosticCodes.OptionInvalid, $"--weight '{name}' is not a column of the data file.", hint: $"Its columns: {string.Join(", ", data.Columns)}.");
        _weights = data.Columns.Select(c => weights.FirstOrDefault(w => Names.Canonical(w.Key) == Names.Canonical(c)).Value is var w && w > 0 ? w : 1.0).ToArray();
        if (payoff == Payoff.Poisson)
            foreach (var (column, values) in data.Columns.Zip(data.Values))
                if (values.Any(v => double.IsFinite(v) && (v < 0 || v != Math.Floor(v))))
                    throw new ModelException(DiagnosticCodes.DataNotCounts, $"column '{column}' holds values that are not counts; a Poisson likelihood needs whole numbers ≥ 0.",
                        new SourceLocation(data.Path, 1, 1), hint: "Use --payoff gaussian or sse.");
        Observations = data.Observations;
        if (Observations == 0)
            throw new ModelException(DiagnosticCodes.DataTooFew, "the data file has no observed values (every cell is missing).", new SourceLocation(data.Path, 1, 1));
    }

    public Payoff Payoff { get; }
    /// <summary>The output index of each data column.</summary>
    public int[] Outputs { get; }
    public int Observations { get; }

    /// <summary>
    /// The payoff of one run from its buffer (save point i, output k at [i · Outputs.Length + k]); +∞ when the model
    /// gives a non-finite value where there is data.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> run)
    {
        int m = Outputs.Length;
        double total = 0;
        for (int c = 0; c < m; c++)
        {
            double sse = 0, poisson = 0;
            int n = 0;
            var observed = _observed[c];
            for (int i = 0; i < observed.Length; i++)
            {
                double y = observed[i];
                if (!double.IsFinite(y)) continue;
                double mu = run[_saveIndex[i] * m + c];
                if (!double.IsFinite(mu)) return double.PositiveInfinity;
                n++;
                sse += (mu - y) * (mu - y);
                if (Payoff == Payoff.Poisson)
                {
                    double rate = Math.Max(mu, 1e-9);
                    poisson += rate - y * Math.Log(rate) + SpecialFunctions.GammaLn(y + 1);
                }
            }
            if (n == 0) continue;
            total += Payoff switch
            {
                Payoff.Gaussian => 0.5 * n * Math.Log(Math.Max(sse, 1e-300)),
                Payoff.Poisson => poisson,
                _ => _weights[c] * sse,
            };
        }
        return total;
    }
}
