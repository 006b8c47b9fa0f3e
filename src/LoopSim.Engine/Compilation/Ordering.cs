using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;

namespace LoopSim.Engine.Compilation;

/// <summary>Stage 2: the order in which nodes are evaluated at the start and at every step; cycles are errors that name the cycle.</summary>
internal static class Ordering
{
    /// <summary>Nodes evaluated at every step (flows, auxiliaries, DELAY outputs), each after the nodes it reads.</summary>
    public static List<int> RunOrder(List<Node> nodes) =>
        Sort(nodes, i => IsComputedEachStep(nodes[i]), i => RunDependencies(nodes[i], nodes), DiagnosticCodes.CircularDefinition, "circular definition",
            "Every loop must pass through a stock (or a delay such as SMTH1 or DELAY); break the cycle with one.");

    /// <summary>
    /// The run order without the nodes that cannot change during a run: those computed from parameters, INIT
    /// snapshots and each other only, without a builtin that reads TIME. The start pass computes them once; every
    /// step keeps that value.
    /// </summary>
    public static List<int> ChangingEachStep(List<Node> nodes, List<int> runOrder)
    {
        var constant = new bool[nodes.Count];
        foreach (int i in runOrder)
        {
            var node = nodes[i];
            constant[i] = node.Kind is NodeKind.Flow or NodeKind.Aux && !ReadsTime(node.Equation!) && node.DrainedStock < 0 && node.InitialEquation is null
                && Ir.References(node.Equation).All(r => nodes[r].IsParameter || nodes[r].Kind == NodeKind.InitSnapshot || constant[r]);
        }
        return runOrder.Where(i => !constant[i]).ToList();
    }

    private static bool ReadsTime(IrExpr e) => Ir.Any(e, x => x is IrCall c && c.Builtin.Is(BuiltinFlags.ReadsTime));

    /// <summary>Every node that needs a value at the start time, each after the nodes its initial value reads.</summary>
    public static List<int> InitOrder(List<Node> nodes) =>
        Sort(nodes, i => nodes[i].Kind is not (NodeKind.LookupTable or NodeKind.RandomDraw) && !nodes[i].IsParameter,
            i => InitDependencies(nodes[i]), DiagnosticCodes.CircularInitialisation, "circular initialisation",
            "The initial values refer to each other in a circle; give one of them a value that does not depend on the others.");

    public static bool IsComputedEachStep(Node node) =>
        node.Kind is NodeKind.Flow or NodeKind.Aux or NodeKind.FixedDelay && !node.IsParameter;

    public static IEnumerable<int> RunDependencies(Node node, List<Node> nodes) => node.Kind switch
    {
        NodeKind.Flow or NodeKind.Aux or NodeKind.FixedDelay => Ir.References(node.Equation).Concat(Limits(node, nodes)),
        _ => Enumerable.Empty<int>(),
    };

    /// <summary>
    /// At the start a limited outflow is what it asks for (stocks may start from it); CodeGen limits it after the stocks
    /// are set. An ACTIVE INITIAL reads only its initial equation.
    /// </summary>
    public static IEnumerable<int> InitDependencies(Node node) => node.Kind switch
    {
        NodeKind.FixedDelay => node.InitialValue is null ? new[] { node.DelayInput } : Ir.References(node.InitialValue),
        _ when node.InitialEquation is { } initial => Ir.References(initial),
        _ => Ir.References(node.Equation),
    };

    /// <summary>What a limited outflow's limit reads: the stock it drains and the outflows the stock serves before it.</summary>
    public static IEnumerable<int> Limits(Node node, List<Node> nodes) => node.DrainedStock < 0 ? [] :
        nodes[node.DrainedStock].Outflows.TakeWhile(f => nodes[f] != node).Prepend(node.DrainedStock);

    private static List<int> Sort(List<Node> nodes, Func<int, bool> include, Func<int, IEnumerable<int>> dependencies, DiagnosticCode code, string problem, string hint)
    {
        var state = new byte[nodes.Count]; // 0 new, 1 on the path, 2 done
        var order = new List<int>();
        var path = new List<int>();
        var pending = new Stack<IEnumerator<int>>();

        // Depth-first without recursion: a model's dependency chains can be longer than the stack is deep.
        void Visit(int root)
        {
            state[root] = 1;
            path.Add(root);
            pending.Push(dependencies(root).GetEnumerator());
            while (pending.Count > 0)
            {
                var next = pending.Peek();
                if (next.MoveNext())
                {
                    int d = next.Current;
                    if (!include(d)) continue;
                    if (state[d] == 1)
                    {
                        int from = path.IndexOf(d);
                        var cycle = path.Skip(from).Append(d).Select(n => Names.Display(nodes[n].DisplayName));
                        var owner = nodes[path[from]];
                        throw new ModelException(code, $"{problem}: {string.Join(" → ", cycle)}", owner.Location, owner.DisplayName, hint);
                    }
                    if (state[d] == 0)
                    {
                        state[d] = 1;
                        path.Add(d);
                        pending.Push(dependencies(d).GetEnumerator());
                    }
                    continue;
                }
                pending.Pop().Dispose();
                int done = path[^1];
                path.RemoveAt(path.Count - 1);
                state[done] = 2;
                order.Add(done);
            }
        }

        for (int i = 0; i < nodes.Count; i++)
            if (include(i) && state[i] == 0) Visit(i);
        return order;
    }
}
