using System.Globalization;
using System.Text;

namespace LoopSim.Engine.Syntax;

internal enum TokenKind { Number, Name, QuotedName, Operator, LeftParen, RightParen, LeftBracket, RightBracket, Comma, End }

/// <summary>A token and where it is in the equation text (Start inclusive, Length in characters).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Start, int Length, double Number = 0)
{
    public bool IsWord(string word) => Kind == TokenKind.Name && Text.Equals(word, StringComparison.OrdinalIgnoreCase);
    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;
}

/// <summary>Splits XMILE equation text into tokens. Comments in braces are skipped.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == '{'))
            {
                if (text[i] == '{')
                {
                    int close = text.IndexOf('}', i);
                    if (close < 0) throw new ParseException("unclosed comment '{'", i);
                    i = close + 1;
                }
                else i++;
            }
            if (i >= text.Length) { tokens.Add(new Token(TokenKind.End, "", i, 0)); return tokens; }

            char c = text[i];
            int start = i;
            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                while (i < text.Length && char.IsDigit(text[i])) i++;
                if (i < text.Length && text[i] == '.') { i++; while (i < text.Length && char.IsDigit(text[i])) i++; }
                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    int j = i + 1;
                    if (j < text.Length && (text[j] == '+' || text[j] == '-')) j++;
                    if (j < text.Length && char.IsDigit(text[j]))
                    {
                        i = j;
                        while (i < text.Length && char.IsDigit(text[i])) i++;
                    }
                }
                var literal = text[start..i];
                tokens.Add(new Token(TokenKind.Number, literal, start, i - start, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture)));
            }
            else if (c == '"')
            {
                var name = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new ParseException("unclosed quoted name", start);
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '"') { name.Append('"'); i += 2; continue; }
                    if (text[i] == '"') { i++; break; }
                    name.Append(text[i++]);
                }
                // A quoted name may continue with a module path: "module name".var
                while (i + 1 < text.Length && text[i] == '.' && IsNameStart(text[i + 1]))
                {
                    int partStart = ++i;
                    while (i < text.Length && IsNamePart(text[i])) i++;
                    name.Append('.').Append(text, partStart, i - partStart);
                }
                tokens.Add(new Token(TokenKind.QuotedName, name.ToString(), start, i - start));
            }
            else if (IsNameStart(c))
            {
                while (i < text.Length && IsNamePart(text[i])) i++;
                // Module-qualified names: hares.hare_density
                while (i + 1 < text.Length && text[i] == '.' && (IsNameStart(text[i + 1]) || text[i + 1] == '"'))
                {
                    if (text[i + 1] == '"')
                    {
                        int close = text.IndexOf('"', i + 2);
                        if (close < 0) throw new ParseException("unclosed quoted name", i + 1);
                        i = close + 1;
                    }
                    else
                    {
                        i++;
                        while (i < text.Length && IsNamePart(text[i])) i++;
                    }
                }
                tokens.Add(new Token(TokenKind.Name, text[start..i].Replace("\"", ""), start, i - start));
            }
            else
            {
                switch (c)
                {
                    case '(': tokens.Add(new Token(TokenKind.LeftParen, "(", i++, 1)); break;
                    case ')': tokens.Add(new Token(TokenKind.RightParen, ")", i++, 1)); break;
                    case ',': tokens.Add(new Token(TokenKind.Comma, ",", i++, 1)); break;
                    case '[': tokens.Add(new Token(TokenKind.LeftBracket, "[", i++, 1)); break;
                    case ']': tokens.Add(new Token(TokenKind.RightBracket, "]", i++, 1)); break;
                    case '<' when Next(text, i) is '=' or '>':
                    case '>' when Next(text, i) == '=':
                    case '=' when Next(text, i) == '=':
                    case '!' when Next(text, i) == '=':
                    case '&' when Next(text, i) == '&':
                    case '|' when Next(text, i) == '|':
                        tokens.Add(new Token(TokenKind.Operator, text.Substring(i, 2), i, 2)); i += 2; break;
                    case '+': case '-': case '*': case '/': case '^': case '<': case '>': case '=': case '!':
                        tokens.Add(new Token(TokenKind.Operator, c.ToString(), i++, 1)); break;
                    default:
                        throw new ParseException($"unexpected character '{c}'", i);
                }
            }
        }
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    internal static bool IsNameStart(char c) => char.IsLetter(c) || c == '_' || c == '$' || c > 127 && !char.IsWhiteSpace(c);
    internal static bool IsNamePart(char c) => IsNameStart(c) || char.IsDigit(c);
}

/// <summary>A syntax error at an offset of the equation text; the parser turns it into a located Diagnostic.</summary>
internal sealed class ParseException(string message, int position, string? hint = null, DiagnosticCode? code = null) : Exception(message)
{
    public int Position { get; } = position;
    public string? Hint { get; } = hint;
    /// <summary>The diagnostic code, when not a plain syntax error.</summary>
    public DiagnosticCode? Code { get; } = code;
}
