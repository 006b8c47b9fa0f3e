using System.Globalization;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Syntax;

/// <summary>
/// An equation as a reader found it: the text as written (for messages), its syntax tree, and where the text starts
/// in its file. Readers parse every equation while reading, so syntax errors carry the file, line and column.
/// </summary>
public sealed class Equation
{
    private Equation(string text, Expr syntax, SourceLocation? location)
    {
        Text = text;
        Syntax = syntax;
        Location = location;
    }

    /// <summary>The equation text as written.</summary>
    public string Text { get; }
    /// <summary>The parsed equation; positions are offsets into <see cref="Text"/>.</summary>
    public Expr Syntax { get; }
    /// <summary>Where <see cref="Text"/> starts, for error messages; null for models built in code.</summary>
    public SourceLocation? Location { get; }

    /// <summary>Parses <paramref name="text"/>; a syntax error is a ModelException naming the file, line, column and <paramref name="variable"/>.</summary>
    public static Equation Parse(string text, SourceLocation? location = null, string? variable = null) =>
        new(text, Parser.Parse(text, location, variable), location);

    /// <summary>Text with nothing but blanks and {comments}: no equation (a module input's placeholder, say).</summary>
    public static bool IsBlank(string text)
    {
        try { return Lexer.Tokenize(text) is [{ Kind: TokenKind.End }]; }
        catch (ParseException) { return false; }
    }

    /// <summary>A constant, written as the shortest text that reads back as the same number.</summary>
    public static Equation Constant(double value, SourceLocation? location = null) =>
        Parse(value.ToString("R", CultureInfo.InvariantCulture), location);

    /// <summary>The same text and location with another tree, whose positions still point into the text (module flattening renames references).</summary>
    public Equation WithSyntax(Expr syntax) => new(Text, syntax, Location);

    /// <summary>The file, line and column of an offset in the text.</summary>
    public SourceLocation? At(int position) => Parser.At(Location, Text, position);

    public override string ToString() => Text;
}
