using System.Globalization;
using LoopSim.Engine.Expressions;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Compilation;

/// <summary>
/// Stage 1 of compilation: the model's variables become nodes, equations are parsed, stateful builtins are
/// lowered to hidden stocks and flows (DELAY to a history buffer, random functions to per-DT draws), and every
/// name and call is checked. All problems are collected and thrown together as one ModelException.
/// </summary>
internal sealed class Lowering
{
    private readonly SdModel _model;
    private readonly List<Diagnostic> _errors = new();
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<string, int> _byName = new();
    private int _delayCount;
    private Node _owner = null!;
    private int _hiddenCounter;

    private Lowering(SdModel model) => _model = model;

    public sealed record Result(List<Node> Nodes, Dictionary<string, int> ByName, int DelayCount);

    public static Result Lower(SdModel model, CompileOptions options)
    {
        var lowering = new Lowering(model);
        lowering.Run(options);
        if (lowering._errors.Count > 0) throw new ModelException(lowering._errors);
        return new Result(lowering._nodes, lowering._byName, lowering._delayCount);
    }

    private void Run(CompileOptions options)
    {
        var overrides = ResolveOverrides(options);
        AddModelVariables(overrides);
        ConnectStocksAndFlows();
        int modelNodes = _nodes.Count;
        for (int i = 0; i < modelNodes; i++)
        {
            _owner = _nodes[i];
            _hiddenCounter = 0;
            if (_owner.Equation is { } equation)
                _owner.Equation = LowerExpr(equation);
        }
        foreach (var node in _nodes.ToList())
            CheckReferences(node);
        MarkParameters();
    }

    private Dictionary<string, double> ResolveOverrides(CompileOptions options)
    {
        var result = new Dictionary<string, double>();
        if (options.Overrides is null) return result;
        var known = _model.Variables.Select(v => v.CanonicalName).ToHashSet();
        foreach (var (name, value) in options.Overrides)
        {
            var canonical = Names.Canonical(name);
            if (!known.Contains(canonical))
                _errors.Add(UnknownName(name, "cannot set", null, null));
            else
                result[canonical] = value;
        }
        return result;
    }

    private void AddModelVariables(Dictionary<string, double> overrides)
    {
        foreach (var v in _model.Variables)
        {
            var name = v.CanonicalName;
            if (_byName.ContainsKey(name))
            {
                _errors.Add(new Diagnostic($"'{Names.Display(v.Name)}' is defined twice (names ignore case, spaces and underscores)",
                    v.Location, v.Name, "Rename or remove one of them."));
                continue;
            }
            bool overridden = overrides.TryGetValue(name, out var constant);
            var text = overridden ? constant.ToString("R", CultureInfo.InvariantCulture) : v.Equation;
            bool isTable = !overridden && v.Graph is not null && string.IsNullOrWhiteSpace(v.Equation) && v.Kind == VariableKind.Aux;
            Expr? equation = null;
            if (!isTable)
            {
                if (string.IsNullOrWhiteSpace(text) || IsOnlyComment(text))
                    _errors.Add(new Diagnostic("has no equation", v.Location, v.Name,
                        v.Kind == VariableKind.Stock ? "Give the stock an initial value." : "Give it an equation."));
                else
                {
                    try { equation = Parser.Parse(text, v.Location, v.Name); }
                    catch (ModelException e) { _errors.AddRange(e.Diagnostics); }
                }
            }
            Add(new Node
            {
                Name = name,
                DisplayName = v.Name,
                Kind = isTable ? NodeKind.LookupTable : v.Kind switch
                {
                    VariableKind.Stock => NodeKind.Stock,
                    VariableKind.Flow => NodeKind.Flow,
                    _ => NodeKind.Aux,
                },
                Equation = equation,
                EquationText = text,
                Graph = overridden ? null : v.Graph,
                NonNegative = v.NonNegative,
                Location = v.Location,
            });
        }
    }

    private static bool IsOnlyComment(string text) => text.Trim() is { Length: > 1 } t && t[0] == '{' && t[^1] == '}' && t.IndexOf('}') == t.Length - 1;

    private int Add(Node node)
    {
        _nodes.Add(node);
        _byName[node.Name] = _nodes.Count - 1;
        return _nodes.Count - 1;
    }

    private void ConnectStocksAndFlows()
    {
        foreach (var v in _model.Variables.Where(v => v.Kind == VariableKind.Stock))
        {
            var stock = _nodes[_byName[v.CanonicalName]];
            Connect(v, v.Inflows, stock.Inflows, "inflow");
            Connect(v, v.Outflows, stock.Outflows, "outflow");
        }
    }

    private void Connect(Variable v, List<string> names, List<int> into, string role)
    {
        foreach (var flowName in names)
        {
            if (!_byName.TryGetValue(Names.Canonical(flowName), out var index))
            {
                _errors.Add(UnknownName(flowName, $"lists '{Names.Display(flowName)}' as an {role}, but no such flow is defined;", v.Location, v.Name,
                    "Define the flow or remove it from the stock's " + role + "s."));
                continue;
            }
            if (_nodes[index].Kind != NodeKind.Flow)
            {
                _errors.Add(new Diagnostic($"lists '{Names.Display(flowName)}' as an {role}, but it is not a flow", v.Location, v.Name,
                    $"Make '{Names.Display(flowName)}' a flow, or remove it from the {role}s."));
                continue;
            }
            if (!into.Contains(index)) into.Add(index);
        }
    }

    // ---- Lowering of builtins -------------------------------------------------------------------------

    private Expr LowerExpr(Expr e) => e switch
    {
        UnaryExpr u => u with { Operand = LowerExpr(u.Operand) },
        BinaryExpr b => b with { Left = LowerExpr(b.Left), Right = LowerExpr(b.Right) },
        IfExpr i => i with { Condition = LowerExpr(i.Condition), Then = LowerExpr(i.Then), Else = LowerExpr(i.Else) },
        CallExpr c => LowerCall(c with { Args = c.Args.Select(LowerExpr).ToList() }),
        VariableExpr v when IsBareBuiltin(v) => new CallExpr(v.Name, v.Written, Array.Empty<Expr>(), v.Position),
        _ => e,
    };

    /// <summary>TIME, DT, STARTTIME, STOPTIME or PI written without parentheses, where the model has no variable of that name: the same as the call.</summary>
    private bool IsBareBuiltin(VariableExpr v) =>
        !_byName.ContainsKey(v.Name) && Builtins.TryGet(v.Name, out var builtin) && builtin.MinArgs == 0;

    private Expr LowerCall(CallExpr call)
    {
        if (!Builtins.TryGet(call.Function, out var builtin)) return call;
        if (call.Args.Count < builtin.MinArgs || call.Args.Count > builtin.MaxArgs)
        {
            _errors.Add(new Diagnostic(
                $"{call.Written.ToUpperInvariant()} takes {ArgCount(builtin)}, but is given {call.Args.Count}: {builtin.Meaning}",
                Parser.At(_owner.Location, _owner.EquationText, call.Position), _owner.DisplayName, "Fix the number of arguments."));
            return new NumberExpr(0, call.Position);
        }
        var a = call.Args;
        int p = call.Position;
        Expr? Optional(int i) => a.Count > i ? a[i] : null;
        switch (builtin.Kind)
        {
            case BuiltinKind.Stateful:
                return builtin.Name switch
                {
                    "smth1" => Smooth(call, a[0], a[1], 1, Optional(2)),
                    "smth3" => Smooth(call, a[0], a[1], 3, Optional(2)),
                    "smthn" => Smooth(call, a[0], a[1], ConstantOrder(call, a[2]), Optional(3)),
                    "delay1" => MaterialDelay(call, a[0], a[1], 1, Optional(2)),
                    "delay3" => MaterialDelay(call, a[0], a[1], 3, Optional(2)),
                    "delayn" => MaterialDelay(call, a[0], a[1], ConstantOrder(call, a[2]), Optional(3)),
                    "delay" => FixedDelay(call, a[0], a[1], Optional(2)),
                    "trend" => Trend(call, a[0], a[1], Optional(2)),
                    "forcst" => Forecast(call, a[0], a[1], a[2], Optional(3)),
                    _ => throw new InvalidOperationException("unlowered builtin " + builtin.Name),
                };
            case BuiltinKind.Init:
                return Ref(AddHidden(call, "initial value", NodeKind.InitSnapshot, a[0]), p);
            case BuiltinKind.Random:
                bool normal = builtin.Name is "normal" or "lognormal";
                var draw = Ref(AddHidden(call, normal ? "normal draw" : "uniform draw", NodeKind.RandomDraw, null, standardNormal: normal), p);
                return builtin.Name switch
                {
                    "uniform" or "random" => Bin(BinaryOp.Add, a[0], Bin(BinaryOp.Multiply, Bin(BinaryOp.Subtract, a[1], a[0]), draw)),
                    "normal" => Bin(BinaryOp.Add, a[0], Bin(BinaryOp.Multiply, a[1], draw)),
                    "lognormal" => Internal("#lognormal", p, a[0], a[1], draw),
                    "poisson" => Internal("#poisson", p, a[0], draw),
                    _ => Internal("#exponential", p, a[0], draw),
                };
            case BuiltinKind.Lookup:
                if (a[0] is not VariableExpr table)
                {
                    _errors.Add(new Diagnostic("LOOKUP's first argument must be the name of a graphical function",
                        Parser.At(_owner.Location, _owner.EquationText, call.Position), _owner.DisplayName, "Write LOOKUP(table_name, x)."));
                    return new NumberExpr(0, p);
                }
                return new CallExpr(table.Name, table.Written, new[] { a[1] }, p);
            default:
                return call;
        }
    }

    private static string ArgCount(Builtin b) =>
        b.MinArgs == b.MaxArgs ? $"{b.MinArgs} argument{(b.MinArgs == 1 ? "" : "s")}" : $"{b.MinArgs} to {b.MaxArgs} arguments";

    private int ConstantOrder(CallExpr call, Expr order)
    {
        if (order is NumberExpr { Value: >= 1 } n && n.Value == Math.Floor(n.Value)) return (int)n.Value;
        _errors.Add(new Diagnostic($"the order of {call.Written.ToUpperInvariant()} must be a whole number >= 1 written as a constant",
            Parser.At(_owner.Location, _owner.EquationText, order.Position), _owner.DisplayName, "Write the order as a number, e.g. 3."));
        return 1;
    }

    /// <summary>SMTHn: n stocks in cascade, each adjusting toward the one before over time/n.</summary>
    private Expr Smooth(CallExpr call, Expr input, Expr time, int order, Expr? initial)
    {
        var inputRef = Operand(call, input, "input");
        var stageTime = Operand(call, order == 1 ? time : Bin(BinaryOp.Divide, time, new NumberExpr(order, time.Position)), "stage time");
        var start = initial is null ? inputRef : Operand(call, initial, "initial value");
        Expr previous = inputRef;
        for (int k = 1; k <= order; k++)
        {
            int stock = AddHidden(call, $"stage {k}", NodeKind.Stock, start);
            int flow = AddHidden(call, $"stage {k} change", NodeKind.Flow,
                Bin(BinaryOp.Divide, Bin(BinaryOp.Subtract, previous, Ref(stock, call.Position)), stageTime));
            _nodes[stock].Inflows.Add(flow);
            previous = Ref(stock, call.Position);
        }
        return previous;
    }

    /// <summary>DELAYn: n stocks in cascade, each draining at stock/(time/n); what flows in flows out (material).</summary>
    private Expr MaterialDelay(CallExpr call, Expr input, Expr time, int order, Expr? initial)
    {
        var inputRef = Operand(call, input, "input");
        var stageTime = Operand(call, order == 1 ? time : Bin(BinaryOp.Divide, time, new NumberExpr(order, time.Position)), "stage time");
        var initialOutflow = initial is null ? inputRef : Operand(call, initial, "initial value");
        int inflow = AddHidden(call, "inflow", NodeKind.Flow, inputRef);
        int outflow = -1;
        for (int k = 1; k <= order; k++)
        {
            int stock = AddHidden(call, $"stage {k}", NodeKind.Stock, Bin(BinaryOp.Multiply, initialOutflow, stageTime));
            outflow = AddHidden(call, $"stage {k} outflow", NodeKind.Flow, Bin(BinaryOp.Divide, Ref(stock, call.Position), stageTime));
            _nodes[stock].Inflows.Add(inflow);
            _nodes[stock].Outflows.Add(outflow);
            inflow = outflow;
        }
        return Ref(outflow, call.Position);
    }

    private Expr FixedDelay(CallExpr call, Expr input, Expr time, Expr? initial)
    {
        int inputNode = AddHidden(call, "input", NodeKind.Aux, input);
        var node = new Node
        {
            Name = HiddenName(call, "output"),
            DisplayName = HiddenDisplay(call, "output"),
            Kind = NodeKind.FixedDelay,
            Hidden = true,
            Builtin = "DELAY",
            Equation = time,
            EquationText = _owner.EquationText,
            Location = _owner.Location,
            DelayInput = inputNode,
            InitialValue = initial,
            DelayIndex = _delayCount++,
        };
        return Ref(Add(node), call.Position);
    }

    /// <summary>TREND: (input − average) / (averaging time × |average|), the average a first-order smooth started at input/(1 + initial trend × averaging time).</summary>
    private Expr Trend(CallExpr call, Expr input, Expr averagingTime, Expr? initialTrend)
    {
        var inputRef = Operand(call, input, "input");
        var timeRef = Operand(call, averagingTime, "averaging time");
        var trendStart = initialTrend ?? new NumberExpr(0, call.Position);
        var averageStart = Bin(BinaryOp.Divide, inputRef, Bin(BinaryOp.Add, new NumberExpr(1, call.Position), Bin(BinaryOp.Multiply, trendStart, timeRef)));
        int average = AddHidden(call, "average", NodeKind.Stock, averageStart);
        var averageRef = Ref(average, call.Position);
        int change = AddHidden(call, "average change", NodeKind.Flow, Bin(BinaryOp.Divide, Bin(BinaryOp.Subtract, inputRef, averageRef), timeRef));
        _nodes[average].Inflows.Add(change);
        var trend = Internal("safediv", call.Position, Bin(BinaryOp.Subtract, inputRef, averageRef),
            Bin(BinaryOp.Multiply, timeRef, Internal("abs", call.Position, averageRef)));
        return Ref(AddHidden(call, "trend", NodeKind.Aux, trend), call.Position);
    }

    private Expr Forecast(CallExpr call, Expr input, Expr averagingTime, Expr horizon, Expr? initialTrend)
    {
        var inputRef = Operand(call, input, "input");
        var trend = Trend(call, inputRef, averagingTime, initialTrend);
        var forecast = Bin(BinaryOp.Multiply, inputRef, Bin(BinaryOp.Add, new NumberExpr(1, call.Position), Bin(BinaryOp.Multiply, trend, horizon)));
        return Ref(AddHidden(call, "forecast", NodeKind.Aux, forecast), call.Position);
    }

    /// <summary>An argument as something cheap to read many times: numbers and names as they are, anything else via a hidden aux.</summary>
    private Expr Operand(CallExpr call, Expr e, string role) =>
        e is NumberExpr or VariableExpr ? e : Ref(AddHidden(call, role, NodeKind.Aux, e), e.Position);

    private int AddHidden(CallExpr call, string part, NodeKind kind, Expr? equation, bool standardNormal = false) => Add(new Node
    {
        Name = HiddenName(call, part),
        DisplayName = HiddenDisplay(call, part),
        Kind = kind,
        Hidden = true,
        Builtin = call.Function.ToUpperInvariant(),
        Equation = equation,
        EquationText = _owner.EquationText,
        Location = _owner.Location,
        StandardNormal = standardNormal,
    });

    private static string CallId(CallExpr call) => $"{call.Function}@{call.Position}";
    private string HiddenName(CallExpr call, string part) => $"{_owner.Name}#{CallId(call)}#{_hiddenCounter++}:{part}";
    private string HiddenDisplay(CallExpr call, string part) => $"{Names.Display(_owner.DisplayName)}: {call.Function.ToUpperInvariant()} {part}";

    private static VariableExpr Ref(int node, int position) => new(NodeName(node), NodeName(node), position);
    private static string NodeName(int node) => "#" + node.ToString(CultureInfo.InvariantCulture);
    private static BinaryExpr Bin(BinaryOp op, Expr l, Expr r) => new(op, l, r, l.Position);
    private static CallExpr Internal(string name, int position, params Expr[] args) => new(name, name, args, position);

    // ---- Name and call checks ---------------------------------------------------------------------------

    /// <summary>The node a reference names: a model variable by canonical name, or a hidden node by "#index".</summary>
    public static int Resolve(string name, Dictionary<string, int> byName) =>
        name.StartsWith('#') ? int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture) : byName.TryGetValue(name, out var i) ? i : -1;

    private void CheckReferences(Node node)
    {
        if (node.Equation is { } e) Check(node, e);
        if (node.InitialValue is { } init) Check(node, init);
    }

    private void Check(Node node, Expr e)
    {
        switch (e)
        {
            case VariableExpr v:
                int target = Resolve(v.Name, _byName);
                if (target < 0)
                    _errors.Add(UnknownName(v.Written, "uses", Located(node, v.Position), node.DisplayName));
                else if (_nodes[target].Kind == NodeKind.LookupTable)
                    _errors.Add(new Diagnostic($"'{Names.Display(v.Written)}' is a graphical function without an input", Located(node, v.Position),
                        node.DisplayName, $"Call it with an argument: {v.Written}(x)."));
                break;
            case UnaryExpr u: Check(node, u.Operand); break;
            case BinaryExpr b: Check(node, b.Left); Check(node, b.Right); break;
            case IfExpr i: Check(node, i.Condition); Check(node, i.Then); Check(node, i.Else); break;
            case CallExpr c:
                foreach (var arg in c.Args) Check(node, arg);
                if (c.Function.StartsWith('#') || Builtins.ByName.ContainsKey(c.Function)) break;
                int table = Resolve(c.Function, _byName);
                if (table >= 0 && _nodes[table].Graph is not null)
                {
                    if (c.Args.Count != 1)
                        _errors.Add(new Diagnostic($"graphical function '{c.Written}' takes 1 argument, but is given {c.Args.Count}",
                            Located(node, c.Position), node.DisplayName, "Call it as name(x)."));
                    break;
                }
                var candidates = Builtins.ByName.Keys.Select(k => k.ToUpperInvariant())
                    .Concat(_nodes.Where(n => n.Graph is not null && !n.Hidden).Select(n => n.DisplayName));
                _errors.Add(new Diagnostic($"unknown function '{c.Written}'", Located(node, c.Position), node.DisplayName,
                    Names.DidYouMean(c.Written, candidates) ?? "See the list of builtins in the README."));
                break;
        }
    }

    private static SourceLocation? Located(Node node, int position) => Parser.At(node.Location, node.EquationText, position);

    private Diagnostic UnknownName(string written, string verb, SourceLocation? location, string? variable, string? hint = null)
    {
        var suggestion = Names.DidYouMean(written, _model.Variables.Select(v => v.Name));
        var message = verb.EndsWith(';') ? $"{verb[..^1]}" : $"{verb} '{Names.Display(written)}', which is not defined";
        return new Diagnostic(message, location, variable, string.Join(" ", new[] { suggestion, hint }.Where(s => s is not null)));
    }

    /// <summary>Constants become parameters: settable per run. A stock's constant initial value gets a hidden parameter node.</summary>
    private void MarkParameters()
    {
        int count = _nodes.Count;
        for (int i = 0; i < count; i++)
        {
            var node = _nodes[i];
            if (node.Hidden || node.Equation is not NumberExpr number) continue;
            if (node.Kind is NodeKind.Aux or NodeKind.Flow && node.Graph is null && !node.NonNegative)
            {
                node.IsParameter = true;
                node.ParameterValue = number.Value;
            }
            else if (node.Kind == NodeKind.Stock)
            {
                int initial = Add(new Node
                {
                    Name = node.Name + "#initial",
                    DisplayName = node.DisplayName,
                    Kind = NodeKind.Aux,
                    Hidden = true,
                    Equation = number,
                    EquationText = node.EquationText,
                    Location = node.Location,
                    IsParameter = true,
                    ParameterValue = number.Value,
                });
                node.Equation = Ref(initial, number.Position);
            }
        }
    }
}
