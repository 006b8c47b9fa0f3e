namespace LoopSim.Engine.Expressions;

/// <summary>How the compiler treats a builtin.</summary>
internal enum BuiltinKind
{
    /// <summary>A function of its arguments (and TIME/DT where it says so), compiled inline.</summary>
    Pure,
    /// <summary>Has memory: lowered to hidden stocks and flows (or, for DELAY, a history buffer).</summary>
    Stateful,
    /// <summary>A value of the simulation clock.</summary>
    Clock,
    /// <summary>Draws from the run's random stream once per DT.</summary>
    Random,
    /// <summary>The value of its argument at the start of the run.</summary>
    Init,
    /// <summary>LOOKUP(table, x): a named graphical function applied to x.</summary>
    Lookup,
}

internal sealed record Builtin(string Name, int MinArgs, int MaxArgs, BuiltinKind Kind, string Meaning);

/// <summary>Every builtin LoopSim knows, in one place (XMILE 1.0 names, semantics in <see cref="Meaning"/>).</summary>
internal static class Builtins
{
    private static readonly Builtin[] Table =
    {
        new("abs", 1, 1, BuiltinKind.Pure, "absolute value"),
        new("min", 2, 2, BuiltinKind.Pure, "smaller of two values"),
        new("max", 2, 2, BuiltinKind.Pure, "larger of two values"),
        new("exp", 1, 1, BuiltinKind.Pure, "e to the power x"),
        new("ln", 1, 1, BuiltinKind.Pure, "natural logarithm"),
        new("log10", 1, 1, BuiltinKind.Pure, "base-10 logarithm"),
        new("sqrt", 1, 1, BuiltinKind.Pure, "square root"),
        new("int", 1, 1, BuiltinKind.Pure, "integer part, truncated toward zero (as the SDXorg suite expects)"),
        new("mod", 2, 2, BuiltinKind.Pure, "remainder with the sign of the dividend, like the mod operator"),
        new("sin", 1, 1, BuiltinKind.Pure, "sine (radians)"),
        new("cos", 1, 1, BuiltinKind.Pure, "cosine (radians)"),
        new("tan", 1, 1, BuiltinKind.Pure, "tangent (radians)"),
        new("arcsin", 1, 1, BuiltinKind.Pure, "inverse sine"),
        new("arccos", 1, 1, BuiltinKind.Pure, "inverse cosine"),
        new("arctan", 1, 1, BuiltinKind.Pure, "inverse tangent"),
        new("pi", 0, 0, BuiltinKind.Pure, "3.14159…"),
        new("safediv", 2, 3, BuiltinKind.Pure, "a / b, or the third argument (default 0) when b = 0"),
        new("step", 2, 2, BuiltinKind.Pure, "STEP(height, time): height from the given time on, 0 before"),
        new("ramp", 2, 3, BuiltinKind.Pure, "RAMP(slope, start[, end]): slope × (TIME − start) after start, held from end on"),
        new("pulse", 2, 3, BuiltinKind.Pure, "PULSE(magnitude, first[, interval]): magnitude/DT for one DT at first, repeated every interval > 0"),
        new("time", 0, 0, BuiltinKind.Clock, "the current time"),
        new("dt", 0, 0, BuiltinKind.Clock, "the time step"),
        new("starttime", 0, 0, BuiltinKind.Clock, "the start time"),
        new("stoptime", 0, 0, BuiltinKind.Clock, "the stop time"),
        new("init", 1, 1, BuiltinKind.Init, "INIT(x): the value x had at the start time"),
        new("lookup", 2, 2, BuiltinKind.Lookup, "LOOKUP(table, x): the named graphical function at x"),
        new("smth1", 2, 3, BuiltinKind.Stateful, "SMTH1(input, time[, initial]): first-order exponential smooth"),
        new("smth3", 2, 3, BuiltinKind.Stateful, "SMTH3(input, time[, initial]): third-order exponential smooth"),
        new("smthn", 3, 4, BuiltinKind.Stateful, "SMTHN(input, time, n[, initial]): n-th-order exponential smooth (n constant)"),
        new("delay1", 2, 3, BuiltinKind.Stateful, "DELAY1(input, time[, initial]): first-order material delay"),
        new("delay3", 2, 3, BuiltinKind.Stateful, "DELAY3(input, time[, initial]): third-order material delay"),
        new("delayn", 3, 4, BuiltinKind.Stateful, "DELAYN(input, time, n[, initial]): n-th-order material delay (n constant)"),
        new("delay", 2, 3, BuiltinKind.Stateful, "DELAY(input, time[, initial]): fixed pipeline delay, from the input's history"),
        new("trend", 2, 3, BuiltinKind.Stateful, "TREND(input, averaging time[, initial trend]): fractional growth rate"),
        new("forcst", 3, 4, BuiltinKind.Stateful, "FORCST(input, averaging time, horizon[, initial trend]): input × (1 + TREND × horizon)"),
        new("uniform", 2, 3, BuiltinKind.Random, "UNIFORM(min, max[, seed]): uniform draw, once per DT"),
        new("random", 2, 3, BuiltinKind.Random, "RANDOM(min, max[, seed]): same as UNIFORM"),
        new("normal", 2, 3, BuiltinKind.Random, "NORMAL(mean, sd[, seed]): normal draw, once per DT"),
        new("lognormal", 2, 3, BuiltinKind.Random, "LOGNORMAL(mean, sd[, seed]): lognormal draw with this mean and sd, once per DT"),
        new("poisson", 1, 2, BuiltinKind.Random, "POISSON(mean[, seed]): Poisson draw, once per DT"),
        new("exprnd", 1, 2, BuiltinKind.Random, "EXPRND(mean[, seed]): exponential draw, once per DT"),
    };

    public static readonly IReadOnlyDictionary<string, Builtin> ByName = Table.ToDictionary(b => b.Name);

    public static bool TryGet(string canonicalName, out Builtin builtin) => ByName.TryGetValue(canonicalName, out builtin!);
}
