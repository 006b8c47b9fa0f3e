using System.Globalization;

namespace LoopSim.Engine.Analysis;

/// <summary>
/// The memory a loop analysis allocates, estimated from its size before it is allocated, and the budget it must fit.
/// Most of it is per loop and save step: each loop's score and relative score, and while they are ranked its log score
/// and sign; then what describing each loop allocates (per link of it), the link scores (one per link that can lie on
/// a loop, every DT) and the run's values (every slot, every DT). It estimates what is allocated, an upper bound of
/// the peak: the loops' descriptions are mostly garbage collected as the analysis goes. The constants are measured
/// (LoopMemoryTests checks the estimate against the allocation, within 15 %).
/// </summary>
/// <param name="Slots">The run's value slots (the model's nodes, hidden ones included).</param>
/// <param name="LoopLinks">The links that can lie on a loop.</param>
/// <param name="Steps">DT steps.</param>
/// <param name="SavedSteps">Steps whose scores are kept: the save times.</param>
/// <param name="SaveStep">The model's save step, for the advice.</param>
/// <param name="Budget">The most bytes the analysis may take.</param>
public sealed record LoopAnalysisMemory(int Slots, int LoopLinks, int Steps, int SavedSteps, double SaveStep, long Budget)
{
    /// <summary>
    /// 1 GB: an analysis beyond it is refused unless the budget is raised. An eighth of a common 8 GB laptop, so the
    /// machine stays usable beside it, and an order above what a model one can read the loops of needs (the ecosystem
    /// model: tens of MB); a dense model of every loop past it is a sign to let the strongest-path search choose.
    /// </summary>
    public const long DefaultBudget = 1_000_000_000;

    /// <summary>Per loop per kept step: score, relative score, log score (8 B each), sign (1 B), and the dominant sets' keys.</summary>
    internal const double PerLoopPerSavedStep = 36;
    /// <summary>Per link of each loop listed: describing it (its path as reported, its key, its nodes and links), mostly garbage soon collected.</summary>
    internal const double PerLoopLink = 500;
    /// <summary>Per loop link per DT: its score.</summary>
    internal const double PerLinkPerStep = 8;
    /// <summary>Per slot per DT: the recorded run, and its copy as one row per step.</summary>
    internal const double PerSlotPerStep = 16;

    /// <summary>The estimated allocation of an analysis of <paramref name="loops"/> loops of <paramref name="loopLinks"/> links in all (counted in the full graph).</summary>
    public long Bytes(long loops, long loopLinks) => (long)(loops * PerLoopPerSavedStep * SavedSteps + loopLinks * PerLoopLink
        + PerLinkPerStep * LoopLinks * Steps + PerSlotPerStep * Slots * (Steps + 1.0));

    /// <summary>Refuses, with the fixes in the user's words, when the loops would not fit the budget.</summary>
    /// <param name="loops">The loops to score.</param>
    /// <param name="loopLinks">Their links in all.</param>
    /// <exception cref="ModelException">LS5014 when they would not fit.</exception>
    public void Check(long loops, long loopLinks)
    {
        long bytes = Bytes(loops, loopLinks);
        if (bytes <= Budget) return;
        double fixedPart = Bytes(0, 0);
        double perLoop = loops == 0 ? 0 : PerLoopLink * loopLinks / loops;
        var fixes = new List<string>();
        long fewer = loops == 0 ? 0 : (long)((Budget - fixedPart) / (perLoop + PerLoopPerSavedStep * SavedSteps));
        if (fewer >= 1)
            fixes.Add($"list at most {fewer:N0} loops (--max-loops {fewer}; beyond, the strongest-path search finds the loops that matter)");
        double savesThatFit = loops == 0 ? 0 : Math.Floor((Budget - fixedPart - perLoop * loops) / (PerLoopPerSavedStep * loops));
        if (savesThatFit >= 1)
        {
            double factor = Math.Ceiling(SavedSteps / savesThatFit);
            fixes.Add($"save less often: a save step of {(SaveStep * factor).ToString("G4", CultureInfo.InvariantCulture)} or more "
                      + $"(save_step in YAML, <save_step> or isee:save_interval in XMILE) keeps {SavedSteps / factor:N0} of the {SavedSteps:N0} save times");
        }
        if (fixedPart > Budget)
            fixes.Add($"a larger DT or a shorter run: the run's values and link scores at every DT alone take {Readable(fixedPart)}");
        fixes.Add("or raise the budget with --max-memory (GB) if the machine has the memory");
        throw new ModelException(DiagnosticCodes.LoopAnalysisTooLarge,
            $"the loop analysis would need about {Readable(bytes)} ({loops:N0} loops × {SavedSteps:N0} save times, "
            + $"{LoopLinks:N0} links × {Steps:N0} steps), more than its memory budget of {Readable(Budget)}",
            hint: "To fit: " + string.Join("; ", fixes) + ".");
    }

    /// <summary>"1.2 GB", "350 MB".</summary>
    public static string Readable(double bytes) => bytes >= 1e9
        ? (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
        : (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
