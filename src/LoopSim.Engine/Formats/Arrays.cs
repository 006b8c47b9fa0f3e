using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Formats;

/// <summary>
/// A variable as read, before arrays are flattened: a scalar (no dimensions, one element) or an arrayed variable with
/// the scalar variable standing for each of its elements (cell: the position of each subscript, from 0), each holding
/// its own equation (apply-to-all, or the element's own) still written with subscripts.
/// </summary>
internal sealed record ArrayedVariable(string Name, IReadOnlyList<ArrayDimension> Dimensions, IReadOnlyList<(IReadOnlyList<int> Cell, Variable Element)> Elements)
{
    public static ArrayedVariable Scalar(Variable v) => new(v.Name, [], [([], v)]);
}

/// <summary>
/// Arrays, flattened (XMILE 1.0 §3.7): an arrayed variable becomes one scalar variable per element, named
/// "name[e1,e2]" as the .mdl reader names them, and each equation is rewritten for the element it computes: x[a],
/// x[1], x[Dim] (the element being computed) and a bare x of the same dimensions become the element's variable; a
/// dimension's name used as a value becomes the element's position; in the arguments of an array builtin
/// (<see cref="BuiltinFlags.ArrayArguments"/>: SUM, MEAN, MIN …) x[*], a bare array and an unbound dimension stand for
/// every element, passed as one argument each. The model then runs as straight-line scalar code.
/// </summary>
internal sealed class ArrayFlattener
{
    private readonly Dictionary<string, ArrayDimension> _dimensions;
    /// <summary>Arrayed variables (canonical name) → display name and dimensions.</summary>
    private readonly Dictionary<string, (string Name, IReadOnlyList<ArrayDimension> Dimensions)> _arrayed = new();
    private readonly HashSet<string> _variables = new();
    private readonly Dialect _dialect;

    private ArrayFlattener(IEnumerable<ArrayDimension> dimensions, IReadOnlyList<ArrayedVariable> variables, Dialect dialect)
    {
        _dimensions = dimensions.GroupBy(d => d.Canonical).ToDictionary(g => g.Key, g => g.First());
        _dialect = dialect;
        foreach (var v in variables)
        {
            _variables.Add(Names.Canonical(v.Name));
            if (v.Dimensions.Count > 0) _arrayed.TryAdd(Names.Canonical(v.Name), (v.Name, v.Dimensions));
        }
    }

    /// <summary>"name[e1,e2]": the scalar variable standing for one element of an arrayed variable.</summary>
    public static string ElementName(string variable, IEnumerable<string> elements) => variable + "[" + string.Join(",", elements) + "]";

    public static string ElementName(string variable, IReadOnlyList<ArrayDimension> dimensions, IReadOnlyList<int> cell) =>
        ElementName(variable, cell.Select((position, k) => dimensions[k].Elements[position]));

    /// <summary>Every combination of one item of each list, the first list varying slowest.</summary>
    public static List<List<T>> Tuples<T>(IEnumerable<IReadOnlyList<T>> lists)
    {
        var result = new List<List<T>> { new() };
        foreach (var list in lists)
            result = result.SelectMany(t => list.Select(item => new List<T>(t) { item })).ToList();
        return result;
    }

    /// <summary>Every element of an array over <paramref name="dimensions"/>, as positions, the first dimension varying slowest.</summary>
    public static List<List<int>> Cells(IReadOnlyList<ArrayDimension> dimensions) =>
        Tuples(dimensions.Select(d => (IReadOnlyList<int>)Enumerable.Range(0, d.Elements.Count).ToList()));

    /// <summary>
    /// The model's variables, arrays flattened: each element's equation rewritten for its element, an element stock's
    /// inflows and outflows the same element of arrayed flows. Problems are added to <paramref name="problems"/>.
    /// </summary>
    public static List<Variable> Flatten(IEnumerable<ArrayDimension> dimensions, IReadOnlyList<ArrayedVariable> variables, Dialect dialect, List<Diagnostic> problems)
    {
        var flattener = new ArrayFlattener(dimensions, variables, dialect);
        var flat = new List<Variable>();
        foreach (var v in variables)
        {
            foreach (var (cell, element) in v.Elements)
            {
                var outer = new Dictionary<string, int>();
                for (int k = 0; k < cell.Count; k++) outer[v.Dimensions[k].Canonical] = cell[k];
                if (element.Equation is { } equation)
                {
                    var found = new List<(DiagnosticCode Code, string Message, int Position, string Hint)>();
                    var rewritten = flattener.Rewrite(equation.Syntax, new Context(outer, new Dictionary<string, int>(), found));
                    foreach (var (code, message, position, hint) in found)
                        problems.Add(new Diagnostic(code, message, equation.At(position), element.Name, hint));
                    element.Equation = equation.WithSyntax(rewritten);
                }
                if (v.Dimensions.Count > 0) element.Array = new ArrayElement(v.Name, v.Dimensions, cell);
                flattener.FlowsOf(element, v, cell, element.Inflows, problems);
                flattener.FlowsOf(element, v, cell, element.Outflows, problems);
                flat.Add(element);
            }
        }
        return flat;
    }

    /// <summary>An element stock's flows: the same element of a flow of the same dimensions, or a scalar flow itself.</summary>
    private void FlowsOf(Variable element, ArrayedVariable stock, IReadOnlyList<int> cell, List<string> flows, List<Diagnostic> problems)
    {
        for (int i = 0; i < flows.Count; i++)
        {
            if (!_arrayed.TryGetValue(Names.Canonical(flows[i]), out var flow)) continue;
            if (!flow.Dimensions.Select(d => d.Canonical).SequenceEqual(stock.Dimensions.Select(d => d.Canonical)))
            {
                problems.Add(new Diagnostic(DiagnosticCodes.SubscriptCount,
                    $"flows into '{Names.Display(flow.Name)}' [{string.Join(", ", flow.Dimensions.Select(d => d.Name))}], which is not arrayed over the stock's dimensions [{string.Join(", ", stock.Dimensions.Select(d => d.Name))}]",
                    element.Location, element.Name, "Give the stock and its flows the same dimensions, in the same order."));
                continue;
            }
            flows[i] = ElementName(flow.Name, flow.Dimensions, cell);
        }
    }

    /// <summary>
    /// The element being computed (<see cref="Outer"/>: dimension → position) and, inside an array builtin's argument,
    /// the element of each dimension taken whole (<see cref="Whole"/>).
    /// </summary>
    private sealed record Context(IReadOnlyDictionary<string, int> Outer, IReadOnlyDictionary<string, int> Whole,
        List<(DiagnosticCode Code, string Message, int Position, string Hint)> Problems)
    {
        public int? Bound(string dimension) => Outer.TryGetValue(dimension, out var p) ? p : Whole.TryGetValue(dimension, out p) ? p : null;

        public NumberExpr Problem(DiagnosticCode code, string message, int position, string hint)
        {
            Problems.Add((code, message, position, hint));
            return new NumberExpr(0, position);
        }
    }

    /// <summary>
    /// The position of <paramref name="d"/> at the element being computed: its own, or that of a dimension mapped to or
    /// from it (isee:maps_to pairs elements by position; the reader checked the sizes agree).
    /// </summary>
    private int? Bound(Context c, ArrayDimension d)
    {
        if (c.Bound(d.Canonical) is { } direct) return direct;
        foreach (var (dimension, position) in c.Outer.Concat(c.Whole))
            if (Maps(dimension, d.Canonical)) return position;
        return null;
    }

    /// <summary>Whether the equation computes an element of <paramref name="d"/> (its own dimension, or one mapped to or from it).</summary>
    private bool Computed(Context c, ArrayDimension d) => c.Outer.ContainsKey(d.Canonical) || c.Outer.Keys.Any(o => Maps(o, d.Canonical));

    private bool Maps(string a, string b) =>
        _dimensions.TryGetValue(a, out var from) && from.MapsTo is { } x && Names.Canonical(x) == b
        || _dimensions.TryGetValue(b, out var to) && to.MapsTo is { } y && Names.Canonical(y) == a;

    private Expr Rewrite(Expr e, Context c) => e switch
    {
        VariableExpr v => Variable(v, c),
        SubscriptExpr s => Subscripted(s, c),
        UnaryExpr u => u with { Operand = Rewrite(u.Operand, c) },
        BinaryExpr b => b with { Left = Rewrite(b.Left, c), Right = Rewrite(b.Right, c) },
        IfExpr i => i with { Condition = Rewrite(i.Condition, c), Then = Rewrite(i.Then, c), Else = Rewrite(i.Else, c) },
        CallExpr call => Call(call, c),
        WildcardExpr w => c.Problem(DiagnosticCodes.ArrayAsValue, "'*' (a whole dimension) can only be a subscript inside an array function", w.Position,
            "Write SUM(x[*]), MEAN(x[*]) …, or name an element."),
        _ => e,
    };

    private Expr Variable(VariableExpr v, Context c)
    {
        if (_arrayed.TryGetValue(v.Name, out var array))
        {
            var cell = new List<int>();
            foreach (var d in array.Dimensions)
            {
                if (Bound(c, d) is not { } position)
                    return c.Problem(DiagnosticCodes.ArrayAsValue, $"'{Names.Display(v.Written)}' is an array over {Over(array.Dimensions)}, and {d.Name} is not a dimension of this equation",
                        v.Position, $"Name the element, {Names.Display(v.Written)}[{d.Elements[0]}], or combine the elements: SUM({Names.Display(v.Written)}[*]).");
                cell.Add(position);
            }
            return Reference(array.Name, array.Dimensions, cell, v.Position);
        }
        if (!_variables.Contains(v.Name) && _dimensions.TryGetValue(v.Name, out var dimension))
        {
            // A dimension as a value: the position (from 1) of the element being computed.
            if (Bound(c, dimension) is { } position) return new NumberExpr(position + 1, v.Position);
            return c.Problem(DiagnosticCodes.ArrayAsValue, $"the dimension '{dimension.Name}' stands for the element being computed, but this equation is not arrayed over it",
                v.Position, $"Array the variable over {dimension.Name}, or write a number.");
        }
        return v;
    }

    private static VariableExpr Reference(string variable, IReadOnlyList<ArrayDimension> dimensions, IReadOnlyList<int> cell, int position)
    {
        var name = ElementName(variable, dimensions, cell);
        return new VariableExpr(Names.Canonical(name), name, position);
    }

    private static string Over(IReadOnlyList<ArrayDimension> dimensions) => string.Join(" × ", dimensions.Select(d => d.Name));

    private Expr Subscripted(SubscriptExpr s, Context c)
    {
        if (!_arrayed.TryGetValue(s.Name, out var array))
        {
            // An unknown name is the resolver's to report (with its suggestions); a scalar cannot be subscripted.
            if (!_variables.Contains(s.Name)) return new VariableExpr(s.Name, s.Written, s.Position);
            return c.Problem(DiagnosticCodes.SubscriptCount, $"'{Names.Display(s.Written)}' is not arrayed, but is given subscripts", s.Position,
                $"Write {Names.Display(s.Written)} without [ ], or give it <dimensions>.");
        }
        if (s.Indices.Count != array.Dimensions.Count)
            return c.Problem(DiagnosticCodes.SubscriptCount,
                $"'{Names.Display(s.Written)}' has {array.Dimensions.Count} dimension{(array.Dimensions.Count == 1 ? "" : "s")} ({Over(array.Dimensions)}), but is given {s.Indices.Count} subscript{(s.Indices.Count == 1 ? "" : "s")}",
                s.Position, "Give one subscript per dimension, in the order of its <dimensions>.");
        var cell = new List<int>();
        for (int k = 0; k < s.Indices.Count; k++)
        {
            if (Index(s, s.Indices[k], array.Dimensions[k], c) is not { } position) return new NumberExpr(0, s.Position);
            cell.Add(position);
        }
        return Reference(array.Name, array.Dimensions, cell, s.Position);
    }

    /// <summary>The position one subscript stands for in <paramref name="dimension"/>; null after reporting a problem.</summary>
    private int? Index(SubscriptExpr s, Expr index, ArrayDimension dimension, Context c)
    {
        string owner = Names.Display(s.Written);
        switch (index)
        {
            case WildcardExpr:
                if (c.Whole.TryGetValue(dimension.Canonical, out var whole)) return whole;
                c.Problem(DiagnosticCodes.ArrayAsValue, $"'{owner}[*]' is a whole array, where one value is needed", index.Position,
                    $"Combine its elements, SUM({owner}[*]), or name one: {owner}[{dimension.Elements[0]}].");
                return null;
            case VariableExpr v when v.Name == dimension.Canonical:
                if (Bound(c, dimension) is { } bound) return bound;
                c.Problem(DiagnosticCodes.ArrayAsValue, $"'{owner}[{dimension.Name}]' is a whole array here: this equation is not arrayed over {dimension.Name}", index.Position,
                    $"Combine its elements, SUM({owner}[*]), or name one: {owner}[{dimension.Elements[0]}].");
                return null;
            case VariableExpr v:
            {
                // An element, by name or as Dimension.element.
                var written = v.Written;
                int dot = written.LastIndexOf('.');
                if (dot > 0 && Names.Canonical(written[..dot]) == dimension.Canonical) written = written[(dot + 1)..];
                int position = dimension.Position(written);
                if (position >= 0) return position;
                // a dimension mapped to this place's (isee:maps_to): the element at the same position
                if (Maps(v.Name, dimension.Canonical) && Bound(c, _dimensions[v.Name]) is { } mapped) return mapped;
                var hint = _dimensions.ContainsKey(v.Name)
                    ? $"'{owner}' is arrayed over {dimension.Name} at this place, not over {Names.Display(v.Written)}; map dimensions by naming elements."
                    : Names.DidYouMean(v.Written, dimension.Elements) ?? $"The elements of {dimension.Name} are {dimension.Describe()}.";
                c.Problem(DiagnosticCodes.UnknownElement, $"'{Names.Display(v.Written)}' is not an element of {dimension.Name}, the dimension of '{owner}' at this place",
                    index.Position, hint);
                return null;
            }
            case NumberExpr n when n.Value == Math.Floor(n.Value) && n.Value >= 1 && n.Value <= dimension.Elements.Count:
                return (int)n.Value - 1;
            case NumberExpr n:
                c.Problem(DiagnosticCodes.UnknownElement, $"position {ExprWriter.Number(n.Value)} is not in {dimension.Name}, which has {dimension.Elements.Count} elements",
                    index.Position, $"Positions count from 1 to {dimension.Elements.Count}.");
                return null;
            default:
                c.Problem(DiagnosticCodes.UnknownElement, $"a subscript of '{owner}' must be an element, a dimension, a position or *", index.Position,
                    $"Write e.g. {owner}[{dimension.Elements[0]}], {owner}[{dimension.Name}] or {owner}[1].");
                return null;
        }
    }

    private Expr Call(CallExpr call, Context c)
    {
        if (BuiltinCatalogue.Find(call.Function, _dialect) is { } builtin && builtin.Is(BuiltinFlags.ArrayArguments))
            return call with { Args = call.Args.SelectMany(a => Elements(a, c)).ToList() };
        if (_arrayed.TryGetValue(call.Function, out var table))
        {
            // An arrayed graphical function called by name: the element of the equation's own.
            if (Variable(new VariableExpr(call.Function, call.Written, call.Position), c) is not VariableExpr element) return new NumberExpr(0, call.Position);
            return new CallExpr(element.Name, element.Written, call.Args.Select(a => Rewrite(a, c)).ToList(), call.Position);
        }
        return call with { Args = call.Args.Select(a => Rewrite(a, c)).ToList() };
    }

    /// <summary>An array builtin's argument: its value at every element of the dimensions it leaves whole (one value when it leaves none).</summary>
    private List<Expr> Elements(Expr argument, Context c)
    {
        var free = new List<ArrayDimension>();
        void Free(ArrayDimension d)
        {
            if (!free.Any(f => f.Canonical == d.Canonical)) free.Add(d);
        }
        void Collect(Expr e)
        {
            switch (e)
            {
                case SubscriptExpr s when _arrayed.TryGetValue(s.Name, out var array) && s.Indices.Count == array.Dimensions.Count:
                    for (int k = 0; k < s.Indices.Count; k++)
                    {
                        var d = array.Dimensions[k];
                        if (s.Indices[k] is WildcardExpr || s.Indices[k] is VariableExpr v && v.Name == d.Canonical && !Computed(c, d)) Free(d);
                    }
                    break;
                case VariableExpr v when _arrayed.TryGetValue(v.Name, out var array):
                    foreach (var d in array.Dimensions.Where(d => !Computed(c, d))) Free(d);
                    break;
                case CallExpr call when BuiltinCatalogue.Find(call.Function, _dialect) is { } b && b.Is(BuiltinFlags.ArrayArguments):
                    break; // a nested array builtin combines its own argument
                default:
                    foreach (var child in Parser.Children(e)) Collect(child);
                    break;
            }
        }
        Collect(argument);
        if (free.Count == 0) return [Rewrite(argument, c)];
        var result = new List<Expr>();
        foreach (var cell in Cells(free))
        {
            var whole = new Dictionary<string, int>(c.Whole);
            for (int k = 0; k < free.Count; k++) whole[free[k].Canonical] = cell[k];
            result.Add(Rewrite(argument, c with { Whole = whole }));
        }
        return result;
    }
}
