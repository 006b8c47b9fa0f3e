namespace LoopSim.Engine.Units;

/// <summary>How much the checker knows of an expression's units.</summary>
internal enum Knowledge
{
    /// <summary>It reads a variable without units (or one whose units could not be read): nothing is checked against it.</summary>
    Unknown,
    /// <summary>A bare number, or an expression of numbers only: it takes whatever units its partner in a sum needs.</summary>
    Free,
    Known,
}

/// <summary>
/// The units of an expression as far as the checker knows them. A bare number is <see cref="Knowledge.Free"/>: in a sum
/// or a comparison it adapts to its partner (<c>Population - 100</c> is fine, as in Vensim and Stella), in a product it
/// is dimensionless. Anything that reads a variable without units is <see cref="Knowledge.Unknown"/> and never reported.
/// </summary>
internal readonly record struct Inferred(Knowledge Knowledge, Unit? Unit)
{
    public static Inferred Unknown => new(Knowledge.Unknown, null);
    public static Inferred Free => new(Knowledge.Free, null);
    public static Inferred Dimensionless => new(Knowledge.Known, Units.Unit.Dimensionless);

    public static Inferred Of(Unit unit) => new(Knowledge.Known, unit);

    public bool IsKnown => Knowledge == Knowledge.Known;

    /// <summary>A product: unknown if a factor is, a number is dimensionless.</summary>
    public static Inferred operator *(Inferred a, Inferred b) => Combine(a, b, Units.Unit.Multiply);

    public static Inferred operator /(Inferred a, Inferred b) => Combine(a, b, Units.Unit.Divide);

    public static Inferred Multiply(Inferred a, Inferred b) => a * b;

    /// <summary>This × <paramref name="factor"/>, but a bare number stays free: RAMP(2, 5)'s slope adapts to the variable it feeds, and so does its value.</summary>
    public Inferred Times(Inferred factor) => Knowledge == Knowledge.Free ? Free : this * factor;

    /// <summary>This ÷ <paramref name="divisor"/>, a bare number staying free (PULSE's magnitude).</summary>
    public Inferred Per(Inferred divisor) => Knowledge == Knowledge.Free ? Free : this / divisor;

    public static Inferred Divide(Inferred a, Inferred b) => a / b;

    private static Inferred Combine(Inferred a, Inferred b, Func<Unit, Unit, Unit> op) => (a.Knowledge, b.Knowledge) switch
    {
        (Knowledge.Unknown, _) or (_, Knowledge.Unknown) => Unknown,
        (Knowledge.Free, Knowledge.Free) => Free,
        _ => Of(op(a.Unit ?? Units.Unit.Dimensionless, b.Unit ?? Units.Unit.Dimensionless)),
    };
}

/// <summary>
/// The units of a builtin call's arguments, for the builtin's units rule (<see cref="Builtins.Builtin.Units"/>). The
/// rule says what each argument must have and what the call gives; the checker reports every argument that disagrees.
/// </summary>
internal interface IUnitsQuery
{
    int Count { get; }
    /// <summary>The units of argument <paramref name="i"/>; an argument not given is <see cref="Inferred.Free"/>.</summary>
    Inferred this[int i] { get; }
    /// <summary>The model's time unit (unknown when the model has none).</summary>
    Inferred Time { get; }
    /// <summary>Arguments that must have one unit (MIN's two, a smooth's input and initial value): reports each that differs from the first known; gives that unit.</summary>
    Inferred Same(params int[] args);
    /// <summary>Argument <paramref name="i"/> must have <paramref name="expected"/> (a delay's time: the time unit); reports it if not.</summary>
    void Expect(int i, Inferred expected);
    /// <summary>Argument <paramref name="i"/> must be dimensionless (EXP's, LN's); gives dimensionless.</summary>
    Inferred Dimensionless(int i);
    /// <summary>The <paramref name="n"/>-th root of argument <paramref name="i"/>'s units (SQRT), reported when a power is not divisible by n.</summary>
    Inferred Root(int i, int n);
}
