using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.Discovery;

/// <summary>The scenario a condition compares against (<c>versus.</c> terms): its compiled model and its city's own values.</summary>
public sealed record VersusSetup(CompiledModel Model, IReadOnlyDictionary<string, double> CityParameters);

/// <summary>The discovery of one city: the sampled cases, each case's value of the condition's left side, which cases are of interest, and PRIM's boxes.</summary>
public sealed record DiscoveryResult(string City, IReadOnlyList<string> Parameters, double[] Inputs, double[] Values, bool[] OfInterest, PrimResult Prim)
{
    public int Cases => OfInterest.Length;
}

/// <summary>
/// Scenario discovery: a Latin hypercube of cases over the varied parameters (case i: the sampled values and equation
/// seed of Monte Carlo run i), the condition evaluated in each, then PRIM over the inputs. With a <c>versus</c>
/// scenario every case runs in both with the same inputs and the same equation seed (common random numbers); the
/// versus scenario keeps its own values for the parameters it sets itself (its policy) and shares the rest.
/// </summary>
public static class DiscoveryRunner
{
    public static DiscoveryResult Run(CompiledModel model, AnalysisSetup setup, int cases, WhereCondition where, VersusSetup? versus,
        PrimOptions prim, IProgress<int>? progress = null, CancellationToken cancel = default) =>
        Run(new CompiledModelRuns(model), setup, cases, where, versus is null ? null : (new CompiledModelRuns(versus.Model), versus.CityParameters), prim, progress, cancel);

    /// <summary>Checks everything <see cref="Run(CompiledModel, AnalysisSetup, int, WhereCondition, VersusSetup?, PrimOptions, IProgress{int}?, CancellationToken)"/> would check, without running.</summary>
    public static void Check(CompiledModel model, AnalysisSetup setup, int cases, WhereCondition where, VersusSetup? versus, PrimOptions prim) =>
        Resolve(new CompiledModelRuns(model), setup, cases, where, versus is null ? null : (new CompiledModelRuns(versus.Model), versus.CityParameters), prim);

    /// <summary>Runs per case: one, or two with a versus scenario.</summary>
    public static int RunsPerCase(WhereCondition where) => where.UsesVersus ? 2 : 1;

    internal static DiscoveryResult Run(IRunnableModel model, AnalysisSetup setup, int cases, WhereCondition where,
        (IRunnableModel Model, IReadOnlyDictionary<string, double> CityParameters)? versus, PrimOptions prim, IProgress<int>? progress, CancellationToken cancel)
    {
        var plan = Resolve(model, setup, cases, where, versus, prim);
        var samples = Sampler.Draw(plan.Own.Distributions, cases, SamplingMethod.LatinHypercube, setup.Seed, setup.City);
        int k = plan.Own.Varied.Length;
        var inputs = new double[(long)cases * k];
        for (int i = 0; i < cases; i++) samples.Run(i).CopyTo(inputs.AsSpan(i * k, k));
        var seeds = samples.EquationSeeds.ToArray();

        var own = DesignRunner.Run(model, plan.Own.BaseParameters, plan.Own.Varied, inputs, seeds, plan.OwnMetrics, setup.Threads, progress, cancel);
        double[]? other = null;
        if (plan.Versus is { } v)
        {
            var shared = new double[(long)cases * v.Columns.Length];
            for (int i = 0; i < cases; i++)
                for (int c = 0; c < v.Columns.Length; c++) shared[(long)i * v.Columns.Length + c] = inputs[(long)i * k + v.Columns[c]];
            var offset = progress is null ? null : new Offset(progress, cases);
            other = DesignRunner.Run(versus!.Value.Model, v.BaseParameters, v.Varied, shared, seeds, v.Metrics, setup.Threads, offset, cancel);
        }

        var terms = where.Terms.ToList();
        var values = new double[cases];
        var ofInterest = new bool[cases];
        for (int i = 0; i < cases; i++)
        {
            double Term(int t) => terms[t].Versus ? other![(long)i * plan.VersusMetricCount + plan.TermSlot[t]] : own[(long)i * plan.OwnMetrics.Length + plan.TermSlot[t]];
            values[i] = where.Value(Term(0), terms.Count > 1 ? Term(1) : double.NaN);
            ofInterest[i] = where.Holds(values[i]);
        }
        return new DiscoveryResult(setup.City, plan.Own.Names, inputs, values, ofInterest, Prim.Run(inputs, ofInterest, plan.Own.Names, prim));
    }

    private sealed record VersusPlan(double[] BaseParameters, int[] Varied, int[] Columns, MetricPoint[] Metrics);

    private sealed record Plan(ResolvedAnalysis Own, MetricPoint[] OwnMetrics, VersusPlan? Versus, int VersusMetricCount, int[] TermSlot);

    private static Plan Resolve(IRunnableModel model, AnalysisSetup setup, int cases, WhereCondition where,
        (IRunnableModel Model, IReadOnlyDictionary<string, double> CityParameters)? versus, PrimOptions prim)
    {
        if (cases < 10)
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"discovery needs at least 10 cases (got {cases}).", hint: "Use --cases 1000 or more.");
        if (!(prim.Alpha > 0 && prim.Alpha < 0.5))
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"the peeling share must be between 0 and 0.5 (got {prim.Alpha}).", hint: "Use --alpha 0.05.");
        if (!(prim.MinMass > 0 && prim.MinMass < 1))
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"the minimum mass must be between 0 and 1 (got {prim.MinMass}).", hint: "Use --min-mass 0.05.");
        if (!(prim.Threshold > 0 && prim.Threshold <= 1))
            throw new ModelException(DiagnosticCodes.AnalysisSetting, $"the density threshold must be in (0, 1] (got {prim.Threshold}).", hint: "Use --threshold 0.8.");
        if (where.UsesVersus && versus is null)
            throw new ModelException(DiagnosticCodes.VersusMissing, $"--where \"{where}\" uses 'versus.' but no scenario to compare with was given.", hint: "Add --versus OTHER-SCENARIO.yaml.");

        var own = ResolvedAnalysis.Resolve(model, setup);
        var terms = where.Terms.ToList();
        var ownMetrics = new List<MetricPoint>();
        var versusMetrics = new List<MetricPoint>();
        var slots = new int[terms.Count];
        for (int t = 0; t < terms.Count; t++)
        {
            var list = terms[t].Versus ? versusMetrics : ownMetrics;
            list.Add(MetricPoint.Resolve(terms[t].Versus ? versus!.Value.Model : model, terms[t].Metric));
            slots[t] = list.Count - 1;
        }
        if (ownMetrics.Count == 0)   // the runner needs one metric; the case's own run is kept for the cases table
            ownMetrics.Add(MetricPoint.Resolve(model, terms[0].Metric));

        VersusPlan? versusPlan = null;
        if (versus is { } v && versusMetrics.Count > 0)
        {
            var baseParameters = v.Model.DefaultParameters.ToArray();
            var setHere = new HashSet<int>();
            foreach (var (name, value) in v.CityParameters)
            {
                int index = ResolvedSetup.ParameterIndex(v.Model, name, null, "the versus scenario");
                baseParameters[index] = value;
                setHere.Add(index);
            }
            var varied = new List<int>();
            var columns = new List<int>();
            for (int d = 0; d < own.Names.Length; d++)
            {
                int index = ResolvedSetup.ParameterIndex(v.Model, own.Names[d], null, "the versus scenario");
                if (setHere.Contains(index)) continue;   // the versus scenario's own policy
                varied.Add(index);
                columns.Add(d);
            }
            versusPlan = new VersusPlan(baseParameters, [.. varied], [.. columns], [.. versusMetrics]);
        }
        return new Plan(own, [.. ownMetrics], versusPlan, versusMetrics.Count, slots);
    }

    private sealed class Offset(IProgress<int> inner, int offset) : IProgress<int>
    {
        public void Report(int value) => inner.Report(offset + value);
    }
}
