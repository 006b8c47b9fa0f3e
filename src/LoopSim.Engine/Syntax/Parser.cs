using LoopSim.Engine.Model;

namespace LoopSim.Engine.Syntax;

/// <summary>
/// Parses the XMILE expression language. Precedence, loosest first (XMILE 1.0 §3.3.1): OR, AND, = &lt;&gt;,
/// &lt; &lt;= &gt; &gt;=, + -, * / MOD, unary + - NOT, ^ (right-associative, so -2^2 = -4 and 2^3^2 = 512), then calls,
/// names, numbers, parentheses and IF … THEN … ELSE ….
/// </summary>
public sealed class Parser
{
    /// <summary>How deeply parentheses, calls, IF and unary operators may nest (the parser recurses once per level).</summary>
    public const int MaxNesting = 200;
    /// <summary>The tallest syntax tree accepted (a chain a + b + c + … is as tall as it is long): every later stage walks the tree recursively.</summary>
    public const int MaxHeight = 1000;

    private readonly List<Token> _tokens;
    private int _next;
    private int _nesting;

    private Parser(List<Token> tokens) => _tokens = tokens;

    /// <summary>Parses one equation; throws ModelException (with the offending column) on a syntax error.</summary>
    public static Expr Parse(string text, SourceLocation? location = null, string? variable = null)
    {
        try
        {
            var parser = new Parser(Lexer.Tokenize(text));
            if (parser.Peek.Kind == TokenKind.End) throw new ParseException("the equation is empty", 0);
            var expr = parser.ParseOr();
            if (parser.Peek.Kind != TokenKind.End)
                throw new ParseException($"unexpected '{parser.Peek.Text}' after a complete expression", parser.Peek.Start);
            if (Height(expr) > MaxHeight)
                throw new ParseException($"the equation is more than {MaxHeight:N0} operations deep", 0, "Split it into auxiliaries, e.g. partial sums.",
                    DiagnosticCodes.EquationTooDeep);
            return expr;
        }
        catch (ParseException e)
        {
            throw new ModelException(e.Code ?? DiagnosticCodes.EquationSyntax, $"syntax error in '{Shorten(text)}': {e.Message}", At(location, text, e.Position), variable,
                e.Hint ?? "Check the equation's operators and parentheses.");
        }
    }

    /// <summary>The location of an offset within an equation that starts at <paramref name="location"/>.</summary>
    public static SourceLocation? At(SourceLocation? location, string text, int position)
    {
        if (location is null) return null;
        position = Math.Clamp(position, 0, text.Length);
        int lineBreaks = 0, lastBreak = -1;
        for (int i = 0; i < position; i++)
            if (text[i] == '\n') { lineBreaks++; lastBreak = i; }
        if (location.Line <= 0) return location;
        return lineBreaks == 0
            ? location with { Column = location.Column > 0 ? location.Column + position : 0 }
            : location with { Line = location.Line + lineBreaks, Column = position - lastBreak };
    }

    private static string Shorten(string text)
    {
        var oneLine = Names.Display(text);
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }

    private static readonly string[] Keywords = { "if", "then", "else", "and", "or", "not", "mod" };
    private static bool IsKeyword(Token t) => t.Kind == TokenKind.Name && Keywords.Contains(t.Text.ToLowerInvariant());

    /// <summary>The height of a tree, without recursion (the tree may be too tall for it).</summary>
    public static int Height(Expr root)
    {
        int tallest = 0;
        var pending = new Stack<(Expr Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            tallest = Math.Max(tallest, depth);
            foreach (var child in Children(node)) pending.Push((child, depth + 1));
        }
        return tallest;
    }

    /// <summary>The direct subexpressions of a node.</summary>
    public static IEnumerable<Expr> Children(Expr e) => e switch
    {
        UnaryExpr u => [u.Operand],
        BinaryExpr b => [b.Left, b.Right],
        IfExpr i => [i.Condition, i.Then, i.Else],
        CallExpr c => c.Args,
        SubscriptExpr s => s.Indices,
        _ => [],
    };

    private Token Peek => _tokens[_next];
    private Token Take() => _tokens[_next++];

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Peek.IsWord("or") || Peek.IsOperator("||"))
        {
            var op = Take();
            left = new BinaryExpr(BinaryOp.Or, left, ParseAnd(), op.Start);
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseEquality();
        while (Peek.IsWord("and") || Peek.IsOperator("&&"))
        {
            var op = Take();
            left = new BinaryExpr(BinaryOp.And, left, ParseEquality(), op.Start);
        }
        return left;
    }

    private Expr ParseEquality()
    {
        var left = ParseRelational();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "=" or "==" or "<>" or "!=")
        {
            var op = Take();
            left = new BinaryExpr(op.Text is "=" or "==" ? BinaryOp.Equal : BinaryOp.NotEqual, left, ParseRelational(), op.Start);
        }
        return left;
    }

    private Expr ParseRelational()
    {
        var left = ParseAdditive();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "<" or "<=" or ">" or ">=")
        {
            var op = Take();
            var kind = op.Text switch { "<" => BinaryOp.Less, "<=" => BinaryOp.LessEqual, ">" => BinaryOp.Greater, _ => BinaryOp.GreaterEqual };
            left = new BinaryExpr(kind, left, ParseAdditive(), op.Start);
        }
        return left;
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek.IsOperator("+") || Peek.IsOperator("-"))
        {
            var op = Take();
            left = new BinaryExpr(op.Text == "+" ? BinaryOp.Add : BinaryOp.Subtract, left, ParseMultiplicative(), op.Start);
        }
        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek.IsOperator("*") || Peek.IsOperator("/") || Peek.IsWord("mod"))
        {
            var op = Take();
            var kind = op.Text switch { "*" => BinaryOp.Multiply, "/" => BinaryOp.Divide, _ => BinaryOp.Mod };
            left = new BinaryExpr(kind, left, ParseUnary(), op.Start);
        }
        return left;
    }

    private Expr ParseUnary()
    {
        if (++_nesting > MaxNesting)
            throw new ParseException($"more than {MaxNesting} levels of nested parentheses, calls, IFs or signs", Peek.Start, "Split the equation into auxiliaries.",
                DiagnosticCodes.EquationTooDeep);
        try { return ParseUnaryOperand(); }
        finally { _nesting--; }
    }

    private Expr ParseUnaryOperand()
    {
        if (Peek.IsOperator("-") || Peek.IsOperator("+") || Peek.IsWord("not") || Peek.IsOperator("!"))
        {
            var op = Take();
            var kind = op.Text switch { "-" => UnaryOp.Negate, "+" => UnaryOp.Plus, _ => UnaryOp.Not };
            return new UnaryExpr(kind, ParseUnary(), op.Start);
        }
        return ParsePower();
    }

    private Expr ParsePower()
    {
        var baseExpr = ParsePrimary();
        if (!Peek.IsOperator("^")) return baseExpr;
        var op = Take();
        return new BinaryExpr(BinaryOp.Power, baseExpr, ParseUnary(), op.Start);
    }

    private Expr ParsePrimary()
    {
        var t = Take();
        switch (t.Kind)
        {
            case TokenKind.Number:
                return new NumberExpr(t.Number, t.Start);
            case TokenKind.LeftParen:
            {
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'", t);
                return inner;
            }
            case TokenKind.Name when t.IsWord("if"):
            {
                var condition = ParseOr();
                if (!Peek.IsWord("then")) throw new ParseException($"expected THEN, found {Describe(Peek)}", Peek.Start);
                Take();
                var then = ParseOr();
                if (!Peek.IsWord("else")) throw new ParseException($"expected ELSE, found {Describe(Peek)}", Peek.Start);
                Take();
                return new IfExpr(condition, then, ParseOr(), t.Start);
            }
            case TokenKind.Name when IsKeyword(t) && !(t.IsWord("mod") && Peek.Kind == TokenKind.LeftParen):
                throw new ParseException($"unexpected keyword '{t.Text}'", t.Start);
            case TokenKind.Name or TokenKind.QuotedName:
                if (Peek.Kind == TokenKind.LeftParen)
                {
                    var open = Take();
                    var args = new List<Expr>();
                    if (Peek.Kind != TokenKind.RightParen)
                    {
                        args.Add(ParseOr());
                        while (Peek.Kind == TokenKind.Comma) { Take(); args.Add(ParseOr()); }
                    }
                    Expect(TokenKind.RightParen, "')' or ','", open);
                    return new CallExpr(Names.Canonical(t.Text), t.Text, args, t.Start);
                }
                if (Peek.Kind == TokenKind.LeftBracket)
                    return ParseSubscripts(t);
                return new VariableExpr(Names.Canonical(t.Text), t.Text, t.Start);
            case TokenKind.End:
                throw new ParseException("the equation ends too early", t.Start);
            default:
                throw new ParseException($"unexpected {Describe(t)}", t.Start);
        }
    }

    /// <summary>name[i, j]: each index an expression (an element, a dimension, a position) or '*' for the whole dimension (XMILE 1.0 §3.7.1).</summary>
    private SubscriptExpr ParseSubscripts(Token name)
    {
        var open = Take();
        var indices = new List<Expr>();
        do
        {
            if (indices.Count > 0) Take();
            indices.Add(Peek.IsOperator("*") && _tokens[_next + 1].Kind is TokenKind.Comma or TokenKind.RightBracket
                ? new WildcardExpr(null, Take().Start)
                : ParseOr());
        }
        while (Peek.Kind == TokenKind.Comma);
        if (Peek.Kind != TokenKind.RightBracket)
            throw new ParseException($"expected ']' or ',' to match the '[' at offset {open.Start}, found {Describe(Peek)}", Peek.Start);
        Take();
        return new SubscriptExpr(Names.Canonical(name.Text), name.Text, indices, name.Start);
    }

    private void Expect(TokenKind kind, string what, Token opener)
    {
        if (Peek.Kind != kind)
            throw new ParseException($"expected {what} to match the '(' at offset {opener.Start}, found {Describe(Peek)}", Peek.Start);
        Take();
    }

    private static string Describe(Token t) => t.Kind == TokenKind.End ? "the end of the equation" : $"'{t.Text}'";
}
