using System.Linq.Expressions;
using LoopSim.Engine.Analysis;
using LoopSim.Engine.Model;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Units;
using static LoopSim.Engine.Compilation.BuiltinLowering;
using E = System.Linq.Expressions.Expression;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// Every builtin LoopSim knows, one entry each (<see cref="Builtin"/>): the resolver, lowering, ordering, code
/// generation, the range and polarity analyses and the README's table all read it. Adding a builtin is one entry
/// here, for a stateful one a lowering file beside this one, and its tests.
/// </summary>
internal static class BuiltinCatalogue
{
    // ---- functions ----------------------------------------------------------------------------------------------

    public static readonly Builtin Abs = Function("ABS", 1, 1, "absolute value",
        (e, a) => e.Native(nameof(Math.Abs), a[0]),
        q => q[0].Abs(),
        s => s.Range(0).IsNonNegative ? s[0] : s.Range(0).IsNonPositive ? s[0].Flip : s.UnknownFrom(0),
        units: q => q[0]);

    /// <summary>XMILE 1.0 §3.5.1 MIN(a, b) and §3.7.3 MIN(array): the readers pass an array's elements as the arguments.</summary>
    public static readonly Builtin Min = Function("MIN", 1, Any, "smallest of its arguments: MIN(a, b), or MIN(x[*]) over an array's elements",
        (e, a) => a.Aggregate((x, y) => e.Native(nameof(Math.Min), x, y)), q => Fold(q, Interval.Min), AnyArgument, units: AllAlike, flags: BuiltinFlags.ArrayArguments);

    public static readonly Builtin Max = Function("MAX", 1, Any, "largest of its arguments: MAX(a, b), or MAX(x[*]) over an array's elements",
        (e, a) => a.Aggregate((x, y) => e.Native(nameof(Math.Max), x, y)), q => Fold(q, Interval.Max), AnyArgument, units: AllAlike, flags: BuiltinFlags.ArrayArguments);

    // ---- arrays (XMILE 1.0 §3.7.3): the readers flatten arrays, so an array argument arrives as its elements ------------

    public static readonly Builtin Sum = Function("SUM", 1, Any, "SUM(x[*]): sum of an array's elements (or of its arguments)",
        (e, a) => a.Aggregate(E.Add), q => Fold(q, (x, y) => x + y), AnyArgument, units: AllAlike, flags: BuiltinFlags.ArrayArguments);

    public static readonly Builtin Prod = Function("PROD", 1, Any, "PROD(x[*]): product of an array's elements (or of its arguments)",
        (e, a) => a.Aggregate(E.Multiply), q => Fold(q, (x, y) => x * y),
        s => Enumerable.Range(0, s.Count).All(i => s.Range(i).IsNonNegative) ? AnyArgument(s) : s.UnknownFrom(0),
        units: q => Enumerable.Range(0, q.Count).Select(i => q[i]).Aggregate(Inferred.Multiply), flags: BuiltinFlags.ArrayArguments);

    public static readonly Builtin Mean = Function("MEAN", 1, Any, "MEAN(x[*]): arithmetic mean of an array's elements (or of its arguments)",
        (e, a) => E.Divide(a.Aggregate(E.Add), e.Constant(a.Length)), q => Fold(q, (x, y) => x.Hull(y)), AnyArgument, units: AllAlike, flags: BuiltinFlags.ArrayArguments);

    /// <summary>
    /// The population standard deviation (÷ n, not n − 1): the spread of the elements themselves, not an estimate from
    /// a sample. XMILE 1.0 §3.7.3 does not say which; this is LoopSim's stated choice, tested by hand-computed values.
    /// </summary>
    public static readonly Builtin StdDev = Function("STDDEV", 1, Any, "STDDEV(x[*]): population standard deviation (÷ n) of an array's elements",
        (e, a) => e.Let(E.Divide(a.Aggregate(E.Add), e.Constant(a.Length)), mean =>
            e.Native(nameof(Math.Sqrt), E.Divide(a.Select(x => E.Subtract(x, mean)).Select(d => E.Multiply(d, d)).Aggregate(E.Add), e.Constant(a.Length)))),
        q => Fold(q, (x, y) => x.Hull(y)) is var all && double.IsFinite(all.Hi - all.Lo) ? new Interval(0, (all.Hi - all.Lo) / 2) : Interval.NonNegative,
        s => s.UnknownFrom(0), units: AllAlike, flags: BuiltinFlags.ArrayArguments);

    public static readonly Builtin Size = Function("SIZE", 1, Any, "SIZE(x[*]): the number of an array's elements",
        (e, a) => e.Constant(a.Length), q => Interval.Of(q.Count), _ => Slope.None, units: _ => Inferred.Dimensionless, flags: BuiltinFlags.ArrayArguments);

    // ---- Vensim's array functions: the .mdl reader passes each array's elements in order (its ranges marked '!' broadcast) ----

    public static readonly Builtin VectorSelect = new()
    {
        Name = "VECTOR SELECT", VensimNames = ["VECTOR SELECT"], MinArgs = 5, MaxArgs = Any, Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: VECTOR SELECT(selection[range!], expression[range!], missing, numerical action, error action): the selected elements (selection ≠ 0) combined by the action: 0–4 sum, product, min, max, mean of selection × expression, 5 product of expression ^ selection, 6–10 sum … mean of the expression; missing when none is selected; NaN when the error action (1 none, 2 several, 3 either) holds",
        CheckArguments = ArrayFunctions.VectorSelectShape, Emit = ArrayFunctions.VectorSelect,
        Range = _ => Interval.All, Polarity = s => s.UnknownFrom(0),
        Units = q =>
        {
            int n = (q.Count - 3) / 2;
            for (int i = 0; i < n; i++) q.Dimensionless(i);
            q.Dimensionless(q.Count - 2);
            q.Dimensionless(q.Count - 1);
            return q.Same(Enumerable.Range(n, n).Append(2 * n).ToArray());
        },
    };

    public static readonly Builtin InvertMatrix = new()
    {
        Name = "INVERT MATRIX", VensimNames = ["INVERT MATRIX"], MinArgs = 3, MaxArgs = 2 + ArrayFunctions.LargestMatrix * ArrayFunctions.LargestMatrix,
        Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: INVERT MATRIX(matrix[…, rows, columns], size): the left-hand side's element (row, column) of the inverse of the size × size matrix over the last two subscripts, at most 8 × 8 (as read: INVERT MATRIX(row, column, m₁₁ … mₙₙ))",
        CheckArguments = ArrayFunctions.InvertMatrixShape, Emit = ArrayFunctions.InvertMatrix,
        Range = _ => Interval.All, Polarity = s => s.UnknownFrom(0),
        Units = q =>
        {
            q.Dimensionless(0);
            q.Dimensionless(1);
            return Inferred.Dimensionless / q.Same(Enumerable.Range(2, q.Count - 2).ToArray());
        },
    };

    public static readonly Builtin AllocateAvailable = new()
    {
        Name = "ALLOCATE AVAILABLE", VensimNames = ["ALLOCATE AVAILABLE"], MinArgs = 7, MaxArgs = Any, Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: ALLOCATE AVAILABLE(request[range], profile[range, ptype], available): the left-hand side's share of the available supply, each request falling to 0 as a market priority rises past its profile (type 1 rectangular, 2 triangular, 3 normal, 4 exponential; priority, width), the market cleared at the priority where the shares add up to the supply; every request when the supply covers them (as read: ALLOCATE AVAILABLE(k, requests, profiles, available))",
        CheckArguments = ArrayFunctions.AllocateAvailableShape, Emit = (e, a) => e.CallOnArray(typeof(Allocation.Available), a),
        Range = q => Requests(q, (q.Count - 2) / 5), Polarity = s => s.UnknownFrom(0),
        Units = q =>
        {
            q.Dimensionless(0);
            int n = (q.Count - 2) / 5;
            return q.Same(Enumerable.Range(1, n).Append(q.Count - 1).ToArray());
        },
    };

    public static readonly Builtin AllocateByPriority = new()
    {
        Name = "ALLOCATE BY PRIORITY", VensimNames = ["ALLOCATE BY PRIORITY"], MinArgs = 5, MaxArgs = Any, Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: ALLOCATE BY PRIORITY(request[range], priority[range], size, width, supply): ALLOCATE AVAILABLE with rectangular profiles of the one width, so a request whose priority is more than the width below another's gets only what that one leaves (as read: ALLOCATE BY PRIORITY(k, requests, priorities, width, supply))",
        CheckArguments = ArrayFunctions.AllocateByPriorityShape, Emit = (e, a) => e.CallOnArray(typeof(Allocation.ByPriority), a),
        Range = q => Requests(q, (q.Count - 3) / 2), Polarity = s => s.UnknownFrom(0),
        Units = q =>
        {
            q.Dimensionless(0);
            int n = (q.Count - 3) / 2;
            q.Same(Enumerable.Range(1 + n, n).Append(q.Count - 2).ToArray());
            return q.Same(Enumerable.Range(1, n).Append(q.Count - 1).ToArray());
        },
    };

    public static readonly Builtin VectorSortOrder = new()
    {
        Name = "VECTOR SORT ORDER", VensimNames = ["VECTOR SORT ORDER"], MinArgs = 3, MaxArgs = Any, Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: VECTOR SORT ORDER(vector[…, range], direction): the index (from 0) of the element that comes at the left-hand side's place in the vector sorted along its last subscript, ascending when direction > 0, else descending (as read: VECTOR SORT ORDER(place, direction, v₁ … vₙ))",
        CheckArguments = ArrayFunctions.VectorOrderShape, Emit = (e, a) => e.CallOnArray(typeof(Sorting.SortOrder), a),
        Range = q => new Interval(0, q.Count - 3), Polarity = s => s.UnknownFrom(0),
        Units = q =>
        {
            q.Dimensionless(0);
            q.Dimensionless(1);
            q.Same(Enumerable.Range(2, q.Count - 2).ToArray());
            return Inferred.Dimensionless;
        },
    };

    public static readonly Builtin VectorRank = new()
    {
        Name = "VECTOR RANK", VensimNames = ["VECTOR RANK"], MinArgs = 3, MaxArgs = Any, Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: VECTOR RANK(vector[…, range], direction): the place (from 1) of the left-hand side's element in the vector sorted along its last subscript, ascending when direction > 0, else descending (as read: VECTOR RANK(place, direction, v₁ … vₙ))",
        CheckArguments = ArrayFunctions.VectorOrderShape, Emit = ArrayFunctions.VectorRank,
        Range = q => new Interval(1, q.Count - 2), Polarity = s => s.UnknownFrom(0),
        Units = VectorSortOrder.Units,
    };

    public static readonly Builtin VectorReorder = new()
    {
        Name = "VECTOR REORDER", VensimNames = ["VECTOR REORDER"], MinArgs = 2, MaxArgs = Any, Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: VECTOR REORDER(vector[…, range], order[…]): the vector's element (along its last subscript) at the index, from 0, that order gives at the left-hand side's place, as VECTOR SORT ORDER gives them; NaN outside the vector (as read: VECTOR REORDER(index, v₁ … vₙ))",
        Emit = ArrayFunctions.VectorReorder,
        Range = q => Enumerable.Range(1, q.Count - 1).Select(i => q[i]).Aggregate((x, y) => x.Hull(y)), Polarity = s => s.UnknownFrom(0),
        Units = q =>
        {
            q.Dimensionless(0);
            return q.Same(Enumerable.Range(1, q.Count - 1).ToArray());
        },
    };

    public static readonly Builtin VectorElmMap = new()
    {
        Name = "VECTOR ELM MAP", VensimNames = ["VECTOR ELM MAP"], MinArgs = 2, MaxArgs = Any, Kind = BuiltinKind.Function,
        Meaning = "Vensim dialect only: VECTOR ELM MAP(vector[element …], offset): the variable's element offset places (from its element named, counted over all its elements, the last subscript varying fastest) from the one named; NaN outside the variable (as read: VECTOR ELM MAP(index, v₀ … vₙ₋₁))",
        Emit = ArrayFunctions.VectorReorder, Range = VectorReorder.Range, Polarity = VectorReorder.Polarity, Units = VectorReorder.Units,
    };

    /// <summary>An allocation's range: from 0 to the largest request (arguments 1 to n).</summary>
    private static Interval Requests(IRangeQuery q, int n) =>
        Enumerable.Range(1, n).Select(i => q[i].Hi).Max() is var most && double.IsFinite(most) ? new Interval(0, Math.Max(0, most)) : Interval.NonNegative;

    public static readonly Builtin Exp = Function("EXP", 1, 1, "e to the power x",
        (e, a) => e.Call(typeof(Functions.Exp), a[0]), q => q[0].Map(Math.Exp), s => s[0],
        units: q => q.Dimensionless(0));

    public static readonly Builtin Ln = Function("LN", 1, 1, "natural logarithm",
        (e, a) => e.Call(typeof(Functions.Ln), a[0]), q => q[0].Map(Math.Log), s => s[0],
        units: q => q.Dimensionless(0));

    public static readonly Builtin Log10 = Function("LOG10", 1, 1, "base-10 logarithm",
        (e, a) => e.Call(typeof(Functions.Log10), a[0]), q => q[0].Map(Math.Log10), s => s[0],
        units: q => q.Dimensionless(0));

    public static readonly Builtin Sqrt = Function("SQRT", 1, 1, "square root",
        (e, a) => e.Native(nameof(Math.Sqrt), a[0]), q => Interval.Max(q[0], Interval.Zero).Map(Math.Sqrt), s => s[0],
        units: q => q.Root(0, 2));

    /// <summary>XMILE 1.0 §3.5.1: INT is the floor (footnote 7); Vensim's INTEGER truncates toward zero.</summary>
    public static readonly Builtin Int = Function("INT", 1, 1,
        "integer part: the largest whole number ≤ x (XMILE spec); truncated toward zero in the Vensim dialect (INTEGER)",
        (e, a) => e.Native(e.Dialect == Dialect.Vensim ? nameof(Math.Truncate) : nameof(Math.Floor), a[0]),
        q => q[0].Map(q.Dialect == Dialect.Vensim ? Math.Truncate : Math.Floor), s => s[0],
        vensim: ["INTEGER"], flags: BuiltinFlags.DialectSpecific,
        units: q => q[0]);

    /// <summary>
    /// XMILE 1.0 §3.3.1 and §3.5.1: MOD (the function and the operator) is the floored modulus, whose sign follows the
    /// divisor; Vensim's MODULO keeps the dividend's sign.
    /// </summary>
    public static readonly Builtin Mod = Function("MOD", 2, 2,
        "remainder of a ÷ b with the sign of b (XMILE spec; also the MOD operator); with the sign of a in the Vensim dialect (MODULO)",
        (e, a) => e.Call(e.Dialect == Dialect.Vensim ? typeof(Functions.TruncatedModulo) : typeof(Functions.FlooredModulo), a[0], a[1]),
        q => q.Dialect == Dialect.Vensim
            ? q[0].IsNonNegative && q[1].IsNonNegative ? new Interval(0, Math.Max(q[1].Hi, 0)) : Interval.All
            : q[1].IsNonNegative ? new Interval(0, Math.Max(q[1].Hi, 0)) : q[1].IsNonPositive ? new Interval(Math.Min(q[1].Lo, 0), 0) : Interval.All,
        s => s.UnknownFrom(0),
        vensim: ["MODULO"], flags: BuiltinFlags.DialectSpecific,
        units: q => q.Same(0, 1));

    public static readonly Builtin Sin = Function("SIN", 1, 1, "sine (radians)",
        (e, a) => e.Call(typeof(Functions.Sin), a[0]), _ => new Interval(-1, 1), s => s.UnknownFrom(0),
        units: q => q.Dimensionless(0));

    public static readonly Builtin Cos = Function("COS", 1, 1, "cosine (radians)",
        (e, a) => e.Call(typeof(Functions.Cos), a[0]), _ => new Interval(-1, 1), s => s.UnknownFrom(0),
        units: q => q.Dimensionless(0));

    public static readonly Builtin Tan = Function("TAN", 1, 1, "tangent (radians)",
        (e, a) => e.Call(typeof(Functions.Tan), a[0]), _ => Interval.All, s => s.UnknownFrom(0),
        units: q => q.Dimensionless(0));

    public static readonly Builtin Arcsin = Function("ARCSIN", 1, 1, "inverse sine",
        (e, a) => e.Call(typeof(Functions.Arcsin), a[0]), _ => new Interval(-Math.PI / 2, Math.PI / 2), s => s[0],
        units: q => q.Dimensionless(0));

    public static readonly Builtin Arccos = Function("ARCCOS", 1, 1, "inverse cosine",
        (e, a) => e.Call(typeof(Functions.Arccos), a[0]), _ => new Interval(0, Math.PI), s => s[0].Flip,
        units: q => q.Dimensionless(0));

    public static readonly Builtin Arctan = Function("ARCTAN", 1, 1, "inverse tangent",
        (e, a) => e.Call(typeof(Functions.Arctan), a[0]), q => q[0].Map(Math.Atan), s => s[0],
        units: q => q.Dimensionless(0));

    // Vensim's hyperbolic functions (XMILE 1.0 has none): Vensim dialect only.
    public static readonly Builtin Sinh = VensimFunction("SINH", "hyperbolic sine (Vensim dialect only: XMILE has none)",
        (e, a) => e.Call(typeof(Functions.Sinh), a[0]), q => q[0].Map(Math.Sinh), s => s[0]);

    public static readonly Builtin Cosh = VensimFunction("COSH", "hyperbolic cosine (Vensim dialect only: XMILE has none)",
        (e, a) => e.Call(typeof(Functions.Cosh), a[0]), _ => new Interval(1, double.PositiveInfinity), s => s.UnknownFrom(0));

    public static readonly Builtin Tanh = VensimFunction("TANH", "hyperbolic tangent (Vensim dialect only: XMILE has none)",
        (e, a) => e.Call(typeof(Functions.Tanh), a[0]), q => q[0].Map(Math.Tanh), s => s[0]);

    public static readonly Builtin Pi = Function("PI", 0, 0, "3.14159…",
        (e, _) => e.Constant(Math.PI), _ => Interval.Of(Math.PI), _ => Slope.None,
        units: _ => Inferred.Free);

    /// <summary>a / b, or the third argument (default 0) where b = 0.</summary>
    public static readonly Builtin SafeDiv = Function("SAFEDIV", 2, 3, "a / b, or the third argument (default 0) when b = 0",
        (e, a) => e.Let(a[1], b => e.Lanes.Select(e.Lanes.Compare(ExpressionType.Equal, b, e.Constant(0)), a.Length > 2 ? a[2] : e.Constant(0), E.Divide(a[0], b))),
        q => q.Quotient(0, 1).Hull(q[2]), s => s.Quotient(0, 1) | s[2],
        units: q => Expecting(q, 2, q[0] / q[1]));

    // ---- test inputs: functions of TIME ---------------------------------------------------------------------------

    public static readonly Builtin Step = Function("STEP", 2, 2, "STEP(height, time): height from the given time on, 0 before",
        (e, a) => e.Lanes.Select(e.Lanes.Compare(ExpressionType.GreaterThanOrEqual, e.Time, a[1]), a[0], e.Constant(0)),
        q => q[0].Hull(Interval.Zero), s => s[0] | s.UnknownFrom(1), flags: BuiltinFlags.ReadsTime,
        units: q => { q.Expect(1, q.Time); return q[0]; });

    /// <summary>0 until start, then slope × (min(TIME, end) − start).</summary>
    public static readonly Builtin Ramp = Function("RAMP", 2, 3, "RAMP(slope, start[, end]): slope × (TIME − start) after start, held from end on",
        (e, a) => e.Let(a[1], start => e.Lanes.Select(e.Lanes.Compare(ExpressionType.LessThanOrEqual, e.Time, start), e.Constant(0),
            E.Multiply(a[0], E.Subtract(e.Native(nameof(Math.Min), e.Time, a.Length > 2 ? a[2] : e.Constant(double.PositiveInfinity)), start)))),
        q => (q[0] * Interval.NonNegative).Hull(Interval.Zero), s => s[0] | s.UnknownFrom(1), flags: BuiltinFlags.ReadsTime,
        units: q => { q.Expect(1, q.Time); q.Expect(2, q.Time); return q[0].Times(q.Time); });

    public static readonly Builtin Pulse = Function("PULSE", 2, 3,
        "PULSE(magnitude, first[, interval]): magnitude/DT for one DT at first, repeated every interval > 0",
        (e, a) => e.Call(typeof(Functions.Pulse), e.Time, e.Dt, a[0], a[1], a.Length > 2 ? a[2] : e.Constant(0)),
        q => (q[0] * Interval.NonNegative).Hull(Interval.Zero), s => s[0] | s.UnknownFrom(1), flags: BuiltinFlags.ReadsTime,
        units: q => { q.Expect(1, q.Time); q.Expect(2, q.Time); return q[0].Per(q.Time); });

    // ---- the clock --------------------------------------------------------------------------------------------

    public static readonly Builtin Time = Clock("TIME", "the current time", e => e.Time, q => q.Time, BuiltinFlags.ReadsTime);
    public static readonly Builtin Dt = Clock("DT", "the time step", e => e.Dt, q => Interval.Of(q.Specs.Dt));
    public static readonly Builtin StartTime = Clock("STARTTIME", "the start time", e => e.Start, q => Interval.Of(q.Specs.Start));
    public static readonly Builtin StopTime = Clock("STOPTIME", "the stop time", e => e.Stop, q => Interval.Of(q.Specs.Stop));

    // ---- start values and graphical functions ------------------------------------------------------------------

    public static readonly Builtin InitialValue = new()
    {
        Name = "INIT", XmileNames = ["INIT"], MinArgs = 1, MaxArgs = 1, Flags = BuiltinFlags.Stateful, Kind = BuiltinKind.StartValue,
        Meaning = "INIT(x): the value x had at the start time",
        Lower = (at, a) => Init.Lower(at, a[0]), Units = q => q[0],
    };

    /// <summary>Vensim's ACTIVE INITIAL (XMILE has none): Vensim dialect only.</summary>
    public static readonly Builtin ActiveInitial = new()
    {
        Name = "ACTIVE INITIAL", VensimNames = ["ACTIVE INITIAL"], MinArgs = 2, MaxArgs = 2, Flags = BuiltinFlags.Stateful, Kind = BuiltinKind.StartValue,
        Meaning = "Vensim's ACTIVE INITIAL(value, initial): the initial value while the model initialises (stocks start from it), the value at every step",
        Lower = (at, a) => Builtins.ActiveInitial.Lower(at, a[0], a[1]), Units = q => q.Same(0, 1),
    };

    /// <summary>Resolved to a lookup of the named table (Semantics.IrLookup), like a table called by name.</summary>
    public static readonly Builtin Lookup = new()
    {
        Name = "LOOKUP", XmileNames = ["LOOKUP"], MinArgs = 2, MaxArgs = 2, Kind = BuiltinKind.GraphicalFunction, NamesTable = true,
        Meaning = "LOOKUP(table, x): the named graphical function at x",
    };

    // ---- stateful: hidden stocks (one lowering file each) ----------------------------------------------------------

    public static readonly Builtin Smth1 = Stateful("SMTH1", 2, 3, "SMTH1(input, time[, initial]): first-order exponential smooth",
        (at, a) => Smooth.Lower(at, a[0], a[1], 1, Optional(a, 2)), vensim: ["SMOOTH", "SMOOTHI"],
        units: q => { q.Expect(1, q.Time); return q.Same(0, 2); });

    public static readonly Builtin Smth3 = Stateful("SMTH3", 2, 3, "SMTH3(input, time[, initial]): third-order exponential smooth",
        (at, a) => Smooth.Lower(at, a[0], a[1], 3, Optional(a, 2)), vensim: ["SMOOTH3", "SMOOTH3I"],
        units: q => { q.Expect(1, q.Time); return q.Same(0, 2); });

    public static readonly Builtin SmthN = Stateful("SMTHN", 3, 4, "SMTHN(input, time, n[, initial]): n-th-order exponential smooth (n constant)",
        (at, a) => Smooth.Lower(at, a[0], a[1], Order(a[2]), Optional(a, 3)), constantOrder: 2,
        units: q => { q.Expect(1, q.Time); q.Dimensionless(2); return q.Same(0, 3); });

    public static readonly Builtin Delay1 = Stateful("DELAY1", 2, 3, "DELAY1(input, time[, initial]): first-order material delay",
        (at, a) => MaterialDelay.Lower(at, a[0], a[1], 1, Optional(a, 2)), vensim: ["DELAY1I"],
        units: q => { q.Expect(1, q.Time); return q.Same(0, 2); });

    public static readonly Builtin Delay3 = Stateful("DELAY3", 2, 3, "DELAY3(input, time[, initial]): third-order material delay",
        (at, a) => MaterialDelay.Lower(at, a[0], a[1], 3, Optional(a, 2)), vensim: ["DELAY3I"],
        units: q => { q.Expect(1, q.Time); return q.Same(0, 2); });

    public static readonly Builtin DelayN = Stateful("DELAYN", 3, 4, "DELAYN(input, time, n[, initial]): n-th-order material delay (n constant)",
        (at, a) => MaterialDelay.Lower(at, a[0], a[1], Order(a[2]), Optional(a, 3)), constantOrder: 2,
        units: q => { q.Expect(1, q.Time); q.Dimensionless(2); return q.Same(0, 3); });

    /// <summary>Vensim's DELAY N, in Vensim's argument order: DELAYN whose stages carry the delay time along (XMILE has none): Vensim dialect only.</summary>
    public static readonly Builtin VensimDelayN = new()
    {
        Name = "DELAY N", VensimNames = ["DELAY N"], MinArgs = 4, MaxArgs = 4, Flags = BuiltinFlags.Stateful, Kind = BuiltinKind.HiddenStocks,
        Meaning = "Vensim's DELAY N(input, time, initial, n): DELAYN whose k-th stage drains by the delay time of k − 1 steps before (n constant)",
        Lower = (at, a) => MaterialDelay.LowerVensim(at, a[0], a[1], Order(a[3]), a[2]), ConstantOrderArgs = [3],
        Units = q => { q.Expect(1, q.Time); q.Dimensionless(3); return q.Same(0, 2); },
    };

    public static readonly Builtin Delay = Stateful("DELAY", 2, 3, "DELAY(input, time[, initial]): fixed pipeline delay, from the input's history",
        (at, a) => FixedDelay.Lower(at, a[0], a[1], Optional(a, 2)), kind: BuiltinKind.HistoryBuffer,
        units: q => { q.Expect(1, q.Time); return q.Same(0, 2); });

    /// <summary>Vensim's DELAY FIXED: DELAY with the delay time's initial value (Vensim evaluates it only at the start), in whole steps.</summary>
    public static readonly Builtin DelayFixed = new()
    {
        Name = "DELAY FIXED", VensimNames = ["DELAY FIXED"], MinArgs = 3, MaxArgs = 3, Flags = BuiltinFlags.Stateful,
        Kind = BuiltinKind.HistoryBuffer,
        Meaning = "Vensim's DELAY FIXED(input, time, initial): DELAY with the delay time it has at the start, rounded to whole steps (at least one)",
        Lower = (at, a) => FixedDelay.LowerFixedTime(at, a[0], a[1], a[2]),
        Units = Delay.Units,
    };

    /// <summary>Vensim's SAMPLE IF TRUE (XMILE has none): Vensim dialect only.</summary>
    public static readonly Builtin SampleIfTrue = new()
    {
        Name = "SAMPLE IF TRUE", VensimNames = ["SAMPLE IF TRUE"], MinArgs = 3, MaxArgs = 3, Flags = BuiltinFlags.Stateful, Kind = BuiltinKind.HistoryBuffer,
        Meaning = "Vensim's SAMPLE IF TRUE(condition, input, initial): the input while the condition holds, else the value one DT before (at the start: the initial value)",
        Lower = (at, a) => Builtins.SampleIfTrue.Lower(at, a[0], a[1], a[2]),
        Units = q => q.Same(1, 2),
    };

    public static readonly Builtin TrendOf = Stateful("TREND", 2, 3, "TREND(input, averaging time[, initial trend]): fractional growth rate",
        (at, a) => Trend.Lower(at, a[0], a[1], Optional(a, 2)),
        units: q => { q.Expect(1, q.Time); return Expecting(q, 2, Inferred.Dimensionless / q.Time); });

    public static readonly Builtin Forcst = Stateful("FORCST", 3, 4, "FORCST(input, averaging time, horizon[, initial trend]): input × (1 + TREND × horizon)",
        (at, a) => Forecast.Lower(at, a[0], a[1], a[2], Optional(a, 3)),
        units: q => { q.Expect(1, q.Time); q.Expect(2, q.Time); q.Expect(3, Inferred.Dimensionless / q.Time); return q[0]; });

    // ---- random: drawn once per DT ------------------------------------------------------------------------------

    public static readonly Builtin Uniform = Random("UNIFORM", 2, "UNIFORM(min, max[, seed]): uniform draw, once per DT", Draw.Uniform,
        (e, a) => E.Add(a[0], E.Multiply(E.Subtract(a[1], a[0]), a[2])), q => q[0] + (q[1] - q[0]) * q[2], s => s[0] | s[1],
        units: q => q.Same(0, 1));

    public static readonly Builtin RandomOf = Random("RANDOM", 2, "RANDOM(min, max[, seed]): same as UNIFORM", Draw.Uniform,
        Uniform.Emit!, Uniform.Range!, Uniform.Polarity!, units: Uniform.Units!);

    public static readonly Builtin Normal = Random("NORMAL", 2, "NORMAL(mean, sd[, seed]): normal draw, once per DT", Draw.StandardNormal,
        (e, a) => E.Add(a[0], E.Multiply(a[1], a[2])), q => q[0] + q[1] * q[2], s => s[0] | s.UnknownFrom(1),
        units: q => q.Same(0, 1));

    public static readonly Builtin Lognormal = Random("LOGNORMAL", 2, "LOGNORMAL(mean, sd[, seed]): lognormal draw with this mean and sd, once per DT",
        Draw.StandardNormal, (e, a) => e.Call(typeof(Functions.Lognormal), a), _ => Interval.NonNegative, s => s[0] | s.UnknownFrom(1),
        units: q => q.Same(0, 1));

    public static readonly Builtin Poisson = Random("POISSON", 1, "POISSON(mean[, seed]): Poisson draw, once per DT", Draw.Uniform,
        (e, a) => e.Call(typeof(Functions.Poisson), a), _ => Interval.NonNegative, s => s[0] | s.UnknownFrom(1),
        units: q => q[0]);

    public static readonly Builtin Exprnd = Random("EXPRND", 1, "EXPRND(mean[, seed]): exponential draw, once per DT", Draw.Uniform,
        (e, a) => e.Call(typeof(Functions.Exponential), a), q => q[0] * Interval.NonNegative, s => s[0] | s.UnknownFrom(1),
        units: q => q[0]);

    /// <summary>Every entry, in the README's order.</summary>
    public static readonly IReadOnlyList<Builtin> All =
    [
        Abs, Min, Max, Sum, Prod, Mean, StdDev, Size, VectorSelect, InvertMatrix, AllocateAvailable, AllocateByPriority, VectorSortOrder, VectorRank, VectorReorder, VectorElmMap, Exp, Ln, Log10, Sqrt, Int, Mod, Sin, Cos, Tan, Arcsin, Arccos, Arctan, Sinh, Cosh, Tanh, Pi, SafeDiv, Step, Ramp, Pulse,
        Time, Dt, StartTime, StopTime, InitialValue, ActiveInitial, Lookup,
        Smth1, Smth3, SmthN, Delay1, Delay3, DelayN, VensimDelayN, Delay, DelayFixed, SampleIfTrue, TrendOf, Forcst,
        Uniform, RandomOf, Normal, Lognormal, Poisson, Exprnd,
    ];

    private static readonly Dictionary<string, Builtin> ByXmileName = Index(b => b.XmileNames);
    private static readonly Dictionary<string, Builtin> ByVensimName = Index(b => b.VensimNames);

    private static Dictionary<string, Builtin> Index(Func<Builtin, IEnumerable<string>> names) =>
        All.SelectMany(b => names(b).Select(n => (Name: Names.Canonical(n), Builtin: b))).ToDictionary(x => x.Name, x => x.Builtin);

    /// <summary>The builtin a (canonical) function name calls in a model of <paramref name="dialect"/>: XMILE names in every dialect, Vensim's names in Vensim's.</summary>
    public static Builtin? Find(string canonicalName, Dialect dialect) =>
        ByXmileName.TryGetValue(canonicalName, out var b) ? b
        : dialect == Dialect.Vensim && ByVensimName.TryGetValue(canonicalName, out b) ? b : null;

    /// <summary>The names a model of <paramref name="dialect"/> may call, for "did you mean" hints.</summary>
    public static IEnumerable<string> NamesIn(Dialect dialect) =>
        All.SelectMany(b => dialect == Dialect.Vensim ? b.XmileNames.Concat(b.VensimNames) : b.XmileNames);

    /// <summary>Units rules: argument <paramref name="i"/> (when given) must have <paramref name="units"/>, which the call gives (SAFEDIV's fallback, TREND's initial trend).</summary>
    private static Inferred Expecting(IUnitsQuery q, int i, Inferred units)
    {
        q.Expect(i, units);
        return units;
    }

    // ---- entry makers -------------------------------------------------------------------------------------------

    /// <summary>No upper limit on the number of arguments (an array's elements).</summary>
    private const int Any = int.MaxValue;

    private static Interval Fold(IRangeQuery q, Func<Interval, Interval, Interval> combine) =>
        Enumerable.Range(0, q.Count).Select(i => q[i]).Aggregate(combine);

    /// <summary>Units rule of MIN, MAX, SUM, MEAN, STDDEV: every argument (an array's elements) has one unit, which the call gives.</summary>
    private static Inferred AllAlike(IUnitsQuery q) => q.Same(Enumerable.Range(0, q.Count).ToArray());

    /// <summary>Monotone in every argument, each in its own direction.</summary>
    private static Slope AnyArgument(ISlopeQuery s) => Enumerable.Range(0, s.Count).Select(i => s[i]).Aggregate((x, y) => x | y);

    private static Builtin Function(string name, int min, int max, string meaning, Func<Compilation.Emitter, E[], E> emit,
        Func<IRangeQuery, Interval> range, Func<ISlopeQuery, Slope> polarity, Func<IUnitsQuery, Inferred> units, IReadOnlyList<string>? vensim = null,
        BuiltinFlags flags = BuiltinFlags.None) => new()
    {
        Name = name, XmileNames = [name], VensimNames = vensim ?? [], MinArgs = min, MaxArgs = max, Flags = flags,
        Kind = BuiltinKind.Function, Meaning = meaning, Emit = emit, Range = range, Polarity = polarity, Units = units,
    };

    /// <summary>A one-argument function of the Vensim dialect only, whose argument is dimensionless (the hyperbolic functions).</summary>
    private static Builtin VensimFunction(string name, string meaning, Func<Compilation.Emitter, E[], E> emit,
        Func<IRangeQuery, Interval> range, Func<ISlopeQuery, Slope> polarity) => new()
    {
        Name = name, VensimNames = [name], MinArgs = 1, MaxArgs = 1, Kind = BuiltinKind.Function, Meaning = meaning, Emit = emit, Range = range, Polarity = polarity,
        Units = q => q.Dimensionless(0),
    };

    private static Builtin Clock(string name, string meaning, Func<Compilation.Emitter, E> emit, Func<IRangeQuery, Interval> range,
        BuiltinFlags flags = BuiltinFlags.None) => new()
    {
        Name = name, XmileNames = [name], MinArgs = 0, MaxArgs = 0, Flags = flags, Kind = BuiltinKind.Clock, Meaning = meaning,
        Emit = (e, _) => emit(e), Range = range, Polarity = _ => Slope.None, Units = q => q.Time,
    };

    private static Builtin Stateful(string name, int min, int max, string meaning, Func<Compilation.BuiltinLowering, IReadOnlyList<Semantics.IrExpr>, Semantics.IrExpr> lower,
        Func<IUnitsQuery, Inferred> units, IReadOnlyList<string>? vensim = null, int? constantOrder = null, BuiltinKind kind = BuiltinKind.HiddenStocks) => new()
    {
        Name = name, XmileNames = [name], VensimNames = vensim ?? [], MinArgs = min, MaxArgs = max, Flags = BuiltinFlags.Stateful,
        Kind = kind, Meaning = meaning, Lower = lower, Units = units, ConstantOrderArgs = constantOrder is { } k ? [k] : [],
    };

    private static Builtin Random(string name, int valueArgs, string meaning, Draw draw, Func<Compilation.Emitter, E[], E> emit,
        Func<IRangeQuery, Interval> range, Func<ISlopeQuery, Slope> polarity, Func<IUnitsQuery, Inferred> units) => new()
    {
        Name = name, XmileNames = [name], MinArgs = valueArgs, MaxArgs = valueArgs + 1, Flags = BuiltinFlags.Random, Kind = BuiltinKind.Random,
        Meaning = meaning, Draw = draw, ValueArgs = valueArgs, Emit = emit, Range = range, Polarity = polarity, Units = units,
    };
}
