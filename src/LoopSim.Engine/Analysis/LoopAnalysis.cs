using LoopSim.Engine.Model;

namespace LoopSim.Engine.Analysis;

/// <summary>Reinforcing: an even number of negative links; balancing: odd; undetermined: some link's sign is not fixed by structure.</summary>
public enum LoopPolarity { Reinforcing, Balancing, Undetermined }

/// <summary>
/// A link between two model variables as a loop passes it. <see cref="Through"/> names the builtin whose hidden
/// structure the link passes through (e.g. "DELAY3"); <see cref="IsDelay"/> when that structure holds state.
/// </summary>
public sealed record LoopLink(string From, string To, LinkPolarity Polarity, string? Through, bool IsDelay)
{
    /// <summary>The arrow as printed in a loop's path: "→", or "→(SMTH3)→" through a builtin.</summary>
    public string Arrow => Through is null ? "→" : $"→({Through})→";
}

/// <summary>One feedback loop of the model, with its scores at every DT.</summary>
public sealed class FeedbackLoop
{
    internal FeedbackLoop(IReadOnlyList<LoopLink> links, LoopPolarity polarity, double[] scores, double[] relativeScores)
    {
        Links = links;
        Path = links.Count == 0 ? "" : links[0].From + string.Concat(links.Select(l => $" {l.Arrow} {l.To}"));
        Polarity = polarity;
        Scores = scores;
        RelativeScores = relativeScores;
    }

    /// <summary>
    /// R1, R2… for reinforcing loops, B1… balancing, numbered by importance; a loop whose structure leaves its
    /// polarity open is Ru1/Bu1… when its scores in the run were clearly one sign, U1… otherwise (Stella's scheme).
    /// </summary>
    public string Id { get; internal set; } = "";
    /// <summary>The polarity from structure: the product of its links' polarities.</summary>
    public LoopPolarity Polarity { get; }
    /// <summary>
    /// The polarity its scores showed in this run (polarity confidence ≥ 0.99), else undetermined. For a loop whose
    /// structure leaves the polarity open this gives the Ru/Bu labels; it is not structural and can change with parameters.
    /// </summary>
    public LoopPolarity ObservedPolarity { get; internal set; }
    /// <summary>The loop's links in order; the last one closes the loop.</summary>
    public IReadOnlyList<LoopLink> Links { get; }
    /// <summary>The model variables on the loop, in order (hidden builtin structure left out).</summary>
    public IReadOnlyList<string> Variables => Links.Select(l => l.From).ToArray();
    /// <summary>The canonical names of <see cref="Variables"/>, for matching the loop against named loops.</summary>
    internal IReadOnlySet<string> CanonicalVariables => _canonicalVariables ??= Links.Select(l => Names.Canonical(l.From)).ToHashSet();
    private HashSet<string>? _canonicalVariables;
    /// <summary>The number of links between model variables.</summary>
    public int Length => Links.Count;
    /// <summary>"a → b →(DELAY3)→ c → a".</summary>
    public string Path { get; }
    /// <summary>The cycle partition (strongly connected stocks) the loop belongs to: its scores are relative to the loops of that partition.</summary>
    public int Partition { get; internal set; }
    /// <summary>The loop score at each of <see cref="LoopAnalysis.Times"/>: the product of its link scores (may be very large near inflection points).</summary>
    public double[] Scores { get; }
    /// <summary>Loop score ÷ Σ |loop scores| of the partition, in [−1, 1]; 0 while nothing in the partition changes.</summary>
    public double[] RelativeScores { get; }
    /// <summary>Mean |relative score| over the steps when its partition is changing: its share of the behaviour over the run.</summary>
    public double Share { get; internal set; }
    /// <summary>Fraction of those steps when the loop is in the dominant set.</summary>
    public double DominantFraction { get; internal set; }

    public override string ToString() => $"{Id} {Polarity} {Path}";
}

/// <summary>A group of stocks connected by feedback: loop scores are comparable only within one.</summary>
public sealed record LoopPartition(int Index, IReadOnlyList<string> Stocks, IReadOnlyList<string> LoopIds);

/// <summary>
/// A period when the same loops dominate a partition: at every step labelled in [From, To) the smallest set of loops
/// (strongest first) that explains at least half of the partition's total |loop score|; <see cref="LoopIds"/>
/// strongest over the period first, <see cref="Share"/> the mean part they explain. No loops: nothing changes.
/// </summary>
public sealed record DominancePeriod(int Partition, double From, double To, IReadOnlyList<string> LoopIds, double Share);

/// <summary>
/// How much of a stock's change the loops listed explain, as a share in [0, 1] (Σ |loop score| of the listed loops
/// through it ÷ that of every loop through it): its mean over the steps when loops through it change, and its lowest,
/// at <see cref="LowestAt"/>. Relative loop scores are shares of what the listed loops explain. NaN when not measured:
/// the partition has more states than the measure handles (see LoopCoverage).
/// </summary>
public sealed record StockCoverage(int Partition, string Stock, double Explained, double Lowest, double LowestAt);

/// <summary>The loops of a model and which of them drive its behaviour when.</summary>
public sealed class LoopAnalysis
{
    internal LoopAnalysis(double[] times, double end, IReadOnlyList<FeedbackLoop> loops, IReadOnlyList<LoopPartition> partitions,
        IReadOnlyList<DominancePeriod> dominance, bool exhaustive, int loopCap, IReadOnlyList<StockCoverage> coverage, IReadOnlyList<Diagnostic> warnings)
    {
        Coverage = coverage;
        Warnings = warnings;
        Times = times;
        End = end;
        Loops = loops;
        Partitions = partitions;
        Dominance = dominance;
        Exhaustive = exhaustive;
        LoopCap = loopCap;
    }

    /// <summary>
    /// The label of each scored step: its start t, for the step from t to t + DT, at the model's save times from the
    /// start to the last before the stop (scores are scored at every DT, for the strongest-path search, but kept at save
    /// times: per loop they are most of the memory). Stella labels LTM scores this way, so its scores and these agree
    /// time for time; the score at t is computed from the values at t and t + DT, and a dominance period [From, To)
    /// holds the steps labelled From ≤ t &lt; To, so a switch in dominance at t is the first step labelled t with the new loops.
    /// </summary>
    public double[] Times { get; }
    /// <summary>Where the last step ends: the stop time.</summary>
    public double End { get; }
    /// <summary>The loops, most important first.</summary>
    public IReadOnlyList<FeedbackLoop> Loops { get; }
    public IReadOnlyList<LoopPartition> Partitions { get; }
    /// <summary>Dominance periods of every partition, in time order per partition.</summary>
    public IReadOnlyList<DominancePeriod> Dominance { get; }
    /// <summary>True when every loop was listed (Johnson's algorithm); false when there were more than <see cref="LoopCap"/> (counted as reported: see <see cref="LoopAnalysisOptions.LoopCap"/>) and the strongest-path search found them.</summary>
    public bool Exhaustive { get; }
    public int LoopCap { get; }
    /// <summary>Per stock of each partition, how much of its change the loops listed explain: all of it when <see cref="Exhaustive"/>; empty when not measured (<see cref="LoopAnalysisOptions.MeasureCoverage"/>).</summary>
    public IReadOnlyList<StockCoverage> Coverage { get; }
    /// <summary>What the reports must say about this analysis: that the loops found explain little of some stocks' change.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; }
    /// <summary>The memory the analysis was estimated to allocate before it started (<see cref="LoopAnalysisMemory"/>).</summary>
    public long EstimatedBytes { get; internal init; }

    /// <summary>How the loops were found, in one sentence for reports.</summary>
    public string Method => Exhaustive
        ? $"every elementary loop (Johnson's algorithm): {Loops.Count}"
        : $"more than {LoopCap:N0} loop{(LoopCap == 1 ? "" : "s")} in the model, so listed the {Loops.Count} found by the strongest-path search "
          + "(Eberlein & Schoenberg 2020) at every DT; loops that never matter at any moment may be missing";

    public FeedbackLoop this[string id] => Loops.FirstOrDefault(l => l.Id == id)
        ?? throw new KeyNotFoundException($"no loop '{id}'");
}

public sealed record LoopAnalysisOptions
{
    /// <summary>
    /// List every elementary loop when the model has at most this many; beyond, find the loops that matter by
    /// strongest-path search. Counted as reported: loops inside a builtin's hidden structure (a smooth's own stages)
    /// do not count, and loops that differ only inside a builtin count once.
    /// </summary>
    public int LoopCap { get; init; } = 5000;
    /// <summary>Parameter values for the run (null: the model's defaults).</summary>
    public double[]? Parameters { get; init; }
    public ulong Seed { get; init; }
    /// <summary>Refuse an analysis estimated to need more memory than this, in bytes (<see cref="LoopAnalysisMemory"/>).</summary>
    public long MemoryBudget { get; init; } = LoopAnalysisMemory.DefaultBudget;
    /// <summary>
    /// Measure how much of each stock's change the loops found explain (<see cref="LoopAnalysis.Coverage"/> and its
    /// warnings); off where only the loops' scores are wanted (a dominance chart), since it costs as much as the search.
    /// </summary>
    public bool MeasureCoverage { get; init; } = true;
}
