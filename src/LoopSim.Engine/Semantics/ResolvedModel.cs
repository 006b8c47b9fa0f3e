using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Semantics;

internal enum ResolvedKind
{
    Stock,
    Flow,
    Aux,
    /// <summary>A named graphical function without input: only called (table(x) or LOOKUP(table, x)), never a value.</summary>
    LookupTable,
}

/// <summary>
/// Reserved for arrays: a dimension and its elements. Arrays will be resolved by flattening: a subscripted variable
/// becomes one <see cref="ResolvedVariable"/> per element (named "x[a]"), each listing its dimensions and the element
/// it stands for, all sharing the one parsed equation with the subscripts bound per element.
/// </summary>
internal sealed record Dimension(string Name, IReadOnlyList<string> Elements);

/// <summary>One variable of the resolved IR; its id is its index in <see cref="ResolvedModel.Variables"/>.</summary>
internal sealed class ResolvedVariable
{
    public required int Id { get; init; }
    /// <summary>The display name as written in the model.</summary>
    public required string Name { get; init; }
    /// <summary>The name for look-ups (Names.Canonical).</summary>
    public required string Canonical { get; init; }
    public required ResolvedKind Kind { get; init; }
    /// <summary>The equation (a stock's initial value), every name resolved; null for a lookup table.</summary>
    public IrExpr? Equation { get; init; }
    /// <summary>The parsed equation it came from: its text and location, for messages.</summary>
    public Equation? Source { get; init; }
    /// <summary>When set, the variable's value is this function of its equation's value (or it is a lookup table).</summary>
    public GraphicalFunction? Graph { get; init; }
    public bool NonNegative { get; init; }
    /// <summary>A stock's inflows (flow ids).</summary>
    public IReadOnlyList<int> Inflows { get; init; } = [];
    /// <summary>A stock's outflows (flow ids) in priority order: a non-negative stock serves them first to last.</summary>
    public IReadOnlyList<int> Outflows { get; init; } = [];
    /// <summary>Reserved for arrays: the dimensions of the variable this element belongs to (always empty for now).</summary>
    public IReadOnlyList<Dimension> Dimensions { get; init; } = [];
    /// <summary>Reserved for arrays: the element of each dimension this variable stands for (always empty for now).</summary>
    public IReadOnlyList<string> Subscripts { get; init; } = [];
    /// <summary>Where the variable is defined, for messages.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The location of an offset in the equation's text (or the variable's location).</summary>
    public SourceLocation? At(int position) => Source?.At(position) ?? Location;

    public override string ToString() => Name;
}

/// <summary>
/// The resolved model: the one IR every stage after the readers reads (lowering and code generation, the loop and
/// range analyses). Variables have integer ids, references are ids, calls point at catalogue entries, and the model
/// carries the dialect its builtins follow. Made by <see cref="Resolver"/>, which has checked every name, call,
/// argument count and stock-flow connection.
/// </summary>
internal sealed class ResolvedModel
{
    private readonly Dictionary<string, int> _ids;

    public ResolvedModel(SdModel source, IReadOnlyList<ResolvedVariable> variables)
    {
        Source = source;
        Variables = variables;
        _ids = variables.ToDictionary(v => v.Canonical, v => v.Id);
    }

    /// <summary>The model as read (its name, file, and the documentation of each variable: units, ranges, sources).</summary>
    public SdModel Source { get; }
    public Dialect Dialect => Source.Dialect;
    public SimSpecs Specs => Source.Specs;
    public IReadOnlyList<ResolvedVariable> Variables { get; }

    /// <summary>The id of a variable by any spelling of its name, or null.</summary>
    public int? Find(string name) => _ids.TryGetValue(Names.Canonical(name), out var id) ? id : null;
}
