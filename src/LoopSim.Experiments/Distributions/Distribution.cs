using LoopSim.Engine.Runtime;
using System.Globalization;
using LoopSim.Experiments.Sampling;
using MathNet.Numerics.Distributions;

namespace LoopSim.Experiments.Distributions;

/// <summary>
/// A one-dimensional probability distribution for an uncertain parameter. Every draw goes through
/// <see cref="InverseCdf"/> so that simple random sampling and Latin hypercube sampling share one
/// path and each draw consumes exactly one uniform number. Instances are built (and their arguments
/// checked) by <see cref="DistributionSpec.Parse"/>.
/// </summary>
public abstract class Distribution
{
    /// <summary>The value with cumulative probability <paramref name="u"/>, for u in (0, 1).</summary>
    public abstract double InverseCdf(double u);

    /// <summary>P(X ≤ x).</summary>
    public abstract double Cdf(double x);

    /// <summary>The smallest and largest values the distribution can take (possibly infinite).</summary>
    public abstract (double Min, double Max) Support { get; }

    /// <summary>One draw from <paramref name="rng"/>: the inverse CDF of one uniform number in (0, 1).</summary>
    public double Sample(SimRandom rng) => InverseCdf(rng.NextOpenDouble());

    protected static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}

public sealed class UniformDistribution : Distribution
{
    internal UniformDistribution(double min, double max) { Min = min; Max = max; }
    public double Min { get; }
    public double Max { get; }
    public override double InverseCdf(double u) => Min + u * (Max - Min);
    public override double Cdf(double x) => x <= Min ? 0 : x >= Max ? 1 : (x - Min) / (Max - Min);
    public override (double Min, double Max) Support => (Min, Max);
    public override string ToString() => $"uniform(min {F(Min)}, max {F(Max)})";
}

public sealed class NormalDistribution : Distribution
{
    internal NormalDistribution(double mean, double sd) { Mean = mean; Sd = sd; }
    public double Mean { get; }
    public double Sd { get; }
    public override double InverseCdf(double u) => Normal.InvCDF(Mean, Sd, u);
    public override double Cdf(double x) => Normal.CDF(Mean, Sd, x);
    public override (double Min, double Max) Support => (double.NegativeInfinity, double.PositiveInfinity);
    public override string ToString() => $"normal(mean {F(Mean)}, sd {F(Sd)})";
}

/// <summary>ln X ~ Normal(Mu, Sigma): the median is e^Mu and the geometric standard deviation e^Sigma.</summary>
public sealed class LogNormalDistribution : Distribution
{
    internal LogNormalDistribution(double mu, double sigma) { Mu = mu; Sigma = sigma; }
    public double Mu { get; }
    public double Sigma { get; }
    public override double InverseCdf(double u) => LogNormal.InvCDF(Mu, Sigma, u);
    public override double Cdf(double x) => x <= 0 ? 0 : LogNormal.CDF(Mu, Sigma, x);
    public override (double Min, double Max) Support => (0, double.PositiveInfinity);
    public override string ToString() => $"lognormal(median {F(Math.Exp(Mu))}, spread {F(Math.Exp(Sigma))})";
}

public sealed class TriangularDistribution : Distribution
{
    internal TriangularDistribution(double min, double mode, double max) { Min = min; Mode = mode; Max = max; }
    public double Min { get; }
    public double Mode { get; }
    public double Max { get; }
    public override double InverseCdf(double u) => Triangular.InvCDF(Min, Max, Mode, u);
    public override double Cdf(double x) => x <= Min ? 0 : x >= Max ? 1 : Triangular.CDF(Min, Max, Mode, x);
    public override (double Min, double Max) Support => (Min, Max);
    public override string ToString() => $"triangular(min {F(Min)}, mode {F(Mode)}, max {F(Max)})";
}

/// <summary>Beta(Alpha, Beta) scaled from [0, 1] to [Min, Max].</summary>
public sealed class BetaDistribution : Distribution
{
    internal BetaDistribution(double alpha, double beta, double min, double max) { Alpha = alpha; Beta = beta; Min = min; Max = max; }
    public double Alpha { get; }
    public double Beta { get; }
    public double Min { get; }
    public double Max { get; }
    public override double InverseCdf(double u) => Min + (Max - Min) * MathNet.Numerics.Distributions.Beta.InvCDF(Alpha, Beta, u);
    public override double Cdf(double x) =>
        x <= Min ? 0 : x >= Max ? 1 : MathNet.Numerics.Distributions.Beta.CDF(Alpha, Beta, (x - Min) / (Max - Min));
    public override (double Min, double Max) Support => (Min, Max);
    public override string ToString() => $"beta(alpha {F(Alpha)}, beta {F(Beta)}, min {F(Min)}, max {F(Max)})";
}

/// <summary>A choice among values with weights. Values are kept sorted so that the inverse CDF is monotone (Latin hypercube strata then cover the values in order).</summary>
public sealed class DiscreteDistribution : Distribution
{
    private readonly double[] _cumulative;

    internal DiscreteDistribution(IReadOnlyList<double> values, IReadOnlyList<double> weights)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        Values = order.Select(i => values[i]).ToArray();
        Weights = order.Select(i => weights[i]).ToArray();
        _cumulative = new double[Values.Count];
        double sum = 0;
        for (int i = 0; i < _cumulative.Length; i++) _cumulative[i] = sum += Weights[i];
    }

    public IReadOnlyList<double> Values { get; }
    public IReadOnlyList<double> Weights { get; }

    public override double InverseCdf(double u)
    {
        // The first value whose cumulative weight exceeds u·total; zero-weight values are never chosen.
        double target = u * _cumulative[^1];
        for (int i = 0; i < _cumulative.Length - 1; i++)
            if (_cumulative[i] > target) return Values[i];
        return Values[^1];
    }

    public override double Cdf(double x)
    {
        double below = 0;
        for (int i = 0; i < Values.Count && Values[i] <= x; i++) below = _cumulative[i];
        return below / _cumulative[^1];
    }

    public override (double Min, double Max) Support => (Values[0], Values[^1]);
    public override string ToString() =>
        $"discrete(values [{string.Join(", ", Values.Select(F))}], weights [{string.Join(", ", Weights.Select(F))}])";
}

/// <summary>A distribution restricted to [Low, High]: u is mapped into [F(Low), F(High)] before the inverse CDF.</summary>
public sealed class TruncatedDistribution : Distribution
{
    private readonly double _cdfLow, _cdfHigh;

    internal TruncatedDistribution(Distribution inner, double low, double high)
    {
        Inner = inner; Low = low; High = high;
        _cdfLow = double.IsNegativeInfinity(low) ? 0 : inner.Cdf(low);
        _cdfHigh = double.IsPositiveInfinity(high) ? 1 : inner.Cdf(high);
    }

    public Distribution Inner { get; }
    public double Low { get; }
    public double High { get; }
    /// <summary>The probability the untruncated distribution gives to [Low, High].</summary>
    public double Mass => _cdfHigh - _cdfLow;

    // The clamp only removes round-off of the inverse CDF at the edges.
    public override double InverseCdf(double u) => Math.Clamp(Inner.InverseCdf(_cdfLow + u * (_cdfHigh - _cdfLow)), Low, High);

    public override double Cdf(double x) => x <= Low ? 0 : x >= High ? 1 : (Inner.Cdf(x) - _cdfLow) / (_cdfHigh - _cdfLow);
    public override (double Min, double Max) Support => (Low, High);
    public override string ToString() => $"{Inner} truncated to [{F(Low)}, {F(High)}]";
}
