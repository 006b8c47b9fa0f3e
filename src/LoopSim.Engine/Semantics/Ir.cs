using LoopSim.Engine.Builtins;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Semantics;

/// <summary>
/// An equation of the resolved IR: no names left. References are variable ids (indices into
/// <see cref="ResolvedModel.Variables"/>; after lowering, node ids, the same for model variables), calls point at their
/// <see cref="Builtin"/> catalogue entry, graphical-function calls at their table's variable. <see cref="Position"/> is
/// the offset in the owning equation's text, for messages. The operators are the syntax's; <c>a MOD b</c> is resolved
/// to the MOD builtin, whose semantics follow the model's dialect.
/// </summary>
internal abstract record IrExpr(int Position);

internal sealed record IrNumber(double Value, int Position) : IrExpr(Position);

/// <summary>The value of variable (or, after lowering, node) <see cref="Id"/>.</summary>
internal sealed record IrRef(int Id, int Position) : IrExpr(Position);

internal sealed record IrUnary(UnaryOp Op, IrExpr Operand, int Position) : IrExpr(Position);

/// <summary>A binary operator other than MOD (resolved to the MOD builtin).</summary>
internal sealed record IrBinary(BinaryOp Op, IrExpr Left, IrExpr Right, int Position) : IrExpr(Position);

internal sealed record IrIf(IrExpr Condition, IrExpr Then, IrExpr Else, int Position) : IrExpr(Position);

/// <summary>
/// A call of a builtin. Stateful builtins (SMTH1, DELAY …) exist only between resolution and lowering, which replaces
/// them by hidden nodes; a random builtin's last argument is, after lowering, the node holding its per-DT draw.
/// </summary>
internal sealed record IrCall(Builtin Builtin, IReadOnlyList<IrExpr> Args, int Position) : IrExpr(Position);

/// <summary>The graphical function of variable <see cref="Table"/> at <see cref="Input"/> (a table called by name, or LOOKUP(table, x)).</summary>
internal sealed record IrLookup(int Table, IrExpr Input, int Position) : IrExpr(Position);

/// <summary>Walks over IR trees, shared by the stages that read them.</summary>
internal static class Ir
{
    /// <summary>The direct subexpressions of a node.</summary>
    public static IEnumerable<IrExpr> Children(IrExpr e) => e switch
    {
        IrUnary u => [u.Operand],
        IrBinary b => [b.Left, b.Right],
        IrIf i => [i.Condition, i.Then, i.Else],
        IrCall c => c.Args,
        IrLookup l => [l.Input],
        _ => [],
    };

    /// <summary>The ids an expression reads, each once, in order of first appearance (a lookup reads its input, not its table).</summary>
    public static IEnumerable<int> References(IrExpr? e)
    {
        if (e is null) return [];
        var found = new List<int>();
        var seen = new HashSet<int>();
        void Walk(IrExpr x)
        {
            if (x is IrRef r) { if (seen.Add(r.Id)) found.Add(r.Id); return; }
            foreach (var child in Children(x)) Walk(child);
        }
        Walk(e);
        return found;
    }

    /// <summary>Whether any node of the tree satisfies <paramref name="test"/>.</summary>
    public static bool Any(IrExpr e, Func<IrExpr, bool> test) => test(e) || Children(e).Any(c => Any(c, test));

    /// <summary>Structural equality, ignoring where in the text each part was written.</summary>
    public static bool Same(IrExpr p, IrExpr q) => (p, q) switch
    {
        (IrNumber a, IrNumber b) => a.Value == b.Value,
        (IrRef a, IrRef b) => a.Id == b.Id,
        (IrUnary a, IrUnary b) => a.Op == b.Op && Same(a.Operand, b.Operand),
        (IrBinary a, IrBinary b) => a.Op == b.Op && Same(a.Left, b.Left) && Same(a.Right, b.Right),
        (IrIf a, IrIf b) => Same(a.Condition, b.Condition) && Same(a.Then, b.Then) && Same(a.Else, b.Else),
        (IrCall a, IrCall b) => a.Builtin == b.Builtin && a.Args.Count == b.Args.Count && a.Args.Zip(b.Args).All(t => Same(t.First, t.Second)),
        (IrLookup a, IrLookup b) => a.Table == b.Table && Same(a.Input, b.Input),
        _ => false,
    };
}
