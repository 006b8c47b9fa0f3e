using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.MonteCarlo;

/// <summary>The Monte Carlo of one city: which parameters vary how and how many runs (what to report is an argument of the runner).</summary>
public sealed record MonteCarloSetup
{
    /// <summary>The city's name: part of every random stream's key (see <see cref="RandomStreams"/>).</summary>
    public required string City { get; init; }
    /// <summary>The city's parameter values on top of the model's defaults (any spelling of the names).</summary>
    public IReadOnlyDictionary<string, double> CityParameters { get; init; } = new Dictionary<string, double>();
    public IReadOnlyList<DistributionSpec> Uncertain { get; init; } = [];
    /// <summary>At least 1: the user's value is checked where it is read (ScenarioValidator.Runs), so a smaller one here is a programming error.</summary>
    public int Runs { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Runs), value, "A Monte Carlo needs at least one run."); } = 1000;
    public ulong Seed { get; init; }
    public SamplingMethod Sampling { get; init; } = SamplingMethod.LatinHypercube;
    /// <summary>Worker threads, at least 1; results do not depend on it.</summary>
    public int Threads { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, "At least one thread runs."); } = Environment.ProcessorCount;
    /// <summary>
    /// Bytes of run values kept in memory: a Monte Carlo whose values (runs × outputs × (times + 1) × 8) fit stays in
    /// memory; a larger one is written to a spill file and summarised from it in about this much memory. Results do not depend on it.
    /// </summary>
    public long MemoryBudget { get; init; } = 256L << 20;
    /// <summary>Where a spill file goes (deleted when the city is summarised, or cancelled); null: the temporary folder.</summary>
    public string? SpillFolder { get; init; }
}

/// <summary>
/// Shard <see cref="Index"/> (0-based) of <see cref="Count"/>: the runs [⌊R·I/N⌋, ⌊R·(I+1)/N⌋) of an experiment of R
/// runs, so shards differ in size by at most one run and some are empty when R &lt; N.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard Whole = new(0, 1);

    /// <summary>The first run and the number of runs of this shard in an experiment of <paramref name="runs"/> runs.</summary>
    public (long First, long Count) Slice(long runs)
    {
        long first = runs * Index / Count, end = runs * (Index + 1) / Count;
        return (first, end - first);
    }

    /// <summary>Reads "I/N" (0 ≤ I &lt; N).</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int index) && int.TryParse(parts[1], out int count) && count >= 1 && index >= 0 && index < count)
            return new Shard(index, count);
        throw new ModelException(DiagnosticCodes.ShardInvalid, $"--shard '{text}' is not I/N with 0 ≤ I < N.", hint: "Give the shard's 0-based index and the number of shards, e.g. --shard 2/8.");
    }

    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>A setup checked against a model: names resolved to indices, every mistake reported before any run.</summary>
internal sealed record ResolvedSetup(
    double[] BaseParameters,
    int[] UncertainIndices,
    string[] UncertainNames,
    int[] Outputs,
    string[] OutputNames)
{
    public static ResolvedSetup Resolve(IRunnableModel model, MonteCarloSetup setup, IReadOnlyList<string> outputNames, IReadOnlyList<int>? sweptParameters = null)
    {
        if (outputNames.Count == 0)
            throw new ModelException(DiagnosticCodes.NothingToReport, "no output variables to report.", hint: "Name at least one variable to report.");

        var baseParameters = model.DefaultParameters.ToArray();
        var setBy = new Dictionary<int, string>();
        foreach (var (name, value) in setup.CityParameters)
        {
            int index = ParameterIndex(model, name, null, $"city '{setup.City}'");
            baseParameters[index] = value;
            setBy[index] = $"set for city '{setup.City}'";
        }
        foreach (var index in sweptParameters ?? [])
            setBy[index] = "swept";

        var uncertain = new int[setup.Uncertain.Count];
        var seen = new HashSet<int>();
        for (int d = 0; d < uncertain.Length; d++)
        {
            var spec = setup.Uncertain[d];
            int index = ParameterIndex(model, spec.Parameter, spec.Location, "uncertain:");
            if (!seen.Add(index))
                throw new ModelException(DiagnosticCodes.GivenTwice, "uncertain parameter is given twice.", spec.Location, spec.Parameter, "Keep one distribution for it.");
            if (setBy.TryGetValue(index, out var how))
                throw new ModelException(DiagnosticCodes.UncertainAndFixed, $"uncertain parameter is also {how}.", spec.Location, spec.Parameter,
                    "A parameter is either uncertain or fixed: remove one of the two.");
            uncertain[d] = index;
        }

        var outputs = outputNames.Select(name => OutputIndex(model, name, null)).ToArray();

        return new ResolvedSetup(baseParameters, uncertain,
            uncertain.Select(i => model.ParameterNames[i]).ToArray(),
            outputs, outputs.Select(k => model.OutputNames[k]).ToArray());
    }

    public static int ParameterIndex(IRunnableModel model, string name, SourceLocation? location, string where) =>
        Index(model.ParameterNames, name, location, $"parameter in {where}",
            "Only variables whose equation is a constant can be varied per run.");

    public static int OutputIndex(IRunnableModel model, string name, SourceLocation? location) =>
        Index(model.OutputNames, name, location, "output variable", "Name a stock, flow or auxiliary of the model.");

    private static int Index(IReadOnlyList<string> names, string name, SourceLocation? location, string what, string hint)
    {
        var canonical = Names.Canonical(name);
        for (int i = 0; i < names.Count; i++)
            if (Names.Canonical(names[i]) == canonical) return i;
        throw new ModelException(DiagnosticCodes.UnknownName, $"unknown {what}.", location, name, Names.DidYouMean(name, names) ?? hint);
    }
}
