using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Compilation;

/// <summary>
/// What a stateful builtin's lowering (Builtins/*.cs) builds with, for one call: hidden nodes owned by the variable
/// whose equation holds the call, named after it ("births: SMTH3 stage 1"), and IR to connect them.
/// </summary>
internal sealed class BuiltinLowering
{
    private readonly Node _owner;
    private readonly List<Node> _nodes;
    private readonly Func<string, string> _name;
    private readonly Func<int> _nextDelay;

    internal BuiltinLowering(IrCall call, Node owner, List<Node> nodes, Func<string, string> name, Func<int> nextDelay)
    {
        Call = call;
        _owner = owner;
        _nodes = nodes;
        _name = name;
        _nextDelay = nextDelay;
    }

    private int AddNode(Node node)
    {
        _nodes.Add(node);
        return _nodes.Count - 1;
    }

    /// <summary>The call being lowered.</summary>
    public IrCall Call { get; }

    private int Add(NodeKind kind, string part, IrExpr? equation) => AddNode(new Node
        {
            Name = _name(part),
            DisplayName = $"{Names.Display(_owner.DisplayName)}: {Call.Builtin.Name} {part}",
            Kind = kind,
            Hidden = true,
            Builtin = Call.Builtin,
            Equation = equation,
            Source = _owner.Source,
            Location = _owner.Location,
        });

    public int Stock(string part, IrExpr initial) => Add(NodeKind.Stock, part, initial);
    public int Flow(string part, IrExpr equation) => Add(NodeKind.Flow, part, equation);
    public int Aux(string part, IrExpr equation) => Add(NodeKind.Aux, part, equation);
    /// <summary>An aux computed from <paramref name="initial"/> while the model initialises, from <paramref name="equation"/> at every step (ACTIVE INITIAL).</summary>
    public int AuxStartingFrom(string part, IrExpr equation, IrExpr initial)
    {
        int node = Add(NodeKind.Aux, part, equation);
        _nodes[node].InitialEquation = initial;
        return node;
    }

    /// <summary>Replaces the equation of a node this lowering made (one that refers to a node made after it).</summary>
    public void Define(int node, IrExpr equation) => _nodes[node].Equation = equation;

    /// <summary>A node holding <paramref name="value"/> as it was at the start time.</summary>
    public int InitialValue(string part, IrExpr value) => Add(NodeKind.InitSnapshot, part, value);

    /// <summary>A fixed pipeline delay of the value of <paramref name="input"/> (a node), by <paramref name="delayTime"/>; before the first input arrives, <paramref name="initial"/> (null: the input's initial value).</summary>
    public int FixedDelay(string part, int input, IrExpr delayTime, IrExpr? initial)
    {
        int index = _nextDelay();
        return AddNode(new Node
        {
            Name = _name(part),
            DisplayName = $"{Names.Display(_owner.DisplayName)}: {Call.Builtin.Name} {part}",
            Kind = NodeKind.FixedDelay,
            Hidden = true,
            Builtin = Call.Builtin,
            Equation = delayTime,
            Source = _owner.Source,
            Location = _owner.Location,
            DelayInput = input,
            InitialValue = initial,
            DelayIndex = index,
        });
    }

    /// <summary>A node drawn from the run's random stream once per DT.</summary>
    internal int RandomDraw(Draw draw)
    {
        bool normal = draw == Draw.StandardNormal;
        var node = new Node
        {
            Name = _name(normal ? "normal draw" : "uniform draw"),
            DisplayName = $"{Names.Display(_owner.DisplayName)}: {Call.Builtin.Name} {(normal ? "normal draw" : "uniform draw")}",
            Kind = NodeKind.RandomDraw,
            Hidden = true,
            Builtin = Call.Builtin,
            Source = _owner.Source,
            Location = _owner.Location,
            StandardNormal = normal,
        };
        return AddNode(node);
    }

    /// <summary>Makes <paramref name="flow"/> fill <paramref name="stock"/>.</summary>
    public void Fill(int stock, int flow) => _nodes[stock].Inflows.Add(flow);

    /// <summary>Makes <paramref name="flow"/> drain <paramref name="stock"/>.</summary>
    public void Drain(int stock, int flow) => _nodes[stock].Outflows.Add(flow);

    public IrExpr Ref(int node) => new IrRef(node, Call.Position);
    public IrExpr Number(double value) => new IrNumber(value, Call.Position);

    /// <summary>An argument as something cheap to read many times: numbers and references as they are, anything else through a hidden aux.</summary>
    public IrExpr Operand(IrExpr e, string role) => e is IrNumber or IrRef ? e : new IrRef(Aux(role, e), e.Position);

    /// <summary>A call of another builtin inside the hidden structure (ABS and SAFEDIV in TREND).</summary>
    public static IrExpr Apply(Builtin builtin, IrExpr position, params IrExpr[] args) => new IrCall(builtin, args, position.Position);

    public static IrExpr Add(IrExpr l, IrExpr r) => new IrBinary(BinaryOp.Add, l, r, l.Position);
    public static IrExpr Subtract(IrExpr l, IrExpr r) => new IrBinary(BinaryOp.Subtract, l, r, l.Position);
    public static IrExpr Multiply(IrExpr l, IrExpr r) => new IrBinary(BinaryOp.Multiply, l, r, l.Position);
    public static IrExpr Divide(IrExpr l, IrExpr r) => new IrBinary(BinaryOp.Divide, l, r, l.Position);

    /// <summary>The whole number an order argument holds (the resolver checked it is a constant ≥ 1).</summary>
    public static int Order(IrExpr order) => (int)((IrNumber)order).Value;

    /// <summary>Argument <paramref name="i"/> when given.</summary>
    public static IrExpr? Optional(IReadOnlyList<IrExpr> args, int i) => args.Count > i ? args[i] : null;
}
