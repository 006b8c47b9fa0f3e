using LoopSim.Engine.Analysis;
using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Units;
using E = System.Linq.Expressions.Expression;

namespace LoopSim.Engine.Builtins;

/// <summary>What the stages must know of a builtin beyond its arguments.</summary>
[Flags]
internal enum BuiltinFlags
{
    None = 0,
    /// <summary>Has memory: lowered to hidden stocks and flows (or a history buffer) by its <see cref="Builtin.Lower"/>.</summary>
    Stateful = 1,
    /// <summary>Its value changes with TIME even when its arguments do not (so it is never computed once only).</summary>
    ReadsTime = 2,
    /// <summary>Draws from the run's random stream once per DT (<see cref="Builtin.Draw"/>).</summary>
    Random = 4,
    /// <summary>Its semantics follow the model's <see cref="Dialect"/> (XMILE specification or Vensim).</summary>
    DialectSpecific = 8,
    /// <summary>Takes arrays (SUM(x[*])): a reader that flattens arrays passes an array argument as its elements, one argument each.</summary>
    ArrayArguments = 16,
}

/// <summary>The random variate a random builtin transforms: drawn once per DT into a hidden node.</summary>
internal enum Draw { None, Uniform, StandardNormal }

/// <summary>The part of the catalogue's README table that says how the compiler treats a builtin.</summary>
internal enum BuiltinKind { Function, Clock, StartValue, GraphicalFunction, HiddenStocks, HistoryBuffer, Random }

/// <summary>The value ranges of a call's arguments, for a builtin's range rule (<see cref="ValueRanges"/>).</summary>
internal interface IRangeQuery
{
    Dialect Dialect { get; }
    int Count { get; }
    /// <summary>The range of argument <paramref name="i"/>; an argument not given is 0.</summary>
    Interval this[int i] { get; }
    /// <summary>The range of argument <paramref name="numerator"/> ÷ argument <paramref name="denominator"/>, seeing shares x/(x+y).</summary>
    Interval Quotient(int numerator, int denominator);
    /// <summary>The range of TIME over the run.</summary>
    Interval Time { get; }
    SimSpecs Specs { get; }
}

/// <summary>The slopes of a call's arguments with respect to one input x, for a builtin's polarity rule (<see cref="LinkPolarityAnalysis"/>).</summary>
internal interface ISlopeQuery
{
    int Count { get; }
    /// <summary>The sign of ∂(argument i)/∂x; an argument not given does not depend on x.</summary>
    Slope this[int i] { get; }
    /// <summary>The value range of argument <paramref name="i"/>.</summary>
    Interval Range(int i);
    /// <summary>The sign of ∂(argument a ÷ argument b)/∂x.</summary>
    Slope Quotient(int a, int b);
    /// <summary>Either sign when argument <paramref name="i"/> or a later one depends on x, else none: a builtin that is not monotone in them.</summary>
    Slope UnknownFrom(int i);
}

/// <summary>
/// One builtin, everything the stages know of it in one place: its names in each dialect, its arity and flags, how
/// code generation emits it (pure, clock and random builtins) or lowering replaces it (stateful ones; one file each
/// in this folder), its range rule for <see cref="ValueRanges"/>, its polarity (monotonicity) rule for
/// <see cref="LinkPolarityAnalysis"/> and its units rule for <see cref="UnitsChecker"/>. Stateful builtins need no range
/// or polarity rule (the analyses see their hidden structure), but have a units rule: units are checked before lowering.
/// Every entry is in <see cref="BuiltinCatalogue"/>; nothing else dispatches on a builtin's name.
/// </summary>
internal sealed class Builtin
{
    /// <summary>The XMILE name, upper case (or, for an entry known only to Vensim, its Vensim name).</summary>
    public required string Name { get; init; }
    /// <summary>The names this entry is called by in XMILE files (valid in every dialect).</summary>
    public IReadOnlyList<string> XmileNames { get; init; } = [];
    /// <summary>Further names in the Vensim dialect, where Vensim's function has these semantics (SMOOTH for SMTH1 …).</summary>
    public IReadOnlyList<string> VensimNames { get; init; } = [];
    public required int MinArgs { get; init; }
    public required int MaxArgs { get; init; }
    public BuiltinFlags Flags { get; init; }
    public required BuiltinKind Kind { get; init; }
    /// <summary>Its semantics in a line, for the README table and argument-count errors.</summary>
    public required string Meaning { get; init; }

    /// <summary>Pure, clock and random builtins: the code for a call, from its arguments' code (a random builtin's last argument is its draw).</summary>
    public Func<Emitter, E[], E>? Emit { get; init; }
    /// <summary>Stateful builtins: the hidden structure replacing a call, and the expression standing for the call's value.</summary>
    public Func<BuiltinLowering, IReadOnlyList<IrExpr>, IrExpr>? Lower { get; init; }
    /// <summary>Random builtins: the variate drawn per DT, and how many leading arguments are values (the rest, a seed, is ignored: every run is seeded).</summary>
    public Draw Draw { get; init; }
    public int ValueArgs { get; init; }
    /// <summary>Arguments that must be whole numbers ≥ 1 written as constants (the order of SMTHN and DELAYN).</summary>
    public IReadOnlyList<int> ConstantOrderArgs { get; init; } = [];
    /// <summary>The LOOKUP builtin: its first argument names a graphical function, resolved to the table.</summary>
    public bool NamesTable { get; init; }

    /// <summary>The range of the call's value from its arguments' ranges.</summary>
    public Func<IRangeQuery, Interval>? Range { get; init; }
    /// <summary>The sign of ∂(call)/∂x from its arguments' slopes.</summary>
    public Func<ISlopeQuery, Slope>? Polarity { get; init; }
    /// <summary>
    /// The call's units from its arguments' units, and what each argument must have (<see cref="UnitsChecker"/>); null
    /// only for LOOKUP, which the resolver turns into a graphical function's lookup.
    /// </summary>
    public Func<IUnitsQuery, Inferred>? Units { get; init; }
    /// <summary>
    /// Array builtins whose arguments are arrays passed element by element (VECTOR SELECT, INVERT MATRIX): what is wrong
    /// with the arguments' shape (a message, or null when they fit), checked by the resolver beyond their count.
    /// </summary>
    public Func<IReadOnlyList<IrExpr>, string?>? CheckArguments { get; init; }

    public bool Is(BuiltinFlags flag) => (Flags & flag) == flag;

    /// <summary>"2 arguments", "2 to 3 arguments".</summary>
    public string Arity => MinArgs == MaxArgs ? $"{MinArgs} argument{(MinArgs == 1 ? "" : "s")}"
        : MaxArgs == int.MaxValue ? $"{MinArgs} or more arguments" : $"{MinArgs} to {MaxArgs} arguments";

    public override string ToString() => Name;
}
