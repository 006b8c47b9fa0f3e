using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Model;

/// <summary>
/// The format-neutral model with parsed equations: what every reader (XMILE, YAML, .mdl) produces. The resolver
/// (<see cref="Semantics.Resolver"/>) checks it and turns it into the resolved IR every later stage reads.
/// </summary>
public sealed class SdModel
{
    public string Name { get; set; } = "model";
    /// <summary>The file the model came from, for error messages; null for models built in code.</summary>
    public string? SourceFile { get; set; }
    /// <summary>Whose semantics the builtins follow where vendors differ (INT, MOD): the XMILE specification's unless the model comes from Vensim.</summary>
    public Dialect Dialect { get; set; } = Dialect.Xmile;
    public SimSpecs Specs { get; set; } = new();
    public List<Variable> Variables { get; } = new();
    /// <summary>Units the model declares itself (XMILE &lt;model_units&gt;, Vensim's unit equivalences): names, aliases and definitions.</summary>
    public List<UnitDefinition> UnitDefinitions { get; } = new();
    /// <summary>The dimensions arrayed variables are flattened over (XMILE and YAML arrays), for the XMILE export.</summary>
    public List<ArrayDimension> Dimensions { get; } = new();
}

/// <summary>A unit the model declares: its name, the names that mean the same (singular, plural, abbreviations), and optionally its definition in other units ("60*seconds").</summary>
public sealed record UnitDefinition(string Name, string? Equation, IReadOnlyList<string> Aliases);

/// <summary>
/// The family of tools a model was written for, where their builtins differ: <see cref="Xmile"/> for the XMILE 1.0
/// specification (and Stella, Simlin and LoopSim's YAML, which follow it), <see cref="Vensim"/> for Vensim's .mdl files
/// and the XMILE files Vensim exports. Vensim models may also use Vensim's names of builtins (SMOOTH, DELAY FIXED …).
/// </summary>
public enum Dialect { Xmile, Vensim }

public enum IntegrationMethod { Euler, RK2, RK4 }

public sealed record SimSpecs
{
    public double Start { get; init; }
    public double Stop { get; init; } = 100;
    public double Dt { get; init; } = 1;
    /// <summary>Interval between saved rows; null means every DT.</summary>
    public double? SaveStep { get; init; }
    public IntegrationMethod Method { get; init; } = IntegrationMethod.Euler;
    public string? TimeUnits { get; init; }
}

public enum VariableKind { Stock, Flow, Aux }

/// <summary>Where a piece of a model was written, for error messages.</summary>
public sealed record SourceLocation(string? File, int Line, int Column)
{
    public override string ToString() =>
        // A file without a line (line 0) reads "file", not "file:" (which a message's ": " would double).
        (File ?? "") + (Line > 0 ? (File is null ? "" : ":") + Line + (Column > 0 ? ":" + Column : "") : "");
}

public sealed class Variable
{
    /// <summary>The display name as written in the model (may contain spaces or newlines).</summary>
    public required string Name { get; init; }
    public required VariableKind Kind { get; init; }
    /// <summary>The parsed equation; for a stock its initial value. Null for a named graphical function used only as a lookup.</summary>
    public Equation? Equation { get; set; }
    public List<string> Inflows { get; } = new();
    /// <summary>The stock's outflows in priority order: a non-negative stock serves them first to last.</summary>
    public List<string> Outflows { get; } = new();
    public bool NonNegative { get; set; }
    /// <summary>When set, the variable's value is this function of its equation's value (or it is a named lookup table).</summary>
    public GraphicalFunction? Graph { get; set; }
    public string? Units { get; set; }
    /// <summary>
    /// Made by a reader, not written by the modeller (the net flow of a Vensim INTEG whose rate is an expression): it
    /// declares no units, and the units checker takes those its equation gives.
    /// </summary>
    public bool Generated { get; init; }
    public string? Description { get; set; }
    /// <summary>A plausible range for a constant, as documented by the modeller.</summary>
    public (double Min, double Max)? Range { get; set; }
    /// <summary>Why a constant has its default value: a citation or a stated assumption.</summary>
    public string? Source { get; set; }
    /// <summary>Where the variable is defined (its equation, when it has one), for error messages.</summary>
    public SourceLocation? Location { get; set; }

    /// <summary>For one element of an arrayed variable (flattened to a scalar named "x[a,b]"): which array and element.</summary>
    public ArrayElement? Array { get; set; }

    public string CanonicalName => Names.Canonical(Name);
}

/// <summary>One element of an arrayed variable: the array's name, its dimensions and the element's position in each (from 0).</summary>
public sealed record ArrayElement(string Variable, IReadOnlyList<ArrayDimension> Dimensions, IReadOnlyList<int> Cell)
{
    /// <summary>"a, b": the element as XMILE's &lt;element subscript&gt; writes it.</summary>
    public string Subscript => string.Join(", ", Cell.Select((position, k) => Dimensions[k].Elements[position]));
}


public enum GraphType { Continuous, Extrapolate, Discrete }

/// <summary>A graphical function (lookup table): y as a piecewise function of x, X sorted ascending.</summary>
public sealed record GraphicalFunction(GraphType Type, double[] X, double[] Y);

/// <summary>A dimension (XMILE 1.0 §3.7.1): its name and its elements in order; an indexed dimension's elements are "1" … "n".</summary>
public sealed record ArrayDimension(string Name, IReadOnlyList<string> Elements)
{
    public string Canonical => Names.Canonical(Name);

    /// <summary>
    /// The dimension (its name) this one maps to element by element, by position (isee's &lt;isee:maps_to&gt;, as
    /// Stella and xmutil write Vensim's "A: a1, a2 -&gt; B"): an equation over either may use an array over the other.
    /// </summary>
    public string? MapsTo { get; init; }

    /// <summary>The position (from 0) of an element written in any spelling, or -1.</summary>
    public int Position(string element)
    {
        var canonical = Names.Canonical(element);
        for (int i = 0; i < Elements.Count; i++)
            if (Names.Canonical(Elements[i]) == canonical) return i;
        return -1;
    }

    /// <summary>"x", "3", "1..3": for messages.</summary>
    public string Describe() => Elements.Count <= 6 ? string.Join(", ", Elements) : $"{Elements[0]}, {Elements[1]} … {Elements[^1]}";
}
