using System.Linq.Expressions;
using LoopSim.Engine.Model;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Syntax;
using E = System.Linq.Expressions.Expression;
using ParameterExpression = System.Linq.Expressions.ParameterExpression;

namespace LoopSim.Engine.Compilation;

/// <summary>
/// Stage 3: the lowered IR's equations become one straight-line delegate per phase (start, every step, derivatives)
/// and, for Euler, the whole run as one method, compiled to IL once. The same generator serves one run (values are
/// doubles) and a batch of runs (values are Vector512&lt;double&gt;, one run per lane): <see cref="Lanes"/> says how
/// a value is represented. A phase reads and writes slots of one array (<see cref="Slots"/>): no allocation, no name
/// look-up. Builtins are emitted by their catalogue entries (<see cref="Builtins.Builtin.Emit"/>).
/// </summary>
internal sealed class CodeGen
{
    private readonly List<Node> _nodes;
    private readonly SimSpecs _specs;
    private readonly Lanes _lanes;
    private readonly Emitter _emitter;
    private readonly ParameterExpression _v;
    private readonly ParameterExpression _context = E.Parameter(typeof(RunContext), "context");
    // While emitting the fused Euler loop, every node, TIME and each DELAY's history live in locals instead of slots of v.
    // That state is the generator's, and phases are generated when first called, by any thread: one generates at a time.
    private readonly object _generating = new();
    private ParameterExpression[]? _locals;
    private ParameterExpression? _time;
    private Dictionary<int, ParameterExpression>? _delays;

    public CodeGen(LoweredModel model, SimSpecs specs, Lanes lanes)
    {
        _nodes = model.Nodes;
        _specs = specs;
        _lanes = lanes;
        _emitter = new Emitter(lanes, model.Resolved.Dialect, Clock);
        _v = E.Parameter(lanes.Value.MakeArrayType(), "v");
    }

    /// <summary>Every phase of a run, for values of type <typeparamref name="T"/> (double, or Vector512&lt;double&gt; for a batch).</summary>
    public Phases<T> Compile<T>(IEnumerable<int> initOrder, IReadOnlyList<int> runOrder, IReadOnlyList<int> stocks, int steps, int saveStride)
        where T : unmanaged
    {
        if (typeof(T) != _lanes.Value) throw new InvalidOperationException($"this generator makes {_lanes.Value.Name} phases, not {typeof(T).Name}");
        // Limited outflows are computed unlimited in the start pass (stocks may start from them), and ACTIVE INITIALs from
        // their initial equations; once the stocks are set, one pass of the step's equations limits the outflows, gives
        // the ACTIVE INITIALs their values at the start time and updates what reads them.
        IEnumerable<E> Start()
        {
            var start = Initialize(initOrder);
            return _nodes.Any(n => n.DrainedStock >= 0 || n.InitialEquation is not null)
                ? start.Concat(runOrder.Select(i => Assign(i, Value(_nodes[i])))) : start;
        }
        bool large = IsLarge(stocks.Count);
        return new Phases<T>(
            () => Generate(() => Phase<T>(Start(), large)),
            () => Generate(() => Phase<T>(runOrder.Select(i => Assign(i, Value(_nodes[i]))), large)),
            () => Generate(() => Derivatives<T>(stocks, large)),
            _specs.Method == IntegrationMethod.Euler && !large ? () => Generate(() => EulerLoop<T>(runOrder, stocks, steps, saveStride)) : null);
    }

    /// <summary>
    /// The fused Euler loop keeps every node and net flow in a local of one method; IL allows 65,535 locals, and the
    /// compiler adds its own temporaries. Past this many the model is large: no fused loop (the phases run one by one),
    /// and each phase is split into methods of <see cref="ChunkStatements"/> statements, which the JIT still optimises.
    /// </summary>
    internal const int MaxFusedLocals = 30_000;

    /// <summary>Statements per method of a large model's phases: under the JIT's limits for optimising a method.</summary>
    private const int ChunkStatements = 500;

    private bool IsLarge(int stocks) => _nodes.Count + stocks > MaxFusedLocals;

    /// <summary>One phase as one method, or for a large model as methods of up to <see cref="ChunkStatements"/> statements called in turn (they share only v).</summary>
    private Action<T[], RunContext> Phase<T>(IEnumerable<E> statements, bool large)
    {
        if (!large) return Compile<Action<T[], RunContext>>(statements, _v, _context);
        var parts = statements.Chunk(ChunkStatements).Select(chunk => Compile<Action<T[], RunContext>>(chunk, _v, _context)).ToArray();
        return (v, context) =>
        {
            foreach (var part in parts) part(v, context);
        };
    }

    /// <summary>At the start: stocks take their initial values, INIT snapshots, ACTIVE INITIALs and DELAY histories are set.</summary>
    private IEnumerable<E> Initialize(IEnumerable<int> order) => order.Select(i =>
    {
        var node = _nodes[i];
        return node.Kind switch
        {
            NodeKind.Stock or NodeKind.InitSnapshot => Assign(i, Emit(node.Equation!)),
            NodeKind.Aux when node.InitialEquation is { } initial => Assign(i, Emit(initial)),
            NodeKind.FixedDelay => E.Block(
                Assign(i, node.InitialValue is null ? Slot(node.DelayInput) : Emit(node.InitialValue)),
                E.Call(Delay(node), nameof(DelayHistory.Reset), null, E.Constant(_specs.Start), E.Constant(_specs.Dt), Slot(i))),
            _ => Assign(i, Value(node, limit: false)),
        };
    });

    /// <summary>Net flow of each stock: derivative[k] = Σ inflows − Σ outflows of stocks[k].</summary>
    private Action<T[], T[]> Derivatives<T>(IReadOnlyList<int> stocks, bool large)
    {
        var derivative = E.Parameter(typeof(T[]), "derivative");
        var statements = stocks.Select((s, k) => (E)E.Assign(E.ArrayAccess(derivative, E.Constant(k)), NetFlow(_nodes[s])));
        if (!large) return Compile<Action<T[], T[]>>(statements, _v, derivative);
        var parts = statements.Chunk(ChunkStatements).Select(chunk => Compile<Action<T[], T[]>>(chunk, _v, derivative)).ToArray();
        return (v, slopes) =>
        {
            foreach (var part in parts) part(v, slopes);
        };
    }

    /// <summary>
    /// The whole Euler run after the start, as one method with every value in a local: update the stocks from the
    /// flows, advance TIME, draw, recompute flows and auxiliaries, record DELAY inputs, and every
    /// <paramref name="saveStride"/> steps write the step's values back to v (straight stores) and copy the saved slots
    /// from v into RunEngine's save target, inlined (around a call every live value would be spilled); a dispatch on
    /// each saved slot to its local would cost an indirect jump per value. The arithmetic is the same
    /// expression for expression as the phases, so results are bit-identical to them.
    /// </summary>
    private Action<T[], RunContext, RunEngine<T>> EulerLoop<T>(IReadOnlyList<int> runOrder, IReadOnlyList<int> stocks, int steps, int saveStride)
        where T : unmanaged
    {
        var engine = E.Parameter(typeof(RunEngine<T>), "engine");
        var locals = _nodes.Select((n, i) => E.Variable(_lanes.Value, "n" + i)).ToArray();
        var net = stocks.Select((_, k) => E.Variable(_lanes.Value, "net" + k)).ToArray();
        var step = E.Variable(typeof(int), "step");
        var untilSave = E.Variable(typeof(int), "untilSave");
        var time = E.Variable(typeof(double), "time");
        var timeValue = _lanes.Value == typeof(double) ? time : E.Variable(_lanes.Value, "timeValue");
        var delayNodes = Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].Kind == NodeKind.FixedDelay).ToList();
        var delays = delayNodes.ToDictionary(i => _nodes[i].DelayIndex, i => E.Variable(typeof(DelayHistory), "delay" + i));
        var randoms = Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].Kind == NodeKind.RandomDraw).ToList();
        var valued = Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].Kind != NodeKind.LookupTable).ToList();
        _locals = locals;
        _time = timeValue;
        _delays = delays;
        try
        {
            var nextStep = E.Add(step, E.Constant(1));
            var body = new List<E>();
            for (int s = 0; s < stocks.Count; s++) body.Add(E.Assign(net[s], NetFlow(_nodes[stocks[s]])));
            for (int s = 0; s < stocks.Count; s++)
            {
                var stock = locals[stocks[s]];
                body.Add(E.Assign(stock, E.Add(stock, E.Multiply(_lanes.Constant(_specs.Dt), net[s]))));
                if (_nodes[stocks[s]].NonNegative) body.Add(E.Assign(stock, FloorAtZero(stock)));
            }
            body.Add(E.Assign(time, TimeAt(nextStep)));
            if (timeValue != time) body.Add(E.Assign(timeValue, _lanes.Broadcast(time)));
            if (randoms.Count > 0)
            {
                body.Add(E.Call(engine, nameof(RunEngine<T>.DrawRandoms), null));
                body.AddRange(randoms.Select(i => (E)E.Assign(locals[i], E.ArrayIndex(_v, E.Constant(Slots.Of(i))))));
            }
            body.AddRange(runOrder.Select(i => (E)E.Assign(locals[i], Value(_nodes[i]))));
            body.AddRange(delayNodes.Select(i => (E)E.Call(delays[_nodes[i].DelayIndex], nameof(DelayHistory.Record), null, nextStep, locals[_nodes[i].DelayInput])));

            // Saving: the values computed this step go back to their slots of v (straight stores), then the save target
            // copies the saved slots from v into their row (inlined: no call, no dispatch on each saved slot).
            // What a step changes: the stocks, the nodes of the run order and TIME (parameters and draws are in v already).
            IEnumerable<E> WriteBack() => stocks.Concat(runOrder).Select(i => (E)E.Assign(E.ArrayAccess(_v, E.Constant(Slots.Of(i))), locals[i]))
                .Append(E.Assign(E.ArrayAccess(_v, E.Constant(Slots.Time)), timeValue));
            var target = E.Variable(typeof(SaveTarget), "target");
            var row = E.Variable(typeof(int), "row");
            var save = E.Block(WriteBack()
                .Append(E.Call(target, nameof(SaveTarget.CopyRow), null, _v, E.PreIncrementAssign(row)))
                .Append(E.Assign(untilSave, E.Constant(saveStride))));
            // A countdown instead of step % stride: no division per step.
            body.Add(E.IfThen(E.Equal(E.PreDecrementAssign(untilSave), E.Constant(0)), save));
            body.Add(E.PostIncrementAssign(step));

            var done = E.Label("done");
            var setUp = valued.Select(i => (E)E.Assign(locals[i], E.ArrayIndex(_v, E.Constant(Slots.Of(i)))))
                .Concat(delayNodes.Select(i => (E)E.Assign(delays[_nodes[i].DelayIndex], E.ArrayIndex(E.Property(_context, nameof(RunContext.Delays)), E.Constant(_nodes[i].DelayIndex)))))
                .Append(E.Assign(target, E.Field(engine, nameof(RunEngine<T>.Target))))
                .Append(E.Assign(row, E.Constant(0)))   // row 0 is saved before the loop
                .Append(E.Assign(step, E.Constant(0)))
                .Append(E.Assign(untilSave, E.Constant(saveStride)));
            var loop = E.Loop(E.IfThenElse(E.LessThan(step, E.Constant(steps)), E.Block(body), E.Break(done)), done);
            // Afterwards v holds the final state, as after the phase-by-phase run.
            var variables = locals.Concat(net).Concat(delays.Values).Append(step).Append(untilSave).Append(time).Append(target).Append(row);
            if (timeValue != time) variables = variables.Append(timeValue);
            return E.Lambda<Action<T[], RunContext, RunEngine<T>>>(
                E.Block(variables, setUp.Append(loop).Concat(WriteBack()).Append(E.Empty())), _v, _context, engine).Compile();
        }
        finally
        {
            _locals = null;
            _time = null;
            _delays = null;
        }
    }

    /// <summary>TIME after <paramref name="step"/> steps: START + step × DT, the same expression as RunEngine's (START = 0 adds nothing: the product is never −0).</summary>
    private E TimeAt(E step)
    {
        E product = E.Multiply(E.Convert(step, typeof(double)), E.Constant(_specs.Dt));
        return _specs.Start == 0 ? product : E.Add(E.Constant(_specs.Start), product);
    }

    private E NetFlow(Node stock)
    {
        E? net = null;
        foreach (var f in stock.Inflows) net = net is null ? Slot(f) : E.Add(net, Slot(f));
        foreach (var f in stock.Outflows) net = net is null ? E.Negate(Slot(f)) : E.Subtract(net, Slot(f));
        return net ?? _lanes.Constant(0);
    }

    /// <summary>Non-negative stocks are held at zero rather than going below it: a negative inflow, or rounding, could take them there.</summary>
    private E FloorAtZero(E value) => _lanes.Select(_lanes.Compare(ExpressionType.LessThan, value, _lanes.Constant(0)), _lanes.Constant(0), value);

    /// <summary>A delegate computing one node's equation from a value vector, for analyses that perturb inputs (loop dominance). One run only.</summary>
    public Func<double[], RunContext, double> Evaluator(int node) => Generate(() =>
        E.Lambda<Func<double[], RunContext, double>>(_nodes[node].Kind is NodeKind.Stock or NodeKind.InitSnapshot
            ? Slot(node) : Value(_nodes[node]), _v, _context).Compile());

    private TDelegate Generate<TDelegate>(Func<TDelegate> generate)
    {
        lock (_generating) return generate();
    }

    private static TDelegate Compile<TDelegate>(IEnumerable<E> statements, params ParameterExpression[] parameters) =>
        E.Lambda<TDelegate>(E.Block(statements.Append(E.Empty())), parameters).Compile();

    private E Assign(int node, E value) => E.Assign(E.ArrayAccess(_v, E.Constant(Slots.Of(node))), value);
    private E Slot(int node) => _locals is null ? E.ArrayIndex(_v, E.Constant(Slots.Of(node))) : _locals[node];

    private E Clock(int slot) => slot switch
    {
        Slots.Time => _time ?? (E)E.ArrayIndex(_v, E.Constant(Slots.Time)),
        Slots.Dt => _lanes.Constant(_specs.Dt),
        Slots.Start => _lanes.Constant(_specs.Start),
        _ => _lanes.Constant(_specs.Stop),
    };

    private E Delay(Node node) => _delays is not null ? _delays[node.DelayIndex]
        : E.ArrayIndex(E.Property(_context, nameof(RunContext.Delays)), E.Constant(node.DelayIndex));

    /// <summary>
    /// The value of an aux, flow or DELAY output: its equation, through its graph, floored at 0 for a non-negative flow,
    /// and for an outflow of a non-negative stock (unless <paramref name="limit"/> is false) limited to what the stock holds.
    /// </summary>
    private E Value(Node node, bool limit = true)
    {
        if (node.Kind == NodeKind.FixedDelay)
            return E.Call(Delay(node), nameof(DelayHistory.Output), null, Clock(Slots.Time), Emit(node.Equation!));
        var value = Emit(node.Equation!);
        if (node.Graph is not null) value = _lanes.Lookup(node.Graph, value);
        if (node.NonNegative && node.Kind == NodeKind.Flow) value = _lanes.Native(nameof(Math.Max), _lanes.Constant(0), value);
        if (limit && node.DrainedStock >= 0) value = Limited(node, value);
        return value;
    }

    /// <summary>
    /// XMILE 1.0 §4.2: a non-negative stock serves its outflows in the order it lists them, each at most what is left:
    /// outflow ≤ max(0, stock / DT − the outflows before it), so the step takes no more than the stock holds and both
    /// stocks of the flow see the same, limited, value (material is conserved), which is also the value saved.
    /// Inflows of the same step do not count: counting them would make a limit depend on other stocks' limited
    /// outflows, which closes cycles in ordinary structures (members lapsing from Active to Lurkers while others are
    /// activated back); the price is that a stock at zero passes its inflow on one DT later. Under RK2/RK4 the limit
    /// applies at every stage evaluation, with the stage's stock values and the full DT. Negative inflows are not
    /// limited: a stock they would take below zero is still held at zero (FloorAtZero).
    /// </summary>
    private E Limited(Node flow, E requested)
    {
        var stock = _nodes[flow.DrainedStock];
        // stock / DT, as a product where 1/DT is exact (DT a power of two: the same bits, without a division's latency).
        double perDt = 1 / _specs.Dt;
        E available = double.IsFinite(perDt) && perDt * _specs.Dt == 1 && BitConverter.DoubleToInt64Bits(perDt) << 12 == 0
            ? E.Multiply(Slot(flow.DrainedStock), _lanes.Constant(perDt))
            : E.Divide(Slot(flow.DrainedStock), _lanes.Constant(_specs.Dt));
        foreach (int before in stock.Outflows.TakeWhile(f => _nodes[f] != flow)) available = E.Subtract(available, Slot(before));
        // min(requested, max(0, available)) as compares and selects: the same value (a NaN request stays NaN, −0 and +0 as
        // Math's), without the NaN and signed-zero fixups Math.Min/Max and Vector512.Min/Max carry.
        var limit = E.Variable(_lanes.Value, "limit");
        var asked = E.Variable(_lanes.Value, "requested");
        var left = E.Variable(_lanes.Value, "available");
        E limited = E.Block(
            E.Assign(limit, _lanes.Select(_lanes.Compare(ExpressionType.GreaterThan, left, _lanes.Constant(0)), left, _lanes.Constant(0))),
            _lanes.Select(_lanes.Compare(ExpressionType.LessThan, limit, asked), limit, asked));
        // One run branches: a request within what is available (the common case) is the value as it is, after one compare
        // (then max(0, available) ≥ requested, so the min above gives the request too).
        if (_lanes == Lanes.Scalar) limited = E.Condition(E.LessThanOrEqual(asked, left), asked, limited);
        return E.Block(_lanes.Value, [limit, asked, left], E.Assign(asked, requested), E.Assign(left, available), limited);
    }

    private E Emit(IrExpr e) => e switch
    {
        IrNumber n => _lanes.Constant(n.Value),
        IrRef r => Slot(r.Id),
        IrUnary { Op: UnaryOp.Negate } u => E.Negate(Emit(u.Operand)),
        IrUnary { Op: UnaryOp.Plus } u => Emit(u.Operand),
        IrUnary or IrBinary { Op: BinaryOp.And or BinaryOp.Or } => _lanes.Truth(Condition(e)),
        IrBinary b when Comparison(b.Op) is not null => _lanes.Truth(Condition(e)),
        IrBinary b => Arithmetic(b),
        IrIf i => _lanes.Select(Condition(i.Condition), Emit(i.Then), Emit(i.Else)),
        IrCall c => c.Builtin.Emit!(_emitter, c.Args.Select(Emit).ToArray()),
        IrLookup l => _lanes.Lookup(_nodes[l.Table].Graph!, Emit(l.Input)),
        _ => throw new InvalidOperationException("unknown expression " + e.GetType().Name),
    };

    /// <summary>An expression used as a truth value (nonzero is true), as a mask.</summary>
    private E Condition(IrExpr e)
    {
        var zero = _lanes.Constant(0);
        return e switch
        {
            IrUnary { Op: UnaryOp.Not } u => _lanes.Compare(ExpressionType.Equal, Emit(u.Operand), zero),
            IrBinary { Op: BinaryOp.And } b => _lanes.And(Condition(b.Left), Condition(b.Right)),
            IrBinary { Op: BinaryOp.Or } b => _lanes.Or(Condition(b.Left), Condition(b.Right)),
            IrBinary b when Comparison(b.Op) is { } comparison => _lanes.Compare(comparison, Emit(b.Left), Emit(b.Right)),
            _ => _lanes.Compare(ExpressionType.NotEqual, Emit(e), zero),
        };
    }

    private static ExpressionType? Comparison(BinaryOp op) => op switch
    {
        BinaryOp.Equal => ExpressionType.Equal,
        BinaryOp.NotEqual => ExpressionType.NotEqual,
        BinaryOp.Less => ExpressionType.LessThan,
        BinaryOp.LessEqual => ExpressionType.LessThanOrEqual,
        BinaryOp.Greater => ExpressionType.GreaterThan,
        BinaryOp.GreaterEqual => ExpressionType.GreaterThanOrEqual,
        _ => null,
    };

    private E Arithmetic(IrBinary b)
    {
        var l = Emit(b.Left);
        var r = Emit(b.Right);
        return b.Op switch
        {
            BinaryOp.Add => E.Add(l, r),
            BinaryOp.Subtract => E.Subtract(l, r),
            BinaryOp.Multiply => E.Multiply(l, r),
            BinaryOp.Divide => E.Divide(l, r),
            BinaryOp.Power => _lanes.Call(typeof(Functions.Power), l, r),
            _ => throw new InvalidOperationException("unresolved operator " + b.Op),
        };
    }
}
