using System.Globalization;
using System.Text;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Syntax;

/// <summary>
/// Writes an equation tree as XMILE expression text that <see cref="Parser"/> reads back to the same tree (up to
/// positions): parentheses only where XMILE's precedence needs them, names as written (when the spelling names the
/// same thing) as identifiers or in quotes. The XMILE export writes every equation through here.
/// </summary>
public static class ExprWriter
{
    public static string Write(Expr e)
    {
        var sb = new StringBuilder();
        Write(sb, e);
        return sb.ToString();
    }

    // XMILE precedence levels, loosest first; an IF is lower than everything when it is an operand.
    private const int IfLevel = 0, OrLevel = 1, AndLevel = 2, EqualityLevel = 3, RelationalLevel = 4, AdditiveLevel = 5,
        MultiplicativeLevel = 6, UnaryLevel = 7, PowerLevel = 8, PrimaryLevel = 9;

    private static int Level(Expr e) => e switch
    {
        IfExpr => IfLevel,
        BinaryExpr b => Level(b.Op),
        UnaryExpr => UnaryLevel,
        NumberExpr n when n.Value < 0 || double.IsNegative(n.Value) => UnaryLevel,
        _ => PrimaryLevel,
    };

    private static int Level(BinaryOp op) => op switch
    {
        BinaryOp.Or => OrLevel,
        BinaryOp.And => AndLevel,
        BinaryOp.Equal or BinaryOp.NotEqual => EqualityLevel,
        BinaryOp.Less or BinaryOp.LessEqual or BinaryOp.Greater or BinaryOp.GreaterEqual => RelationalLevel,
        BinaryOp.Add or BinaryOp.Subtract => AdditiveLevel,
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Mod => MultiplicativeLevel,
        _ => PowerLevel,
    };

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Power => "^",
        BinaryOp.Mod => "MOD",
        BinaryOp.Equal => "=",
        BinaryOp.NotEqual => "<>",
        BinaryOp.Less => "<",
        BinaryOp.LessEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterEqual => ">=",
        BinaryOp.And => "AND",
        _ => "OR",
    };

    private static void Write(StringBuilder sb, Expr e)
    {
        switch (e)
        {
            case NumberExpr n:
                sb.Append(Number(n.Value));
                break;
            case VariableExpr v:
                sb.Append(Name(AsWritten(v.Name, v.Written)));
                break;
            case UnaryExpr u:
                sb.Append(u.Op switch { UnaryOp.Negate => "-", UnaryOp.Plus => "+", _ => "NOT " });
                // -(-x) must not print as --x, which reads the same but looks like a typo.
                Operand(sb, u.Operand, Level(u.Operand) < UnaryLevel || (u.Op != UnaryOp.Not && Level(u.Operand) == UnaryLevel));
                break;
            case BinaryExpr b when b.Op == BinaryOp.Power:
                Operand(sb, b.Left, Level(b.Left) <= PowerLevel);
                sb.Append('^');
                Operand(sb, b.Right, Level(b.Right) < UnaryLevel);
                break;
            case BinaryExpr b:
                int level = Level(b.Op);
                Operand(sb, b.Left, Level(b.Left) < level);
                sb.Append(' ').Append(Symbol(b.Op)).Append(' ');
                Operand(sb, b.Right, Level(b.Right) <= level);
                break;
            case IfExpr i:
                sb.Append("IF ");
                Write(sb, i.Condition);
                sb.Append(" THEN ");
                Write(sb, i.Then);
                sb.Append(" ELSE ");
                Write(sb, i.Else);
                break;
            case CallExpr c:
                sb.Append(Name(AsWritten(c.Function, c.Written))).Append('(');
                for (int k = 0; k < c.Args.Count; k++)
                {
                    if (k > 0) sb.Append(", ");
                    Write(sb, c.Args[k]);
                }
                sb.Append(')');
                break;
            case SubscriptExpr s:
                sb.Append(Name(AsWritten(s.Name, s.Written))).Append('[');
                for (int k = 0; k < s.Indices.Count; k++)
                {
                    if (k > 0) sb.Append(", ");
                    Write(sb, s.Indices[k]);
                }
                sb.Append(']');
                break;
            case WildcardExpr w:
                sb.Append(w.Dimension is null ? "*" : Name(w.Dimension) + ".*");
                break;
            default:
                throw new InvalidOperationException($"an equation holding {e.GetType().Name} cannot be written as XMILE");
        }
    }

    private static void Operand(StringBuilder sb, Expr e, bool parenthesize)
    {
        if (parenthesize) sb.Append('(');
        Write(sb, e);
        if (parenthesize) sb.Append(')');
    }

    private static readonly HashSet<string> Keywords = ["if", "then", "else", "and", "or", "not", "mod"];

    /// <summary>The spelling the modeller used, unless a reader gave the node another name (then its canonical one).</summary>
    private static string AsWritten(string canonical, string written) => Names.Canonical(written) == canonical ? written : canonical;

    /// <summary>
    /// A name as XMILE writes it: bare when it lexes as one identifier (a module path "hares.area" included), else in
    /// quotes (\" for a quote).
    /// </summary>
    public static string Name(string name)
    {
        bool plain = name.Length > 0 && name.Split('.').All(part => part.Length > 0 && Lexer.IsNameStart(part[0]) && part.All(Lexer.IsNamePart))
            && !Keywords.Contains(name.ToLowerInvariant());
        return plain ? name : "\"" + name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
