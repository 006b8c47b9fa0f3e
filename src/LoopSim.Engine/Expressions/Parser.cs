using System.Text;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Expressions;

/// <summary>
/// Parses the XMILE expression language. Precedence, loosest first (XMILE 1.0 §3.3.1): OR, AND, = &lt;&gt;,
/// &lt; &lt;= &gt; &gt;=, + -, * / MOD, unary + - NOT, ^ (right-associative, so -2^2 = -4 and 2^3^2 = 512), then calls,
/// names, numbers, parentheses and IF … THEN … ELSE ….
/// </summary>
public sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _next;

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
            return expr;
        }
        catch (ParseException e)
        {
            throw new ModelException($"syntax error in '{Shorten(text)}': {e.Message}", At(location, text, e.Position), variable,
                "Check the equation's operators and parentheses.");
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

    /// <summary>
    /// Rewrites every variable reference in <paramref name="equation"/>, keeping the rest of the text as written.
    /// Names of called functions are left alone unless <paramref name="renameFunction"/> is given
    /// (module flattening needs it for named graphical functions called as <c>table(x)</c>).
    /// </summary>
    public static string RewriteNames(string equation, Func<string, string> rename, Func<string, string>? renameFunction = null)
    {
        var tokens = Lexer.Tokenize(equation);
        var sb = new StringBuilder();
        int copied = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind is not (TokenKind.Name or TokenKind.QuotedName) || IsKeyword(t))
                continue;
            bool isCall = tokens[i + 1].Kind == TokenKind.LeftParen;
            if (isCall && renameFunction is null)
                continue;
            sb.Append(equation, copied, t.Start - copied);
            var renamed = isCall ? renameFunction!(t.Text) : rename(t.Text);
            sb.Append(renamed.All(ch => Lexer.IsNamePart(ch) || ch == '.') ? renamed : "\"" + renamed.Replace("\"", "\\\"") + "\"");
            copied = t.Start + t.Length;
        }
        sb.Append(equation, copied, equation.Length - copied);
        return sb.ToString();
    }

    private static string Shorten(string text)
    {
        var oneLine = Names.Display(text);
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }

    private static readonly string[] Keywords = { "if", "then", "else", "and", "or", "not", "mod" };
    private static bool IsKeyword(Token t) => t.Kind == TokenKind.Name && Keywords.Contains(t.Text.ToLowerInvariant());

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
                return new VariableExpr(Names.Canonical(t.Text), t.Text, t.Start);
            case TokenKind.End:
                throw new ParseException("the equation ends too early", t.Start);
            default:
                throw new ParseException($"unexpected {Describe(t)}", t.Start);
        }
    }

    private void Expect(TokenKind kind, string what, Token opener)
    {
        if (Peek.Kind != kind)
            throw new ParseException($"expected {what} to match the '(' at offset {opener.Start}, found {Describe(Peek)}", Peek.Start);
        Take();
    }

    private static string Describe(Token t) => t.Kind == TokenKind.End ? "the end of the equation" : $"'{t.Text}'";
}
