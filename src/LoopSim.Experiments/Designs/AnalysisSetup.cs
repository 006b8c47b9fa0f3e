using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Experiments.Designs;

/// <summary>What an analysis of one city varies: the city's own values, the parameters and their distributions, the seed.</summary>
public sealed record AnalysisSetup
{
    /// <summary>The city's name: part of every random stream's key.</summary>
    public required string City { get; init; }
    /// <summary>The city's parameter values on top of the model's defaults.</summary>
    public IReadOnlyDictionary<string, double> CityParameters { get; init; } = new Dictionary<string, double>();
    /// <summary>The varied parameters; a varied parameter overrides a value the city or scenario sets.</summary>
    public required IReadOnlyList<DistributionSpec> Parameters { get; init; }
    public ulong Seed { get; init; }
    /// <summary>Worker threads; results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The parameters an analysis varies: every entry of the scenario's <c>uncertain:</c> section when
    /// <paramref name="given"/> is empty, else each given one (a range, or a name of the section).
    /// </summary>
    public static IReadOnlyList<DistributionSpec> Choose(IReadOnlyList<DistributionSpec> uncertain, IReadOnlyList<ParameterRange> given, string option)
    {
        if (given.Count == 0) return uncertain;
        return given.Select(p =>
        {
            if (p.HasRange) return p.Uniform();
            var canonical = Names.Canonical(p.Parameter);
            return uncertain.FirstOrDefault(u => Names.Canonical(u.Parameter) == canonical)
                ?? throw new ModelException(DiagnosticCodes.NoDistribution, $"{option} '{p.Parameter}' has no distribution in the scenario's 'uncertain:' section.", variable: p.Parameter,
                    hint: (uncertain.Count > 0 ? $"Its uncertain parameters: {string.Join(", ", uncertain.Select(u => u.Parameter))}. " : "")
                        + $"Or give a range: {option} {p.Parameter}=LOW..HIGH.");
        }).ToList();
    }
}

/// <summary>An analysis setup checked against a model: base parameter vector, the varied parameters' indices, names and distributions.</summary>
internal sealed record ResolvedAnalysis(double[] BaseParameters, int[] Varied, string[] Names, Distribution[] Distributions)
{
    public static ResolvedAnalysis Resolve(IRunnableModel model, AnalysisSetup setup, int maxParameters = int.MaxValue)
    {
        if (setup.Threads < 1)
            throw new ModelException(DiagnosticCodes.OptionInvalid, $"threads must be at least 1 (got {setup.Threads}).", hint: "Leave --threads out to use every core.");
        if (setup.Parameters.Count == 0)
            throw new ModelException(DiagnosticCodes.NothingToVary, "no parameters to vary.", hint: "Give --param NAME=LOW..HIGH (repeatable), or an 'uncertain:' section in the scenario.");
        if (setup.Parameters.Count > maxParameters)
            throw new ModelException(DiagnosticCodes.DesignTooLarge, $"{setup.Parameters.Count} parameters are more than this analysis takes ({maxParameters}).", hint: "Vary fewer parameters.");
        var baseParameters = model.DefaultParameters.ToArray();
        foreach (var (name, value) in setup.CityParameters)
            baseParameters[ResolvedSetup.ParameterIndex(model, name, null, $"city '{setup.City}'")] = value;
        var varied = new int[setup.Parameters.Count];
        for (int d = 0; d < varied.Length; d++)
        {
            var spec = setup.Parameters[d];
            varied[d] = ResolvedSetup.ParameterIndex(model, spec.Parameter, spec.Location, "the varied parameters");
            if (Array.IndexOf(varied, varied[d], 0, d) >= 0)
                throw new ModelException(DiagnosticCodes.GivenTwice, "the parameter is varied twice.", spec.Location, spec.Parameter, "Name each parameter once.");
        }
        return new ResolvedAnalysis(baseParameters, varied, varied.Select(i => model.ParameterNames[i]).ToArray(),
            setup.Parameters.Select(p => p.Distribution).ToArray());
    }

    /// <summary>Maps unit-cube coordinates (row-major, one row per run) to parameter values through each distribution's inverse CDF.</summary>
    public double[] Values(double[] unit)
    {
        int k = Varied.Length;
        var values = new double[unit.Length];
        for (long i = 0; i < unit.Length; i++) values[i] = Distributions[i % k].InverseCdf(unit[i]);
        return values;
    }
}
