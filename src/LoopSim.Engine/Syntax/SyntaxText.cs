using System.Globalization;
using System.Text;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Syntax;

/// <summary>Syntax trees back to XMILE equation text (for export), and references renamed in a tree (for module flattening).</summary>
public static class SyntaxText
{
    /// <summary>
    /// XMILE text that parses back to the same tree: parentheses only where precedence needs them, numbers in their
    /// shortest exact form, names as written (quoted when they are not plain identifiers).
    /// </summary>
    public static string Write(Expr e)
    {
        var sb = new StringBuilder();
        Write(sb, e, 0);
        return sb.ToString();
    }

    // Precedence, loosest first, as Parser reads it: OR 1, AND 2, = <> 3, < <= > >= 4, + - 5, * / MOD 6, unary 7, ^ 8, primary 9.
    private static int Precedence(Expr e) => e switch
    {
        BinaryExpr b => Precedence(b.Op),
        UnaryExpr => 7,
        NumberExpr n when n.Value < 0 || (n.Value == 0 && double.IsNegative(n.Value)) => 7,
        IfExpr => 0,
        _ => 9,
    };

    private static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Or => 1,
        BinaryOp.And => 2,
        BinaryOp.Equal or BinaryOp.NotEqual => 3,
        BinaryOp.Less or BinaryOp.LessEqual or BinaryOp.Greater or BinaryOp.GreaterEqual => 4,
        BinaryOp.Add or BinaryOp.Subtract => 5,
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Mod => 6,
        _ => 8,
    };

    private static void Write(StringBuilder sb, Expr e, int least)
    {
        // An IF reads everything after ELSE, so anywhere but at the top it is wrapped.
        bool wrap = Precedence(e) < least || (e is IfExpr && least > 0);
        if (wrap) sb.Append('(');
        switch (e)
        {
            case NumberExpr n:
                sb.Append(n.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case VariableExpr v:
                sb.Append(Name(v.Written));
                break;
            case UnaryExpr u:
                sb.Append(u.Op switch { UnaryOp.Negate => "-", UnaryOp.Plus => "+", _ => "NOT " });
                Write(sb, u.Operand, 7);
                break;
            case BinaryExpr { Op: BinaryOp.Power } p:
                Write(sb, p.Left, 9);
                sb.Append('^');
                Write(sb, p.Right, 7);
                break;
            case BinaryExpr b:
                int precedence = Precedence(b.Op);
                Write(sb, b.Left, precedence);
                sb.Append(Operator(b.Op));
                Write(sb, b.Right, precedence + 1);
                break;
            case IfExpr i:
                sb.Append("IF ");
                Write(sb, i.Condition, 0);
                sb.Append(" THEN ");
                Write(sb, i.Then, 0);
                sb.Append(" ELSE ");
                Write(sb, i.Else, 0);
                break;
            case CallExpr c:
                sb.Append(Name(c.Written)).Append('(');
                for (int k = 0; k < c.Args.Count; k++)
                {
                    if (k > 0) sb.Append(", ");
                    Write(sb, c.Args[k], 0);
                }
                sb.Append(')');
                break;
        }
        if (wrap) sb.Append(')');
    }

    private static string Operator(BinaryOp op) => op switch
    {
        BinaryOp.Add => " + ",
        BinaryOp.Subtract => " - ",
        BinaryOp.Multiply => " * ",
        BinaryOp.Divide => " / ",
        BinaryOp.Mod => " MOD ",
        BinaryOp.Equal => " = ",
        BinaryOp.NotEqual => " <> ",
        BinaryOp.Less => " < ",
        BinaryOp.LessEqual => " <= ",
        BinaryOp.Greater => " > ",
        BinaryOp.GreaterEqual => " >= ",
        BinaryOp.And => " AND ",
        _ => " OR ",
    };

    private static readonly string[] Keywords = ["if", "then", "else", "and", "or", "not", "mod"];

    /// <summary>A name as it can stand in an equation: bare when the lexer reads it as one name, else in quotes.</summary>
    public static string Name(string written)
    {
        bool plain = written.Length > 0 && Lexer.IsNameStart(written[0])
            && written.Split('.').All(part => part.Length > 0 && Lexer.IsNameStart(part[0]) && part.All(Lexer.IsNamePart))
            && !Keywords.Contains(written.ToLowerInvariant());
        return plain ? written : "\"" + written.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// A copy of <paramref name="e"/> whose variable references are renamed by <paramref name="variable"/> and whose
    /// called function names by <paramref name="function"/> (null keeps a name). Renamed references are written as their new name.
    /// </summary>
    public static Expr Rename(Expr e, Func<string, string?> variable, Func<string, string?> function) => e switch
    {
        VariableExpr v => variable(v.Written) is { } name ? new VariableExpr(Names.Canonical(name), name, v.Position) : v,
        UnaryExpr u => u with { Operand = Rename(u.Operand, variable, function) },
        BinaryExpr b => b with { Left = Rename(b.Left, variable, function), Right = Rename(b.Right, variable, function) },
        IfExpr i => i with { Condition = Rename(i.Condition, variable, function), Then = Rename(i.Then, variable, function), Else = Rename(i.Else, variable, function) },
        CallExpr c => function(c.Written) is { } name
            ? new CallExpr(Names.Canonical(name), name, c.Args.Select(a => Rename(a, variable, function)).ToList(), c.Position)
            : c with { Args = c.Args.Select(a => Rename(a, variable, function)).ToList() },
        _ => e,
    };
}
