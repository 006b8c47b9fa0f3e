using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace LoopSim.Experiments.Calibration;

public sealed record CalibrationOptions
{
    public Payoff Payoff { get; init; } = Payoff.Gaussian;
    /// <summary>Per data column, its weight in the SSE payoff (default 1).</summary>
    public IReadOnlyDictionary<string, double> Weights { get; init; } = new Dictionary<string, double>();
    /// <summary>Optimiser starts, from a Latin hypercube over the ranges.</summary>
    public int Starts { get; init; } = 8;
    /// <summary>Generations of the DE-MC sampler (0: no posterior); each moves every chain once.</summary>
    public int Generations { get; init; }
    /// <summary>Chains of the DE-MC sampler (even; two halves of this size update in turn).</summary>
    public int Chains { get; init; } = 16;
    public double Confidence { get; init; } = 0.95;
}

/// <summary>A fitted parameter: the best fit, its Wald interval from the Hessian, and (with MCMC) the posterior's central interval.</summary>
public sealed record FittedParameter(string Parameter, double Value, double StdError, double Low, double High, double RangeLow, double RangeHigh,
    double PosteriorMean = double.NaN, double PosteriorLow = double.NaN, double PosteriorHigh = double.NaN);

/// <summary>One observed column against the fitted model: the model at every saved time, the data at its times, and the posterior band when sampled.</summary>
public sealed record FittedSeries(string Column, string Variable, double[] Times, double[] Fitted, double[] DataTimes, double[] Data,
    double[]? P5 = null, double[]? P50 = null, double[]? P95 = null);

public sealed record CalibrationResult(IReadOnlyList<FittedParameter> Parameters, double Payoff, Payoff Kind, int Observations, int Evaluations,
    IReadOnlyList<FittedSeries> Series, double[]? Posterior, double Acceptance)
{
    /// <summary>Posterior draws, row-major (one row per draw, a column per parameter); null without MCMC.</summary>
    public int Draws => Posterior is null ? 0 : Posterior.Length / Parameters.Count;
}

/// <summary>
/// Fits parameters to observed time series. The best fit minimises the payoff (<see cref="Payoff"/>) with MathNet's
/// bounded BFGS (L-BFGS-B style, finite-difference gradients) from several starts drawn as a Latin hypercube over
/// the ranges, on the unit box (each parameter scaled to its range). Intervals are Wald intervals from the Hessian
/// of −log L at the optimum (central differences; the inverse Hessian is the covariance, with Student's t and the unbiased
/// variance for Gaussian errors): cheap, and right when the
/// likelihood is close to Gaussian near the optimum, too narrow where it is not — the MCMC's intervals then tell.
/// The posterior (uniform priors over the ranges) is sampled by differential-evolution Markov chain Monte Carlo
/// (ter Braak 2006): the chains are split in two halves, and each half moves using differences of the other half's
/// states, which stay fixed meanwhile: a valid Metropolis-within-Gibbs step, and one batch of the engine per half.
/// Every run uses one equation seed, so a model with random functions is fitted with common random numbers.
/// </summary>
public static class Calibrator
{
    /// <summary>The steps progress counts: each optimiser start, then each generation of the sampler.</summary>
    public static int Steps(CalibrationOptions options) => options.Starts + options.Generations;

    /// <summary>Fits; <paramref name="progress"/> receives the <see cref="Steps"/> done so far.</summary>
    public static CalibrationResult Run(CompiledModel model, AnalysisSetup setup, ObservedData data, CalibrationOptions options,
        IProgress<int>? progress = null, CancellationToken cancel = default) =>
        Run(new CompiledModelRuns(model), setup, data, options, progress, cancel);

    public static void Check(CompiledModel model, AnalysisSetup setup, ObservedData data, CalibrationOptions options) =>
        Resolve(new CompiledModelRuns(model), setup, data, options);

    internal static CalibrationResult Run(IRunnableModel model, AnalysisSetup setup, ObservedData data, CalibrationOptions options,
        IProgress<int>? progress, CancellationToken cancel)
    {
        var (resolved, likelihood, low, high) = Resolve(model, setup, data, options);
        int p = resolved.Varied.Length;
        ulong seed = RandomStreams.EquationSeed(setup.Seed, setup.City, 0);
        int evaluations = 0, startsDone = 0;
        var evaluator = new Evaluator(model, resolved, likelihood, low, high, seed);

        // Multi-start: a Latin hypercube of starts on the unit box, each optimised on its own thread's runner.
        var unitBox = Enumerable.Range(0, p).Select(_ => (Distribution)new UniformDistribution(0, 1)).ToArray();
        var starts = Sampler.Draw(unitBox, options.Starts, SamplingMethod.LatinHypercube, setup.Seed, setup.City + "/calibration");
        var fits = new (double[] U, double Value, int Evaluations)[options.Starts];
        try
        {
            Parallel.For(0, options.Starts, new ParallelOptions { MaxDegreeOfParallelism = setup.Threads, CancellationToken = cancel }, s =>
            {
                var own = evaluator.Fork();
                int count = 0;
                double Objective(Vector<double> u)
                {
                    cancel.ThrowIfCancellationRequested();
                    count++;
                    double value = own.Payoff(u.AsArray());
                    return double.IsFinite(value) ? value : 1e300;
                }
                var start = Vector<double>.Build.DenseOfArray(starts.Run(s).ToArray());
                double[] best;
                try
                {
                    best = FindMinimum.OfFunctionConstrained(Objective, Vector<double>.Build.Dense(p, 0), Vector<double>.Build.Dense(p, 1), start,
                        gradientTolerance: 1e-8, parameterTolerance: 1e-10, functionProgressTolerance: 1e-12, maxIterations: 500).ToArray();
                }
                catch (Exception e) when (e is MaximumIterationsException or InnerOptimizationException or OptimizationException or ArgumentException)
                {
                    best = start.ToArray();   // this start failed; the others decide
                }
                fits[s] = (best, own.Payoff(best), count);
                Interlocked.Add(ref evaluations, count);
                lock (fits) progress?.Report(++startsDone);
            });
        }
        catch (AggregateException e)
        {
            cancel.ThrowIfCancellationRequested();   // a start saw the cancel first: report it as one
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }
        cancel.ThrowIfCancellationRequested();
        var fit = fits.Where(f => double.IsFinite(f.Value)).OrderBy(f => f.Value).FirstOrDefault();
        if (fit.U is null)
            throw new ModelException(DiagnosticCodes.FitFailed, "no start of the optimiser gave a finite fit: the model gives non-finite values wherever it was tried.",
                hint: "Check the --fit ranges.");

        // Wald intervals from the Hessian of −log L on the unit box.
        double nllScale = likelihood.Payoff == Payoff.Sse ? 1 / (2 * fit.Value / Math.Max(1, likelihood.Observations - p)) : 1;
        var hessian = Hessian(u => evaluator.Payoff(u) * nllScale, fit.U, ref evaluations);
        var covariance = Covariance(hessian);
        // With Gaussian errors the variance is estimated from the residuals: the unbiased estimate (n − p in the
        // denominator) and Student's t with n − p degrees of freedom, as for nonlinear least squares; counts use the normal.
        int n = likelihood.Observations;
        double upper = 1 - (1 - options.Confidence) / 2;
        double z = likelihood.Payoff == Payoff.Poisson
            ? MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, upper)
            : MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - p, upper);
        double inflate = likelihood.Payoff == Payoff.Gaussian ? (double)n / (n - p) : 1;
        var parameters = new FittedParameter[p];
        for (int j = 0; j < p; j++)
        {
            double width = high[j] - low[j];
            double value = low[j] + fit.U[j] * width;
            double se = covariance is null || !(covariance[j, j] > 0) ? double.NaN : Math.Sqrt(covariance[j, j] * inflate) * width;
            parameters[j] = new FittedParameter(resolved.Names[j], value, se, value - z * se, value + z * se, low[j], high[j]);
        }

        double[]? posterior = null;
        double acceptance = double.NaN;
        if (options.Generations > 0)
        {
            (posterior, acceptance) = Sample(evaluator, fit.U, covariance, options, setup, ref evaluations,
                progress is null ? null : new Offset(progress, options.Starts), cancel);
            int draws = posterior.Length / p;
            for (int d = 0; d < draws; d++)
                for (int j = 0; j < p; j++) posterior[d * p + j] = low[j] + posterior[d * p + j] * (high[j] - low[j]);
            for (int j = 0; j < p; j++)
            {
                var column = Enumerable.Range(0, draws).Select(d => posterior[d * p + j]).Order().ToArray();
                double tail = (1 - options.Confidence) / 2;
                parameters[j] = parameters[j] with
                {
                    PosteriorMean = column.Average(),
                    PosteriorLow = Sensitivity.SobolDesign.Quantile(column, tail),
                    PosteriorHigh = Sensitivity.SobolDesign.Quantile(column, 1 - tail),
                };
            }
        }

        var series = Series(model, resolved, likelihood, data, parameters.Select(f => f.Value).ToArray(), posterior, seed, setup.Threads, cancel);
        return new CalibrationResult(parameters, fit.Value, likelihood.Payoff, likelihood.Observations, evaluations, series, posterior, acceptance);
    }

    private static (ResolvedAnalysis, Likelihood, double[] Low, double[] High) Resolve(IRunnableModel model, AnalysisSetup setup, ObservedData data, CalibrationOptions options)
    {
        if (options.Starts < 1) throw new ModelException(DiagnosticCodes.AnalysisSetting, $"--starts must be at least 1 (got {options.Starts}).");
        if (options.Generations < 0) throw new ModelException(DiagnosticCodes.AnalysisSetting, $"--mcmc must be 0 or more generations (got {options.Generations}).");
        if (options.Chains < 4 || options.Chains % 2 != 0) throw new ModelException(DiagnosticCodes.AnalysisSetting, $"--chains must be even and at least 4 (got {options.Chains}).");
        var resolved = ResolvedAnalysis.Resolve(model, setup);
        var ranges = resolved.Distributions.Select(d => d is UniformDistribution u ? u : null).ToArray();
        if (ranges.Any(r => r is null))
            throw new ModelException(DiagnosticCodes.ParameterRangeMalformed, "every fitted parameter needs a range.", hint: "Give --fit NAME=LOW..HIGH for each.");
        var likelihood = new Likelihood(model, data, options.Payoff, options.Weights);
        if (likelihood.Observations <= resolved.Varied.Length)
            throw new ModelException(DiagnosticCodes.DataTooFew, $"{likelihood.Observations} observations cannot fit {resolved.Varied.Length} parameters.", hint: "Fit fewer parameters or add data.");
        return (resolved, likelihood, ranges.Select(r => r!.Min).ToArray(), ranges.Select(r => r!.Max).ToArray());
    }

    /// <summary>The payoff of parameter vectors on the unit box, one run or one batch at a time, on one runner.</summary>
    private sealed class Evaluator(IRunnableModel model, ResolvedAnalysis resolved, Likelihood likelihood, double[] low, double[] high, ulong seed)
    {
        private readonly IModelRunner _runner = model.CreateRunner();
        private double[] _parameters = [];
        private double[] _buffer = [];

        public Evaluator Fork() => new(model, resolved, likelihood, low, high, seed);

        public int BatchSize => _runner.BatchSize;

        public double Payoff(double[] u) => Payoffs([u])[0];

        /// <summary>The payoff of each unit-box point (at most BatchSize per engine call).</summary>
        public double[] Payoffs(IReadOnlyList<double[]> points)
        {
            int n = points.Count, pc = resolved.BaseParameters.Length, perRun = model.SaveTimes.Count * likelihood.Outputs.Length;
            if (_parameters.Length < n * pc) { _parameters = new double[n * pc]; _buffer = new double[n * perRun]; }
            for (int r = 0; r < n; r++)
            {
                var own = _parameters.AsSpan(r * pc, pc);
                resolved.BaseParameters.CopyTo(own);
                for (int j = 0; j < resolved.Varied.Length; j++) own[resolved.Varied[j]] = low[j] + points[r][j] * (high[j] - low[j]);
            }
            var seeds = Enumerable.Repeat(seed, n).ToArray();
            for (int r = 0; r < n; r += _runner.BatchSize)
            {
                int batch = Math.Min(_runner.BatchSize, n - r);
                _runner.Run(_parameters.AsSpan(r * pc, batch * pc), seeds.AsSpan(r, batch), likelihood.Outputs, _buffer.AsSpan(r * perRun, batch * perRun),
                    SaveLayout.RunAfterRun(model.SaveTimes.Count, likelihood.Outputs.Length));
            }
            return Enumerable.Range(0, n).Select(r => likelihood.Evaluate(_buffer.AsSpan(r * perRun, perRun))).ToArray();
        }
    }

    /// <summary>Central-difference Hessian of f at u (step 1e-3 of the unit box, moved inside the box at its edges).</summary>
    private static double[,] Hessian(Func<double[], double> f, double[] u, ref int evaluations)
    {
        int p = u.Length;
        const double h = 1e-3;
        var centre = u.Select(v => Math.Clamp(v, h, 1 - h)).ToArray();
        double F(params (int J, double D)[] steps)
        {
            var x = (double[])centre.Clone();
            foreach (var (j, d) in steps) x[j] += d;
            return f(x);
        }
        double f0 = F();
        var hessian = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            hessian[i, i] = (F((i, h)) - 2 * f0 + F((i, -h))) / (h * h);
            for (int j = 0; j < i; j++)
                hessian[i, j] = hessian[j, i] = (F((i, h), (j, h)) - F((i, h), (j, -h)) - F((i, -h), (j, h)) + F((i, -h), (j, -h))) / (4 * h * h);
        }
        evaluations += 1 + 2 * p + 2 * p * (p - 1);
        return hessian;
    }

    /// <summary>The inverse of the Hessian, or null when it is not positive definite (a flat or non-identifiable direction).</summary>
    private static double[,]? Covariance(double[,] hessian)
    {
        var matrix = Matrix<double>.Build.DenseOfArray(hessian);
        if (!matrix.Enumerate().All(double.IsFinite)) return null;
        var cholesky = matrix.Cholesky();
        if (cholesky.Factor.Diagonal().Any(d => !(d > 0))) return null;
        try { return cholesky.Solve(Matrix<double>.Build.DenseIdentity(hessian.GetLength(0))).ToArray(); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>DE-MC: returns the kept draws (second half of the generations, thinned to at most 4,000) on the unit box, and the acceptance rate.</summary>
    private static (double[] Draws, double Acceptance) Sample(Evaluator evaluator, double[] best, double[,]? covariance, CalibrationOptions options,
        AnalysisSetup setup, ref int evaluations, IProgress<int>? progress, CancellationToken cancel)
    {
        int p = best.Length, chains = options.Chains, half = chains / 2;
        var rng = RandomStreams.Stream(setup.Seed, setup.City, RandomStreams.Purpose.Calibration, 1);
        double Normal() => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        // Start around the best fit, spread by the Wald standard errors (2% of the range where they are unknown).
        var spread = Enumerable.Range(0, p).Select(j => covariance is not null && covariance[j, j] > 0 ? Math.Min(Math.Sqrt(covariance[j, j]), 0.25) : 0.02).ToArray();
        var state = new double[chains][];
        for (int c = 0; c < chains; c++)
            state[c] = best.Select((v, j) => Math.Clamp(v + (c == 0 ? 0 : spread[j] * Normal()), 0, 1)).ToArray();
        var payoff = new double[chains];
        for (int c = 0; c < chains; c += evaluator.BatchSize)
        {
            var group = state.Skip(c).Take(evaluator.BatchSize).ToList();
            evaluator.Payoffs(group).CopyTo(payoff, c);
        }
        evaluations += chains;

        double gamma = 2.38 / Math.Sqrt(2 * p);
        int burnIn = options.Generations / 2, kept = options.Generations - burnIn;
        int thin = Math.Max(1, (int)Math.Ceiling(kept * (double)chains / 4000));
        var draws = new List<double>();
        long accepted = 0, proposed = 0;
        for (int g = 0; g < options.Generations; g++)
        {
            cancel.ThrowIfCancellationRequested();
            for (int h = 0; h < 2; h++)
            {
                int first = h * half, other = (1 - h) * half;
                var proposals = new List<double[]>();
                var owners = new List<int>();
                for (int c = first; c < first + half; c++)
                {
                    int r1 = other + (int)rng.NextBelow((ulong)half), r2;
                    do r2 = other + (int)rng.NextBelow((ulong)half); while (r2 == r1);
                    double step = rng.NextOpenDouble() < 0.1 ? 1.0 : gamma;   // every tenth step may jump between modes
                    var x = new double[p];
                    bool inside = true;
                    for (int j = 0; j < p; j++)
                    {
                        x[j] = state[c][j] + step * (state[r1][j] - state[r2][j]) + 1e-6 * Normal();
                        inside &= x[j] >= 0 && x[j] <= 1;
                    }
                    proposed++;
                    if (!inside) continue;   // outside the uniform prior: rejected without a run
                    proposals.Add(x);
                    owners.Add(c);
                }
                var values = new double[proposals.Count];
                for (int i = 0; i < proposals.Count; i += evaluator.BatchSize)
                    evaluator.Payoffs(proposals.Skip(i).Take(evaluator.BatchSize).ToList()).CopyTo(values, i);
                evaluations += proposals.Count;
                for (int i = 0; i < proposals.Count; i++)
                {
                    int c = owners[i];
                    double logRatio = payoff[c] - values[i];
                    if (double.IsFinite(values[i]) && (logRatio >= 0 || Math.Log(rng.NextOpenDouble()) < logRatio))
                    {
                        state[c] = proposals[i];
                        payoff[c] = values[i];
                        accepted++;
                    }
                }
            }
            if (g >= burnIn && (g - burnIn) % thin == 0)
                foreach (var s in state) draws.AddRange(s);
            progress?.Report(g + 1);
        }
        return (draws.ToArray(), (double)accepted / Math.Max(1, proposed));
    }

    private sealed class Offset(IProgress<int> inner, int offset) : IProgress<int>
    {
        public void Report(int value) => inner.Report(offset + value);
    }

    /// <summary>The fitted model (and the posterior's 5–50–95% band from up to 200 draws) for each observed column, at every saved time.</summary>
    private static FittedSeries[] Series(IRunnableModel model, ResolvedAnalysis resolved, Likelihood likelihood, ObservedData data, double[] best,
        double[]? posterior, ulong seed, int threads, CancellationToken cancel)
    {
        int p = best.Length, saves = model.SaveTimes.Count, columns = likelihood.Outputs.Length;
        var metrics = new List<Designs.MetricPoint>();
        foreach (int output in likelihood.Outputs)
            for (int i = 0; i < saves; i++) metrics.Add(new Designs.MetricPoint(output, i, model.OutputNames[output], model.SaveTimes[i]));
        int draws = posterior is null ? 0 : Math.Min(200, posterior.Length / p);
        var inputs = new double[(1 + draws) * p];
        best.CopyTo(inputs, 0);
        int total = posterior is null ? 0 : posterior.Length / p;
        for (int d = 0; d < draws; d++)
            Array.Copy(posterior!, (long)(d * total / draws) * p, inputs, (1 + d) * p, p);
        var values = DesignRunner.Run(model, resolved.BaseParameters, resolved.Varied, inputs, Enumerable.Repeat(seed, 1 + draws).ToArray(), metrics, threads, null, cancel);
        int m = metrics.Count;
        return Enumerable.Range(0, columns).Select(c =>
        {
            var fitted = Enumerable.Range(0, saves).Select(i => values[c * saves + i]).ToArray();
            double[]? p5 = null, p50 = null, p95 = null;
            if (draws > 0)
            {
                p5 = new double[saves]; p50 = new double[saves]; p95 = new double[saves];
                for (int i = 0; i < saves; i++)
                {
                    var column = Enumerable.Range(1, draws).Select(d => values[(long)d * m + c * saves + i]).Order().ToArray();
                    p5[i] = Sensitivity.SobolDesign.Quantile(column, 0.05);
                    p50[i] = Sensitivity.SobolDesign.Quantile(column, 0.5);
                    p95[i] = Sensitivity.SobolDesign.Quantile(column, 0.95);
                }
            }
            return new FittedSeries(data.Columns[c], model.OutputNames[likelihood.Outputs[c]], [.. model.SaveTimes], fitted, [.. data.Times], data.Values[c], p5, p50, p95);
        }).ToArray();
    }
}
