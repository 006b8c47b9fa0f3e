using LoopSim.Engine.Builtins;
using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Analysis;

/// <summary>
/// The range of values every node can take, inferred from the equations alone (no simulation), so that link
/// polarity can tell the sign of a co-factor: in z = x·y the link x→z is positive only when y ≥ 0.
/// A fixed point from "no value" upwards; bounds still moving after a number of rounds widen to infinity.
/// Stocks: the hull of the initial value and of where each flow pushes them. A flow of the form
/// k·(goal − stock) with k ≥ 0 (a smooth, an adjustment, a first-order drain with goal 0) keeps the stock
/// between its start and the goal; any other inflow that can be positive lifts the upper bound to +∞, and so on.
/// Builtins contribute their catalogue entry's range rule (<see cref="Builtin.Range"/>).
/// </summary>
internal sealed class ValueRanges
{
    private const int RoundsBeforeWidening = 30;

    private readonly List<Node> _nodes;
    private readonly SimSpecs _specs;
    private readonly Dialect _dialect;
    private readonly Interval[] _ranges;

    private ValueRanges(CompiledModel model)
    {
        _nodes = model.Nodes;
        _specs = model.Specs;
        _dialect = model.Lowered.Resolved.Dialect;
        _ranges = new Interval[_nodes.Count];
        Array.Fill(_ranges, Interval.Empty);
    }

    public Interval this[int node] => _ranges[node];

    public static ValueRanges Infer(CompiledModel model)
    {
        var ranges = new ValueRanges(model);
        var declared = model.Source.Variables.Where(v => v.Range is not null).ToDictionary(v => v.CanonicalName, v => v.Range!.Value);
        for (int i = 0; i < ranges._nodes.Count; i++)
            if (ranges._nodes[i].IsParameter) ranges._ranges[i] = ParameterRange(ranges._nodes[i], declared);
        ranges.Solve();
        return ranges;
    }

    /// <summary>
    /// A constant's range is its value in this run: polarity is that of the model as parameterised. A constant
    /// of 0 is taken as a non-negative quantity that a run may set (a switch, a cap), over its declared range
    /// when the modeller gave one, so a link through it is not lost as "no effect".
    /// </summary>
    private static Interval ParameterRange(Node node, Dictionary<string, (double Min, double Max)> declared)
    {
        var value = Interval.Of(node.ParameterValue);
        if (node.Hidden || node.ParameterValue != 0) return value;
        return declared.TryGetValue(node.Name, out var range) ? value.Hull(new Interval(range.Min, range.Max)) : Interval.NonNegative;
    }

    /// <summary>Rounds until nothing changes; after widening starts each bound can move only once more (to infinity), so this ends.</summary>
    private void Solve()
    {
        for (int round = 0; ; round++)
        {
            bool changed = false;
            for (int i = 0; i < _nodes.Count; i++)
            {
                if (_nodes[i].IsParameter) continue;
                var old = _ranges[i];
                var next = old.Hull(Compute(i));
                if (next == old) continue;
                if (round >= RoundsBeforeWidening)
                    next = new Interval(next.Lo < old.Lo ? double.NegativeInfinity : next.Lo, next.Hi > old.Hi ? double.PositiveInfinity : next.Hi);
                _ranges[i] = next;
                changed = true;
            }
            if (!changed) return;
        }
    }

    private Interval Compute(int i)
    {
        var node = _nodes[i];
        switch (node.Kind)
        {
            case NodeKind.Stock: return Stock(i);
            case NodeKind.LookupTable: return Interval.Empty;
            case NodeKind.InitSnapshot: return Of(node.Equation!);
            case NodeKind.RandomDraw: return node.StandardNormal ? Interval.All : Interval.Bool;
            case NodeKind.FixedDelay:
                return _ranges[node.DelayInput].Hull(node.InitialValue is null ? Interval.Empty : Of(node.InitialValue));
            default:
                var value = Of(node.Equation!);
                if (node.Graph is not null) value = GraphRange(node.Graph, value);
                if (node.NonNegative && node.Kind == NodeKind.Flow) value = Interval.Max(value, Interval.Zero);
                if (node.DrainedStock >= 0) value = Interval.Min(value, Interval.NonNegative);   // limited to what the stock holds
                return value;
        }
    }

    private Interval Stock(int s)
    {
        var node = _nodes[s];
        var range = Of(node.Equation!);
        double lo = range.Lo, hi = range.Hi;
        void Include(Interval goal) { lo = Math.Min(lo, goal.Lo); hi = Math.Max(hi, goal.Hi); }
        foreach (var f in node.Inflows)
        {
            if (GoalOf(f, s, inflow: true) is { } goal) Include(goal);
            else
            {
                if (_ranges[f].CanBePositive) hi = double.PositiveInfinity;
                if (_ranges[f].CanBeNegative) lo = double.NegativeInfinity;
            }
        }
        foreach (var f in node.Outflows)
        {
            if (GoalOf(f, s, inflow: false) is { } goal) Include(goal);
            else
            {
                if (_ranges[f].CanBePositive) lo = double.NegativeInfinity;
                if (_ranges[f].CanBeNegative) hi = double.PositiveInfinity;
            }
        }
        if (node.NonNegative) { lo = Math.Max(lo, 0); hi = Math.Max(hi, 0); }
        return lo > hi ? Interval.Empty : new Interval(lo, hi);
    }

    /// <summary>
    /// Where flow <paramref name="f"/> drives stock <paramref name="s"/> when its equation is a product of
    /// non-negative factors and one factor (goal − stock) for an inflow, (stock − goal) or the stock alone (goal 0)
    /// for an outflow; the stock may appear scaled (stock/c, c·stock with c &gt; 0), and auxiliaries are looked
    /// into, so r·P·(1 − P/K) is seen as growth toward K. Such a flow keeps the stock between its start and the
    /// goal. The factors need only be non-negative at the fixed point, so the stock itself may be one of them.
    /// </summary>
    private Interval? GoalOf(int f, int s, bool inflow)
    {
        var flow = _nodes[f];
        if (flow.Graph is not null || flow.Equation is null) return null;
        var factors = new List<(IrExpr Factor, bool Divisor)>();
        Factors(flow.Equation, false, factors, depth: 0);
        Interval? goal = null;
        foreach (var (factor, divisor) in factors)
        {
            if (!divisor && goal is null && Target(factor, s, inflow) is { } target) { goal = target; continue; }
            if (!Of(factor).IsNonNegative) return null;
        }
        return goal;
    }

    /// <summary>The goal of a factor (goal − stock) for an inflow, (stock − goal) or the stock for an outflow, the stock possibly scaled.</summary>
    private Interval? Target(IrExpr factor, int s, bool inflow)
    {
        if (!inflow && Scale(factor, s) is not null) return Interval.Zero;
        if (factor is not IrBinary { Op: BinaryOp.Subtract } d) return null;
        var (toward, self) = inflow ? (d.Left, d.Right) : (d.Right, d.Left);
        // goal − stock/c = (goal·c − stock)/c, and the 1/c > 0 is one more non-negative factor.
        return Scale(self, s) is { } scale ? Of(toward) * scale : null;
    }

    /// <summary>
    /// c when e is the stock divided by c &gt; 0 (stock, stock/c, stock·(1/c)), looking into auxiliaries (ratio = P/K
    /// in r·P·(1 − ratio) is seen as inline); null otherwise.
    /// </summary>
    private Interval? Scale(IrExpr e, int s, int depth = 0)
    {
        if (IsNode(e, s)) return Interval.Of(1);
        if (e is IrRef r && depth < 2 && OpenableAux(r) is { } equation) return Scale(equation, s, depth + 1);
        if (e is not IrBinary { Op: BinaryOp.Multiply or BinaryOp.Divide } b) return null;
        IrExpr? other = IsNode(b.Left, s) ? b.Right : b.Op == BinaryOp.Multiply && IsNode(b.Right, s) ? b.Left : null;
        if (other is null || Reads(other, s)) return null;
        var c = Of(other);
        if (!(c.Lo > 0)) return null;
        return b.Op == BinaryOp.Divide ? c : Interval.Of(1) / c;
    }

    /// <summary>Splits a product or quotient into its factors; an auxiliary factor is opened (twice at most) to find the pattern.</summary>
    private void Factors(IrExpr e, bool divisor, List<(IrExpr, bool)> into, int depth)
    {
        switch (e)
        {
            case IrBinary { Op: BinaryOp.Multiply } m: Factors(m.Left, divisor, into, depth); Factors(m.Right, divisor, into, depth); break;
            case IrBinary { Op: BinaryOp.Divide } q: Factors(q.Left, divisor, into, depth); Factors(q.Right, !divisor, into, depth); break;
            case IrUnary { Op: UnaryOp.Plus } u: Factors(u.Operand, divisor, into, depth); break;
            case IrRef r when depth < 2 && OpenableAux(r) is { } equation: Factors(equation, divisor, into, depth + 1); break;
            default: into.Add((e, divisor)); break;
        }
    }

    private IrExpr? OpenableAux(IrRef r) => _nodes[r.Id] is { Kind: NodeKind.Aux, IsParameter: false, Graph: null } node ? node.Equation : null;

    private static bool IsNode(IrExpr e, int node) => e is IrRef r && r.Id == node;

    private static bool Reads(IrExpr e, int node) => Ir.References(e).Contains(node);

    /// <summary>The range of an expression given the current ranges of the nodes it reads.</summary>
    public Interval Of(IrExpr e) => e switch
    {
        IrNumber n => Interval.Of(n.Value),
        IrRef r => _ranges[r.Id],
        IrUnary { Op: UnaryOp.Negate } u => -Of(u.Operand),
        IrUnary { Op: UnaryOp.Plus } u => Of(u.Operand),
        IrUnary => Interval.Bool,
        IrBinary b => Binary(b),
        IrIf i => Of(i.Then).Hull(Of(i.Else)),
        IrCall c => c.Builtin.Range is { } rule ? rule(new CallRanges(this, c)) : Interval.All,
        IrLookup l => GraphRange(_nodes[l.Table].Graph!, Of(l.Input)),
        _ => Interval.All,
    };

    private Interval Binary(IrBinary b)
    {
        var l = Of(b.Left);
        var r = Of(b.Right);
        return b.Op switch
        {
            BinaryOp.Add => l + r,
            BinaryOp.Subtract => l - r,
            BinaryOp.Multiply => l * r,
            BinaryOp.Divide => Share(b.Left, b.Right) ?? l / r,
            BinaryOp.Power => Power(l, r),
            _ => Interval.Bool,
        };
    }

    /// <summary>x / (x + y) with x, y ≥ 0 lies in [0, 1], which interval division alone cannot see.</summary>
    private Interval? Share(IrExpr numerator, IrExpr denominator)
    {
        if (denominator is not IrBinary { Op: BinaryOp.Add } sum) return null;
        var rest = Ir.Same(sum.Left, numerator) ? sum.Right : Ir.Same(sum.Right, numerator) ? sum.Left : null;
        return rest is not null && Of(numerator).IsNonNegative && Of(rest).IsNonNegative ? Interval.Bool : null;
    }

    /// <summary>A call's arguments as its builtin's range rule sees them.</summary>
    private sealed class CallRanges(ValueRanges ranges, IrCall call) : IRangeQuery
    {
        public Dialect Dialect => ranges._dialect;
        public int Count => call.Args.Count;
        public Interval this[int i] => i < call.Args.Count ? ranges.Of(call.Args[i]) : Interval.Zero;
        public Interval Quotient(int numerator, int denominator) =>
            ranges.Share(call.Args[numerator], call.Args[denominator]) ?? this[numerator] / this[denominator];
        public Interval Time => new(Math.Min(ranges._specs.Start, ranges._specs.Stop), Math.Max(ranges._specs.Start, ranges._specs.Stop));
        public SimSpecs Specs => ranges._specs;
    }

    private static Interval Power(Interval b, Interval p)
    {
        if (b.IsEmpty || p.IsEmpty) return Interval.Empty;
        if (p.Lo == p.Hi)
        {
            double c = p.Lo;
            if (c == 0) return Interval.Of(1);
            bool integer = c == Math.Floor(c);
            if (b.IsNonNegative)
                return c > 0 ? b.Map(x => Math.Pow(x, c)) : new Interval(Math.Pow(b.Hi, c), Math.Pow(b.Lo, c));
            if (integer && c > 0)
                return ((long)c % 2 == 0) ? b.Abs().Map(x => Math.Pow(x, c)) : b.Map(x => Math.Pow(x, c));
            return Interval.All;
        }
        return b.IsNonNegative ? Interval.NonNegative : Interval.All;
    }

    private static Interval GraphRange(GraphicalFunction graph, Interval input)
    {
        if (input.IsEmpty) return Interval.Empty;
        var ys = new Interval(graph.Y.Min(), graph.Y.Max());
        bool beyond = input.Lo < graph.X[0] || input.Hi > graph.X[^1];
        return graph.Type == GraphType.Extrapolate && beyond && graph.Y.Length > 1 ? Interval.All : ys;
    }
}
