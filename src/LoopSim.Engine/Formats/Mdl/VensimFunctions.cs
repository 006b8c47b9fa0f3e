using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Formats.Mdl;

/// <summary>
/// How each Vensim function reads in LoopSim's terms: the builtin it is (with Vensim's argument order turned into
/// LoopSim's), or the expression it stands for where Vensim's definition is a formula of other builtins. Functions
/// LoopSim cannot run yet are listed with what they need, so the error names the function, not "unknown".
/// </summary>
internal static class VensimFunctions
{
    /// <summary>A Vensim function: its arity and its translation from (arguments, position) to a LoopSim expression.</summary>
    internal sealed record Function(string Name, int MinArgs, int MaxArgs, Func<IReadOnlyList<Expr>, int, Expr>? Translate, string? Missing = null);

    private static readonly Function[] Table =
    [
        Same("abs", 1), Same("exp", 1), Same("ln", 1), Same("sqrt", 1),
        Same("sin", 1), Same("cos", 1), Same("tan", 1), Same("arcsin", 1), Same("arccos", 1), Same("arctan", 1),
        Same("min", 2), Same("max", 2),
        new("integer", 1, 1, (a, p) => Call("int", p, a[0])),
        new("modulo", 2, 2, (a, p) => Call("mod", p, a[0], a[1])),
        // QUANTUM(a, q) = q × INTEGER(a / q), or a when q ≤ 0
        new("quantum", 2, 2, (a, p) => new IfExpr(Bin(BinaryOp.LessEqual, a[1], Num(0, p)), a[0],
            Bin(BinaryOp.Multiply, a[1], Call("int", p, Bin(BinaryOp.Divide, a[0], a[1]))), p)),
        new("power", 2, 2, (a, p) => new BinaryExpr(BinaryOp.Power, a[0], a[1], p)),
        // LOG(x, base) = LN(x) / LN(base)
        new("log", 2, 2, (a, p) => Bin(BinaryOp.Divide, Call("ln", p, a[0]), Call("ln", p, a[1]))),
        new("if_then_else", 3, 3, (a, p) => new IfExpr(a[0], a[1], a[2], p)),
        new("xidz", 3, 3, (a, p) => Call("safediv", p, a[0], a[1], a[2])),
        new("zidz", 2, 2, (a, p) => Call("safediv", p, a[0], a[1])),
        // STEP(height, time): Vensim switches on at the step nearest the time, TIME + DT/2 > time.
        new("step", 2, 2, (a, p) => new IfExpr(Bin(BinaryOp.Greater, Bin(BinaryOp.Add, Time(p), Bin(BinaryOp.Divide, Dt(p), Num(2, p))), a[1]), a[0], Num(0, p), p)),
        Same("ramp", 2, 3),
        // PULSE(start, width): 1 from start for width (one DT when width is 0), else 0.
        new("pulse", 2, 2, (a, p) => new IfExpr(
            Bin(BinaryOp.And, Bin(BinaryOp.GreaterEqual, Time(p), a[0]),
                Bin(BinaryOp.Less, Time(p), Bin(BinaryOp.Add, a[0], new IfExpr(Bin(BinaryOp.Equal, a[1], Num(0, p)), Dt(p), a[1], p)))),
            Num(1, p), Num(0, p), p)),
        // PULSE TRAIN(start, width, interval, end): 1 for width at start, start + interval, … while TIME ≤ end.
        new("pulse_train", 4, 4, (a, p) => new IfExpr(
            Bin(BinaryOp.And, Bin(BinaryOp.And, Bin(BinaryOp.GreaterEqual, Time(p), a[0]), Bin(BinaryOp.LessEqual, Time(p), a[3])),
                Bin(BinaryOp.Less, new IfExpr(Bin(BinaryOp.Greater, a[2], Num(0, p)),
                    Call("mod", p, Bin(BinaryOp.Subtract, Time(p), a[0]), a[2]), Bin(BinaryOp.Subtract, Time(p), a[0]), p), a[1])),
            Num(1, p), Num(0, p), p)),
        new("delay1", 2, 2, (a, p) => Call("delay1", p, a[0], a[1])),
        new("delay1i", 3, 3, (a, p) => Call("delay1", p, a[0], a[1], a[2])),
        new("delay3", 2, 2, (a, p) => Call("delay3", p, a[0], a[1])),
        new("delay3i", 3, 3, (a, p) => Call("delay3", p, a[0], a[1], a[2])),
        // DELAY N is the catalogue's (Vensim dialect): its stages carry the delay time along.
        new("delay_n", 4, 4, (a, p) => Call("delay_n", p, a[0], a[1], a[2], a[3])),
        // DELAY FIXED is the catalogue's (Vensim dialect): its delay time is fixed at the start and rounded to whole steps.
        new("delay_fixed", 3, 3, (a, p) => Call("delay_fixed", p, a[0], a[1], a[2])),
        new("smooth", 2, 2, (a, p) => Call("smth1", p, a[0], a[1])),
        new("smoothi", 3, 3, (a, p) => Call("smth1", p, a[0], a[1], a[2])),
        new("smooth3", 2, 2, (a, p) => Call("smth3", p, a[0], a[1])),
        new("smooth3i", 3, 3, (a, p) => Call("smth3", p, a[0], a[1], a[2])),
        // SMOOTH N(input, time, initial, order) is SMTHN(input, time, order, initial).
        new("smooth_n", 4, 4, (a, p) => Call("smthn", p, a[0], a[1], a[3], a[2])),
        Same("trend", 3),
        new("forecast", 3, 3, (a, p) => Call("forcst", p, a[0], a[1], a[2])),
        new("initial", 1, 1, (a, p) => Call("init", p, a[0])),
        new("game", 1, 1, (a, _) => a[0]),
        new("random_uniform", 3, 3, (a, p) => Call("uniform", p, a[0], a[1])),

        // ACTIVE INITIAL and SAMPLE IF TRUE are the catalogue's (Vensim dialect).
        new("active_initial", 2, 2, (a, p) => Call("active_initial", p, a[0], a[1])),
        new("sample_if_true", 3, 3, (a, p) => Call("sample_if_true", p, a[0], a[1], a[2])),
        Missing("random_normal", 5, "a truncated normal draw"),
        Missing("random_0_1", 0, "Vensim's random stream"),
        // The hyperbolic functions are the catalogue's (Vensim dialect).
        new("sinh", 1, 1, (a, p) => Call("sinh", p, a[0])),
        new("cosh", 1, 1, (a, p) => Call("cosh", p, a[0])),
        new("tanh", 1, 1, (a, p) => Call("tanh", p, a[0])),
        Missing("lookup_extrapolate", 2, "lookups called with an extrapolation rule"),
        Missing("lookup_forward", 2, "lookups called with a stepping rule"),
        Missing("lookup_backward", 2, "lookups called with a stepping rule"),
        Missing("lookup_invert", 2, "inverted lookups"),
        // GET TIME VALUE(0, offset, 0) = TIME + offset: the reader accepts only this form (the others read the calendar or the computer's clock).
        new("get_time_value", 3, 3, (a, p) => Bin(BinaryOp.Add, Time(p), a[1])),
        // Read when the model is loaded (MdlExternalData): a whole equation, not part of one. GET … CONSTANTS may be anywhere.
        Missing("get_xls_data", 4, "to be a whole data equation: name := GET XLS DATA(…)"),
        Missing("get_direct_data", 4, "to be a whole data equation: name := GET DIRECT DATA(…)"),
        Missing("get_data_at_time", 2, "data variables' values at another time"),
        Missing("get_xls_lookups", 4, "to be a whole lookup definition: name( GET XLS LOOKUPS(…) )"),
        Missing("get_direct_lookups", 4, "to be a whole lookup definition: name( GET DIRECT LOOKUPS(…) )"),
        Missing("get_xls_subscript", 5, "to define a subscript range: range: GET XLS SUBSCRIPT(…)"),
        Missing("get_direct_subscript", 5, "to define a subscript range: range: GET DIRECT SUBSCRIPT(…)"),
        Missing("a_function_of", 0, "an equation: A FUNCTION OF marks an equation Vensim's user has not written yet"),
    ];

    public static readonly IReadOnlyDictionary<string, Function> ByName = Table.ToDictionary(f => f.Name);

    /// <summary>The array functions that combine the elements of the ranges marked '!' (SUM(x[range!])), and how they combine two.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Expr, Expr, Expr>> Reductions = new Dictionary<string, Func<Expr, Expr, Expr>>
    {
        ["sum"] = (a, b) => Bin(BinaryOp.Add, a, b),
        ["prod"] = (a, b) => Bin(BinaryOp.Multiply, a, b),
        ["vmin"] = (a, b) => Call("min", a.Position, a, b),
        ["vmax"] = (a, b) => Call("max", a.Position, a, b),
    };

    private static Function Same(string name, int min, int max = -1) =>
        new(name, min, max < 0 ? min : max, (a, p) => new CallExpr(name, name.ToUpperInvariant(), a, p));

    private static Function Missing(string name, int args, string needs) => new(name, args, args, null, needs);

    private static CallExpr Call(string name, int position, params Expr[] args) => new(name, name.ToUpperInvariant(), args, position);
    private static BinaryExpr Bin(BinaryOp op, Expr l, Expr r) => new(op, l, r, l.Position);
    private static NumberExpr Num(double v, int p) => new(v, p);
    private static CallExpr Time(int p) => new("time", "TIME", [], p);
    private static CallExpr Dt(int p) => new("dt", "DT", [], p);
}
