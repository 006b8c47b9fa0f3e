namespace LoopSim.Engine.Analysis;

/// <summary>
/// Loop discovery for models with too many loops to list: the strongest-path search of Eberlein and Schoenberg
/// (2020, "Finding the loops that matter"). At each time step, from every stock, a depth-first search follows
/// links in order of decreasing |link score| and prunes a path that reaches a node with a smaller score product
/// than an earlier path did; every cycle back to the stock is kept. A heuristic: it finds the loops that matter
/// at some moment, not every loop. Links whose score is 0 at that step are not followed (their loops score 0).
/// </summary>
internal static class StrongestPathSearch
{
    /// <param name="graph">The causal graph.</param>
    /// <param name="links">The links that can lie on a loop.</param>
    /// <param name="scores">scores[k][step]: the score of links[k] at each step (null where not computed).</param>
    /// <returns>The loops found, each as its nodes starting with the least, in the order found.</returns>
    public static List<int[]> Discover(CausalGraph graph, IReadOnlyList<int> links, double[]?[] scores, int steps)
    {
        int n = graph.Nodes.Count;
        var found = new List<int[]>();
        var seen = new HashSet<int[]>(Cycles.Instance);
        var known = seen.GetAlternateLookup<ReadOnlySpan<int>>();
        var best = new double[n];
        var visiting = new bool[n];
        var starts = Enumerable.Range(0, n).Where(i => graph.IsState(i) && graph.CycleComponent[graph.Component[i]]).ToArray();

        // Each step's links with a score, node by node (the links of node v at [first[v], first[v + 1])), strongest first;
        // flat arrays, as the search visits them millions of times over a run.
        var byNode = links.GroupBy(k => graph.Links[k].From).ToDictionary(g => g.Key, g => g.ToArray());
        var first = new int[n + 1];
        var to = new int[links.Count];
        var strength = new double[links.Count];
        var order = new (int To, int Link)[links.Count];
        // The search's path: the node of each depth, the index of its next link to follow, the score product reaching it.
        var path = new int[n];
        var next = new int[n];
        var reached = new double[n];
        var rotated = new int[n];
        int depth = 0;

        for (int step = 0; step < steps; step++)
        {
            int count = 0;
            for (int v = 0; v < n; v++)
            {
                first[v] = count;
                if (!byNode.TryGetValue(v, out var own)) continue;
                int from = count;
                foreach (var k in own)
                    if (Math.Abs(scores[k]![step]) > 0) order[count++] = (graph.Links[k].To, k);
                order.AsSpan(from, count - from).Sort(Stronger);
                for (int e = from; e < count; e++) (to[e], strength[e]) = (order[e].To, Math.Abs(scores[order[e].Link]![step]));
            }
            first[n] = count;
            int Stronger((int To, int Link) a, (int To, int Link) b)
            {
                int byScore = Math.Abs(scores[b.Link]![step]).CompareTo(Math.Abs(scores[a.Link]![step]));
                return byScore != 0 ? byScore : a.To.CompareTo(b.To);
            }

            foreach (var target in starts)
            {
                Array.Clear(best);
                Enter(target, 1.0);
                while (depth > 0)
                {
                    int top = depth - 1, v = path[top];
                    if (next[top] < first[v + 1])
                    {
                        int e = next[top]++;
                        int w = to[e];
                        double reach = reached[top] * strength[e];
                        if (visiting[w])
                        {
                            if (w == target) Keep();
                            continue;
                        }
                        if (reach < best[w]) continue;
                        Enter(w, reach);
                        continue;
                    }
                    visiting[v] = false;
                    depth--;
                }
            }
        }
        return found;

        void Enter(int v, double score)
        {
            best[v] = score;
            visiting[v] = true;
            path[depth] = v;
            next[depth] = first[v];
            reached[depth] = score;
            depth++;
        }

        // The same loops are met again at most steps: looked up by the path's own nodes, an array made only for a new one.
        void Keep()
        {
            int least = 0;
            for (int i = 1; i < depth; i++)
                if (path[i] < path[least]) least = i;
            for (int i = 0; i < depth; i++) rotated[i] = path[(least + i) % depth];
            var key = rotated.AsSpan(0, depth);
            if (known.Contains(key)) return;
            var loop = key.ToArray();
            seen.Add(loop);
            found.Add(loop);
        }
    }

    /// <summary>Loops as node sequences, equal when their nodes are.</summary>
    private sealed class Cycles : IEqualityComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
    {
        public static readonly Cycles Instance = new();

        public bool Equals(int[]? a, int[]? b) => a.AsSpan().SequenceEqual(b);

        public int GetHashCode(int[] cycle) => GetHashCode((ReadOnlySpan<int>)cycle);

        public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<int> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(alternate));
            return hash.ToHashCode();
        }

        public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();
    }
}
