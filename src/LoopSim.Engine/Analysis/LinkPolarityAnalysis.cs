using LoopSim.Engine.Compilation;
using LoopSim.Engine.Expressions;
using LoopSim.Engine.Model;

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
/// (x/(x+y) counted as a share, increasing in x when y ≥ 0), MIN/MAX and monotone functions keep the sign,
/// graphical functions by the monotonicity of their table, IF only when both branches agree and the condition
/// does not read x. Anything else is undetermined.
/// </summary>
internal sealed class LinkPolarityAnalysis(List<Node> nodes, Dictionary<string, int> byName, ValueRanges ranges)
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

    public Slope Of(Expr e, int x)
    {
        switch (e)
        {
            case NumberExpr: return Slope.None;
            case VariableExpr v: return Lowering.Resolve(v.Name, byName) == x ? Slope.Increasing : Slope.None;
            case UnaryExpr { Op: UnaryOp.Negate } u: return Of(u.Operand, x).Flip;
            case UnaryExpr { Op: UnaryOp.Plus } u: return Of(u.Operand, x);
            case UnaryExpr u: return Unknown(u.Operand, x);
            case BinaryExpr b: return Binary(b, x);
            case IfExpr i: return Of(i.Condition, x).Depends ? Slope.Either : Of(i.Then, x) | Of(i.Else, x);
            case CallExpr c: return Call(c, x);
            default: return Slope.Either;
        }
    }

    private Slope Unknown(Expr e, int x) => Of(e, x).Depends ? Slope.Either : Slope.None;

    private Slope Binary(BinaryExpr b, int x)
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
    private Slope Quotient(Expr a, Expr b, int x)
    {
        var da = Of(a, x);
        var db = Of(b, x);
        if (!db.Depends) return da.Times(DivisorSign(ranges.Of(b)));
        if (b is BinaryExpr { Op: BinaryOp.Add } sum && (Expressions.Same(sum.Left, a) || Expressions.Same(sum.Right, a)))
        {
            var rest = Expressions.Same(sum.Left, a) ? sum.Right : sum.Left;
            return da.Times(ranges.Of(rest)) | Of(rest, x).Times(ranges.Of(a)).Flip;
        }
        return da.Times(DivisorSign(ranges.Of(b))) | db.Times(ranges.Of(a)).Flip;
    }

    /// <summary>The sign of 1/b: a divisor that is ≥ 0 counts as positive (it is not zero where the equation is defined).</summary>
    private static Interval DivisorSign(Interval b) =>
        b.IsNonNegative ? Interval.Of(1) : b.IsNonPositive ? Interval.Of(-1) : Interval.All;

    private Slope Power(Expr baseExpr, Expr exponent, Slope dBase, Slope dExponent)
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

    private Slope Call(CallExpr c, int x)
    {
        var a = c.Args;
        Slope D(int i) => i < a.Count ? Of(a[i], x) : Slope.None;
        Slope UnknownFrom(int i) => Enumerable.Range(i, Math.Max(0, a.Count - i)).Any(k => D(k).Depends) ? Slope.Either : Slope.None;
        switch (c.Function)
        {
            case "abs":
                var range = ranges.Of(a[0]);
                return range.IsNonNegative ? D(0) : range.IsNonPositive ? D(0).Flip : Unknown(a[0], x);
            case "min": case "max": return D(0) | D(1);
            case "exp": case "ln": case "log10": case "sqrt": case "int": case "arcsin": case "arctan": return D(0);
            case "arccos": return D(0).Flip;
            case "safediv": return Quotient(a[0], a[1], x) | D(2);
            case "step": case "ramp": case "pulse": return D(0) | UnknownFrom(1);
            case "#lognormal": return D(0) | UnknownFrom(1);
            case "#poisson": case "#exponential": return D(0) | UnknownFrom(1);
            case "time": case "dt": case "starttime": case "stoptime": case "pi": return Slope.None;
        }
        int table = Lowering.Resolve(c.Function, byName);
        if (table >= 0 && nodes[table].Graph is { } graph && a.Count == 1) return D(0).Then(Monotonicity(graph));
        return UnknownFrom(0);
    }
}

/// <summary>Helpers on expressions shared by the analyses.</summary>
internal static class Expressions
{
    /// <summary>Structural equality, ignoring where in the text each part was written.</summary>
    public static bool Same(Expr p, Expr q) => (p, q) switch
    {
        (NumberExpr a, NumberExpr b) => a.Value == b.Value,
        (VariableExpr a, VariableExpr b) => a.Name == b.Name,
        (UnaryExpr a, UnaryExpr b) => a.Op == b.Op && Same(a.Operand, b.Operand),
        (BinaryExpr a, BinaryExpr b) => a.Op == b.Op && Same(a.Left, b.Left) && Same(a.Right, b.Right),
        (IfExpr a, IfExpr b) => Same(a.Condition, b.Condition) && Same(a.Then, b.Then) && Same(a.Else, b.Else),
        (CallExpr a, CallExpr b) => a.Function == b.Function && a.Args.Count == b.Args.Count && a.Args.Zip(b.Args).All(t => Same(t.First, t.Second)),
        _ => false,
    };
}
