using System.Collections;
using System.Globalization;
using LoopSim.Engine.Model;

namespace LoopSim.Experiments.Distributions;

/// <summary>
/// One entry of a scenario's <c>uncertain:</c> section: the parameter it applies to, its checked
/// distribution, and where it was written. Accepted descriptions (keys are case-insensitive):
/// <code>
/// { dist: uniform,    min, max }
/// { dist: normal,     mean, sd, min?, max? }              min/max truncate
/// { dist: lognormal,  median, spread, min?, max? }        spread = geometric sd factor (> 1)
/// { dist: lognormal,  mean, sd, min?, max? }              mean and sd of the value itself
/// { dist: triangular, min, mode, max }
/// { dist: beta,       alpha, beta, min?, max? }           scaled to [min, max], default [0, 1]
/// { dist: discrete,   values: [...], weights: [...]? }   weights default to equal
/// </code>
/// For uniform, triangular and beta, min and max are the support itself; normal and lognormal are
/// truncated to [min, max] when either is given.
/// </summary>
public sealed record DistributionSpec(string Parameter, Distribution Distribution, SourceLocation? Location)
{
    /// <summary>Truncations that keep less probability than this are refused: their samples would all sit at one bound.</summary>
    public const double MinimumTruncatedMass = 1e-9;

    private static readonly Dictionary<string, string[]> KeysByKind = new()
    {
        ["uniform"] = ["min", "max"],
        ["normal"] = ["mean", "sd", "min", "max"],
        ["lognormal"] = ["median", "spread", "mean", "sd", "min", "max"],
        ["triangular"] = ["min", "mode", "max"],
        ["beta"] = ["alpha", "beta", "min", "max"],
        ["discrete"] = ["values", "weights"],
    };

    /// <summary>
    /// Reads one description: scalars as strings (as a YAML loader keeps them) or numbers, lists as
    /// any non-string <see cref="IEnumerable"/>. Throws <see cref="ModelException"/> naming the
    /// parameter, the argument at fault and the fix.
    /// </summary>
    public static DistributionSpec Parse(string parameter, IReadOnlyDictionary<string, object?> description, SourceLocation? location = null)
    {
        var reader = new Reader(parameter, description, location);
        var kind = reader.Kind();
        var allowed = KeysByKind[kind];
        foreach (var key in reader.Keys)
            if (key != "dist" && !allowed.Contains(key))
                throw reader.Error(DiagnosticCodes.DistributionArgument, $"'{key}' is not an argument of a {kind} distribution.",
                    $"Use {string.Join(", ", allowed)}.");

        Distribution distribution = kind switch
        {
            "uniform" => Uniform(reader),
            "normal" => Truncate(reader, Normal(reader)),
            "lognormal" => Truncate(reader, LogNormal(reader)),
            "triangular" => Triangular(reader),
            "beta" => Beta(reader),
            _ => Discrete(reader),
        };
        return new DistributionSpec(parameter, distribution, location);
    }

    /// <summary>
    /// A whole <c>uncertain:</c> section as plain objects (parameter name → description), e.g. what
    /// YamlDotNet's untyped deserializer gives (Dictionary&lt;object, object&gt; and List&lt;object&gt;).
    /// <paramref name="location"/> is the section's; for per-entry lines use <see cref="YamlUncertainty"/>.
    /// </summary>
    public static IReadOnlyList<DistributionSpec> ParseSection(IEnumerable<KeyValuePair<string, object?>> section, SourceLocation? location = null) =>
        section.Select(entry => Parse(entry.Key, entry.Value switch
        {
            IReadOnlyDictionary<string, object?> fields => fields,
            IDictionary fields => fields.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "", k => fields[k]),
            _ => throw new ModelException(DiagnosticCodes.WrongShape, "uncertain parameter: the distribution must be a mapping.", location, entry.Key,
                "Write it as { dist: normal, mean: 1, sd: 0.1 }."),
        }, location)).ToList();

    private static UniformDistribution Uniform(Reader r)
    {
        double min = r.Required("min"), max = r.Required("max");
        r.Ordered(min, max);
        return new UniformDistribution(min, max);
    }

    private static NormalDistribution Normal(Reader r)
    {
        double mean = r.Required("mean"), sd = r.Required("sd");
        if (sd <= 0) throw r.Error(DiagnosticCodes.DistributionImpossible, $"sd must be greater than 0 (got {r.Text("sd")}).", "Give the standard deviation as a positive number.");
        return new NormalDistribution(mean, sd);
    }

    private static LogNormalDistribution LogNormal(Reader r)
    {
        bool byMedian = r.Has("median") || r.Has("spread");
        bool byMean = r.Has("mean") || r.Has("sd");
        if (byMedian == byMean)
            throw r.Error(DiagnosticCodes.DistributionArgument, "a lognormal distribution needs either median and spread, or mean and sd.",
                "For example { dist: lognormal, median: 300000, spread: 1.5 } or { dist: lognormal, mean: 350000, sd: 100000 }.");
        if (byMedian)
        {
            double median = r.Required("median"), spread = r.Required("spread");
            if (median <= 0) throw r.Error(DiagnosticCodes.DistributionImpossible, $"median must be greater than 0 (got {r.Text("median")}).", "Lognormal values are positive.");
            if (spread <= 1) throw r.Error(DiagnosticCodes.DistributionImpossible, $"spread must be greater than 1 (got {r.Text("spread")}).",
                "spread is the geometric standard deviation factor: 1.5 means one sd spans ×/÷ 1.5.");
            return new LogNormalDistribution(Math.Log(median), Math.Log(spread));
        }
        double mean = r.Required("mean"), sd = r.Required("sd");
        if (mean <= 0) throw r.Error(DiagnosticCodes.DistributionImpossible, $"mean must be greater than 0 (got {r.Text("mean")}).", "Lognormal values are positive.");
        if (sd <= 0) throw r.Error(DiagnosticCodes.DistributionImpossible, $"sd must be greater than 0 (got {r.Text("sd")}).", "Give the standard deviation as a positive number.");
        // Moments of the lognormal: sd²/mean² = e^(σ²) − 1 and mean = e^(μ + σ²/2).
        double sigma2 = Math.Log(1 + sd * sd / (mean * mean));
        return new LogNormalDistribution(Math.Log(mean) - sigma2 / 2, Math.Sqrt(sigma2));
    }

    private static TriangularDistribution Triangular(Reader r)
    {
        double min = r.Required("min"), mode = r.Required("mode"), max = r.Required("max");
        r.Ordered(min, max);
        if (mode < min || mode > max)
            throw r.Error(DiagnosticCodes.DistributionImpossible, $"mode {r.Text("mode")} is outside [min, max] = [{r.Text("min")}, {r.Text("max")}].",
                "Put the most likely value between min and max.");
        return new TriangularDistribution(min, mode, max);
    }

    private static BetaDistribution Beta(Reader r)
    {
        double alpha = r.Required("alpha"), beta = r.Required("beta");
        if (alpha <= 0) throw r.Error(DiagnosticCodes.DistributionImpossible, $"alpha must be greater than 0 (got {r.Text("alpha")}).", "Both shape parameters of a beta distribution are positive.");
        if (beta <= 0) throw r.Error(DiagnosticCodes.DistributionImpossible, $"beta must be greater than 0 (got {r.Text("beta")}).", "Both shape parameters of a beta distribution are positive.");
        double min = r.Optional("min") ?? 0, max = r.Optional("max") ?? 1;
        r.Ordered(min, max);
        return new BetaDistribution(alpha, beta, min, max);
    }

    private static DiscreteDistribution Discrete(Reader r)
    {
        var values = r.List("values") ?? throw r.Error(DiagnosticCodes.DistributionArgument, "a discrete distribution needs 'values'.", "For example { dist: discrete, values: [50, 100, 200], weights: [1, 2, 1] }.");
        if (values.Count == 0) throw r.Error(DiagnosticCodes.DistributionImpossible, "'values' is empty.", "List at least one value.");
        var weights = r.List("weights");
        if (weights is null) return new DiscreteDistribution(values, values.Select(_ => 1.0).ToArray());
        if (weights.Count != values.Count)
            throw r.Error(DiagnosticCodes.DistributionImpossible, $"'weights' has {weights.Count} entries but 'values' has {values.Count}.", "Give one weight per value.");
        if (weights.Any(w => w < 0)) throw r.Error(DiagnosticCodes.DistributionImpossible, "'weights' has a negative entry.", "Weights are relative frequencies: use numbers ≥ 0.");
        if (!(weights.Sum() > 0)) throw r.Error(DiagnosticCodes.DistributionImpossible, "'weights' sum to 0.", "Give at least one value a positive weight.");
        return new DiscreteDistribution(values, weights);
    }

    private static Distribution Truncate(Reader r, Distribution inner)
    {
        double? min = r.Optional("min"), max = r.Optional("max");
        if (min is null && max is null) return inner;
        var (supportMin, supportMax) = inner.Support;
        double low = min ?? supportMin, high = max ?? supportMax;
        if (min is not null && max is not null) r.Ordered(low, high);
        if (low < supportMin)
            throw r.Error(DiagnosticCodes.DistributionImpossible, $"the truncation bound min {r.Text("min")} is below the smallest value {inner} can take ({F(supportMin)}).",
                $"Remove min or use a value of at least {F(supportMin)}.");
        if (high <= supportMin)
            throw r.Error(DiagnosticCodes.DistributionImpossible, $"the truncation bound max {r.Text("max")} is at or below the smallest value {inner} can take ({F(supportMin)}).",
                $"Remove max or use a value above {F(supportMin)}.");
        var truncated = new TruncatedDistribution(inner, low, high);
        if (!(truncated.Mass >= MinimumTruncatedMass))
            throw r.Error(DiagnosticCodes.TruncationTooNarrow, $"min/max keep a probability of only {truncated.Mass:G3} of {inner}, so every draw would sit at a bound.",
                "Move the bounds towards the centre of the distribution or change the distribution.");
        return truncated;
    }

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Typed access to the description's fields, with errors that name the parameter.</summary>
    private sealed class Reader(string parameter, IReadOnlyDictionary<string, object?> description, SourceLocation? location)
    {
        private readonly Dictionary<string, object?> _fields = Normalise(parameter, description, location);

        public IEnumerable<string> Keys => _fields.Keys;

        public ModelException Error(DiagnosticCode code, string message, string hint) =>
            new(code, $"uncertain parameter: {message}", location, parameter, hint);

        public string Kind()
        {
            if (!_fields.TryGetValue("dist", out var value) || value is null)
                throw Error(DiagnosticCodes.UnknownDistribution, "no 'dist' given.", $"Add dist: one of {string.Join(", ", KeysByKind.Keys)}.");
            var kind = Convert.ToString(value, CultureInfo.InvariantCulture)!.Trim().ToLowerInvariant();
            if (!KeysByKind.ContainsKey(kind))
                throw Error(DiagnosticCodes.UnknownDistribution, $"unknown distribution '{value}'.", $"Use one of {string.Join(", ", KeysByKind.Keys)}.");
            return kind;
        }

        public bool Has(string key) => _fields.ContainsKey(key);

        public string Text(string key) => Convert.ToString(_fields[key], CultureInfo.InvariantCulture) ?? "";

        public double Required(string key) =>
            Optional(key) ?? throw Error(DiagnosticCodes.DistributionArgument, $"'{key}' is missing.", $"Add {key}: NUMBER.");

        public double? Optional(string key) => _fields.TryGetValue(key, out var value) ? Number(key, value) : null;

        public void Ordered(double min, double max)
        {
            if (!(min < max))
                throw Error(DiagnosticCodes.DistributionImpossible, $"min ({F(min)}) must be less than max ({F(max)}).", "Swap them or widen the range.");
        }

        public IReadOnlyList<double>? List(string key)
        {
            if (!_fields.TryGetValue(key, out var value)) return null;
            if (value is string || value is not IEnumerable items)
                throw Error(DiagnosticCodes.DistributionArgument, $"'{key}' must be a list, like [1, 2, 3].", $"Write {key}: [ ... ].");
            return items.Cast<object?>().Select(item => Number(key, item)).ToArray();
        }

        private double Number(string key, object? value)
        {
            double? number = value switch
            {
                double d => d,
                float f => f,
                int i => i,
                long l => l,
                decimal m => (double)m,
                string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            };
            if (number is not { } n || !double.IsFinite(n))
                throw Error(DiagnosticCodes.DistributionArgument, $"'{key}' must be a finite number (got '{Convert.ToString(value, CultureInfo.InvariantCulture)}').", $"Write {key}: NUMBER.");
            return n;
        }

        private static Dictionary<string, object?> Normalise(string parameter, IReadOnlyDictionary<string, object?> description, SourceLocation? location)
        {
            var fields = new Dictionary<string, object?>();
            foreach (var (key, value) in description)
                if (!fields.TryAdd(key.Trim().ToLowerInvariant(), value))
                    throw new ModelException(DiagnosticCodes.GivenTwice, $"uncertain parameter: '{key}' is given twice.", location, parameter, "Keep one.");
            return fields;
        }
    }
}
