using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Analysis;

internal enum LinkKind
{
    /// <summary>x appears in z's equation (for a DELAY output: its input, or its delay time).</summary>
    Equation,
    Inflow,
    Outflow,
}

/// <summary>One causal link of the lowered model, between nodes (hidden ones included).</summary>
internal sealed record Link(int From, int To, LinkKind Kind, LinkPolarity Polarity);

/// <summary>
/// The causal graph of a compiled model: a link from every node to each node whose equation reads it, and from
/// every flow to the stocks it fills (+) or drains (−). Stateful builtins are seen through: SMTH and DELAYn are
/// the hidden stocks and flows they were lowered to, a fixed DELAY a hidden node fed by its input. Initial values
/// are not links (they act once, not in feedback).
/// </summary>
internal sealed class CausalGraph
{
    private CausalGraph(List<Node> nodes, List<Link> links)
    {
        Nodes = nodes;
        Links = links;
        Outgoing = new List<int>[nodes.Count];
        for (int i = 0; i < nodes.Count; i++) Outgoing[i] = new();
        for (int k = 0; k < links.Count; k++) Outgoing[links[k].From].Add(k);
        Component = StronglyConnected(out var count);
        ComponentCount = count;
    }

    public List<Node> Nodes { get; }
    public List<Link> Links { get; }
    /// <summary>Link indices by source node, in order of target node.</summary>
    public List<int>[] Outgoing { get; }
    /// <summary>The strongly connected component of each node; loops lie within one.</summary>
    public int[] Component { get; }
    public int ComponentCount { get; }

    public static CausalGraph Build(CompiledModel model)
    {
        var nodes = model.Nodes;
        var polarity = new LinkPolarityAnalysis(nodes, ValueRanges.Infer(model));
        var links = new List<Link>();
        for (int z = 0; z < nodes.Count; z++)
        {
            var node = nodes[z];
            if (!Ordering.IsComputedEachStep(node)) continue;
            var inputs = Ir.References(node.Equation);
            if (node.Kind == NodeKind.FixedDelay) inputs = inputs.Prepend(node.DelayInput).Distinct();
            foreach (var x in inputs.Order())
                if (nodes[x].Kind != NodeKind.LookupTable)
                    links.Add(new Link(x, z, LinkKind.Equation, polarity.Of(z, x).Polarity));
        }
        foreach (var s in model.StockNodes)
        {
            foreach (var f in nodes[s].Inflows) links.Add(new Link(f, s, LinkKind.Inflow, LinkPolarity.Positive));
            foreach (var f in nodes[s].Outflows) links.Add(new Link(f, s, LinkKind.Outflow, LinkPolarity.Negative));
        }
        links.Sort((a, b) => a.From != b.From ? a.From.CompareTo(b.From) : a.To != b.To ? a.To.CompareTo(b.To) : a.Kind.CompareTo(b.Kind));
        return new CausalGraph(nodes, links);
    }

    private string[]? _names;

    /// <summary>A node's name as shown in reports (one line).</summary>
    public string Name(int node) => (_names ??= Nodes.Select(n => Names.Display(n.DisplayName)).ToArray())[node];

    /// <summary>A node that carries state from one step to the next: a stock or a fixed DELAY's output.</summary>
    public bool IsState(int node) => Nodes[node].Kind is NodeKind.Stock or NodeKind.FixedDelay;

    /// <summary>Whether a link lies inside a component that has feedback (so it can be on a loop).</summary>
    public bool OnSomeCycle(Link link) => Component[link.From] == Component[link.To] && CycleComponent[Component[link.From]];

    private bool[]? _cycleComponent;

    /// <summary>Per component: does it contain a cycle (more than one node, or a self-link)?</summary>
    public bool[] CycleComponent => _cycleComponent ??= FindCycleComponents();

    private bool[] FindCycleComponents()
    {
        var size = new int[ComponentCount];
        foreach (var c in Component) size[c]++;
        var result = size.Select(n => n > 1).ToArray();
        foreach (var l in Links)
            if (l.From == l.To) result[Component[l.From]] = true;
        return result;
    }

    /// <summary>Tarjan's algorithm without recursion (models can be deep).</summary>
    private int[] StronglyConnected(out int count)
    {
        int n = Nodes.Count;
        var index = new int[n];
        var low = new int[n];
        var component = new int[n];
        Array.Fill(index, -1);
        var onStack = new bool[n];
        var stack = new Stack<int>();
        var frames = new Stack<(int Node, int Next)>();
        int counter = 0;
        count = 0;
        for (int root = 0; root < n; root++)
        {
            if (index[root] >= 0) continue;
            frames.Push((root, 0));
            index[root] = low[root] = counter++;
            stack.Push(root);
            onStack[root] = true;
            while (frames.Count > 0)
            {
                var (v, next) = frames.Pop();
                var outgoing = Outgoing[v];
                if (next < outgoing.Count)
                {
                    frames.Push((v, next + 1));
                    int w = Links[outgoing[next]].To;
                    if (index[w] < 0)
                    {
                        index[w] = low[w] = counter++;
                        stack.Push(w);
                        onStack[w] = true;
                        frames.Push((w, 0));
                    }
                    else if (onStack[w]) low[v] = Math.Min(low[v], index[w]);
                    continue;
                }
                if (low[v] == index[v])
                {
                    int w;
                    do { w = stack.Pop(); onStack[w] = false; component[w] = count; } while (w != v);
                    count++;
                }
                if (frames.Count > 0) { var parent = frames.Peek().Node; low[parent] = Math.Min(low[parent], low[v]); }
            }
        }
        return component;
    }
}
