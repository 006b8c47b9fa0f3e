using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Semantics;

/// <summary>
/// Turns a read model (parsed equations, names) into the resolved IR (<see cref="ResolvedModel"/>): variables get ids,
/// references become ids, calls point at their catalogue entry (by the model's dialect) or at a graphical function's
/// table, and <c>MOD</c> becomes the MOD builtin. Every name, call and argument count is checked here, as are the
/// stocks' flows and duplicate names; all problems are collected and thrown together as one ModelException.
/// </summary>
internal sealed class Resolver
{
    private readonly SdModel _model;
    private readonly List<Diagnostic> _errors = new();
    private readonly Dictionary<string, int> _ids = new();
    private readonly List<Variable> _variables = new();

    private Resolver(SdModel model) => _model = model;

    /// <summary>
    /// Resolves <paramref name="model"/>; <paramref name="constants"/> (by any spelling of a name) replace variables'
    /// equations by constants first (--set, a city's settings), so their own equations are not checked.
    /// </summary>
    public static ResolvedModel Resolve(SdModel model, IReadOnlyDictionary<string, double>? constants = null)
    {
        var resolver = new Resolver(model);
        var resolved = resolver.Run(constants);
        if (resolver._errors.Count > 0) throw new ModelException(resolver._errors);
        return resolved;
    }

    private ResolvedModel Run(IReadOnlyDictionary<string, double>? constants)
    {
        foreach (var v in _model.Variables)
        {
            if (_ids.TryAdd(v.CanonicalName, _variables.Count)) _variables.Add(v);
            else
                _errors.Add(new Diagnostic(DiagnosticCodes.DuplicateName, $"'{Names.Display(v.Name)}' is defined twice (names ignore case, spaces and underscores)",
                    v.Location, v.Name, "Rename or remove one of them."));
        }
        var overridden = Constants(constants);
        var kinds = _variables.Select((v, id) => KindOf(v, overridden.ContainsKey(id))).ToArray();

        var resolved = new List<ResolvedVariable>(_variables.Count);
        for (int id = 0; id < _variables.Count; id++)
        {
            var v = _variables[id];
            var source = overridden.TryGetValue(id, out var constant) ? Equation.Constant(constant, v.Location) : v.Equation;
            IrExpr? equation = null;
            if (kinds[id] != ResolvedKind.LookupTable)
            {
                if (source is null)
                    _errors.Add(new Diagnostic(DiagnosticCodes.EquationMissing, "has no equation", v.Location, v.Name,
                        v.Kind == VariableKind.Stock ? "Give the stock an initial value." : "Give it an equation."));
                else
                    equation = new EquationResolver(this, v, source, kinds).Resolve(source.Syntax);
            }
            resolved.Add(new ResolvedVariable
            {
                Id = id,
                Name = v.Name,
                Canonical = v.CanonicalName,
                Kind = kinds[id],
                Equation = equation,
                Source = source,
                Graph = overridden.ContainsKey(id) ? null : v.Graph,
                NonNegative = v.NonNegative,
                Inflows = v.Kind == VariableKind.Stock ? Flows(v, v.Inflows, "inflow", kinds) : [],
                Outflows = v.Kind == VariableKind.Stock ? Flows(v, v.Outflows, "outflow", kinds) : [],
                Location = v.Location,
            });
        }
        return new ResolvedModel(_model, resolved);
    }

    private static ResolvedKind KindOf(Variable v, bool overridden) => v.Kind switch
    {
        VariableKind.Stock => ResolvedKind.Stock,
        VariableKind.Flow => ResolvedKind.Flow,
        _ when !overridden && v.Graph is not null && v.Equation is null => ResolvedKind.LookupTable,
        _ => ResolvedKind.Aux,
    };

    private Dictionary<int, double> Constants(IReadOnlyDictionary<string, double>? constants)
    {
        var result = new Dictionary<int, double>();
        foreach (var (name, value) in constants ?? new Dictionary<string, double>())
        {
            if (_ids.TryGetValue(Names.Canonical(name), out var id)) result[id] = value;
            else _errors.Add(new Diagnostic(DiagnosticCodes.UnknownName, $"cannot set '{Names.Display(name)}', which is not defined", null, null, DidYouMean(name)));
        }
        return result;
    }

    private int[] Flows(Variable stock, List<string> names, string role, ResolvedKind[] kinds)
    {
        var flows = new List<int>();
        foreach (var name in names)
        {
            if (!_ids.TryGetValue(Names.Canonical(name), out var id))
            {
                var hint = string.Join(" ", new[] { DidYouMean(name), $"Define the flow or remove it from the stock's {role}s." }.OfType<string>());
                _errors.Add(new Diagnostic(DiagnosticCodes.UnknownName, $"lists '{Names.Display(name)}' as an {role}, but no such flow is defined", stock.Location, stock.Name, hint));
            }
            else if (kinds[id] != ResolvedKind.Flow)
                _errors.Add(new Diagnostic(DiagnosticCodes.NotAFlow, $"lists '{Names.Display(name)}' as an {role}, but it is not a flow", stock.Location, stock.Name,
                    $"Make '{Names.Display(name)}' a flow, or remove it from the {role}s."));
            else if (!flows.Contains(id))
                flows.Add(id);
        }
        return flows.ToArray();
    }

    private string? DidYouMean(string name) => Names.DidYouMean(name, _model.Variables.Select(v => v.Name));

    /// <summary>Resolves one equation's syntax tree, reporting problems at their place in its text.</summary>
    private sealed class EquationResolver(Resolver resolver, Variable owner, Equation source, ResolvedKind[] kinds)
    {
        private void Error(DiagnosticCode code, string message, int position, string? hint) =>
            resolver._errors.Add(new Diagnostic(code, message, source.At(position), owner.Name, hint));

        public IrExpr Resolve(Expr e) => e switch
        {
            NumberExpr n => new IrNumber(n.Value, n.Position),
            VariableExpr v => Variable(v),
            UnaryExpr u => new IrUnary(u.Op, Resolve(u.Operand), u.Position),
            BinaryExpr { Op: BinaryOp.Mod } m => new IrCall(BuiltinCatalogue.Mod, [Resolve(m.Left), Resolve(m.Right)], m.Position),
            BinaryExpr b => new IrBinary(b.Op, Resolve(b.Left), Resolve(b.Right), b.Position),
            IfExpr i => new IrIf(Resolve(i.Condition), Resolve(i.Then), Resolve(i.Else), i.Position),
            CallExpr c => Call(c),
            SubscriptExpr or WildcardExpr => Unsupported(e),
            _ => throw new InvalidOperationException("unknown syntax " + e.GetType().Name),
        };

        /// <summary>Subscripts left in a model that declares no dimensions: the readers flatten every array before resolution.</summary>
        private IrNumber Unsupported(Expr e)
        {
            Error(DiagnosticCodes.ArraysUnsupported, "uses subscripts, but the model declares no dimensions", e.Position,
                "Declare the dimensions and array the variable over them, or write one scalar variable per element.");
            return new IrNumber(0, e.Position);
        }

        private IrExpr Variable(VariableExpr v)
        {
            if (resolver._ids.TryGetValue(v.Name, out var id))
            {
                if (kinds[id] == ResolvedKind.LookupTable)
                    Error(DiagnosticCodes.TableWithoutInput, $"'{Names.Display(v.Written)}' is a graphical function without an input", v.Position, $"Call it with an argument: {v.Written}(x).");
                return new IrRef(id, v.Position);
            }
            // TIME, DT, STARTTIME, STOPTIME or PI written without parentheses: the same as the call.
            if (BuiltinCatalogue.Find(v.Name, resolver._model.Dialect) is { MinArgs: 0 } clock)
                return new IrCall(clock, [], v.Position);
            Error(DiagnosticCodes.UnknownName, $"uses '{Names.Display(v.Written)}', which is not defined", v.Position, resolver.DidYouMean(v.Written) ?? "");
            return new IrNumber(0, v.Position);
        }

        private IrExpr Call(CallExpr c)
        {
            if (BuiltinCatalogue.Find(c.Function, resolver._model.Dialect) is { } builtin) return Builtin(c, builtin);
            var args = c.Args.Select(Resolve).ToList();
            if (resolver._ids.TryGetValue(c.Function, out var table) && resolver._variables[table].Graph is not null)
            {
                if (args.Count != 1)
                {
                    Error(DiagnosticCodes.ArgumentCount, $"graphical function '{c.Written}' takes 1 argument, but is given {args.Count}", c.Position, "Call it as name(x).");
                    return new IrNumber(0, c.Position);
                }
                return new IrLookup(table, args[0], c.Position);
            }
            var candidates = BuiltinCatalogue.NamesIn(resolver._model.Dialect)
                .Concat(resolver._variables.Where(v => v.Graph is not null).Select(v => v.Name));
            Error(DiagnosticCodes.UnknownFunction, $"unknown function '{c.Written}'", c.Position, Names.DidYouMean(c.Written, candidates) ?? "See the list of builtins in the README.");
            return new IrNumber(0, c.Position);
        }

        private IrExpr Builtin(CallExpr c, Builtin builtin)
        {
            if (c.Args.Count < builtin.MinArgs || c.Args.Count > builtin.MaxArgs)
            {
                Error(DiagnosticCodes.ArgumentCount, $"{c.Written.ToUpperInvariant()} takes {builtin.Arity}, but is given {c.Args.Count}: {builtin.Meaning}", c.Position,
                    "Fix the number of arguments.");
                return new IrNumber(0, c.Position);
            }
            if (builtin.NamesTable)
            {
                if (c.Args[0] is not VariableExpr name || !resolver._ids.TryGetValue(name.Name, out var table) || resolver._variables[table].Graph is null)
                {
                    Error(DiagnosticCodes.LookupWithoutTable, $"{c.Written.ToUpperInvariant()}'s first argument must be the name of a graphical function", c.Position,
                        $"Write {c.Written.ToUpperInvariant()}(table_name, x).");
                    return new IrNumber(0, c.Position);
                }
                return new IrLookup(table, Resolve(c.Args[1]), c.Position);
            }
            var args = c.Args.Select(Resolve).ToList();
            if (builtin.CheckArguments?.Invoke(args) is { } misfit)
            {
                Error(DiagnosticCodes.ArrayFunctionShape, $"{c.Written.ToUpperInvariant()}: {misfit}", c.Position, $"{builtin.Meaning}.");
                return new IrNumber(0, c.Position);
            }
            foreach (var k in builtin.ConstantOrderArgs)
                if (args[k] is not IrNumber { Value: >= 1 } order || order.Value != Math.Floor(order.Value))
                    Error(DiagnosticCodes.OrderNotConstant, $"the order of {c.Written.ToUpperInvariant()} must be a whole number >= 1 written as a constant", c.Args[k].Position,
                        "Write the order as a number, e.g. 3.");
            return new IrCall(builtin, args, c.Position);
        }
    }
}
