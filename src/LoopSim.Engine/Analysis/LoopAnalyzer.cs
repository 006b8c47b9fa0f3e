using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Runtime;

namespace LoopSim.Engine.Analysis;

/// <summary>
/// Finds a model's feedback loops and measures which dominate when (Loops That Matter). One run of the model
/// records every node at every DT; link scores come from re-evaluating equations (<see cref="LinkScores"/>); a
/// loop's score is the product of its link scores; relative scores are normalised within the loop's cycle
/// partition.
/// <para>
/// Loops are found on the full lowered graph, so a loop can pass through a builtin's hidden stocks. As the LTM
/// authors do for macros, a loop is reported by its model variables only (the hidden part collapsed into one
/// link marked with the builtin), loops entirely inside a builtin are dropped, and loops that differ only inside
/// a builtin are one reported loop whose score at each step is that of the strongest of them (their "composite
/// link score").
/// </para>
/// </summary>
public static class LoopAnalyzer
{
    public static LoopAnalysis Analyze(CompiledModel model, LoopAnalysisOptions? options = null)
    {
        options ??= new LoopAnalysisOptions();
        if (options.LoopCap < 1) throw new ArgumentOutOfRangeException(nameof(options), "the loop cap must be at least 1");
        var graph = CausalGraph.Build(model);
        var loopLinks = Enumerable.Range(0, graph.Links.Count).Where(k => graph.OnSomeCycle(graph.Links[k])).ToArray();

        var successors = new List<int>[graph.Nodes.Count];
        for (int i = 0; i < successors.Length; i++) successors[i] = new();
        foreach (var k in loopLinks) successors[graph.Links[k].From].Add(graph.Links[k].To);
        // Scores are kept at the save steps only: per loop, that is most of the memory (LoopAnalysisMemory).
        int steps = model.StepCount;
        var kept = Enumerable.Range(0, steps).Where(k => k % model.SaveStride == 0).ToArray();
        var size = new LoopAnalysisMemory(Slots.FirstNode + graph.Nodes.Count, loopLinks.Length, steps, kept.Length, model.Specs.Dt * model.SaveStride, options.MemoryBudget);
        var shapes = Listed(graph, successors, options.LoopCap, size);
        if (shapes is null) size.Check(0, 0);   // the run and the link scores alone, before the search

        var simulation = model.CreateSimulation();
        var values = simulation.RunRecordingEverySlot(options.Parameters ?? model.DefaultParameters, options.Seed);
        var linkScores = LinkScores.Compute(model, graph, loopLinks, values, simulation.Context);
        bool exhaustive = shapes is not null;
        shapes ??= StrongestPathSearch.Discover(graph, loopLinks, linkScores, steps).Select(c => Shape(graph, c)).OfType<LoopShape>().ToList();
        if (!exhaustive) size.Check(shapes.Count, shapes.Sum(l => (long)l.Full.Links.Length));

        var loops = Collapse(shapes, linkScores, kept);
        // Each step labelled by its start, as Stella does (see LoopAnalysis.Times).
        var times = kept.Select(k => model.Specs.Start + k * model.Specs.Dt).ToArray();
        double end = model.Specs.Start + steps * model.Specs.Dt;
        var (ordered, partitions, dominance) = Rank(graph, loops, times, end);
        var coverage = options.MeasureCoverage ? Coverage(graph, loopLinks, loops, linkScores, kept, times, partitions, exhaustive) : [];
        var warnings = exhaustive || !options.MeasureCoverage ? [] : CoverageWarnings(coverage, ordered.Count, options.LoopCap);
        return new LoopAnalysis(times, end, ordered, partitions, dominance, exhaustive, options.LoopCap, coverage, warnings)
        {
            EstimatedBytes = size.Bytes(shapes.Count, shapes.Sum(l => (long)l.Full.Links.Length)),
        };
    }

    /// <summary>
    /// Below this share of a stock's change explained by the loops found, the analysis warns: dominance is the fewest
    /// loops explaining half of the change, so when the loops found explain less than half of a stock's, the loops not
    /// found could dominate it and the dominance reported is not to be trusted.
    /// </summary>
    public const double LowCoverage = 0.5;

    /// <summary>Per reported stock of each partition, the mean and lowest share of its change the listed loops explain (<see cref="LoopCoverage"/>).</summary>
    private static List<StockCoverage> Coverage(CausalGraph graph, int[] loopLinks, List<Reported> loops, double[]?[] linkScores, int[] kept, double[] times,
        List<LoopPartition> partitions, bool exhaustive)
    {
        var members = loops.SelectMany(r => r.Members).Select(m => (m.Nodes, m.Links)).ToList();
        var shares = LoopCoverage.Compute(graph, loopLinks, members, linkScores, kept, exhaustive);
        var byName = shares.ToDictionary(p => Names.Display(graph.Nodes[p.Key].DisplayName), p => p.Value);
        var result = new List<StockCoverage>();
        foreach (var partition in partitions)
            foreach (var stock in partition.Stocks)
            {
                if (!byName.TryGetValue(stock, out var share)) continue;
                var measured = Enumerable.Range(0, share.Length).Where(i => !double.IsNaN(share[i])).ToList();
                if (measured.Count == 0)
                {
                    result.Add(new StockCoverage(partition.Index, stock, double.NaN, double.NaN, double.NaN));
                    continue;
                }
                int lowest = measured.MinBy(i => share[i]);
                result.Add(new StockCoverage(partition.Index, stock, measured.Average(i => share[i]), share[lowest], times[lowest]));
            }
        return result;
    }

    private static List<Diagnostic> CoverageWarnings(List<StockCoverage> coverage, int found, int cap)
    {
        var low = coverage.Where(c => c.Explained < LowCoverage).OrderBy(c => c.Explained).ToList(); // NaN (not measured) is never low
        if (low.Count == 0) return [];
        var named = string.Join(", ", low.Take(5).Select(c => $"{c.Stock} {c.Explained:P0}")) + (low.Count > 5 ? $" and {low.Count - 5} more" : "");
        return [new Diagnostic(DiagnosticCodes.LoopsExplainLittle,
            $"the {found} loops found by the strongest-path search explain less than half of the change of {low.Count} of {coverage.Count(c => !double.IsNaN(c.Explained))} stocks ({named}, mean over the run), "
            + "so their relative scores and dominance leave out loops that may matter more",
            Hint: $"Raise --max-loops above the model's number of loops (more than {cap:N0}) to list every loop; coverage.csv gives each stock's share.")];
    }

    /// <summary>A loop of the full graph: its nodes and the link leaving each of them.</summary>
    private sealed record FullLoop(int[] Nodes, int[] Links);

    /// <summary>A reported loop and the full loops it stands for, with its composite score as log |score| and sign.</summary>
    private sealed class Reported
    {
        public required List<LoopLink> Links { get; init; }
        public required List<FullLoop> Members { get; init; }
        public required int Component { get; init; }
        public double[] LogMagnitude = Array.Empty<double>();
        public sbyte[] Sign = Array.Empty<sbyte>();
        public LoopPolarity Polarity;
    }

    /// <summary>
    /// Every loop of the full graph that shows as a model loop, or null when more than <paramref name="cap"/> distinct
    /// model loops exist: the cap counts the loops a user sees, not those inside a builtin nor the variants of one
    /// loop that differ only inside a builtin.
    /// </summary>
    /// <remarks>
    /// Refuses (<see cref="LoopAnalysisMemory.Check"/>) when the loops would not fit the memory budget: once they are
    /// past it, it only counts the rest (so the refusal gives the whole count and fixes that fit), holding none.
    /// </remarks>
    private static List<LoopShape>? Listed(CausalGraph graph, List<int>[] successors, int cap, LoopAnalysisMemory size)
    {
        // Only the key while counting: most models past the cap are found out after thousands of loops, whose shapes
        // (the described links) would be thrown away; the kept loops are shaped once the count is known to fit.
        var loops = new List<(int[] Cycle, List<(int From, int To)> Walk, string Key)>();
        var visible = new HashSet<string>();
        long count = 0, links = 0;
        bool over = false;
        foreach (var cycle in ElementaryCycles.Enumerate(successors))
        {
            if (Walk(graph, cycle) is not { } walk) continue;
            var key = Key(graph, cycle, walk);
            if (visible.Add(key) && visible.Count > cap) return null;
            count++;
            links += cycle.Length;
            if (over) continue;
            loops.Add((cycle, walk, key));
            if ((count & 1023) == 0 && size.Bytes(count, links) > size.Budget) { over = true; loops.Clear(); }
        }
        size.Check(count, links);
        return loops.Select(loop => Shape(graph, loop.Cycle, loop.Walk, loop.Key)).ToList();
    }

    /// <summary>
    /// How the user walks a loop of the full graph: from its first visible stock in model order (else its first visible
    /// node), each visible node's position in <paramref name="cycle"/> and the next visible one's (counted on past the
    /// end, modulo its length), the hidden nodes between them collapsed; null for a loop inside a builtin.
    /// </summary>
    private static List<(int From, int To)>? Walk(CausalGraph graph, int[] cycle)
    {
        var nodes = graph.Nodes;
        int start = Enumerable.Range(0, cycle.Length).Where(i => !nodes[cycle[i]].Hidden)
            .OrderBy(i => nodes[cycle[i]].Kind == NodeKind.Stock ? 0 : 1).ThenBy(i => cycle[i]).DefaultIfEmpty(-1).First();
        if (start < 0) return null; // a loop inside a builtin (e.g. a smooth's own adjustment): not the model's
        var walk = new List<(int, int)>();
        int n = cycle.Length;
        for (int offset = 0; offset < n;)
        {
            int next = offset + 1;
            while (nodes[cycle[(start + next) % n]].Hidden) next++;
            walk.Add((start + offset, start + next));
            offset = next;
        }
        return walk;
    }

    /// <summary>The model loop a loop shows as: its visible nodes and the builtins each link goes through.</summary>
    private static string Key(CausalGraph graph, int[] cycle, List<(int From, int To)> walk) =>
        string.Join(" ", walk.Select(s => cycle[s.From % cycle.Length])) + "|" + string.Join(" ", walk.Select(s => Through(graph, cycle, s) ?? "-"));

    /// <summary>The builtins the hidden nodes of a link of the walk belong to ("SMTH3", "DELAY1+SMTH1"), or null.</summary>
    private static string? Through(CausalGraph graph, int[] cycle, (int From, int To) link)
    {
        List<string>? builtins = null;
        for (int p = link.From + 1; p < link.To; p++)
            if (graph.Nodes[cycle[p % cycle.Length]].Builtin?.Name is { } name && !(builtins ??= []).Contains(name))
                builtins.Add(name);
        return builtins is null ? null : string.Join("+", builtins);
    }

    /// <summary>A loop of the full graph as the user sees it: its model variables, the hidden part of each link collapsed; null for a loop inside a builtin.</summary>
    private static LoopShape? Shape(CausalGraph graph, int[] cycle) =>
        Walk(graph, cycle) is { } walk ? Shape(graph, cycle, walk, Key(graph, cycle, walk)) : null;

    private static LoopShape Shape(CausalGraph graph, int[] cycle, List<(int From, int To)> walk, string key)
    {
        var full = WithLinks(graph, cycle);
        return new LoopShape(key, walk.Select(link => Describe(graph, cycle, full, link)).ToList(), full, graph.Component[cycle[0]]);
    }

    /// <summary>A loop of the full graph, with the model loop it shows as (<see cref="Key"/> names that loop).</summary>
    private sealed record LoopShape(string Key, List<LoopLink> Links, FullLoop Full, int Component);

    private static List<Reported> Collapse(List<LoopShape> shapes, double[]?[] linkScores, int[] kept)
    {
        var byKey = new Dictionary<string, Reported>();
        var order = new List<Reported>();
        foreach (var shape in shapes)
        {
            var links = shape.Links;
            if (!byKey.TryGetValue(shape.Key, out var reported))
            {
                reported = new Reported { Links = links, Members = new(), Component = shape.Component };
                byKey[shape.Key] = reported;
                order.Add(reported);
            }
            else
                for (int i = 0; i < links.Count; i++)
                    if (reported.Links[i].Polarity != links[i].Polarity)
                        reported.Links[i] = reported.Links[i] with { Polarity = LinkPolarity.Undetermined };
            reported.Members.Add(shape.Full);
        }
        var product = new double[kept.Length];
        foreach (var r in order) Score(r, linkScores, kept, product);
        return order;
    }

    private static FullLoop WithLinks(CausalGraph graph, int[] cycle)
    {
        var links = new int[cycle.Length];
        for (int i = 0; i < cycle.Length; i++)
        {
            int to = cycle[(i + 1) % cycle.Length];
            links[i] = graph.Outgoing[cycle[i]].First(k => graph.Links[k].To == to);
        }
        return new FullLoop(cycle, links);
    }

    private static LoopLink Describe(CausalGraph graph, int[] cycle, FullLoop full, (int From, int To) link)
    {
        int n = cycle.Length;
        bool delay = false;
        for (int p = link.From + 1; p < link.To; p++)
            delay |= graph.Nodes[cycle[p % n]].Kind is NodeKind.Stock or NodeKind.FixedDelay;
        var polarity = LinkPolarity.Positive;
        for (int p = link.From; p < link.To; p++)
            polarity = Multiply(polarity, graph.Links[full.Links[p % n]].Polarity);
        return new LoopLink(graph.Name(cycle[link.From % n]), graph.Name(cycle[link.To % n]), polarity, Through(graph, cycle, link), delay);
    }

    private static LinkPolarity Multiply(LinkPolarity a, LinkPolarity b) =>
        a == LinkPolarity.Undetermined || b == LinkPolarity.Undetermined ? LinkPolarity.Undetermined
        : a == b ? LinkPolarity.Positive : LinkPolarity.Negative;

    /// <summary>
    /// Each member's loop score, the product of its link scores; the reported score is the strongest member's.
    /// Kept as log |score| and sign, so that relative scores stay exact when long loops near an inflection point
    /// multiply huge link scores (where the plain product overflows, the logs are summed instead).
    /// </summary>
    private static void Score(Reported r, double[]?[] linkScores, int[] kept, double[] product)
    {
        var polarity = r.Links.Select(l => l.Polarity).Aggregate(LinkPolarity.Positive, Multiply);
        r.Polarity = polarity switch
        {
            LinkPolarity.Positive => LoopPolarity.Reinforcing,
            LinkPolarity.Negative => LoopPolarity.Balancing,
            _ => LoopPolarity.Undetermined,
        };
        int steps = kept.Length;
        r.LogMagnitude = new double[steps];
        r.Sign = new sbyte[steps];
        Array.Fill(r.LogMagnitude, double.NegativeInfinity);
        foreach (var member in r.Members)
        {
            Array.Fill(product, 1.0);
            foreach (var k in member.Links)
            {
                var scores = linkScores[k]!;
                for (int step = 0; step < steps; step++) product[step] *= scores[kept[step]];
            }
            for (int step = 0; step < steps; step++)
            {
                double p = product[step];
                if (p == 0) continue;
                double log = double.IsFinite(p) ? Math.Log(Math.Abs(p)) : SumOfLogs(member, linkScores, kept[step], out p);
                if (log > r.LogMagnitude[step]) { r.LogMagnitude[step] = log; r.Sign[step] = (sbyte)Math.Sign(p); }
            }
        }
    }

    private static double SumOfLogs(FullLoop member, double[]?[] linkScores, int step, out double sign)
    {
        double log = 0;
        sign = 1;
        foreach (var k in member.Links)
        {
            double s = linkScores[k]![step];
            log += Math.Log(Math.Abs(s));
            if (s < 0) sign = -sign;
        }
        return log;
    }

    private static (List<FeedbackLoop>, List<LoopPartition>, List<DominancePeriod>) Rank(CausalGraph graph, List<Reported> reported, double[] times, double end)
    {
        int steps = times.Length;
        var active = new Dictionary<int, bool[]>();
        var componentOf = new Dictionary<FeedbackLoop, int>();
        var loopsPerComponent = new Dictionary<int, int>();
        var loops = new List<FeedbackLoop>();
        foreach (var group in reported.GroupBy(r => r.Component))
        {
            var members = group.ToArray();
            var relative = members.Select(_ => new double[steps]).ToArray();
            var weight = new double[members.Length];
            var isActive = new bool[steps];
            for (int step = 0; step < steps; step++)
            {
                double max = double.NegativeInfinity;
                foreach (var r in members) max = Math.Max(max, r.LogMagnitude[step]);
                if (double.IsNegativeInfinity(max)) continue;
                isActive[step] = true;
                double total = 0;
                for (int i = 0; i < members.Length; i++) total += weight[i] = Math.Exp(members[i].LogMagnitude[step] - max);
                for (int i = 0; i < members.Length; i++) relative[i][step] = members[i].Sign[step] * weight[i] / total;
            }
            active[group.Key] = isActive;
            loopsPerComponent[group.Key] = members.Length;
            int activeSteps = isActive.Count(a => a);
            for (int i = 0; i < members.Length; i++)
            {
                var r = members[i];
                var scores = new double[steps];
                double sumAbsolute = 0;
                for (int step = 0; step < steps; step++)
                {
                    scores[step] = r.Sign[step] * Math.Exp(r.LogMagnitude[step]);
                    sumAbsolute += Math.Abs(relative[i][step]);
                }
                var loop = new FeedbackLoop(r.Links, r.Polarity, scores, relative[i])
                {
                    Share = activeSteps == 0 ? 0 : sumAbsolute / activeSteps,
                    ObservedPolarity = Observed(relative[i]),
                };
                componentOf[loop] = group.Key;
                loops.Add(loop);
            }
        }

        // Loops competing with others first (a loop alone in its partition explains all of it by construction), most important first.
        loops = loops.OrderBy(l => loopsPerComponent[componentOf[l]] > 1 ? 0 : 1).ThenByDescending(l => l.Share)
            .ThenBy(l => l.Length).ThenBy(l => l.Path, StringComparer.Ordinal).ToList();
        var counters = new Dictionary<string, int>();
        var partitionOf = new Dictionary<int, int>(); // numbered in order of their most important loop
        foreach (var loop in loops)
        {
            var letter = (loop.Polarity, loop.ObservedPolarity) switch
            {
                (LoopPolarity.Reinforcing, _) => "R",
                (LoopPolarity.Balancing, _) => "B",
                (_, LoopPolarity.Reinforcing) => "Ru",
                (_, LoopPolarity.Balancing) => "Bu",
                _ => "U",
            };
            counters[letter] = counters.GetValueOrDefault(letter) + 1;
            loop.Id = $"{letter}{counters[letter]}";
            partitionOf.TryAdd(componentOf[loop], partitionOf.Count + 1);
            loop.Partition = partitionOf[componentOf[loop]];
        }

        var partitions = new List<LoopPartition>();
        var dominance = new List<DominancePeriod>();
        foreach (var (component, index) in partitionOf.OrderBy(p => p.Value))
        {
            var stocks = Enumerable.Range(0, graph.Nodes.Count)
                .Where(i => graph.Component[i] == component && graph.Nodes[i].Kind == NodeKind.Stock && !graph.Nodes[i].Hidden)
                .Select(i => Names.Display(graph.Nodes[i].DisplayName)).ToList();
            var members = loops.Where(l => l.Partition == index).ToList();
            partitions.Add(new LoopPartition(index, stocks, members.Select(l => l.Id).ToList()));
            dominance.AddRange(Dominance(index, members, active[component], times, end));
        }
        return (loops, partitions, dominance);
    }

    /// <summary>
    /// The polarity a loop showed in the run: the sign of its relative scores when the LTM polarity confidence
    /// |r − b| / (r + b) is at least 0.99 (r, b: the sums of its positive and of its negative scores), as Stella does.
    /// </summary>
    private static LoopPolarity Observed(double[] relative)
    {
        double positive = 0, negative = 0;
        foreach (var x in relative)
            if (x > 0) positive += x; else negative -= x;
        if (positive + negative == 0 || Math.Abs(positive - negative) / (positive + negative) < 0.99) return LoopPolarity.Undetermined;
        return positive > negative ? LoopPolarity.Reinforcing : LoopPolarity.Balancing;
    }

    /// <summary>
    /// Per step, the fewest loops (strongest first) whose |relative scores| reach one half; runs of equal sets become
    /// periods, from the start of their first step to the end of their last (the start of the next period).
    /// </summary>
    private static List<DominancePeriod> Dominance(int partition, List<FeedbackLoop> loops, bool[] active, double[] times, double end)
    {
        var periods = new List<DominancePeriod>();
        var dominantSteps = new int[loops.Count];
        var strength = new double[loops.Count];
        var rank = new int[loops.Count];
        string? currentKey = null;
        List<int> currentSet = new();
        int first = 0;
        double shareSum = 0;
        for (int step = 0; step <= times.Length; step++)
        {
            List<int>? set = null;
            if (step < times.Length)
            {
                set = new List<int>();
                if (active[step])
                {
                    for (int i = 0; i < loops.Count; i++) { strength[i] = -Math.Abs(loops[i].RelativeScores[step]); rank[i] = i; }
                    Array.Sort(strength, rank); // strongest first
                    double covered = 0;
                    int taken = 0;
                    while (taken < rank.Length && covered < 0.5) covered -= strength[taken++];
                    // Loops as strong as the last one taken are taken in order of importance over the run.
                    int tieStart = taken - 1, tieEnd = taken;
                    while (tieStart > 0 && strength[tieStart - 1] == strength[taken - 1]) tieStart--;
                    while (tieEnd < rank.Length && strength[tieEnd] == strength[taken - 1]) tieEnd++;
                    Array.Sort(rank, tieStart, tieEnd - tieStart);
                    for (int j = 0; j < taken; j++) set.Add(rank[j]);
                    set.Sort();
                    foreach (var i in set) dominantSteps[i]++;
                }
            }
            var key = set is null ? null : string.Join(",", set);
            if (step > 0 && key != currentKey)
            {
                // The period's loops, strongest over the period first.
                int from = first, to = step;
                var ids = currentSet.OrderByDescending(i => Enumerable.Range(from, to - from).Sum(k => Math.Abs(loops[i].RelativeScores[k])))
                    .ThenBy(i => i).Select(i => loops[i].Id).ToList();
                periods.Add(new DominancePeriod(partition, times[first], step < times.Length ? times[step] : end, ids, shareSum / (step - first)));
                first = step;
                shareSum = 0;
            }
            if (set is null) break;
            currentKey = key;
            currentSet = set;
            foreach (var i in set) shareSum += Math.Abs(loops[i].RelativeScores[step]);
        }
        int activeSteps = active.Count(a => a);
        for (int i = 0; i < loops.Count; i++) loops[i].DominantFraction = activeSteps == 0 ? 0 : (double)dominantSteps[i] / activeSteps;
        return periods;
    }
}
