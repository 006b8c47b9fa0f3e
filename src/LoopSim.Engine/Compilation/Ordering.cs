using LoopSim.Engine.Expressions;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Compilation;

/// <summary>Stage 2: the order in which nodes are evaluated at the start and at every step; cycles are errors that name the cycle.</summary>
internal static class Ordering
{
    /// <summary>Nodes evaluated at every step (flows, auxiliaries, DELAY outputs), each after the nodes it reads.</summary>
    public static List<int> RunOrder(List<Node> nodes, Dictionary<string, int> byName) =>
        Sort(nodes, i => IsComputedEachStep(nodes[i]), i => RunDependencies(nodes[i], byName), "circular definition",
            "Every loop must pass through a stock (or a delay such as SMTH1 or DELAY); break the cycle with one.");

    /// <summary>
    /// The run order without the nodes that cannot change during a run: those computed from parameters, INIT
    /// snapshots and each other only, without TIME. The start pass computes them once; every step keeps that value.
    /// </summary>
    public static List<int> ChangingEachStep(List<Node> nodes, Dictionary<string, int> byName, List<int> runOrder)
    {
        var constant = new bool[nodes.Count];
        foreach (int i in runOrder)
        {
            var node = nodes[i];
            constant[i] = node.Kind is NodeKind.Flow or NodeKind.Aux && !ReadsTime(node.Equation!)
                && References(node.Equation, byName).All(r => nodes[r].IsParameter || nodes[r].Kind == NodeKind.InitSnapshot || constant[r]);
        }
        return runOrder.Where(i => !constant[i]).ToList();
    }

    private static bool ReadsTime(Expr e) => e switch
    {
        UnaryExpr u => ReadsTime(u.Operand),
        BinaryExpr b => ReadsTime(b.Left) || ReadsTime(b.Right),
        IfExpr f => ReadsTime(f.Condition) || ReadsTime(f.Then) || ReadsTime(f.Else),
        CallExpr c => c.Function is "time" or "step" or "ramp" or "pulse" || c.Args.Any(ReadsTime),
        _ => false,
    };

    /// <summary>Every node that needs a value at the start time, each after the nodes its initial value reads.</summary>
    public static List<int> InitOrder(List<Node> nodes, Dictionary<string, int> byName) =>
        Sort(nodes, i => nodes[i].Kind is not (NodeKind.LookupTable or NodeKind.RandomDraw) && !nodes[i].IsParameter,
            i => InitDependencies(nodes[i], byName), "circular initialisation",
            "The initial values refer to each other in a circle; give one of them a value that does not depend on the others.");

    public static bool IsComputedEachStep(Node node) =>
        node.Kind is NodeKind.Flow or NodeKind.Aux or NodeKind.FixedDelay && !node.IsParameter;

    public static IEnumerable<int> RunDependencies(Node node, Dictionary<string, int> byName) => node.Kind switch
    {
        NodeKind.Flow or NodeKind.Aux or NodeKind.FixedDelay => References(node.Equation, byName),
        _ => Enumerable.Empty<int>(),
    };

    public static IEnumerable<int> InitDependencies(Node node, Dictionary<string, int> byName) => node.Kind switch
    {
        NodeKind.FixedDelay => node.InitialValue is null ? new[] { node.DelayInput } : References(node.InitialValue, byName),
        _ => References(node.Equation, byName),
    };

    /// <summary>The nodes an expression reads (graphical-function calls read the function's node only for its table, which is not a value).</summary>
    public static IEnumerable<int> References(Expr? e, Dictionary<string, int> byName)
    {
        var found = new List<int>();
        void Walk(Expr x)
        {
            switch (x)
            {
                case VariableExpr v:
                    int i = Lowering.Resolve(v.Name, byName);
                    if (i >= 0) found.Add(i);
                    break;
                case UnaryExpr u: Walk(u.Operand); break;
                case BinaryExpr b: Walk(b.Left); Walk(b.Right); break;
                case IfExpr f: Walk(f.Condition); Walk(f.Then); Walk(f.Else); break;
                case CallExpr c: foreach (var a in c.Args) Walk(a); break;
            }
        }
        if (e is not null) Walk(e);
        return found.Distinct();
    }

    private static List<int> Sort(List<Node> nodes, Func<int, bool> include, Func<int, IEnumerable<int>> dependencies, string problem, string hint)
    {
        var state = new byte[nodes.Count]; // 0 new, 1 on the path, 2 done
        var order = new List<int>();
        var path = new List<int>();

        void Visit(int i)
        {
            state[i] = 1;
            path.Add(i);
            foreach (var d in dependencies(i))
            {
                if (!include(d)) continue;
                if (state[d] == 1)
                {
                    var cycle = path.Skip(path.IndexOf(d)).Append(d).Select(n => Names.Display(nodes[n].DisplayName));
                    var owner = nodes[path[path.IndexOf(d)]];
                    throw new ModelException($"{problem}: {string.Join(" → ", cycle)}", owner.Location, owner.DisplayName, hint);
                }
                if (state[d] == 0) Visit(d);
            }
            path.RemoveAt(path.Count - 1);
            state[i] = 2;
            order.Add(i);
        }

        for (int i = 0; i < nodes.Count; i++)
            if (include(i) && state[i] == 0) Visit(i);
        return order;
    }
}
