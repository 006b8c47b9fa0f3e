namespace LoopSim.Engine.Analysis;

/// <summary>
/// How much of each stock's change the listed loops explain. Relative loop scores are shares of the loops listed;
/// when the strongest-path search lists only some, this says how much those shares leave out: for each stock, at each
/// step, Σ |loop score| of the listed loops through it ÷ Σ |loop score| of every loop through it.
/// <para>
/// The denominator is found without listing the loops. Between two states (stocks, a delay's output) a loop runs along
/// a path through flows and auxiliaries, and a loop's score is the product of its paths' scores (each the product of
/// its link scores). The sum of path scores between each pair of states comes from one pass over the instantaneous
/// part of the graph (it has no cycles); the sum over every elementary cycle of states of the products of those sums
/// comes from a dynamic programme over subsets of states (Held–Karp's, O(2ⁿ·n²) per step), so it is measured for
/// partitions of up to <see cref="MaxStates"/> states. It counts two paths that share an auxiliary as parts of one loop
/// although such a loop is not elementary, so it can only be larger than the true sum: the share is never overstated.
/// With every loop listed the share is 1.
/// </para>
/// </summary>
internal static class LoopCoverage
{
    /// <summary>The most states of a partition the subset programme handles (2¹⁴·14² ≈ 3·10⁶ products a step).</summary>
    public const int MaxStates = 14;

    /// <param name="graph">The causal graph.</param>
    /// <param name="loopLinks">The links that can lie on a loop.</param>
    /// <param name="loops">The listed loops of the full graph: their nodes and the link leaving each.</param>
    /// <param name="scores">scores[k][step]: link scores.</param>
    /// <param name="steps">The steps to measure (indices into the score arrays).</param>
    /// <param name="exhaustive">Whether every loop is listed (then the share is 1 wherever the stock changes).</param>
    /// <returns>
    /// Per visible stock on a listed loop, per step of <paramref name="steps"/>, the share explained: NaN while no loop
    /// through it changes, or when its partition has more than <see cref="MaxStates"/> states.
    /// </returns>
    public static Dictionary<int, double[]> Compute(CausalGraph graph, IReadOnlyList<int> loopLinks,
        IReadOnlyList<(int[] Nodes, int[] Links)> loops, double[]?[] scores, IReadOnlyList<int> steps, bool exhaustive)
    {
        var reported = loops.SelectMany(l => l.Nodes).Where(v => IsReported(graph, v)).Distinct().Order().ToList();
        var result = reported.ToDictionary(v => v, _ => new double[steps.Count]);
        var through = reported.ToDictionary(v => v, v => loops.Where(l => l.Nodes.Contains(v)).Select(l => l.Links).ToList());

        var into = new List<int>[graph.Nodes.Count];
        for (int v = 0; v < into.Length; v++) into[v] = new();
        foreach (var k in loopLinks) into[graph.Links[k].To].Add(k);
        var order = Instantaneous(graph, into);
        var states = reported.Select(v => graph.Component[v]).Distinct()
            .ToDictionary(c => c, c => Enumerable.Range(0, graph.Nodes.Count).Where(v => graph.Component[v] == c && graph.IsState(v)).ToArray());

        var explained = new double[graph.Nodes.Count];
        var all = new double[graph.Nodes.Count];
        // The cycle sums' table of walks, for the largest partition they are computed for: taken once, not every step (up
        // to 1.8 MB each time).
        int largest = states.Values.Select(c => c.Length).Where(n => n <= MaxStates).DefaultIfEmpty(0).Max();
        var walks = exhaustive ? [] : new double[(1 << largest) * largest];
        for (int i = 0; i < steps.Count; i++)
        {
            int step = steps[i];
            foreach (var (stock, listed) in through)
            {
                double sum = 0;
                foreach (var links in listed)
                {
                    double product = 1;
                    foreach (var k in links) product *= Math.Abs(scores[k]![step]);
                    sum += product;
                }
                explained[stock] = sum;
            }
            if (!exhaustive)
                foreach (var component in states.Values)
                    if (component.Length <= MaxStates) CycleSums(graph, into, order, component, scores, step, walks, all);
            foreach (var stock in reported)
                result[stock][i] = exhaustive ? (explained[stock] > 0 && double.IsFinite(explained[stock]) ? 1 : double.NaN)
                    : states[graph.Component[stock]].Length > MaxStates || !(all[stock] > 0 && double.IsFinite(all[stock])) ? double.NaN
                    : Math.Min(1, explained[stock] / all[stock]);
        }
        return result;
    }

    /// <summary>
    /// Per state of one partition, Σ over the elementary cycles of states through it of the product of path-score sums
    /// (into <paramref name="total"/>); <paramref name="walks"/> is room for 2^n × n values, n the partition's states.
    /// </summary>
    private static void CycleSums(CausalGraph graph, List<int>[] into, List<int> order, int[] states, double[]?[] scores, int step, double[] walks, double[] total)
    {
        int n = states.Length;
        // paths[a, b]: Σ over paths from state a to state b through instantaneous nodes of Π |link score|.
        var paths = new double[n, n];
        var reach = new double[graph.Nodes.Count];
        for (int a = 0; a < n; a++)
        {
            double Weight(int k)
            {
                int from = graph.Links[k].From;
                return Math.Abs(scores[k]![step]) * (from == states[a] ? 1 : graph.IsState(from) ? 0 : reach[from]);
            }
            foreach (var v in order)
            {
                double sum = 0;
                foreach (var k in into[v]) sum += Weight(k);
                reach[v] = sum;
            }
            for (int b = 0; b < n; b++)
                foreach (var k in into[states[b]]) paths[a, b] += Weight(k);
        }

        var cycles = new double[n];
        // walk[mask × n + v]: Σ over simple paths from s through the states of mask, ending at v, of Π path sums. The
        // walks from s use only the masks whose least state is s, so the starts share the table without clearing it.
        var walk = walks.AsSpan(0, (1 << n) * n);
        walk.Clear();
        for (int s = 0; s < n; s++)
        {
            // Simple paths from s over states above s (so each cycle is counted once, from its least state).
            walk[(1 << s) * n + s] = 1;
            for (int above = 0; above < 1 << (n - s - 1); above++)
            {
                int mask = 1 << s | above << (s + 1);
                for (int v = s; v < n; v++)
                {
                    double w = walk[mask * n + v];
                    if (w == 0) continue;
                    double closed = w * paths[v, s];
                    if (closed != 0)
                        for (int u = s; u < n; u++)
                            if ((mask & (1 << u)) != 0) cycles[u] += closed;
                    for (int x = s + 1; x < n; x++)
                        if ((mask & (1 << x)) == 0 && paths[v, x] != 0) walk[(mask | (1 << x)) * n + x] += w * paths[v, x];
                }
            }
        }
        for (int i = 0; i < n; i++) total[states[i]] = cycles[i];
    }

    /// <summary>A stock the reports name (not a builtin's hidden stage).</summary>
    private static bool IsReported(CausalGraph graph, int node) => graph.Nodes[node].Kind == Compilation.NodeKind.Stock && !graph.Nodes[node].Hidden;

    /// <summary>The nodes that are not states and have inputs on loops, inputs first (Kahn's algorithm; the links between them have no cycle).</summary>
    private static List<int> Instantaneous(CausalGraph graph, List<int>[] into)
    {
        var pending = new int[graph.Nodes.Count];
        var ready = new Queue<int>();
        var result = new List<int>();
        for (int v = 0; v < pending.Length; v++)
        {
            if (graph.IsState(v) || into[v].Count == 0) continue;
            pending[v] = into[v].Count(k => !graph.IsState(graph.Links[k].From));
            if (pending[v] == 0) ready.Enqueue(v);
        }
        var outOf = new List<int>[graph.Nodes.Count];
        for (int v = 0; v < outOf.Length; v++) outOf[v] = new();
        for (int v = 0; v < into.Length; v++)
            if (!graph.IsState(v))
                foreach (var k in into[v])
                    if (!graph.IsState(graph.Links[k].From)) outOf[graph.Links[k].From].Add(v);
        while (ready.Count > 0)
        {
            int v = ready.Dequeue();
            result.Add(v);
            foreach (var w in outOf[v])
                if (--pending[w] == 0) ready.Enqueue(w);
        }
        return result;
    }
}
