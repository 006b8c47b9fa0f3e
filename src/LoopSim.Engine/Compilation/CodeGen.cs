using System.Reflection;
using LoopSim.Engine.Expressions;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using E = System.Linq.Expressions.Expression;
using ParameterExpression = System.Linq.Expressions.ParameterExpression;

namespace LoopSim.Engine.Compilation;

/// <summary>
/// Stage 3: equations become one straight-line delegate per phase (start, every step, derivatives), compiled
/// to IL once. A step reads and writes slots of one double[]: no allocation, no name look-up.
/// Slots 0–3 hold TIME, DT, STARTTIME and STOPTIME; node i lives in slot FirstNodeSlot + i.
/// </summary>
internal sealed class CodeGen
{
    public const int TimeSlot = 0, DtSlot = 1, StartSlot = 2, StopSlot = 3, FirstNodeSlot = 4;

    private readonly List<Node> _nodes;
    private readonly Dictionary<string, int> _byName;
    private readonly ParameterExpression _v = E.Parameter(typeof(double[]), "v");
    private readonly ParameterExpression _context = E.Parameter(typeof(RunContext), "context");
    private readonly SimSpecs _specs;
    // While emitting the fused Euler loop, every node and TIME live in locals (registers) instead of slots of v.
    private ParameterExpression[]? _locals;
    private ParameterExpression? _time;

    public CodeGen(List<Node> nodes, Dictionary<string, int> byName, SimSpecs specs)
    {
        _nodes = nodes;
        _byName = byName;
        _specs = specs;
    }

    public static int SlotOf(int node) => FirstNodeSlot + node;

    /// <summary>Evaluates <paramref name="order"/> as at the start: stocks take their initial values, INIT snapshots and DELAY histories are set.</summary>
    public Action<double[], RunContext> Initialize(IEnumerable<int> order) => Compile(order.Select(i =>
    {
        var node = _nodes[i];
        return node.Kind switch
        {
            NodeKind.Stock or NodeKind.InitSnapshot => Assign(i, Emit(node.Equation!)),
            NodeKind.FixedDelay => E.Block(
                Assign(i, node.InitialValue is null ? Slot(node.DelayInput) : Emit(node.InitialValue)),
                E.Call(Delay(node), typeof(DelayHistory).GetMethod(nameof(DelayHistory.Reset))!, Clock(StartSlot), Clock(DtSlot), Slot(i))),
            _ => Assign(i, Value(node)),
        };
    }));

    /// <summary>Evaluates flows, auxiliaries and DELAY outputs at the current time and stock values.</summary>
    public Action<double[], RunContext> ComputeEachStep(IEnumerable<int> order) =>
        Compile(order.Select(i => Assign(i, Value(_nodes[i]))));

    /// <summary>Net flow of each stock: derivative[k] = Σ inflows − Σ outflows of stocks[k].</summary>
    public Action<double[], double[]> Derivatives(IReadOnlyList<int> stocks)
    {
        var derivative = E.Parameter(typeof(double[]), "derivative");
        var body = new List<E>();
        for (int k = 0; k < stocks.Count; k++)
            body.Add(E.Assign(E.ArrayAccess(derivative, E.Constant(k)), NetFlow(_nodes[stocks[k]])));
        body.Add(E.Empty());
        return E.Lambda<Action<double[], double[]>>(E.Block(body), _v, derivative).Compile();
    }

    /// <summary>
    /// The whole Euler run after the start, as one method with every value in a local: update the stocks from the
    /// flows, advance TIME, draw, recompute flows and auxiliaries, record DELAY inputs, and every
    /// <paramref name="saveStride"/> steps copy the locals back to v and call Simulator.SaveRow. The arithmetic is
    /// the same expression for expression as <see cref="Derivatives"/> and <see cref="ComputeEachStep"/>, so results
    /// are bit-identical to the phase-by-phase path.
    /// </summary>
    public Action<double[], RunContext, Simulator> EulerLoop(IReadOnlyList<int> runOrder, IReadOnlyList<int> stocks, int steps, int saveStride)
    {
        var simulator = E.Parameter(typeof(Simulator), "simulator");
        var locals = _nodes.Select((n, i) => E.Variable(typeof(double), "n" + i)).ToArray();
        var net = stocks.Select((_, k) => E.Variable(typeof(double), "net" + k)).ToArray();
        var step = E.Variable(typeof(int), "step");
        var time = E.Variable(typeof(double), "time");
        _locals = locals;
        _time = time;
        try
        {
            var spill = Enumerable.Range(0, _nodes.Count).Select(i => (E)E.Assign(E.ArrayAccess(_v, E.Constant(SlotOf(i))), locals[i]))
                .Append(E.Assign(E.ArrayAccess(_v, E.Constant(TimeSlot)), time)).ToList();
            var load = Enumerable.Range(0, _nodes.Count).Select(i => (E)E.Assign(locals[i], E.ArrayIndex(_v, E.Constant(SlotOf(i))))).ToList();
            var randoms = Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].Kind == NodeKind.RandomDraw).ToList();
            var delays = Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].Kind == NodeKind.FixedDelay).ToList();
            var nextStep = E.Add(step, E.Constant(1));

            var body = new List<E>();
            for (int k = 0; k < stocks.Count; k++) body.Add(E.Assign(net[k], NetFlow(_nodes[stocks[k]])));
            for (int k = 0; k < stocks.Count; k++)
            {
                var stock = locals[stocks[k]];
                E updated = E.Add(stock, E.Multiply(E.Constant(_specs.Dt), net[k]));
                if (_nodes[stocks[k]].NonNegative)
                    updated = E.Condition(E.LessThan(updated, E.Constant(0.0)), E.Constant(0.0), updated);
                body.Add(E.Assign(stock, updated));
            }
            body.Add(E.Assign(time, E.Add(E.Constant(_specs.Start), E.Multiply(E.Convert(nextStep, typeof(double)), E.Constant(_specs.Dt)))));
            if (randoms.Count > 0)
            {
                body.Add(E.Assign(E.ArrayAccess(_v, E.Constant(TimeSlot)), time));
                body.Add(E.Call(simulator, typeof(Simulator).GetMethod(nameof(Simulator.DrawRandoms), BindingFlags.NonPublic | BindingFlags.Instance)!));
                body.AddRange(randoms.Select(i => (E)E.Assign(locals[i], E.ArrayIndex(_v, E.Constant(SlotOf(i))))));
            }
            body.AddRange(runOrder.Select(i => (E)E.Assign(locals[i], Value(_nodes[i]))));
            body.AddRange(delays.Select(i => (E)E.Call(Delay(_nodes[i]), typeof(DelayHistory).GetMethod(nameof(DelayHistory.Record))!, nextStep, locals[_nodes[i].DelayInput])));
            body.Add(E.IfThen(E.Equal(E.Modulo(nextStep, E.Constant(saveStride)), E.Constant(0)), E.Block(spill.Append(
                E.Call(simulator, typeof(Simulator).GetMethod(nameof(Simulator.SaveRow), BindingFlags.NonPublic | BindingFlags.Instance)!,
                    E.Divide(nextStep, E.Constant(saveStride)))))));
            body.Add(E.PostIncrementAssign(step));

            var done = E.Label("done");
            var loop = E.Loop(E.IfThenElse(E.LessThan(step, E.Constant(steps)), E.Block(body), E.Break(done)), done);
            var all = load.Append(E.Assign(time, E.ArrayIndex(_v, E.Constant(TimeSlot)))).Append(E.Assign(step, E.Constant(0))).Append(loop)
                .Concat(spill).Append(E.Empty());
            return E.Lambda<Action<double[], RunContext, Simulator>>(
                E.Block(locals.Concat(net).Append(step).Append(time), all), _v, _context, simulator).Compile();
        }
        finally
        {
            _locals = null;
            _time = null;
        }
    }

    private E NetFlow(Node stock)
    {
        E net = E.Constant(0.0);
        foreach (var f in stock.Inflows) net = E.Add(net, Slot(f));
        foreach (var f in stock.Outflows) net = E.Subtract(net, Slot(f));
        return net;
    }

    /// <summary>A delegate computing one node's equation from a value vector, for analyses that perturb inputs (loop dominance).</summary>
    public Func<double[], RunContext, double> Evaluator(int node) =>
        E.Lambda<Func<double[], RunContext, double>>(_nodes[node].Kind is NodeKind.Stock or NodeKind.InitSnapshot
            ? Slot(node) : Value(_nodes[node]), _v, _context).Compile();

    private Action<double[], RunContext> Compile(IEnumerable<E> statements)
    {
        var body = statements.ToList();
        body.Add(E.Empty());
        return E.Lambda<Action<double[], RunContext>>(E.Block(body), _v, _context).Compile();
    }

    private E Assign(int node, E value) => E.Assign(E.ArrayAccess(_v, E.Constant(SlotOf(node))), value);
    private E Slot(int node) => _locals is null ? E.ArrayIndex(_v, E.Constant(SlotOf(node))) : _locals[node];

    private E Clock(int slot) => _locals is null ? E.ArrayIndex(_v, E.Constant(slot)) : slot switch
    {
        TimeSlot => _time!,
        DtSlot => E.Constant(_specs.Dt),
        StartSlot => E.Constant(_specs.Start),
        _ => E.Constant(_specs.Stop),
    };
    private E Delay(Node node) => E.ArrayIndex(E.Property(_context, nameof(RunContext.Delays)), E.Constant(node.DelayIndex));

    /// <summary>The value of an aux, flow or DELAY output: its equation, through its graph, floored at 0 for a non-negative flow.</summary>
    private E Value(Node node)
    {
        if (node.Kind == NodeKind.FixedDelay)
            return E.Call(Delay(node), typeof(DelayHistory).GetMethod(nameof(DelayHistory.Output))!, Clock(TimeSlot), Emit(node.Equation!));
        var value = Emit(node.Equation!);
        if (node.Graph is not null) value = Call(nameof(Functions.Lookup), E.Constant(node.Graph), value);
        if (node.NonNegative && node.Kind == NodeKind.Flow) value = MathCall(nameof(Math.Max), E.Constant(0.0), value);
        return value;
    }

    private E Emit(Expr e) => e switch
    {
        NumberExpr n => E.Constant(n.Value),
        VariableExpr v => Variable(v),
        UnaryExpr { Op: UnaryOp.Negate } u => E.Negate(Emit(u.Operand)),
        UnaryExpr { Op: UnaryOp.Plus } u => Emit(u.Operand),
        UnaryExpr u => Truth(E.Equal(Emit(u.Operand), E.Constant(0.0))),
        BinaryExpr b => Binary(b),
        IfExpr i => E.Condition(E.NotEqual(Emit(i.Condition), E.Constant(0.0)), Emit(i.Then), Emit(i.Else)),
        CallExpr c => Call(c),
        _ => throw new InvalidOperationException("unknown expression " + e.GetType().Name),
    };

    private E Variable(VariableExpr v)
    {
        int node = Lowering.Resolve(v.Name, _byName);
        if (node >= 0) return Slot(node);
        return v.Name switch
        {
            "time" => Clock(TimeSlot),
            "dt" => Clock(DtSlot),
            "starttime" => Clock(StartSlot),
            "stoptime" => Clock(StopSlot),
            "pi" => E.Constant(Math.PI),
            _ => throw new InvalidOperationException("unresolved name " + v.Name),
        };
    }

    private E Binary(BinaryExpr b)
    {
        var l = Emit(b.Left);
        var r = Emit(b.Right);
        var zero = E.Constant(0.0);
        return b.Op switch
        {
            BinaryOp.Add => E.Add(l, r),
            BinaryOp.Subtract => E.Subtract(l, r),
            BinaryOp.Multiply => E.Multiply(l, r),
            BinaryOp.Divide => E.Divide(l, r),
            BinaryOp.Power => MathCall(nameof(Math.Pow), l, r),
            BinaryOp.Mod => E.Modulo(l, r),
            BinaryOp.Equal => Truth(E.Equal(l, r)),
            BinaryOp.NotEqual => Truth(E.NotEqual(l, r)),
            BinaryOp.Less => Truth(E.LessThan(l, r)),
            BinaryOp.LessEqual => Truth(E.LessThanOrEqual(l, r)),
            BinaryOp.Greater => Truth(E.GreaterThan(l, r)),
            BinaryOp.GreaterEqual => Truth(E.GreaterThanOrEqual(l, r)),
            BinaryOp.And => Truth(E.AndAlso(E.NotEqual(l, zero), E.NotEqual(r, zero))),
            BinaryOp.Or => Truth(E.OrElse(E.NotEqual(l, zero), E.NotEqual(r, zero))),
            _ => throw new InvalidOperationException("unknown operator " + b.Op),
        };
    }

    private static E Truth(E condition) => E.Condition(condition, E.Constant(1.0), E.Constant(0.0));

    private E Call(CallExpr c)
    {
        var a = c.Args.Select(Emit).ToArray();
        E Arg(int i, double otherwise) => a.Length > i ? a[i] : E.Constant(otherwise);
        switch (c.Function)
        {
            case "abs": return MathCall(nameof(Math.Abs), a[0]);
            case "min": return MathCall(nameof(Math.Min), a[0], a[1]);
            case "max": return MathCall(nameof(Math.Max), a[0], a[1]);
            case "exp": return MathCall(nameof(Math.Exp), a[0]);
            case "ln": return MathCall(nameof(Math.Log), a[0]);
            case "log10": return MathCall(nameof(Math.Log10), a[0]);
            case "sqrt": return MathCall(nameof(Math.Sqrt), a[0]);
            case "int": return MathCall(nameof(Math.Truncate), a[0]);
            case "mod": return E.Modulo(a[0], a[1]);
            case "sin": return MathCall(nameof(Math.Sin), a[0]);
            case "cos": return MathCall(nameof(Math.Cos), a[0]);
            case "tan": return MathCall(nameof(Math.Tan), a[0]);
            case "arcsin": return MathCall(nameof(Math.Asin), a[0]);
            case "arccos": return MathCall(nameof(Math.Acos), a[0]);
            case "arctan": return MathCall(nameof(Math.Atan), a[0]);
            case "pi": return E.Constant(Math.PI);
            case "safediv": return Call(nameof(Functions.SafeDiv), a[0], a[1], Arg(2, 0));
            case "step": return Call(nameof(Functions.Step), Clock(TimeSlot), a[0], a[1]);
            case "ramp": return Call(nameof(Functions.Ramp), Clock(TimeSlot), a[0], a[1], Arg(2, double.PositiveInfinity));
            case "pulse": return Call(nameof(Functions.Pulse), Clock(TimeSlot), Clock(DtSlot), a[0], a[1], Arg(2, 0));
            case "time": return Clock(TimeSlot);
            case "dt": return Clock(DtSlot);
            case "starttime": return Clock(StartSlot);
            case "stoptime": return Clock(StopSlot);
            case "#lognormal": return Call(nameof(Functions.Lognormal), a);
            case "#poisson": return Call(nameof(Functions.Poisson), a);
            case "#exponential": return Call(nameof(Functions.Exponential), a);
        }
        var table = _nodes[Lowering.Resolve(c.Function, _byName)].Graph!;
        return Call(nameof(Functions.Lookup), E.Constant(table), a[0]);
    }

    private static E MathCall(string name, params E[] args) =>
        E.Call(typeof(Math).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args.Select(_ => typeof(double)).ToArray())!, args);

    private static E Call(string name, params E[] args) =>
        E.Call(typeof(Functions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!, args);
}
