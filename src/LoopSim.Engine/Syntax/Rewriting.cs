using LoopSim.Engine.Model;

namespace LoopSim.Engine.Syntax;

/// <summary>Changes to syntax trees that readers make before resolution.</summary>
public static class Rewriting
{
    /// <summary>
    /// A copy of <paramref name="e"/> whose variable references are renamed by <paramref name="variable"/> and whose
    /// called function names by <paramref name="function"/> (null keeps a name). Renamed references are written as their new name.
    /// </summary>
    public static Expr RenameReferences(Expr e, Func<string, string?> variable, Func<string, string?> function) => e switch
    {
        VariableExpr v => variable(v.Written) is { } name ? new VariableExpr(Names.Canonical(name), name, v.Position) : v,
        UnaryExpr u => u with { Operand = RenameReferences(u.Operand, variable, function) },
        BinaryExpr b => b with { Left = RenameReferences(b.Left, variable, function), Right = RenameReferences(b.Right, variable, function) },
        IfExpr i => i with { Condition = RenameReferences(i.Condition, variable, function), Then = RenameReferences(i.Then, variable, function), Else = RenameReferences(i.Else, variable, function) },
        CallExpr c => function(c.Written) is { } name
            ? new CallExpr(Names.Canonical(name), name, c.Args.Select(a => RenameReferences(a, variable, function)).ToList(), c.Position)
            : c with { Args = c.Args.Select(a => RenameReferences(a, variable, function)).ToList() },
        SubscriptExpr s => (variable(s.Written) is { } name ? new SubscriptExpr(Names.Canonical(name), name, s.Indices, s.Position) : s) is var renamed
            ? renamed with { Indices = s.Indices.Select(i => i is VariableExpr ? i : RenameReferences(i, variable, function)).ToList() } : s,
        _ => e,
    };
}
