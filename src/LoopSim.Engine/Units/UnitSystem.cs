using System.Globalization;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Units;

/// <summary>
/// How a model's unit texts read as <see cref="Unit"/>s: the expression syntax (products with '*', quotients with '/',
/// whole powers with '^', parentheses, numbers), the words for "no unit", singular and plural, and the units the model
/// declares itself (XMILE &lt;model_units&gt;, Vensim's equivalences).
/// <list type="bullet">
/// <item>Names ignore case and spacing: "Widgets" and "widgets" are one unit.</item>
/// <item>A plural is its singular: "people" and "persons" are "person"; otherwise a final "s" of a word of three letters or
/// more is dropped ("weeks" = "week", "hrs" = "hr"), "-ies" reads "-y", and "-sses", "-xes", "-ches", "-shes" lose their
/// "-es" ("foxes" = "fox"). Only the last word of a
/// name of several words is made singular. "Rs" (two letters) stays as it is.</item>
/// <item>"dmnl", "Dmnl", "dimensionless", "unitless" and "1" mean dimensionless, and so do radians (SI: m/m), which
/// SIN and COS take; "fraction", "percent" and "degrees" are units of their own.</item>
/// <item>Numbers are scale factors and are ignored ("1/week" is week⁻¹, "1000*people" is person): the check is of
/// dimensions, not of scale.</item>
/// </list>
/// </summary>
public sealed class UnitSystem
{
    private static readonly HashSet<string> DimensionlessWords = new(StringComparer.Ordinal) { "dmnl", "dimensionless", "unitless", "1", "radian", "radians" };

    private readonly Dictionary<string, Unit> _defined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _display = new(StringComparer.Ordinal);

    /// <summary>The plain rules, with no unit declared by the model.</summary>
    public UnitSystem() { }

    /// <summary>The rules and the model's own units: each definition's name and aliases stand for its equation (or for a base unit of its name).</summary>
    public UnitSystem(IEnumerable<UnitDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            var unit = definition.Equation is { } eqn && !string.IsNullOrWhiteSpace(eqn) && TryParse(eqn, out var parsed, out _)
                ? parsed
                : IsDimensionless(definition.Name) ? Unit.Dimensionless : Base(definition.Name);
            foreach (var name in definition.Aliases.Prepend(definition.Name).Where(n => !string.IsNullOrWhiteSpace(n)))
                _defined.TryAdd(Canonical(name), unit);
        }
    }

    /// <summary>The canonical name of a base unit: lower case, single spaces, the last word singular.</summary>
    public static string Canonical(string name)
    {
        var words = name.Trim().ToLowerInvariant().Split((char[])[' ', '\t', '\n', '\r', '_'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return "";
        words[^1] = Singular(words[^1]);
        return string.Join(' ', words);
    }

    private static string Singular(string word) => word switch
    {
        "people" or "persons" => "person",
        _ when word.Length > 3 && word.EndsWith("ies", StringComparison.Ordinal) => word[..^3] + "y",
        _ when word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal) => word[..^2],
        _ when word.Length >= 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) => word[..^1],
        _ => word,
    };

    private static bool IsDimensionless(string name) => DimensionlessWords.Contains(name.Trim().ToLowerInvariant());

    /// <summary>A base unit as the model first wrote it ("CNY", "people"), for messages.</summary>
    public string Display(string canonical) => _display.GetValueOrDefault(canonical, canonical);

    /// <summary>A unit in the model's words: "people/week", "CNY/referral", "dimensionless".</summary>
    public string Display(Unit unit) => unit.ToString(Display);

    private Unit Base(string name)
    {
        var canonical = Canonical(name);
        _display.TryAdd(canonical, name.Trim());
        return Unit.Base(canonical);
    }

    /// <summary>Reads a unit expression; false with the reason when it is not one ("people/", "(week").</summary>
    public bool TryParse(string text, out Unit unit, out string error)
    {
        var parser = new Parser(this, text);
        try
        {
            unit = parser.Expression();
            parser.End();
            error = "";
            return true;
        }
        catch (FormatException e)
        {
            unit = Unit.Dimensionless;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A name read in a unit expression: a word for "no unit", a unit the model defines, or a base unit.</summary>
    private Unit Named(string name)
    {
        if (IsDimensionless(name)) return Unit.Dimensionless;
        return _defined.TryGetValue(Canonical(name), out var defined) ? defined : Base(name);
    }

    /// <summary>expression := power (('*' | '/') power)*; power := factor ('^' whole number)?; factor := '(' expression ')' | number | name.</summary>
    private sealed class Parser(UnitSystem system, string text)
    {
        private int _at;

        public Unit Expression()
        {
            var unit = Power();
            while (Peek() is '*' or '/')
            {
                bool divide = Next() == '/';
                var right = Power();
                unit = divide ? unit / right : unit * right;
            }
            return unit;
        }

        public void End()
        {
            if (Peek() is { } c) throw new FormatException($"unexpected '{c}' at character {_at + 1}");
        }

        private Unit Power()
        {
            var unit = Factor();
            if (Peek() != '^') return unit;
            Next();
            bool parenthesised = Peek() == '(';
            if (parenthesised) Next();
            SkipBlanks();
            int start = _at;
            if (_at < text.Length && text[_at] is '-' or '+') _at++;
            while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
            if (!int.TryParse(text[start.._at], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var power))
                throw new FormatException($"the power after '^' at character {start + 1} must be a whole number");
            if (parenthesised && Next() != ')') throw new FormatException($"')' missing after the power at character {_at}");
            return unit.Pow(power);
        }

        private Unit Factor()
        {
            var c = Peek() ?? throw new FormatException("a unit is missing at the end");
            if (c == '(')
            {
                Next();
                var inner = Expression();
                if (Next() != ')') throw new FormatException($"')' missing at character {_at}");
                return inner;
            }
            if (c is '*' or '/' or '^' or ')') throw new FormatException($"a unit is missing before '{c}' at character {_at + 1}");
            int start = _at;
            while (_at < text.Length && text[_at] is not ('*' or '/' or '^' or '(' or ')')) _at++;
            var name = text[start.._at].Trim();
            // A number is a scale factor: dimensionless here.
            return double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? Unit.Dimensionless : system.Named(name);
        }

        private void SkipBlanks()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private char? Peek()
        {
            SkipBlanks();
            return _at < text.Length ? text[_at] : null;
        }

        private char? Next()
        {
            var c = Peek();
            if (c is not null) _at++;
            return c;
        }
    }
}
