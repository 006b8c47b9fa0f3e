namespace LoopSim.Engine.Analysis;

/// <summary>
/// Every elementary cycle of a directed graph by Johnson's algorithm (SIAM J. Comput. 4(1), 1975): for each
/// start vertex s in turn, the cycles through s within the strongly connected part of the vertices ≥ s, with
/// blocking so each search step leads to a cycle. Written without recursion so deep graphs cannot overflow the stack.
/// </summary>
internal static class ElementaryCycles
{
    /// <summary>
    /// The cycles of the graph, each as its vertices starting with its least vertex, in a deterministic order, one at
    /// a time: the caller decides which count and stops when it has enough (a cycle inside a builtin does not count).
    /// </summary>
    public static IEnumerable<int[]> Enumerate(IReadOnlyList<IReadOnlyList<int>> successors)
    {
        int n = successors.Count;
        var adjacency = successors.Select(s => s.Distinct().Order().ToArray()).ToArray();
        var blocked = new bool[n];
        var blockedBy = new HashSet<int>[n];
        for (int i = 0; i < n; i++) blockedBy[i] = new HashSet<int>();
        var inPart = new bool[n];
        var path = new List<int>();
        var frames = new Stack<(int Vertex, int Next, bool Found)>();
        var unblock = new Stack<int>();

        for (int s = 0; s < n; s++)
        {
            var part = ComponentOf(s, adjacency);
            if (part.Count == 1 && !adjacency[s].Contains(s)) continue;
            Array.Clear(inPart);
            foreach (var v in part) { inPart[v] = true; blocked[v] = false; blockedBy[v].Clear(); }

            path.Add(s);
            blocked[s] = true;
            frames.Push((s, 0, false));
            while (frames.Count > 0)
            {
                var (v, next, found) = frames.Pop();
                if (next < adjacency[v].Length)
                {
                    int w = adjacency[v][next];
                    if (!inPart[w]) { frames.Push((v, next + 1, found)); continue; }
                    if (w == s)
                    {
                        yield return path.ToArray();
                        frames.Push((v, next + 1, true));
                    }
                    else if (!blocked[w])
                    {
                        frames.Push((v, next + 1, found));
                        path.Add(w);
                        blocked[w] = true;
                        frames.Push((w, 0, false));
                    }
                    else frames.Push((v, next + 1, found));
                    continue;
                }
                // v is done: unblock it if a cycle went through it, else remember who must unblock it.
                if (found)
                {
                    unblock.Push(v);
                    while (unblock.Count > 0)
                    {
                        int u = unblock.Pop();
                        if (!blocked[u]) continue;
                        blocked[u] = false;
                        foreach (var x in blockedBy[u]) unblock.Push(x);
                        blockedBy[u].Clear();
                    }
                }
                else
                    foreach (var w in adjacency[v])
                        if (inPart[w]) blockedBy[w].Add(v);
                path.RemoveAt(path.Count - 1);
                if (found && frames.Count > 0)
                {
                    var parent = frames.Pop();
                    frames.Push((parent.Vertex, parent.Next, true));
                }
            }
        }
    }

    /// <summary>The vertices ≥ s that lie on a common cycle with s (reachable from s and reaching s, within vertices ≥ s).</summary>
    private static List<int> ComponentOf(int s, int[][] adjacency)
    {
        int n = adjacency.Length;
        var forward = Reach(s, v => adjacency[v], n);
        // Reverse reachability: vertices ≥ s from which s can be reached.
        var reverse = new List<int>[n];
        for (int v = s; v < n; v++)
            foreach (var w in adjacency[v])
                if (w >= s) (reverse[w] ??= new()).Add(v);
        var backward = Reach(s, v => (IEnumerable<int>?)reverse[v] ?? Array.Empty<int>(), n);
        var part = new List<int>();
        for (int v = s; v < n; v++)
            if (forward[v] && backward[v]) part.Add(v);
        return part;

        bool[] Reach(int from, Func<int, IEnumerable<int>> next, int count)
        {
            var seen = new bool[count];
            var todo = new Stack<int>();
            seen[from] = true;
            todo.Push(from);
            while (todo.Count > 0)
                foreach (var w in next(todo.Pop()))
                    if (w >= from && !seen[w]) { seen[w] = true; todo.Push(w); }
            return seen;
        }
    }
}
