using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.Mdl;

/// <summary>
/// Parses the equations part of a Vensim .mdl file into <see cref="MdlFile"/>: variables' equations (into the same
/// <see cref="Expr"/> trees as XMILE), subscript ranges, lookups, macros. Each element is parsed on its own, so one
/// bad element is reported and the others are still read; all problems are returned together.
/// <para>
/// Precedence, loosest first (Vensim's): :OR:, :AND:, :NOT:, comparisons (= &lt;&gt; &lt; &lt;= &gt; &gt;=), + -, * /,
/// unary + -, ^ (right-associative, so -2^2 = -4 and 2^3^2 = 512), then calls, names, numbers and parentheses.
/// </para>
/// </summary>
internal sealed class MdlParser
{
    /// <summary>Vensim's :NA: (missing value): −2^109, as Vensim stores it.</summary>
    public const double NotAvailable = -6.490371073168535e+32;

    private readonly MdlSource _source;
    private readonly MdlLexer _lexer;
    private readonly List<Diagnostic> _problems;

    private MdlParser(MdlSource source, List<Diagnostic> problems)
    {
        _source = source;
        _lexer = new MdlLexer(source.Text, 0, source.EquationsEnd);
        _problems = problems;
    }

    public static MdlFile Parse(MdlSource source, List<Diagnostic> problems)
    {
        var parser = new MdlParser(source, problems);
        var macros = new List<MdlMacro>();
        var elements = parser.ParseElements(macros, inMacro: false);
        return new MdlFile(elements, macros, source);
    }

    /// <summary>One equation's text on its own (tests, and anything that holds Vensim expressions outside a file).</summary>
    public static Expr ParseExpression(string text)
    {
        var problems = new List<Diagnostic>();
        var parser = new MdlParser(MdlSource.Parse(text), problems);
        try
        {
            var expr = parser.ParseOr();
            if (parser._lexer.Peek().Kind != MdlTokenKind.End)
                throw new MdlSyntaxException($"unexpected {parser._lexer.Peek().Describe()} after a complete expression", parser._lexer.Position);
            return expr;
        }
        catch (MdlSyntaxException e)
        {
            throw new ModelException(DiagnosticCodes.MdlSyntax, $"syntax error: {e.Message}", parser._source.At(e.Offset), hint: e.Hint);
        }
    }

    private Diagnostic Problem(MdlSyntaxException e, string? variable) =>
        new(DiagnosticCodes.MdlSyntax, e.Message, _source.At(e.Offset), variable, e.Hint ?? "Check the equation against Vensim's syntax.");

    private List<MdlElement> ParseElements(List<MdlMacro> macros, bool inMacro)
    {
        var elements = new List<MdlElement>();
        while (true)
        {
            MdlToken token;
            try
            {
                token = _lexer.Peek();
            }
            catch (MdlSyntaxException e)
            {
                _problems.Add(Problem(e, null));
                _lexer.SkipElement();
                continue;
            }
            if (token.Kind == MdlTokenKind.End)
            {
                if (inMacro)
                    _problems.Add(new Diagnostic(DiagnosticCodes.MdlMacro, "a :MACRO: has no :END OF MACRO:", _source.At(token.Start), null, "End the macro with :END OF MACRO:."));
                return elements;
            }
            if (token.Is("|")) { _lexer.Next(); continue; }
            if (token.Is("*"))
            {
                // A group header: ****… .Name ****…~ comment |
                _lexer.SkipElement();
                continue;
            }
            if (token.IsKeyword("END OF MACRO"))
            {
                _lexer.Next();
                if (inMacro) return elements;
                _problems.Add(new Diagnostic(DiagnosticCodes.MdlMacro, ":END OF MACRO: without a :MACRO:", _source.At(token.Start), null, "Remove it, or start the macro with :MACRO:."));
                continue;
            }
            string? name = token.IsName ? token.Text : null;
            try
            {
                if (token.IsKeyword("MACRO"))
                {
                    if (inMacro) throw new MdlSyntaxException("a macro cannot be defined inside another", token.Start, "End the first macro with :END OF MACRO:.");
                    macros.Add(ParseMacro(macros));
                    continue;
                }
                if (ParseElement() is { } element) elements.Add(element);
            }
            catch (MdlSyntaxException e)
            {
                _problems.Add(Problem(e, name));
                _lexer.SkipElement();
            }
        }
    }

    private MdlMacro ParseMacro(List<MdlMacro> macros)
    {
        var start = _lexer.Next().Start;
        var name = ExpectName("the macro's name");
        Expect("(", "'(' after the macro's name");
        var inputs = new List<MdlName>();
        var outputs = new List<MdlName>();
        var list = inputs;
        if (!_lexer.Peek().Is(")"))
        {
            while (true)
            {
                list.Add(ExpectName("an argument name"));
                if (_lexer.Peek().Is(",")) { _lexer.Next(); continue; }
                if (_lexer.Peek().Is(":") && list == inputs) { _lexer.Next(); list = outputs; continue; }
                break;
            }
        }
        Expect(")", "')' to close the macro's arguments");
        var elements = ParseElements(macros, inMacro: true);
        return new MdlMacro(name, inputs, outputs, elements, start);
    }

    private MdlElement? ParseElement()
    {
        var first = _lexer.Peek();
        if (!first.IsName)
            throw new MdlSyntaxException($"expected a variable name, found {first.Describe()}", first.Start, "Each equation starts with the name it defines.");
        var name = ExpectName("a name");
        int start = first.Start;

        if (_lexer.Peek().Is(":")) return ParseSubscriptRange(name, start);
        if (_lexer.Peek().Is("<->"))
        {
            _lexer.Next();
            var other = ExpectName("the equivalent subscript range");
            var (_, comment) = ReadFields();
            return new MdlSubscriptRange(name, [], other, [], null, comment, start);
        }

        var subscripts = _lexer.Peek().Is("[") ? ParseSubscriptList() : [];
        var except = new List<IReadOnlyList<MdlName>>();
        if (_lexer.Peek().IsKeyword("EXCEPT"))
        {
            _lexer.Next();
            do { except.Add(ParseSubscriptList()); }
            while (TryTake(","));
        }
        var lhs = new MdlLhs(name, subscripts, except);

        string? dataKeyword = null;
        var next = _lexer.Peek();
        if (next.Kind == MdlTokenKind.Keyword)
        {
            switch (next.Text)
            {
                case "INTERPOLATE" or "RAW" or "HOLD BACKWARD" or "LOOK FORWARD":
                    dataKeyword = next.Text;
                    _lexer.Next();
                    break;
                case "THE CONDITION" or "TEST INPUT":
                    _lexer.SkipElement();
                    return new MdlRealityCheck(name, next.Text, start);
                default:
                    throw new MdlSyntaxException($"unexpected {next.Describe()} after '{name.Name}'", next.Start,
                        "After a name come '=', ':=', '==', '(' for a lookup, or ':' for a subscript range.");
            }
        }

        var op = _lexer.Peek();
        MdlEquationKind kind;
        Expr? expression = null;
        MdlLookup? lookup = null;
        int expressionStart = op.End;
        if (op.Is("=") || op.Is("==") || op.Is(":="))
        {
            _lexer.Next();
            kind = op.Text switch { "=" => MdlEquationKind.Normal, "==" => MdlEquationKind.Unchangeable, _ => MdlEquationKind.Data };
            expressionStart = _lexer.Peek().Start;
            if (IsFieldEnd(_lexer.Peek()))
                throw new MdlSyntaxException($"'{name.Name}' has no equation after '{op.Text}'", op.Start, "Write its equation after the '='.");
            expression = ParseRightHandSide();
        }
        else if (op.Is("("))
        {
            kind = MdlEquationKind.Lookup;
            expressionStart = op.Start;
            lookup = ParseLookupBody();
        }
        else if (IsFieldEnd(op))
        {
            kind = MdlEquationKind.DataWithoutEquation;
        }
        else
        {
            throw new MdlSyntaxException($"expected '=' after '{name.Name}', found {op.Describe()}", op.Start,
                "Write name = equation (or name(…) for a lookup table).");
        }
        var (units, text) = ReadFields();
        return new MdlEquation(lhs, kind, expression, lookup, dataKeyword, units, text, start, expressionStart);
    }

    private static bool IsFieldEnd(MdlToken t) => t.Is("~") || t.Is("|") || t.Kind == MdlTokenKind.End;

    /// <summary>An equation's expression, or a list of numbers (1, 2; 3, 4) for an arrayed constant.</summary>
    private Expr ParseRightHandSide()
    {
        int start = _lexer.Peek().Start;
        var expr = ParseOr();
        if (!_lexer.Peek().Is(",") && !_lexer.Peek().Is(";")) return expr;
        var rows = new List<IReadOnlyList<double>>();
        var row = new List<double> { ConstantValue(expr) };
        while (true)
        {
            if (TryTake(",")) { row.Add(ConstantValue(ParseOr())); continue; }
            if (TryTake(";"))
            {
                rows.Add(row);
                row = [];
                if (IsFieldEnd(_lexer.Peek())) break;
                row.Add(ConstantValue(ParseOr()));
                continue;
            }
            break;
        }
        if (row.Count > 0) rows.Add(row);
        return new MdlNumberListExpr(rows, start);
    }

    private static double ConstantValue(Expr e) => e switch
    {
        NumberExpr n => n.Value,
        UnaryExpr { Op: UnaryOp.Negate, Operand: NumberExpr n } => -n.Value,
        UnaryExpr { Op: UnaryOp.Plus, Operand: NumberExpr n } => n.Value,
        _ => throw new MdlSyntaxException("a list of values may hold only numbers", e.Position, "Write the values as numbers: 1, 2; 3, 4."),
    };

    /// <summary>The units field and the comment field after '~' (both optional), up to the closing '|'.</summary>
    private (string Units, string Comment) ReadFields()
    {
        var fields = new List<string>();
        var token = _lexer.Peek();
        if (!IsFieldEnd(token))
            throw new MdlSyntaxException($"unexpected {token.Describe()} after a complete equation", token.Start,
                "Check the operators and parentheses; the units and comment follow after '~'.");
        while (_lexer.Peek().Is("~"))
        {
            _lexer.Next();
            fields.Add(_lexer.ReadField().Text);
        }
        if (_lexer.Peek().Is("|")) _lexer.Next();
        return (fields.Count > 0 ? fields[0] : "", fields.Count > 1 ? fields[1] : "");
    }

    // ---- subscripts -----------------------------------------------------------------------------------

    /// <summary>[a, b, c] on a left-hand side.</summary>
    private List<MdlName> ParseSubscriptList()
    {
        Expect("[", "'['");
        var names = new List<MdlName>();
        do { names.Add(ExpectName("a subscript")); } while (TryTake(","));
        Expect("]", "']' to close the subscripts");
        return names;
    }

    /// <summary>dim: a, b, (c1-c3), subrange -&gt; mapping (the name has been read).</summary>
    private MdlSubscriptRange ParseSubscriptRange(MdlName name, int start)
    {
        _lexer.Next(); // ':'
        var elements = new List<MdlName>();
        Expr? definition = null;
        var token = _lexer.Peek();
        if (token.IsName && token.Text.StartsWith("GET ", StringComparison.OrdinalIgnoreCase))
        {
            definition = ParseOr();
        }
        else
        {
            do
            {
                if (_lexer.Peek().Is("(")) elements.AddRange(ParseNumericRange());
                else elements.Add(ExpectName("an element name"));
            } while (TryTake(","));
        }
        var mappings = new List<MdlMapping>();
        if (TryTake("->"))
        {
            do
            {
                if (TryTake("("))
                {
                    var target = ExpectName("the dimension mapped to");
                    Expect(":", "':' after the dimension mapped to");
                    var mapped = new List<MdlName>();
                    do { mapped.Add(ExpectName("an element")); } while (TryTake(","));
                    Expect(")", "')' to close the mapping");
                    mappings.Add(new MdlMapping(target, mapped));
                }
                else
                {
                    mappings.Add(new MdlMapping(ExpectName("the dimension mapped to"), []));
                }
            } while (TryTake(","));
        }
        var (_, comment) = ReadFields();
        return new MdlSubscriptRange(name, elements, null, mappings, definition, comment, start);
    }

    /// <summary>(a1-a10): the elements a1, a2, … a10 (prefix and numbers as written).</summary>
    private List<MdlName> ParseNumericRange()
    {
        var open = _lexer.Next();
        var from = ExpectName("the first element of the range");
        Expect("-", "'-' between the first and last elements");
        var to = ExpectName("the last element of the range");
        Expect(")", "')' to close the range");
        var (prefixFrom, first) = SplitNumber(from);
        var (prefixTo, last) = SplitNumber(to);
        if (prefixFrom is null || prefixTo is null || !string.Equals(prefixFrom, prefixTo, StringComparison.OrdinalIgnoreCase) || last < first)
            throw new MdlSyntaxException($"'({from.Name}-{to.Name})' is not a numbered range", open.Start,
                "Write a range as (name1-name9): the same name followed by increasing numbers.");
        var result = new List<MdlName>();
        for (int i = first; i <= last; i++) result.Add(new MdlName(prefixFrom + i.ToString(CultureInfo.InvariantCulture), from.Start));
        return result;
    }

    private static (string? Prefix, int Number) SplitNumber(MdlName name)
    {
        int i = name.Name.Length;
        while (i > 0 && char.IsAsciiDigit(name.Name[i - 1])) i--;
        if (i == name.Name.Length || name.Name.Length - i > 9) return (null, 0);
        return (name.Name[..i], int.Parse(name.Name.AsSpan(i), CultureInfo.InvariantCulture));
    }

    // ---- lookups --------------------------------------------------------------------------------------

    /// <summary>
    /// ( [(xmin,ymin)-(xmax,ymax)], (x1,y1), (x2,y2), … ), or ( x1, x2, …, y1, y2, … ), or ( GET … LOOKUPS(…) ).
    /// The box only sets the axes Vensim draws: points outside it are kept.
    /// </summary>
    private MdlLookup ParseLookupBody()
    {
        var open = Expect("(", "'('");
        var token = _lexer.Peek();
        if (token.IsName && token.Text.StartsWith("GET ", StringComparison.OrdinalIgnoreCase))
        {
            var call = ParseOr();
            Expect(")", "')' to close the lookup");
            return new MdlLookup([], [], call, open.Start);
        }
        var xs = new List<double>();
        var ys = new List<double>();
        if (TryTake("["))
        {
            // The box, possibly followed by reference points Vensim draws: skipped.
            int depth = 1;
            while (depth > 0)
            {
                var t = _lexer.Next();
                if (t.Kind == MdlTokenKind.End) throw new MdlSyntaxException("unclosed '[' in a lookup", open.Start, "Close the lookup's range with ']'.");
                if (t.Is("[")) depth++;
                else if (t.Is("]")) depth--;
            }
            if (!TryTake(",")) { Expect(")", "')' to close the lookup"); return Lookup(xs, ys, open.Start); }
        }
        if (_lexer.Peek().Is("("))
        {
            do
            {
                Expect("(", "'(' before a point");
                xs.Add(SignedNumber());
                Expect(",", "',' between x and y");
                ys.Add(SignedNumber());
                Expect(")", "')' after a point");
            } while (TryTake(","));
        }
        else
        {
            var values = new List<double>();
            do { values.Add(SignedNumber()); } while (TryTake(","));
            if (values.Count % 2 != 0)
                throw new MdlSyntaxException($"a lookup written as x values then y values needs as many of each; it has {values.Count} numbers", open.Start,
                    "Give the x values, then the same number of y values.");
            xs.AddRange(values.Take(values.Count / 2));
            ys.AddRange(values.Skip(values.Count / 2));
        }
        Expect(")", "')' to close the lookup");
        return Lookup(xs, ys, open.Start);
    }

    private static MdlLookup Lookup(List<double> xs, List<double> ys, int start)
    {
        if (xs.Count == 0) throw new MdlSyntaxException("the lookup has no points", start, "Give it points: ((x1,y1), (x2,y2), …).");
        // Vensim sorts a lookup's points by x (the suite's subscripted_lookups has one written out of order); the sort
        // is stable, so points of equal x keep their order.
        var order = Enumerable.Range(0, xs.Count).OrderBy(i => xs[i]).ToArray();
        return new MdlLookup(order.Select(i => xs[i]).ToArray(), order.Select(i => ys[i]).ToArray(), null, start);
    }

    private double SignedNumber()
    {
        bool negative = false;
        while (_lexer.Peek().Is("-") || _lexer.Peek().Is("+"))
            if (_lexer.Next().Text == "-") negative = !negative;
        var t = _lexer.Next();
        if (t.Kind != MdlTokenKind.Number)
            throw new MdlSyntaxException($"expected a number, found {t.Describe()}", t.Start, "A lookup's points are numbers.");
        return negative ? -t.Number : t.Number;
    }

    // ---- expressions ----------------------------------------------------------------------------------

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (_lexer.Peek().IsKeyword("OR"))
        {
            var op = _lexer.Next();
            left = new BinaryExpr(BinaryOp.Or, left, ParseAnd(), op.Start);
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (_lexer.Peek().IsKeyword("AND"))
        {
            var op = _lexer.Next();
            left = new BinaryExpr(BinaryOp.And, left, ParseNot(), op.Start);
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (!_lexer.Peek().IsKeyword("NOT")) return ParseComparison();
        var op = _lexer.Next();
        return new UnaryExpr(UnaryOp.Not, ParseNot(), op.Start);
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        while (_lexer.Peek() is { Kind: MdlTokenKind.Symbol, Text: "=" or "<>" or "<" or "<=" or ">" or ">=" } op)
        {
            _lexer.Next();
            var kind = op.Text switch
            {
                "=" => BinaryOp.Equal,
                "<>" => BinaryOp.NotEqual,
                "<" => BinaryOp.Less,
                "<=" => BinaryOp.LessEqual,
                ">" => BinaryOp.Greater,
                _ => BinaryOp.GreaterEqual,
            };
            left = new BinaryExpr(kind, left, ParseAdditive(), op.Start);
        }
        return left;
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (_lexer.Peek().Is("+") || _lexer.Peek().Is("-"))
        {
            var op = _lexer.Next();
            left = new BinaryExpr(op.Text == "+" ? BinaryOp.Add : BinaryOp.Subtract, left, ParseMultiplicative(), op.Start);
        }
        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (_lexer.Peek().Is("*") || _lexer.Peek().Is("/"))
        {
            var op = _lexer.Next();
            left = new BinaryExpr(op.Text == "*" ? BinaryOp.Multiply : BinaryOp.Divide, left, ParseUnary(), op.Start);
        }
        return left;
    }

    private Expr ParseUnary()
    {
        if (_lexer.Peek().Is("-") || _lexer.Peek().Is("+"))
        {
            var op = _lexer.Next();
            return new UnaryExpr(op.Text == "-" ? UnaryOp.Negate : UnaryOp.Plus, ParseUnary(), op.Start);
        }
        return ParsePower();
    }

    private Expr ParsePower()
    {
        var baseExpr = ParsePrimary();
        if (!_lexer.Peek().Is("^")) return baseExpr;
        var op = _lexer.Next();
        return new BinaryExpr(BinaryOp.Power, baseExpr, ParseUnary(), op.Start);
    }

    private Expr ParsePrimary()
    {
        var t = _lexer.Next();
        switch (t.Kind)
        {
            case MdlTokenKind.Number:
                return new NumberExpr(t.Number, t.Start);
            case MdlTokenKind.String:
                return new MdlStringExpr(t.Text, t.Start);
            case MdlTokenKind.Keyword when t.Text == "NA":
                return new NumberExpr(NotAvailable, t.Start);
            case MdlTokenKind.Symbol when t.Text == "(":
            {
                var inner = ParseOr();
                Expect(")", "')'", t);
                return inner;
            }
            case MdlTokenKind.Name or MdlTokenKind.QuotedName:
                return ParseNameOrCall(t);
            case MdlTokenKind.End:
                throw new MdlSyntaxException("the equation ends too early", t.Start, "Complete the expression.");
            default:
                throw new MdlSyntaxException($"unexpected {t.Describe()}", t.Start, "Check the equation's operators and parentheses.");
        }
    }

    private Expr ParseNameOrCall(MdlToken name)
    {
        var canonical = Names.Canonical(name.Kind == MdlTokenKind.QuotedName ? "\"" + name.Text + "\"" : name.Text);
        if (_lexer.Peek().Is("[")) return ParseSubscripted(name, canonical);
        if (!_lexer.Peek().Is("(")) return new VariableExpr(canonical, name.Text, name.Start);

        var open = _lexer.Next();
        if (canonical == "tabbed_array") return ParseTabbedArray(open);
        var args = new List<Expr>();
        if (!_lexer.Peek().Is(")"))
        {
            do { args.Add(ParseArgument()); } while (TryTake(","));
        }
        Expect(")", "')' or ','", open);
        return new CallExpr(canonical, name.Text, args, name.Start);
    }

    /// <summary>An argument: an expression, or a lookup written inline ((x1,y1), …) as WITH LOOKUP's table.</summary>
    private Expr ParseArgument()
    {
        var token = _lexer.Peek();
        if (token.Is("("))
        {
            int at = token.Start;
            _lexer.Next();
            var after = _lexer.Peek();
            _lexer.Seek(at);
            if (after.Is("[") || after.Is("("))
            {
                try
                {
                    return new MdlLookupExpr(ParseLookupBody(), at);
                }
                catch (MdlSyntaxException) when (after.Is("("))
                {
                    _lexer.Seek(at); // ((a + b) * c): parentheses, not a lookup
                }
            }
        }
        return ParseOr();
    }

    private Expr ParseSubscripted(MdlToken name, string canonical)
    {
        _lexer.Next(); // '['
        var indices = new List<Expr>();
        do
        {
            var t = _lexer.Next();
            if (t.IsName)
            {
                var sub = Names.Canonical(t.Kind == MdlTokenKind.QuotedName ? "\"" + t.Text + "\"" : t.Text);
                indices.Add(TryTake("!") ? new WildcardExpr(sub, t.Start) : new VariableExpr(sub, t.Text, t.Start));
            }
            else if (t.Kind == MdlTokenKind.Number)
                indices.Add(new NumberExpr(t.Number, t.Start));
            else
                throw new MdlSyntaxException($"expected a subscript, found {t.Describe()}", t.Start, "Subscripts are names of elements or subscript ranges.");
        } while (TryTake(","));
        Expect("]", "']' to close the subscripts");
        var reference = new SubscriptExpr(canonical, name.Text, indices, name.Start);
        if (_lexer.Peek().Is("("))
        {
            // A subscripted lookup called on an input: table[a](x).
            var open = _lexer.Next();
            var input = ParseOr();
            Expect(")", "')'", open);
            return new CallExpr(canonical, name.Text, [reference, input], name.Start);
        }
        return reference;
    }

    /// <summary>TABBED ARRAY( numbers separated by blanks, rows by line breaks ).</summary>
    private MdlNumberListExpr ParseTabbedArray(MdlToken open)
    {
        var text = _source.Text;
        int close = text.IndexOf(')', open.End);
        if (close < 0 || close >= _lexer.Limit) throw new MdlSyntaxException("unclosed TABBED ARRAY(", open.Start, "Close it with ')'.");
        var rows = new List<IReadOnlyList<double>>();
        foreach (var line in text[open.End..close].Replace("\\\r\n", " ").Replace("\\\n", " ").Split('\n'))
        {
            var cells = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length == 0) continue;
            var row = new List<double>();
            foreach (var cell in cells)
            {
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new MdlSyntaxException($"'{cell}' in TABBED ARRAY is not a number", open.Start, "A TABBED ARRAY holds numbers only.");
                row.Add(v);
            }
            rows.Add(row);
        }
        _lexer.Seek(close + 1);
        return new MdlNumberListExpr(rows, open.Start);
    }

    // ---- small helpers --------------------------------------------------------------------------------

    private MdlName ExpectName(string what)
    {
        var t = _lexer.Next();
        if (!t.IsName) throw new MdlSyntaxException($"expected {what}, found {t.Describe()}", t.Start);
        return new MdlName(t.Kind == MdlTokenKind.QuotedName ? "\"" + t.Text + "\"" : t.Text, t.Start);
    }

    private MdlToken Expect(string symbol, string what, MdlToken? opener = null)
    {
        var t = _lexer.Next();
        if (!t.Is(symbol))
        {
            var matching = opener is { } o ? $" to match the '(' at column {_source.At(o.Start).Column}" : "";
            throw new MdlSyntaxException($"expected {what}{matching}, found {t.Describe()}", t.Start, "Check the parentheses and commas.");
        }
        return t;
    }

    private bool TryTake(string symbol)
    {
        if (!_lexer.Peek().Is(symbol)) return false;
        _lexer.Next();
        return true;
    }

    private static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
