using LoopSim.Engine.Syntax;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.Mdl;

/// <summary>A .mdl file as written: its elements in file order, its macros, and the sketch and settings kept as text.</summary>
internal sealed record MdlFile(IReadOnlyList<MdlElement> Elements, IReadOnlyList<MdlMacro> Macros, MdlSource Source);

/// <summary>One element of the equations part (between '|'). <see cref="Start"/> is its offset in the file.</summary>
internal abstract record MdlElement(int Start);

/// <summary>A subscript on a left-hand side or in a subscript range: an element or a dimension name.</summary>
internal sealed record MdlName(string Name, int Start)
{
    public string Canonical => Names.Canonical(Name);
}

/// <summary>name[s1, s2] :EXCEPT: [e1, e2], [e3, e4]: what an equation defines.</summary>
internal sealed record MdlLhs(MdlName Name, IReadOnlyList<MdlName> Subscripts, IReadOnlyList<IReadOnlyList<MdlName>> Except);

internal enum MdlEquationKind
{
    /// <summary>name = expression (INTEG, WITH LOOKUP, … are calls in the expression).</summary>
    Normal,
    /// <summary>name == expression: a constant Vensim does not let the user change; the same for a simulation.</summary>
    Unchangeable,
    /// <summary>name := expression: a data equation (GET XLS DATA …).</summary>
    Data,
    /// <summary>name: a data variable with no equation; its values come from a data file at run time.</summary>
    DataWithoutEquation,
    /// <summary>name( (x, y), … ): a lookup table.</summary>
    Lookup,
}

/// <summary>A variable's equation (or one of its equations, for part of its elements) with its units and comment.</summary>
internal sealed record MdlEquation(
    MdlLhs Lhs, MdlEquationKind Kind, Expr? Expression, MdlLookup? Lookup, string? DataKeyword,
    string Units, string Comment, int Start, int ExpressionStart) : MdlElement(Start);

/// <summary>
/// A subscript range: dim: a, b, (c1-c3), subrange -&gt; mapped; or dim &lt;-&gt; other (an equivalent name).
/// Elements are written names, numeric ranges already expanded (c1, c2, c3).
/// </summary>
internal sealed record MdlSubscriptRange(
    MdlName Name, IReadOnlyList<MdlName> Elements, MdlName? EquivalentTo, IReadOnlyList<MdlMapping> Mappings,
    Expr? Definition, string Comment, int Start) : MdlElement(Start);

/// <summary>-&gt; other, or -&gt; (other: e1, e2): how a dimension maps onto another, element by element.</summary>
internal sealed record MdlMapping(MdlName Target, IReadOnlyList<MdlName> Elements);

/// <summary>A reality check (:THE CONDITION:, :TEST INPUT:): not simulated.</summary>
internal sealed record MdlRealityCheck(MdlName Name, string Keyword, int Start) : MdlElement(Start);

/// <summary>:MACRO: NAME(inputs : outputs) … :END OF MACRO:</summary>
internal sealed record MdlMacro(MdlName Name, IReadOnlyList<MdlName> Inputs, IReadOnlyList<MdlName> Outputs, IReadOnlyList<MdlElement> Elements, int Start);

/// <summary>
/// A lookup table as written: (x, y) points, an optional [(xmin,ymin)-(xmax,ymax)] box (only for display), or a
/// GET … LOOKUPS call that reads it from a file.
/// </summary>
internal sealed record MdlLookup(double[] X, double[] Y, Expr? External, int Start);

/// <summary>A lookup written inline as a function argument (WITH LOOKUP's table).</summary>
internal sealed record MdlLookupExpr(MdlLookup Lookup, int Pos) : Expr(Pos);

/// <summary>'text': a file, sheet or cell name in GET XLS … and GET DIRECT ….</summary>
internal sealed record MdlStringExpr(string Value, int Pos) : Expr(Pos);

/// <summary>A constant array written as numbers: 1, 2; 3, 4 (rows split by ';'), or TABBED ARRAY(…).</summary>
internal sealed record MdlNumberListExpr(IReadOnlyList<IReadOnlyList<double>> Rows, int Pos) : Expr(Pos);
