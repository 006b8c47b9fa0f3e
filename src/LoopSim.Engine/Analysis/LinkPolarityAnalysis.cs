using LoopSim.Engine.Builtins;
using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Analysis;

/// <summary>The sign of ∂z/∂x fixed by the model's structure, for every value the variables can take.</summary>
public enum LinkPolarity { Positive, Negative, Undetermined }

/// <summary>
/// The possible signs of a derivative: Down = it can be negative, Up = it can be positive; neither means z does
/// not depend on x at all, both that the sign is not fixed.
/// </summary>
internal readonly record struct Slope(bool Down, bool Up)
{
    public static readonly Slope None = new(false, false);
    public static readonly Slope Increasing = new(false, true);
    public static readonly Slope Decreasing = new(true, false);
    public static readonly Slope Either = new(true, true);

    public bool Depends => Down || Up;
    public Slope Flip => new(Up, Down);
    public static Slope operator |(Slope a, Slope b) => new(a.Down || b.Down, a.Up || b.Up);

    /// <summary>This slope times a factor whose value lies in <paramref name="factor"/>.</summary>
    public Slope Times(Interval factor) => new(
        (Up && factor.CanBeNegative) || (Down && factor.CanBePositive),
        (Up && factor.CanBePositive) || (Down && factor.CanBeNegative));

    /// <summary>The chain rule: an outer function's slope times this inner slope.</summary>
    public Slope Then(Slope outer) => new(
        (Up && outer.Down) || (Down && outer.Up),
        (Up && outer.Up) || (Down && outer.Down));

    public LinkPolarity Polarity => this == Increasing ? LinkPolarity.Positive : this == Decreasing ? LinkPolarity.Negative : LinkPolarity.Undetermined;
}

/// <summary>
/// Link polarity from the equation's syntax tree: + through addition, − through subtraction of x, through a
/// product when the co-factor's sign is known (from <see cref="ValueRanges"/>), numerator + and denominator −
/// (x/(x+y) counted as a share, increasing in x when y ≥ 0), builtins by their catalogue entry's polarity rule
/// (<see cref="Builtin.Polarity"/>: MIN/MAX and monotone functions keep the sign …), graphical functions by the
/// monotonicity of their table, IF only when both branches agree and the condition does not read x. Anything else
/// is undetermined.
/// </summary>
internal sealed class LinkPolarityAnalysis(List<Node> nodes, ValueRanges ranges)
{
    /// <summary>The sign of ∂(node's value)/∂(input's value).</summary>
    public Slope Of(int node, int input)
    {
        var n = nodes[node];
        if (n.Kind == NodeKind.FixedDelay)
            return input == n.DelayInput ? Slope.Increasing : Slope.Either; // the delay time shifts the window: either way
        var slope = Of(n.Equation!, input);
        if (n.Graph is not null) slope = slope.Then(Monotonicity(n.Graph));
        return slope; // MAX(0, flow) of a non-negative flow is monotone: the sign stays
    }

    public static Slope Monotonicity(GraphicalFunction graph)
    {
        bool up = false, down = false;
        for (int i = 1; i < graph.Y.Length; i++)
        {
            if (graph.Y[i] > graph.Y[i - 1]) up = true;
            if (graph.Y[i] < graph.Y[i - 1]) down = true;
        }
        return new Slope(down, up);
    }

    public Slope Of(IrExpr e, int x)
    {
        switch (e)
        {
            case IrNumber: return Slope.None;
            case IrRef r: return r.Id == x ? Slope.Increasing : Slope.None;
            case IrUnary { Op: UnaryOp.Negate } u: return Of(u.Operand, x).Flip;
            case IrUnary { Op: UnaryOp.Plus } u: return Of(u.Operand, x);
            case IrUnary u: return Unknown(u.Operand, x);
            case IrBinary b: return Binary(b, x);
            case IrIf i: return Of(i.Condition, x).Depends ? Slope.Either : Of(i.Then, x) | Of(i.Else, x);
            case IrCall c: return c.Builtin.Polarity is { } rule ? rule(new CallSlopes(this, c, x)) : Unknown(c, x);
            case IrLookup l: return Of(l.Input, x).Then(Monotonicity(nodes[l.Table].Graph!));
            default: return Slope.Either;
        }
    }

    private Interval RangeOf(IrExpr e) => ranges.Of(e);

    private Slope Unknown(IrExpr e, int x) => Of(e, x).Depends ? Slope.Either : Slope.None;

    private Slope Binary(IrBinary b, int x)
    {
        var l = Of(b.Left, x);
        var r = Of(b.Right, x);
        switch (b.Op)
        {
            case BinaryOp.Add: return l | r;
            case BinaryOp.Subtract: return l | r.Flip;
            case BinaryOp.Multiply: return l.Times(ranges.Of(b.Right)) | r.Times(ranges.Of(b.Left));
            case BinaryOp.Divide: return Quotient(b.Left, b.Right, x);
            case BinaryOp.Power: return Power(b.Left, b.Right, l, r);
            case BinaryOp.Greater or BinaryOp.GreaterEqual: return l | r.Flip;
            case BinaryOp.Less or BinaryOp.LessEqual: return l.Flip | r;
            default: return l.Depends || r.Depends ? Slope.Either : Slope.None;
        }
    }

    /// <summary>∂(a/b) = (a'·b − a·b')/b²: a' with the sign of b, minus b' with the sign of a; for b = a + c it is (a'·c − a·c')/b².</summary>
    private Slope Quotient(IrExpr a, IrExpr b, int x)
    {
        var da = Of(a, x);
        var db = Of(b, x);
        if (!db.Depends) return da.Times(DivisorSign(ranges.Of(b)));
        if (b is IrBinary { Op: BinaryOp.Add } sum && (Ir.Same(sum.Left, a) || Ir.Same(sum.Right, a)))
        {
            var rest = Ir.Same(sum.Left, a) ? sum.Right : sum.Left;
            return da.Times(ranges.Of(rest)) | Of(rest, x).Times(ranges.Of(a)).Flip;
        }
        return da.Times(DivisorSign(ranges.Of(b))) | db.Times(ranges.Of(a)).Flip;
    }

    /// <summary>A call's arguments as its builtin's polarity rule sees them, with respect to x.</summary>
    private sealed class CallSlopes(LinkPolarityAnalysis analysis, IrCall call, int x) : ISlopeQuery
    {
        public int Count => call.Args.Count;
        public Slope this[int i] => i < call.Args.Count ? analysis.Of(call.Args[i], x) : Slope.None;
        public Interval Range(int i) => analysis.RangeOf(call.Args[i]);
        public Slope Quotient(int a, int b) => analysis.Quotient(call.Args[a], call.Args[b], x);
        public Slope UnknownFrom(int i) => Enumerable.Range(i, Math.Max(0, call.Args.Count - i)).Any(k => this[k].Depends) ? Slope.Either : Slope.None;
    }

    /// <summary>The sign of 1/b: a divisor that is ≥ 0 counts as positive (it is not zero where the equation is defined).</summary>
    private static Interval DivisorSign(Interval b) =>
        b.IsNonNegative ? Interval.Of(1) : b.IsNonPositive ? Interval.Of(-1) : Interval.All;

    private Slope Power(IrExpr baseExpr, IrExpr exponent, Slope dBase, Slope dExponent)
    {
        var result = Slope.None;
        if (dBase.Depends)
        {
            var b = ranges.Of(baseExpr);
            var p = ranges.Of(exponent);
            if (p.Lo == p.Hi && p.Lo == Math.Floor(p.Lo) && p.Lo > 0)
                result |= (long)p.Lo % 2 == 1 ? dBase : dBase.Times(b);      // x^odd increasing; x^even has the sign of x
            else if (b.IsNonNegative && p.IsNonNegative) result |= dBase;
            else if (b.IsNonNegative && p.IsNonPositive) result |= dBase.Flip;
            else result = Slope.Either;
        }
        if (dExponent.Depends)
        {
            var b = ranges.Of(baseExpr);
            result |= b.Lo >= 1 ? dExponent : b.Lo >= 0 && b.Hi <= 1 ? dExponent.Flip : Slope.Either;
        }
        return result;
    }
}
