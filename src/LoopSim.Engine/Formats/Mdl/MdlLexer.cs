using System.Globalization;
using System.Text;

namespace LoopSim.Engine.Formats.Mdl;

internal enum MdlTokenKind
{
    Number,
    /// <summary>An unquoted name: words joined by single spaces (Vensim names hold spaces), as written otherwise.</summary>
    Name,
    /// <summary>A name in double quotes, without them and with \" read as ".</summary>
    QuotedName,
    /// <summary>'text' (a file or sheet name in GET XLS …).</summary>
    String,
    /// <summary>+ - * / ^ = &lt; &gt; &lt;= &gt;= &lt;&gt; ( ) [ ] , ; ! : := == -&gt; &lt;-&gt; ~ |</summary>
    Symbol,
    /// <summary>:AND:, :NA:, :EXCEPT: … (Text is the word between the colons, upper case, one space between words).</summary>
    Keyword,
    End,
}

/// <summary>A token and where it is: Start is an offset into the whole file.</summary>
internal readonly record struct MdlToken(MdlTokenKind Kind, string Text, int Start, int End, double Number = 0)
{
    public bool Is(string symbol) => Kind == MdlTokenKind.Symbol && Text == symbol;
    public bool IsKeyword(string word) => Kind == MdlTokenKind.Keyword && Text == word;
    public bool IsName => Kind is MdlTokenKind.Name or MdlTokenKind.QuotedName;

    public string Describe() => Kind switch
    {
        MdlTokenKind.End => "the end of the equation",
        MdlTokenKind.Keyword => $"':{Text}:'",
        MdlTokenKind.QuotedName => $"'\"{Text}\"'",
        MdlTokenKind.String => $"'{Text}'",
        _ => $"'{Text}'",
    };
}

/// <summary>A syntax error at an offset of the file.</summary>
internal sealed class MdlSyntaxException(string message, int offset, string? hint = null) : Exception(message)
{
    public int Offset { get; } = offset;
    public string? Hint { get; } = hint;
}

/// <summary>
/// Splits Vensim equation text into tokens, from a position in the file up to a limit. A backslash at the end of
/// a line continues the line (also inside names); {braces} are comments. The fields after an equation (units,
/// comment) are free text and are read raw with <see cref="ReadField"/>.
/// </summary>
internal sealed class MdlLexer(string text, int start, int end)
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "AND", "OR", "NOT", "NA", "EXCEPT", "INTERPOLATE", "RAW", "HOLD BACKWARD", "LOOK FORWARD",
        "THE CONDITION", "IMPLIES", "TEST INPUT", "MACRO", "END OF MACRO", "IS",
    };

    private int _pos = start;
    private MdlToken? _peeked;

    public string Text => text;
    public int Position => _peeked?.Start ?? _pos;
    public int Limit => end;

    public MdlToken Peek() => _peeked ??= Read();

    public MdlToken Next()
    {
        var token = Peek();
        _peeked = null;
        _pos = token.End;
        return token;
    }

    /// <summary>Moves to <paramref name="offset"/>, forgetting any token looked at.</summary>
    public void Seek(int offset)
    {
        _peeked = null;
        _pos = offset;
    }

    /// <summary>
    /// Free text up to the next unquoted '~' or '|' (or the limit), continuation backslashes removed and trimmed;
    /// the lexer stops on that separator. Units and comments may hold unbalanced quotes, so nothing is tokenised.
    /// </summary>
    public (string Text, int Start) ReadField()
    {
        _peeked = null;
        int i = _pos;
        var sb = new StringBuilder();
        while (i < end && text[i] != '~' && text[i] != '|')
        {
            if (IsContinuation(i, out int after)) { sb.Append(' '); i = after; continue; }
            sb.Append(text[i++]);
        }
        int fieldStart = _pos;
        _pos = i;
        return (sb.ToString().Trim(), fieldStart);
    }

    /// <summary>Skips raw text up to and including the next '|' (or to the limit): the rest of an element that is not read.</summary>
    public void SkipElement()
    {
        _peeked = null;
        int i = _pos;
        while (i < end && text[i] != '|') i++;
        _pos = Math.Min(end, i + 1);
    }

    private bool IsContinuation(int i, out int after)
    {
        after = i;
        if (text[i] != '\\') return false;
        int j = i + 1;
        while (j < end && (text[j] == ' ' || text[j] == '\t')) j++;
        if (j < end && text[j] == '\r') j++;
        if (j >= end || text[j] != '\n') return false;
        j++;
        while (j < end && (text[j] == ' ' || text[j] == '\t')) j++;
        after = j;
        return true;
    }

    private void SkipBlanks()
    {
        while (_pos < end)
        {
            char c = text[_pos];
            if (char.IsWhiteSpace(c)) { _pos++; continue; }
            if (IsContinuation(_pos, out int after)) { _pos = after; continue; }
            if (c == '{')
            {
                int close = text.IndexOf('}', _pos);
                if (close < 0 || close >= end) throw new MdlSyntaxException("unclosed comment '{'", _pos, "Close the comment with '}'.");
                _pos = close + 1;
                continue;
            }
            break;
        }
    }

    private MdlToken Read()
    {
        SkipBlanks();
        if (_pos >= end) return new MdlToken(MdlTokenKind.End, "", end, end);
        int s = _pos;
        char c = text[s];

        if (char.IsAsciiDigit(c) || (c == '.' && s + 1 < end && char.IsAsciiDigit(text[s + 1])))
            return ReadNumber(s);
        if (c == '"') return ReadQuoted(s);
        if (c == '\'') return ReadString(s);
        if (IsNameStart(c)) return ReadName(s);
        if (c == ':')
        {
            if (Next(s) == '=') return Symbol(s, 2);
            if (TryKeyword(s, out var keyword)) return keyword;
            return Symbol(s, 1);
        }
        if (c == '<')
        {
            if (Next(s) == '-' && s + 2 < end && text[s + 2] == '>') return Symbol(s, 3);
            if (Next(s) is '=' or '>') return Symbol(s, 2);
            return Symbol(s, 1);
        }
        if (c == '>') return Symbol(s, Next(s) == '=' ? 2 : 1);
        if (c == '=') return Symbol(s, Next(s) == '=' ? 2 : 1);
        if (c == '-' && Next(s) == '>') return Symbol(s, 2);
        if ("+-*/^()[],;!~|".Contains(c)) return Symbol(s, 1);
        throw new MdlSyntaxException($"unexpected character '{c}'", s, "Names with special characters are written in double quotes.");
    }

    private char Next(int i) => i + 1 < end ? text[i + 1] : '\0';

    private MdlToken Symbol(int s, int length)
    {
        _pos = s + length;
        return new MdlToken(MdlTokenKind.Symbol, text.Substring(s, length), s, s + length);
    }

    private MdlToken ReadNumber(int s)
    {
        int i = s;
        while (i < end && char.IsAsciiDigit(text[i])) i++;
        if (i < end && text[i] == '.') { i++; while (i < end && char.IsAsciiDigit(text[i])) i++; }
        if (i < end && (text[i] == 'e' || text[i] == 'E'))
        {
            int j = i + 1;
            if (j < end && (text[j] == '+' || text[j] == '-')) j++;
            if (j < end && char.IsAsciiDigit(text[j]))
            {
                i = j;
                while (i < end && char.IsAsciiDigit(text[i])) i++;
            }
        }
        var literal = text[s..i];
        var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
            throw new MdlSyntaxException($"the number {literal} is too large", s, "Numbers must be below 1.8e308.");
        _pos = i;
        return new MdlToken(MdlTokenKind.Number, literal, s, i, value);
    }

    private MdlToken ReadQuoted(int s)
    {
        var sb = new StringBuilder();
        int i = s + 1;
        while (true)
        {
            if (i >= end) throw new MdlSyntaxException("unclosed quoted name", s, "Close the name with '\"'.");
            if (IsContinuation(i, out int after)) { i = after; continue; }
            if (text[i] == '\\' && i + 1 < end && text[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
            if (text[i] == '"') { i++; break; }
            sb.Append(text[i++]);
        }
        _pos = i;
        return new MdlToken(MdlTokenKind.QuotedName, sb.ToString(), s, i);
    }

    private MdlToken ReadString(int s)
    {
        int close = text.IndexOf('\'', s + 1);
        if (close < 0 || close >= end) throw new MdlSyntaxException("unclosed string '", s, "Close the text with '.");
        _pos = close + 1;
        return new MdlToken(MdlTokenKind.String, text[(s + 1)..close], s, close + 1);
    }

    /// <summary>Words of name characters separated by blanks (spaces, tabs, underscores, line continuations) are one name.</summary>
    private MdlToken ReadName(int s)
    {
        var sb = new StringBuilder();
        int i = s, last = s;
        while (i < end)
        {
            if (IsNamePart(text[i])) { sb.Append(text[i++]); last = i; continue; }
            // Blanks belong to the name only when another word follows.
            int j = i;
            while (j < end)
            {
                if (text[j] == ' ' || text[j] == '\t') { j++; continue; }
                if (IsContinuation(j, out int after)) { j = after; continue; }
                break;
            }
            if (j > i && j < end && IsNamePart(text[j])) { sb.Append(' '); i = j; continue; }
            break;
        }
        _pos = last;
        return new MdlToken(MdlTokenKind.Name, sb.ToString(), s, last);
    }

    private bool TryKeyword(int s, out MdlToken token)
    {
        token = default;
        int i = s + 1;
        var sb = new StringBuilder();
        while (i < end && (char.IsAsciiLetter(text[i]) || text[i] == ' ' || text[i] == '_')) sb.Append(text[i++]);
        if (i >= end || text[i] != ':') return false;
        var word = string.Join(' ', sb.ToString().ToUpperInvariant().Split([' ', '_'], StringSplitOptions.RemoveEmptyEntries));
        if (!Keywords.Contains(word)) return false;
        _pos = i + 1;
        token = new MdlToken(MdlTokenKind.Keyword, word, s, i + 1);
        return true;
    }

    internal static bool IsNameStart(char c) => char.IsLetter(c) || c == '_' || c == '$' || (c > 127 && !char.IsWhiteSpace(c) && !char.IsPunctuation(c));
    internal static bool IsNamePart(char c) => IsNameStart(c) || char.IsAsciiDigit(c) || char.IsDigit(c) || c == '\'';
}
