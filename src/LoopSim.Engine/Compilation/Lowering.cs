using System.Globalization;
using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Compilation;

/// <summary>
/// Stage 1 of compilation: the resolved model's variables become nodes (same ids), each stateful builtin is replaced
/// by the hidden structure its catalogue entry's lowering builds (hidden stocks and flows; DELAY a history buffer;
/// INIT a start-time snapshot), random builtins get a hidden node drawn once per DT, and constants become
/// parameters. The resolver has checked everything, so lowering cannot fail.
/// </summary>
internal sealed class Lowering
{
    private readonly ResolvedModel _model;
    private readonly List<Node> _nodes = new();
    private int _delayCount;

    private Lowering(ResolvedModel model) => _model = model;

    public static LoweredModel Lower(ResolvedModel model)
    {
        var lowering = new Lowering(model);
        lowering.Run();
        return new LoweredModel(model, lowering._nodes, lowering._delayCount);
    }

    private void Run()
    {
        foreach (var v in _model.Variables)
        {
            var node = new Node
            {
                Name = v.Canonical,
                DisplayName = v.Name,
                Kind = v.Kind switch
                {
                    ResolvedKind.Stock => NodeKind.Stock,
                    ResolvedKind.Flow => NodeKind.Flow,
                    ResolvedKind.LookupTable => NodeKind.LookupTable,
                    _ => NodeKind.Aux,
                },
                Equation = v.Equation,
                Source = v.Source,
                Graph = v.Graph,
                NonNegative = v.NonNegative,
                Location = v.Location,
            };
            node.Inflows.AddRange(v.Inflows);
            node.Outflows.AddRange(v.Outflows);
            _nodes.Add(node);
        }
        MarkDrainedStocks();
        int modelNodes = _nodes.Count;
        for (int i = 0; i < modelNodes; i++)
        {
            var owner = _nodes[i];
            var hidden = new HiddenNames(owner);
            if (owner.Equation is { } equation)
                owner.Equation = LowerExpr(equation, owner, hidden);
        }
        MarkParameters();
    }

    /// <summary>Lowers the arguments first, then the call (so inner builtins' hidden nodes come first).</summary>
    private IrExpr LowerExpr(IrExpr e, Node owner, HiddenNames hidden) => e switch
    {
        IrUnary u => u with { Operand = LowerExpr(u.Operand, owner, hidden) },
        IrBinary b => b with { Left = LowerExpr(b.Left, owner, hidden), Right = LowerExpr(b.Right, owner, hidden) },
        IrIf i => i with { Condition = LowerExpr(i.Condition, owner, hidden), Then = LowerExpr(i.Then, owner, hidden), Else = LowerExpr(i.Else, owner, hidden) },
        IrLookup l => l with { Input = LowerExpr(l.Input, owner, hidden) },
        IrCall c => LowerCall(c, c.Args.Select(a => LowerExpr(a, owner, hidden)).ToList(), owner, hidden),
        _ => e,
    };

    private IrExpr LowerCall(IrCall call, List<IrExpr> args, Node owner, HiddenNames hidden)
    {
        var builtin = call.Builtin;
        var scope = new BuiltinLowering(call, owner, _nodes, part => hidden.Next(call, part), () => _delayCount++);
        if (builtin.Lower is { } lower) return lower(scope, args);
        if (builtin.Draw != Draw.None)
        {
            int draw = scope.RandomDraw(builtin.Draw);
            return call with { Args = [.. args.Take(builtin.ValueArgs), scope.Ref(draw)] };
        }
        return call with { Args = args };
    }

    private int Add(Node node)
    {
        _nodes.Add(node);
        return _nodes.Count - 1;
    }

    /// <summary>Unique names for the hidden nodes of one owner: "owner#function@position#k:part".</summary>
    private sealed class HiddenNames(Node owner)
    {
        private int _counter;
        public string Next(IrCall call, string part) =>
            string.Create(CultureInfo.InvariantCulture, $"{owner.Name}#{call.Builtin.Name.ToLowerInvariant()}@{call.Position}#{_counter++}:{part}");
    }

    /// <summary>
    /// XMILE 1.0 §4.2: a non-negative stock limits its outflows, in the order it lists them, to what it holds. A flow
    /// listed as the outflow of two stocks has no single source to limit it without changing the other stock's
    /// accounting; a non-negative stock among them is only held at zero.
    /// </summary>
    private void MarkDrainedStocks()
    {
        var sources = _nodes.SelectMany((n, s) => n.Kind == NodeKind.Stock ? n.Outflows.Select(f => (Flow: f, Stock: s)) : [])
            .GroupBy(p => p.Flow);
        foreach (var flow in sources)
            if (flow.Count() == 1 && _nodes[flow.Single().Stock].NonNegative) _nodes[flow.Key].DrainedStock = flow.Single().Stock;
    }

    /// <summary>
    /// Constants become parameters: settable per run. A stock's constant initial value, and a constant outflow that a
    /// non-negative stock limits, get a hidden parameter node (under the variable's name).
    /// </summary>
    private void MarkParameters()
    {
        int count = _nodes.Count;
        for (int i = 0; i < count; i++)
        {
            var node = _nodes[i];
            if (node.Hidden || node.Equation is not IrNumber number) continue;
            bool settable = node.Kind is NodeKind.Aux or NodeKind.Flow && node.Graph is null && !node.NonNegative;
            if (settable && node.DrainedStock < 0)
            {
                node.IsParameter = true;
                node.ParameterValue = number.Value;
            }
            // A stock's initial value, or the rate a limited outflow asks for: the node computes from a hidden parameter.
            else if (node.Kind == NodeKind.Stock || settable)
            {
                int initial = Add(new Node
                {
                    Name = node.Name + (node.Kind == NodeKind.Stock ? "#initial" : "#requested"),
                    DisplayName = node.DisplayName,
                    Kind = NodeKind.Aux,
                    Hidden = true,
                    Equation = number,
                    Source = node.Source,
                    Location = node.Location,
                    IsParameter = true,
                    ParameterValue = number.Value,
                });
                node.Equation = new IrRef(initial, number.Position);
            }
        }
    }
}
