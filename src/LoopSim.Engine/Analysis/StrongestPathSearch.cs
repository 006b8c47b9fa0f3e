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
        var best = new double[n];
        var visiting = new bool[n];
        var outgoing = new List<(int To, int Link)>[n];
        for (int i = 0; i < n; i++) outgoing[i] = new();
        var starts = Enumerable.Range(0, n).Where(i => graph.IsState(i) && graph.CycleComponent[graph.Component[i]]).ToArray();
        var path = new List<int>();
        var frames = new Stack<(int Node, int Next, double Score)>();

        for (int step = 0; step < steps; step++)
        {
            foreach (var list in outgoing) list.Clear();
            foreach (var k in links)
                if (Math.Abs(scores[k]![step]) > 0) outgoing[graph.Links[k].From].Add((graph.Links[k].To, k));
            int Stronger((int To, int Link) a, (int To, int Link) b)
            {
                int byScore = Math.Abs(scores[b.Link]![step]).CompareTo(Math.Abs(scores[a.Link]![step]));
                return byScore != 0 ? byScore : a.To.CompareTo(b.To);
            }
            foreach (var list in outgoing) list.Sort(Stronger);

            foreach (var target in starts)
            {
                Array.Clear(best);
                Enter(target, 1.0);
                while (frames.Count > 0)
                {
                    var (v, next, score) = frames.Pop();
                    if (next < outgoing[v].Count)
                    {
                        frames.Push((v, next + 1, score));
                        var (w, link) = outgoing[v][next];
                        double reach = score * Math.Abs(scores[link]![step]);
                        if (visiting[w])
                        {
                            if (w == target) Keep(path);
                            continue;
                        }
                        if (reach < best[w]) continue;
                        Enter(w, reach);
                        continue;
                    }
                    visiting[v] = false;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        return found;

        void Enter(int v, double score)
        {
            best[v] = score;
            visiting[v] = true;
            path.Add(v);
            frames.Push((v, 0, score));
        }

        // The same loops are met again at most steps: a key of the loop's own nodes, not a string built each time.
        void Keep(List<int> cycle)
        {
            int least = cycle.IndexOf(cycle.Min());
            var rotated = new int[cycle.Count];
            for (int i = 0; i < rotated.Length; i++) rotated[i] = cycle[(least + i) % rotated.Length];
            if (seen.Add(rotated)) found.Add(rotated);
        }
    }

    /// <summary>Loops as node sequences, equal when their nodes are.</summary>
    private sealed class Cycles : IEqualityComparer<int[]>
    {
        public static readonly Cycles Instance = new();

        public bool Equals(int[]? a, int[]? b) => a.AsSpan().SequenceEqual(b);

        public int GetHashCode(int[] cycle)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cycle.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
