using System.Globalization;
using System.Text.RegularExpressions;
using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Units;

/// <summary>
/// One inconsistency of units: its diagnostic (code, place, variable, message and fix) and the two units that
/// disagree, as a table of checks shows them.
/// </summary>
public sealed record UnitsIssue(Diagnostic Diagnostic, string Expected, string Found);

/// <summary>
/// Checks the dimensional consistency of every equation of a model, on the resolved IR (before lowering, so builtins
/// are still calls that their catalogue entry's units rule reads):
/// <list type="bullet">
/// <item>+, − and comparisons need equal units, and so do IF THEN ELSE's branches; × and ÷ combine units; ^ takes a
/// constant exponent.</item>
/// <item>A bare number adapts: in a sum it takes its partner's units (Population − 100), in a product it is
/// dimensionless, as in Vensim and Stella.</item>
/// <item>TIME, DT, STARTTIME and STOPTIME carry the model's time unit; a builtin's units come from its catalogue entry
/// (<see cref="Builtin.Units"/>); a graphical function gives its variable's units, whatever its input's.</item>
/// <item>Each equation must give its variable's declared units, a stock's initial value the stock's, and each flow the
/// stock's units per time unit.</item>
/// </list>
/// Anything that reads a variable without units is unknown and never reported, and the equation of a variable without
/// units is not checked, so a model without units gives no warnings. How unit texts read (singular and plural, "dmnl") is <see cref="UnitSystem"/>'s.
/// </summary>
public static partial class UnitsChecker
{
    /// <summary>Every inconsistency of <paramref name="model"/>, in the order of its variables; a model that does not resolve throws its ModelException.</summary>
    public static IReadOnlyList<UnitsIssue> Check(SdModel model) => Check(Resolver.Resolve(model));

    internal static IReadOnlyList<UnitsIssue> Check(ResolvedModel model) => new Checker(model).Run();

    private sealed partial class Checker
    {
        private readonly ResolvedModel _model;
        private readonly UnitSystem _system;
        private readonly Inferred[] _declared;
        private readonly List<UnitsIssue> _issues = new();
        private readonly HashSet<string> _said = new(StringComparer.Ordinal);
        private Inferred _time = Inferred.Unknown;
        private ResolvedVariable _current = null!;

        public Checker(ResolvedModel model)
        {
            _model = model;
            _system = new UnitSystem(model.Source.UnitDefinitions);
            _declared = new Inferred[model.Variables.Count];
        }

        public List<UnitsIssue> Run()
        {
            var source = _model.Source.Variables.ToDictionary(v => v.CanonicalName);
            var generated = _model.Variables.Select(v => source.TryGetValue(v.Canonical, out var s) && s.Generated).ToArray();
            if (_model.Specs.TimeUnits is { } timeText)
                _time = Read(timeText, null, null, "the model's time units");
            foreach (var v in _model.Variables)
            {
                _current = v;
                _declared[v.Id] = source.TryGetValue(v.Canonical, out var s) && !string.IsNullOrWhiteSpace(s.Units)
                    ? Read(s.Units, v.Location, v.Name, "its units")
                    : Inferred.Unknown;
            }

            // What each variable's equation gives; a flow the reader made (a Vensim INTEG's rate) is checked against its stock by these.
            var computed = new Inferred[_model.Variables.Count];
            // A variable without units is not checked, so a model without units gives no warnings (its TIME has units).
            foreach (var v in _model.Variables.Where(v => v.Equation is not null && (_declared[v.Id].IsKnown || generated[v.Id])))
            {
                _current = v;
                computed[v.Id] = Infer(v.Equation!);
                if (v.Graph is not null) continue; // the equation is the graphical function's input, which has units of its own
                var (declared, found) = (_declared[v.Id], computed[v.Id]);
                if (declared.IsKnown && found.IsKnown && declared.Unit != found.Unit)
                {
                    var what = v.Kind == ResolvedKind.Stock ? "initial value" : "equation";
                    Report(DiagnosticCodes.EquationUnits, $"its {what} gives {Show(found)}, but its units are {Show(declared)}", v.Equation!.Position,
                        $"declared: {Show(declared)}", $"{what}: {Show(found)}",
                        "Fix the equation, or the declared units if they are wrong.");
                }
            }

            foreach (var stock in _model.Variables.Where(v => v.Kind == ResolvedKind.Stock && _declared[v.Id].IsKnown && _time.IsKnown))
            {
                var needed = _declared[stock.Id] / _time;
                foreach (var flow in stock.Inflows.Concat(stock.Outflows).Select(id => _model.Variables[id]))
                {
                    _current = flow;
                    var units = generated[flow.Id] ? computed[flow.Id] : _declared[flow.Id];
                    if (units.IsKnown && units.Unit != needed.Unit)
                        Report(DiagnosticCodes.FlowUnits,
                            $"flows {(stock.Inflows.Contains(flow.Id) ? "into" : "out of")} '{Names.Display(stock.Name)}' ({Show(_declared[stock.Id])}), so it needs {Show(needed)} (per {Show(_time)}), but has {Show(units)}",
                            null, $"{Names.Display(stock.Name)} per {Show(_time)}: {Show(needed)}", $"{Names.Display(flow.Name)}: {Show(units)}",
                            "A stock's units are its flows' units × the time unit: fix the flow's or the stock's units.");
                }
            }
            return _issues;
        }

        /// <summary>A unit text of the model; unreadable text is reported and unknown.</summary>
        private Inferred Read(string text, SourceLocation? at, string? variable, string what)
        {
            if (_system.TryParse(text, out var unit, out var error)) return Inferred.Of(unit);
            Add(new Diagnostic(DiagnosticCodes.UnitsUnreadable, $"{what} '{text.Trim()}' cannot be read: {error}", at, variable,
                "Write units as names joined by *, / and ^ (e.g. people/week, CNY/(person*week), 1/week, dmnl)."), "a unit expression", $"'{text.Trim()}'");
            return Inferred.Unknown;
        }

        private string Show(Inferred units) => units.Unit is { } u ? _system.Display(u) : "no units";

        private void Report(DiagnosticCode code, string message, int? position, string expected, string found, string hint) =>
            Add(new Diagnostic(code, message, position is { } p ? _current.At(p) : _current.Location, _current.Name, hint), expected, found);

        /// <summary>Adds an issue once: the elements of an array share one equation, so its issue is said for the first element only.</summary>
        private void Add(Diagnostic diagnostic, string expected, string found)
        {
            var key = Subscripts().Replace($"{diagnostic.Code}|{diagnostic.Location?.File}:{diagnostic.Location?.Line}|{diagnostic.Variable}|{expected}|{found}", "");
            if (_said.Add(key)) _issues.Add(new UnitsIssue(diagnostic, expected, found));
        }

        [GeneratedRegex(@"\[[^\]]*\]")]
        private static partial Regex Subscripts();

        private Inferred Infer(IrExpr e) => e switch
        {
            IrNumber => Inferred.Free,
            IrRef r => _declared[r.Id],
            IrUnary { Op: UnaryOp.Not } u => Logical(u.Operand),
            IrUnary u => Infer(u.Operand),
            IrBinary b => Binary(b),
            IrIf i => Branches(i),
            IrCall c => c.Builtin.Units is { } rule ? rule(new CallQuery(this, c, c.Args.Select(Infer).ToArray())) : Inferred.Unknown,
            IrLookup l => Lookup(l),
            _ => Inferred.Unknown,
        };

        /// <summary>A condition's value (1 or 0) is dimensionless; its operands are checked within.</summary>
        private Inferred Logical(params IrExpr[] operands)
        {
            foreach (var operand in operands) Infer(operand);
            return Inferred.Dimensionless;
        }

        private Inferred Branches(IrIf i)
        {
            Logical(i.Condition);
            return Alike(i.Then, i.Else, "IF THEN ELSE's branches differ", i.Position);
        }

        /// <summary>A graphical function gives its variable's units; its input has units of its own, checked within only.</summary>
        private Inferred Lookup(IrLookup l)
        {
            Infer(l.Input);
            return _declared[l.Table];
        }

        private Inferred Binary(IrBinary b) => b.Op switch
        {
            BinaryOp.Add => Alike(b.Left, b.Right, "a sum adds unlike units", b.Position),
            BinaryOp.Subtract => Alike(b.Left, b.Right, "a difference subtracts unlike units", b.Position),
            BinaryOp.Multiply => Infer(b.Left) * Infer(b.Right),
            BinaryOp.Divide => Infer(b.Left) / Infer(b.Right),
            BinaryOp.Power => Power(b),
            BinaryOp.And or BinaryOp.Or => Logical(b.Left, b.Right),
            _ => Compare(b),
        };

        private Inferred Compare(IrBinary b)
        {
            Alike(b.Left, b.Right, "a comparison compares unlike units", b.Position);
            return Inferred.Dimensionless;
        }

        /// <summary>Two expressions that need one unit; a bare number takes the other's, and an unknown one is not checked.</summary>
        private Inferred Alike(IrExpr left, IrExpr right, string what, int position)
        {
            var (l, r) = (Infer(left), Infer(right));
            if (l.IsKnown && r.IsKnown && l.Unit != r.Unit)
                Report(DiagnosticCodes.UnitsDisagree, $"{what}: {Describe(left)} is {Show(l)}, {Describe(right)} is {Show(r)}", position,
                    $"{Describe(left)}: {Show(l)}", $"{Describe(right)}: {Show(r)}", "Fix the equation, or the declared units if they are wrong.");
            return l.IsKnown ? l : r.IsKnown ? r : l.Knowledge == Knowledge.Unknown || r.Knowledge == Knowledge.Unknown ? Inferred.Unknown : Inferred.Free;
        }

        private Inferred Power(IrBinary b)
        {
            var (x, exponent) = (Infer(b.Left), Infer(b.Right));
            if (exponent.IsKnown && !exponent.Unit!.IsDimensionless)
            {
                Report(DiagnosticCodes.PowerUnits, $"the exponent {Describe(b.Right)} has units {Show(exponent)}", b.Right.Position,
                    "a dimensionless exponent", $"{Describe(b.Right)}: {Show(exponent)}", "An exponent must be dimensionless.");
                return Inferred.Unknown;
            }
            if (!x.IsKnown || x.Unit!.IsDimensionless) return x;
            double? power = Constant(b.Right);
            Unit? result = power switch
            {
                null => null,
                { } p when p == Math.Round(p) && Math.Abs(p) < 1000 => x.Unit.Pow((int)p),
                { } p when p != 0 && 1 / p == Math.Round(1 / p) && Math.Abs(1 / p) < 1000 => x.Unit.Root((int)Math.Round(1 / p)),
                _ => null,
            };
            if (result is not null) return Inferred.Of(result);
            var exponentText = power is { } q ? q.ToString("R", CultureInfo.InvariantCulture) : "an exponent that is not a constant";
            Report(DiagnosticCodes.PowerUnits, $"{Describe(b.Left)} has units {Show(x)}, raised to {exponentText}", b.Position,
                "a constant power leaving whole powers of units", $"{Show(x)} ^ {exponentText}",
                "Raise only dimensionless quantities to such powers: divide by a reference value of the same units first.");
            return Inferred.Unknown;
        }

        /// <summary>The value of an expression of numbers only (2, -1, 1/3), or null.</summary>
        private static double? Constant(IrExpr e) => e switch
        {
            IrNumber n => n.Value,
            IrUnary { Op: UnaryOp.Negate } u => -Constant(u.Operand),
            IrUnary { Op: UnaryOp.Plus } u => Constant(u.Operand),
            IrBinary { Op: BinaryOp.Add } b => Constant(b.Left) + Constant(b.Right),
            IrBinary { Op: BinaryOp.Subtract } b => Constant(b.Left) - Constant(b.Right),
            IrBinary { Op: BinaryOp.Multiply } b => Constant(b.Left) * Constant(b.Right),
            IrBinary { Op: BinaryOp.Divide } b => Constant(b.Left) / Constant(b.Right),
            _ => null,
        };

        /// <summary>An operand as a message names it: 'Members', 3, SMTH1(…), or "the expression at LINE:COLUMN" (the diagnostic names the file).</summary>
        private string Describe(IrExpr e) => e switch
        {
            IrRef r => $"'{Names.Display(_model.Variables[r.Id].Name)}'",
            IrNumber n => n.Value.ToString("R", CultureInfo.InvariantCulture),
            IrCall c => $"{c.Builtin.Name}(…)",
            IrLookup l => $"'{Names.Display(_model.Variables[l.Table].Name)}'(…)",
            IrUnary { Op: UnaryOp.Negate } u => "-" + Describe(u.Operand),
            _ => _current.At(e.Position) is { Line: > 0 } at ? $"the expression at {at.Line}:{at.Column}" : "the expression at offset " + e.Position,
        };

        /// <summary>A builtin call's arguments for its units rule, which reports through the checker.</summary>
        private sealed class CallQuery(Checker checker, IrCall call, Inferred[] args) : IUnitsQuery
        {
            public int Count => args.Length;

            public Inferred this[int i] => i < args.Length ? args[i] : Inferred.Free;

            public Inferred Time => checker._time;

            public Inferred Same(params int[] indices)
            {
                var given = indices.Where(i => i < args.Length).ToList();
                int first = given.FirstOrDefault(i => args[i].IsKnown, -1);
                if (first < 0) return given.Any(i => args[i].Knowledge == Knowledge.Unknown) ? Inferred.Unknown : Inferred.Free;
                foreach (var i in given.Where(i => args[i].IsKnown && args[i].Unit != args[first].Unit))
                    checker.Report(DiagnosticCodes.UnitsDisagree,
                        $"{call.Builtin.Name}'s arguments {first + 1} and {i + 1} need one unit: {Name(first)} is {checker.Show(args[first])}, {Name(i)} is {checker.Show(args[i])}",
                        call.Args[i].Position, $"{Name(first)}: {checker.Show(args[first])}", $"{Name(i)}: {checker.Show(args[i])}",
                        "Fix the equation, or the declared units if they are wrong.");
                return args[first];
            }

            public void Expect(int i, Inferred expected)
            {
                if (i >= args.Length || !expected.IsKnown || !args[i].IsKnown || args[i].Unit == expected.Unit) return;
                checker.Report(DiagnosticCodes.ArgumentUnits,
                    $"{call.Builtin.Name}'s argument {i + 1}, {Name(i)}, has {checker.Show(args[i])}, but needs {checker.Show(expected)}", call.Args[i].Position,
                    $"{call.Builtin.Name} argument {i + 1}: {checker.Show(expected)}", $"{Name(i)}: {checker.Show(args[i])}",
                    $"{call.Builtin.Meaning}.");
            }

            public Inferred Dimensionless(int i)
            {
                Expect(i, Inferred.Dimensionless);
                return this[i].Knowledge == Knowledge.Free ? Inferred.Free : Inferred.Dimensionless;
            }

            public Inferred Root(int i, int n)
            {
                var x = this[i];
                if (!x.IsKnown) return x;
                if (x.Unit!.Root(n) is { } root) return Inferred.Of(root);
                checker.Report(DiagnosticCodes.PowerUnits, $"{call.Builtin.Name} of {Name(i)}, which has {checker.Show(x)}, leaves a fractional power of units",
                    call.Args[i].Position, "whole powers of units", $"{Name(i)}: {checker.Show(x)}",
                    "Take the root of a quantity whose units are a square (m^2), or of a dimensionless ratio.");
                return Inferred.Unknown;
            }

            private string Name(int i) => checker.Describe(call.Args[i]);
        }
    }
}
