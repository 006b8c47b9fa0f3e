using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.Sensitivity;

public enum SensitivityMethod { Morris, Sobol }

/// <summary>How to analyse: the method, its sample size, and the metrics (each run's value of a variable at a time).</summary>
public sealed record SensitivityOptions
{
    public SensitivityMethod Method { get; init; } = SensitivityMethod.Sobol;
    /// <summary>Sobol': the base points N (N(k + 2) runs; a power of two keeps the sequence balanced). Morris: the trajectories r (r(k + 1) runs).</summary>
    public int Samples { get; init; } = 1024;
    /// <summary>Morris: grid levels p (even).</summary>
    public int Levels { get; init; } = 4;
    /// <summary>Sobol': bootstrap resamples for the intervals.</summary>
    public int Resamples { get; init; } = 1000;
    /// <summary>Sobol': the intervals' confidence.</summary>
    public double Confidence { get; init; } = 0.95;
    public required IReadOnlyList<RunMetric> Metrics { get; init; }
}

/// <summary>The one-at-a-time swing of one parameter: the metric with the parameter at its 5th and 95th percentile, the others at their medians.</summary>
public sealed record Swing(string Parameter, double LowValue, double HighValue, double AtLow, double AtHigh)
{
    public double Width => Math.Abs(AtHigh - AtLow);
}

/// <summary>One metric's sensitivity: its mean and variance over the design, the indices or effects, and the one-at-a-time swings around <see cref="BaseValue"/>.</summary>
public sealed record MetricSensitivity(MetricPoint Metric, double Mean, double Variance, IReadOnlyList<SobolIndex> Sobol,
    IReadOnlyList<MorrisEffect> Morris, double BaseValue, IReadOnlyList<Swing> Swings);

/// <summary>The sensitivity analysis of one city.</summary>
public sealed record SensitivityResult(string City, SensitivityMethod Method, IReadOnlyList<string> Parameters, int Samples, long Runs,
    IReadOnlyList<MetricSensitivity> Metrics);

/// <summary>
/// Global sensitivity of a city's model: Sobol' indices (Saltelli design) or Morris elementary effects over the
/// varied parameters' distributions, plus the one-at-a-time swing of each parameter. Common random numbers: every
/// run of one Sobol' base point (A, B and each A_B^j), of one Morris trajectory, and all the one-at-a-time runs share
/// one equation seed, so the differences the estimators take come from the parameters, not from the model's noise.
/// Base point or trajectory i has seed <see cref="RandomStreams.EquationSeed"/>(seed, city, i). The runs are the rows
/// of a <see cref="SensitivityDesign"/>, which shards evaluate in slices.
/// </summary>
public static class SensitivityRunner
{
    public static SensitivityResult Run(CompiledModel model, AnalysisSetup setup, SensitivityOptions options,
        IProgress<int>? progress = null, CancellationToken cancel = default) =>
        Run(new CompiledModelRuns(model), setup, options, progress, cancel);

    /// <summary>The runs the analysis takes: the design plus 1 + 2k one-at-a-time runs.</summary>
    public static long RunCount(SensitivityOptions options, int parameters) =>
        (options.Method == SensitivityMethod.Sobol ? SobolDesign.RunCount(options.Samples, parameters) : MorrisDesign.RunCount(options.Samples, parameters))
        + 1 + 2 * parameters;

    internal static SensitivityResult Run(IRunnableModel model, AnalysisSetup setup, SensitivityOptions options, IProgress<int>? progress, CancellationToken cancel)
    {
        var design = SensitivityDesign.Create(model, setup, options);
        return design.Analyse(design.Evaluate(0, design.Rows, progress, cancel), cancel);
    }

    /// <summary>The options checked against the model: the varied parameters and the metrics, every mistake a coded diagnostic.</summary>
    internal static (ResolvedAnalysis, MetricPoint[]) Resolve(IRunnableModel model, AnalysisSetup setup, SensitivityOptions options)
    {
        bool sobol = options.Method == SensitivityMethod.Sobol;
        if (sobol && options.Samples < 2)
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"a Sobol' analysis needs at least 2 base points (got {options.Samples}).", hint: "Use --samples 1024 or another power of two.");
        if (!sobol && options.Samples < 2)
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"a Morris analysis needs at least 2 trajectories (got {options.Samples}).", hint: "Use --samples 50 or more.");
        if (!sobol && (options.Levels < 2 || options.Levels % 2 != 0))
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"Morris levels must be even and at least 2 (got {options.Levels}).", hint: "Use --levels 4 (the usual choice) or 6, 8.");
        if (sobol && (options.Resamples < 10))
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"bootstrap resamples must be at least 10 (got {options.Resamples}).", hint: "Use --resamples 1000.");
        if (options.Metrics.Count == 0)
            throw new ModelException(DiagnosticCodes.NothingToReport, "no metric to analyse.", hint: "Give --metric VARIABLE[@TIME], e.g. --metric referrals_per_week@156.");
        var resolved = ResolvedAnalysis.Resolve(model, setup, sobol ? SobolSequence.MaxDimensions / 2 : int.MaxValue);
        long runs = RunCount(options, resolved.Varied.Length);
        if (runs * resolved.Varied.Length > Array.MaxLength)
            throw new ModelException(DiagnosticCodes.DesignTooLarge, $"the design has {runs} runs, too many to hold.", hint: "Use fewer samples.");
        var metrics = options.Metrics.Select(m => MetricPoint.Resolve(model, m)).ToArray();
        return (resolved, metrics);
    }
}
