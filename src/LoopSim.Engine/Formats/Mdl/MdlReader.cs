using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats.ExternalData;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.Mdl;

/// <summary>
/// Reads a Vensim .mdl model into the format-neutral <see cref="SdModel"/>. INTEG makes a stock (the variables its
/// rate adds and subtracts become its inflows and outflows), lookups become graphical functions, macros are
/// expanded in place, the control variables (INITIAL TIME, FINAL TIME, TIME STEP, SAVEPER) become the sim specs,
/// and Vensim's functions become LoopSim's builtins (<see cref="VensimFunctions"/>). What LoopSim cannot run is
/// rejected with the construct, its line and a hint; all problems of a file are reported together.
/// </summary>
public static class MdlReader
{
    public static SdModel Load(string path) => Load(path, []);

    /// <summary>
    /// Reads a .mdl file whose data variables (names with no equation) take their series from
    /// <paramref name="dataFiles"/> (.tab, .csv), as Vensim's run with data files does.
    /// </summary>
    public static SdModel Load(string path, IReadOnlyList<string> dataFiles) => Read(MdlSource.Load(path), dataFiles);

    /// <summary>Reads .mdl text; <paramref name="sourceFile"/> is used in messages and as the model's source.</summary>
    public static SdModel Parse(string text, string? sourceFile = null, IReadOnlyList<string>? dataFiles = null) =>
        Read(MdlSource.Parse(text, sourceFile), dataFiles ?? []);

    private static SdModel Read(MdlSource source, IReadOnlyList<string> dataFiles)
    {
        var series = dataFiles.Select(TimeSeriesFile.Load).ToList();
        var problems = new List<Diagnostic>();
        var file = MdlParser.Parse(source, problems);
        var model = new MdlTranslator(file, problems, series).Translate();
        if (problems.Count > 0) throw new ModelException(problems);
        return model;
    }
}

/// <summary>One translation of a parsed .mdl file into an <see cref="SdModel"/>.</summary>
internal sealed class MdlTranslator(MdlFile file, List<Diagnostic> problems, IReadOnlyList<TimeSeriesFile> dataFiles)
{
    private static readonly Dictionary<string, string> ControlClocks = new()
    {
        ["initial_time"] = "starttime",
        ["final_time"] = "stoptime",
        ["time_step"] = "dt",
    };

    private readonly MdlSource _source = file.Source;
    private readonly Dictionary<string, MdlMacro> _macros = new();
    private readonly Dictionary<string, int> _macroInstances = new();
    private readonly List<Variable> _variables = new();
    private readonly HashSet<string> _names = new();
    /// <summary>Each stock's rate, to be split into inflows and outflows once every variable is known.</summary>
    private readonly List<(Variable Stock, Expr Rate)> _rates = new();
    private double _saveStep = double.NaN;
    private MdlSubscripts _subscripts = null!;
    private ConstantEvaluator _evaluator = null!;
    /// <summary>Arrayed variables (canonical name), each read as one scalar variable per element.</summary>
    private readonly HashSet<string> _arrayed = new();
    /// <summary>Every variable's name (canonical): a subscript range of the same name is the variable.</summary>
    private readonly HashSet<string> _variableNames = new();
    /// <summary>The files GET XLS/GET DIRECT functions read, found from the model's folder.</summary>
    private readonly MdlExternalData _external = new(file.Source.File is { } path ? Path.GetDirectoryName(Path.GetFullPath(path)) : null);
    /// <summary>The problems reported so far, by code, message and place (<see cref="Problem"/>).</summary>
    private readonly HashSet<(string Code, string Message, int Offset)> _reported = new();

    public SdModel Translate()
    {
        foreach (var macro in file.Macros)
            if (!_macros.TryAdd(macro.Name.Canonical, macro))
                Problem(DiagnosticCodes.DuplicateName, $"the macro '{macro.Name.Name}' is defined twice", macro.Start, null, "Rename or remove one of them.");

        var equations = file.Elements.OfType<MdlEquation>().ToList();
        _subscripts = new MdlSubscripts(file.Elements.OfType<MdlSubscriptRange>(), _source, problems, SubscriptFromFile);
        foreach (var check in file.Elements.OfType<MdlRealityCheck>())
            _ = check; // Reality checks are tests of the model, not part of it: a simulation leaves them out, as Vensim's does.

        var specs = ReadControls(equations);
        var model = new SdModel
        {
            Name = _source.File is null ? "model" : Path.GetFileNameWithoutExtension(_source.File),
            SourceFile = _source.File,
            Dialect = Dialect.Vensim,
            Specs = specs,
        };
        model.UnitDefinitions.AddRange(UnitEquivalences(_source.Settings));
        var groups = equations.Where(e => !IsControl(e.Lhs.Name.Canonical)).GroupBy(e => e.Lhs.Name.Canonical).ToList();
        _variableNames.UnionWith(groups.Select(g => g.Key));
        foreach (var group in groups.Where(g => g.Any(e => e.Lhs.Subscripts.Count > 0)))
            _arrayed.Add(group.Key);
        foreach (var group in groups)
        {
            if (_arrayed.Contains(group.Key))
            {
                TranslateArrayed(group.ToList());
                continue;
            }
            var first = group.First();
            foreach (var again in group.Skip(1))
                Problem(DiagnosticCodes.DuplicateName, $"'{again.Lhs.Name.Name}' is defined twice (also on line {_source.At(first.Start).Line})", again.Start,
                    again.Lhs.Name.Name, "Remove one of the equations.");
            TranslateEquation(first, Scope.Model);
        }
        SplitRates();
        model.Variables.AddRange(_variables);
        return model;
    }

    // ---- control variables ------------------------------------------------------------------------------

    private static bool IsControl(string canonical) => canonical is "initial_time" or "final_time" or "time_step" or "saveper";

    /// <summary>INITIAL TIME, FINAL TIME, TIME STEP and SAVEPER, evaluated once (they may refer to each other and to constants).</summary>
    private SimSpecs ReadControls(List<MdlEquation> equations)
    {
        var byName = new Dictionary<string, MdlEquation>();
        foreach (var e in equations)
            if (e.Kind is MdlEquationKind.Normal or MdlEquationKind.Unchangeable && e.Expression is not null && e.Lhs.Subscripts.Count == 0)
                byName.TryAdd(e.Lhs.Name.Canonical, e);
        var evaluator = _evaluator = new ConstantEvaluator(byName);
        double Control(string canonical, double fallback, string vensimName)
        {
            if (!byName.TryGetValue(canonical, out var equation))
            {
                if (double.IsNaN(fallback))
                    problems.Add(new Diagnostic(DiagnosticCodes.MdlControl, $"the model has no {vensimName}", new SourceLocation(_source.File, 0, 0), null,
                        $"Add the control variable: {vensimName} = …"));
                return fallback;
            }
            var value = evaluator.Evaluate(canonical);
            if (value is { } v && double.IsFinite(v)) return v;
            Problem(DiagnosticCodes.MdlControl, $"{vensimName} must be a constant (it may use other constants); a value that changes during the run is not supported",
                equation.ExpressionStart, vensimName, "Give it a number.");
            return double.IsNaN(fallback) ? 0 : fallback;
        }
        double start = Control("initial_time", double.NaN, "INITIAL TIME");
        double stop = Control("final_time", double.NaN, "FINAL TIME");
        double dt = Control("time_step", double.NaN, "TIME STEP");
        _saveStep = Control("saveper", double.IsNaN(dt) ? 1 : dt, "SAVEPER");
        var timeUnits = byName.TryGetValue("time_step", out var step) ? UnitsOf(step.Units) : null;
        evaluator.Start = (start, dt);
        return new SimSpecs
        {
            Start = start,
            Stop = stop,
            Dt = dt,
            SaveStep = _saveStep == dt ? null : _saveStep,
            Method = IntegrationMethod.Euler,
            TimeUnits = timeUnits,
        };
    }

    // ---- variables --------------------------------------------------------------------------------------

    /// <summary>Where names in an equation point: the model's variables, or (inside a macro call) the call's own copies.</summary>
    /// <summary>
    /// Where names in an equation point: the model's variables, or (inside a macro call) the call's own copies; and,
    /// for one element of an arrayed variable, the element each subscript range stands for (<see cref="Binding"/>).
    /// </summary>
    private sealed record Scope(Func<string, string?> Local, string? MacroPrefix)
    {
        public static readonly Scope Model = new(_ => null, null);
        public IReadOnlyDictionary<string, string> Binding { get; init; } = new Dictionary<string, string>();
        /// <summary>The element's position among those its equation defines (for a list of numbers).</summary>
        public int Index { get; init; }
        /// <summary>The element's subscripts, one per subscript of the left-hand side (empty for a scalar).</summary>
        public IReadOnlyList<string> Tuple { get; init; } = [];
        /// <summary>The left-hand side of the equation being read (null inside a macro).</summary>
        public MdlLhs? Lhs { get; init; }
    }

    /// <summary>
    /// An arrayed variable: each equation defines the elements its subscripts cover (ranges, subranges, elements, less
    /// those after :EXCEPT:), and each element becomes a scalar variable "name[e1,e2]" computed by its equation with
    /// the ranges bound to the element.
    /// </summary>
    private void TranslateArrayed(List<MdlEquation> equations)
    {
        var defined = new Dictionary<string, MdlEquation>();
        var display = Display(equations[0].Lhs.Name.Name);
        foreach (var equation in equations)
        {
            var lhs = equation.Lhs;
            var unknown = lhs.Subscripts.Concat(lhs.Except.SelectMany(x => x)).Where(sub => _subscripts.Elements(sub.Canonical) is null).ToList();
            foreach (var sub in unknown)
                Problem(DiagnosticCodes.UnknownName, $"'{sub.Name}' is neither a subscript range nor an element of one", sub.Start, display,
                    Names.DidYouMean(sub.Name, []) ?? "Define the subscript range.");
            if (unknown.Count > 0) continue;
            var excluded = lhs.Except.SelectMany(Tuples).Select(t => string.Join(",", t)).ToHashSet();
            var tuples = Tuples(lhs.Subscripts).Where(t => !excluded.Contains(string.Join(",", t))).ToList();
            for (int index = 0; index < tuples.Count; index++)
            {
                var tuple = tuples[index];
                var name = _subscripts.ElementName(display, tuple);
                if (!defined.TryAdd(name, equation))
                {
                    Problem(DiagnosticCodes.DuplicateName, $"'{name}' is defined twice (also on line {_source.At(defined[name].Start).Line})", equation.Start, display,
                        "Each element needs exactly one equation: check the subscripts and :EXCEPT:.");
                    continue;
                }
                var binding = new Dictionary<string, string>();
                for (int k = 0; k < tuple.Count; k++)
                    if (_subscripts.IsRange(lhs.Subscripts[k].Canonical)) binding[lhs.Subscripts[k].Canonical] = tuple[k];
                TranslateEquation(equation, Scope.Model with { Binding = binding, Index = index, Tuple = tuple }, name);
            }
        }
    }

    /// <summary>Every combination of the elements of <paramref name="subscripts"/>, the first varying slowest.</summary>
    private List<List<string>> Tuples(IReadOnlyList<MdlName> subscripts) => ArrayFlattener.Tuples(subscripts.Select(sub => _subscripts.Elements(sub.Canonical)!));

    private void TranslateEquation(MdlEquation equation, Scope scope, string? nameOverride = null)
    {
        if (scope.MacroPrefix is null) scope = scope with { Lhs = equation.Lhs };
        var name = nameOverride ?? Display(equation.Lhs.Name.Name);
        var location = _source.At(equation.ExpressionStart);
        string? units = UnitsOf(equation.Units);
        string? description = equation.Comment.Length == 0 ? null : equation.Comment;

        switch (equation.Kind)
        {
            case MdlEquationKind.Lookup when equation.Lookup!.External is null:
                Add(new Variable
                {
                    Name = name, Kind = VariableKind.Aux, Graph = Graph(equation.Lookup), Units = units, Description = description, Location = location,
                });
                return;
            case MdlEquationKind.DataWithoutEquation:
                if (DataFromFiles(equation, name) is { } data)
                    Add(new Variable
                    {
                        Name = name, Kind = VariableKind.Aux, Graph = data, Units = units, Description = description, Location = location,
                        Equation = Equation.Parse("TIME", location),
                    });
                return;
        }

        var expression = equation.Kind == MdlEquationKind.Lookup ? equation.Lookup!.External! : equation.Expression!;
        if (expression is CallExpr { Function: "get_xls_lookups" or "get_direct_lookups" or "get_xls_data" or "get_direct_data" } get)
        {
            bool isData = get.Function.EndsWith("_data", StringComparison.Ordinal);
            if (!TryRead(get, 4, name, args => _external.Series(args[0], args[1], args[2], args[3], Sizes(equation.Lhs), Indices(equation.Lhs, scope),
                    isData ? Rule(equation.DataKeyword) : DataRule.Interpolate), out var series))
                return;
            Add(new Variable
            {
                Name = name, Kind = VariableKind.Aux, Graph = series, Units = units, Description = description, Location = location,
                Equation = isData ? Equation.Parse("TIME", location) : null,
            });
            return;
        }
        if (equation.Kind == MdlEquationKind.Lookup)
        {
            Problem(DiagnosticCodes.MdlSyntax, "a lookup's definition in parentheses is its points or a GET XLS/GET DIRECT LOOKUPS call", equation.ExpressionStart, name,
                "Write name( (x1,y1), (x2,y2), … ) or name( GET XLS LOOKUPS('file', 'sheet', 'axis', 'cell') ).");
            return;
        }
        // A data equation reading constants is a constant; other data equations compute data from data, not supported yet.
        if (equation.Kind == MdlEquationKind.Data && expression is not CallExpr { Function: "get_xls_constants" or "get_direct_constants" })
        {
            Problem(DiagnosticCodes.MdlUnsupported, "data equations (:=) other than GET XLS/GET DIRECT DATA or CONSTANTS are not supported yet", equation.Start, name,
                "Write it as an ordinary equation with '='.");
            return;
        }
        if (expression is CallExpr { Function: "integ" } integ)
        {
            if (integ.Args.Count != 2)
            {
                Problem(DiagnosticCodes.MdlArgumentCount, $"INTEG takes 2 arguments (rate, initial value), but is given {integ.Args.Count}", integ.Position, name,
                    "Write INTEG(rate, initial value).");
                return;
            }
            var stock = new Variable
            {
                Name = name, Kind = VariableKind.Stock, Units = units, Description = description, Location = location,
                Equation = Write(Rewrite(integ.Args[1], scope, name), location),
            };
            Add(stock);
            _rates.Add((stock, Rewrite(integ.Args[0], scope, name)));
            return;
        }
        if (expression is CallExpr { Function: "with_lookup" } withLookup)
        {
            if (withLookup.Args.Count != 2 || withLookup.Args[1] is not MdlLookupExpr table)
            {
                Problem(DiagnosticCodes.MdlArgumentCount, "WITH LOOKUP takes an input and a lookup table", withLookup.Position, name,
                    "Write WITH LOOKUP(input, ((x1,y1), (x2,y2), …)).");
                return;
            }
            Add(new Variable
            {
                Name = name, Kind = VariableKind.Aux, Graph = Graph(table.Lookup), Units = units, Description = description, Location = location,
                Equation = Write(Rewrite(withLookup.Args[0], scope, name), location),
            });
            return;
        }
        if (expression is MdlNumberListExpr list)
        {
            var values = list.Rows.SelectMany(r => r).ToList();
            int count = equation.Lhs.Subscripts.Count == 0 ? 1 : Tuples(equation.Lhs.Subscripts).Count - equation.Lhs.Except.SelectMany(Tuples).Count();
            if (values.Count != count)
            {
                // Said once for the equation, not once per element.
                if (scope.Index == 0)
                    Problem(DiagnosticCodes.MdlSyntax, $"the list has {values.Count} values for {count} elements", equation.ExpressionStart,
                        Display(equation.Lhs.Name.Name), "Give one value per element, the first subscript varying slowest (rows separated by ';').");
                return;
            }
            expression = new NumberExpr(values[scope.Index], list.Position);
        }
        Add(new Variable
        {
            Name = name, Kind = VariableKind.Aux, Units = units, Description = description, Location = location,
            Equation = Write(Rewrite(expression, scope, name), location),
        });
    }

    // ---- external data --------------------------------------------------------------------------------------

    /// <summary>
    /// A GET XLS/GET DIRECT call's text arguments, read by <paramref name="read"/>; a problem with the file becomes a
    /// diagnostic at the call (said once however many elements read the same cells).
    /// </summary>
    private bool TryRead<T>(CallExpr call, int count, string owner, Func<string[], T> read, out T result)
    {
        result = default!;
        var function = Names.Display(call.Written).ToUpperInvariant();
        if (call.Args.Count != count || call.Args.Any(a => a is not MdlStringExpr))
        {
            Unsupported(call, owner, $"{function} takes {count} texts in quotes, but is given {call.Args.Count} arguments{(call.Args.Any(a => a is not MdlStringExpr) ? ", not all of them quoted" : "")}",
                count == 3 ? $"Write {function}('file', 'sheet', 'cell')." : $"Write {function}('file', 'sheet', 'row or column of the axis', 'first cell').",
                DiagnosticCodes.MdlArgumentCount);
            return false;
        }
        try
        {
            result = read(call.Args.Select(a => ((MdlStringExpr)a).Value).ToArray());
            return true;
        }
        catch (ExternalDataException e)
        {
            Problem(e.Code, $"{function}: {e.Message}", call.Position, owner, e.Hint);
            return false;
        }
    }

    /// <summary>How many elements each subscript of a left-hand side stands for.</summary>
    private List<int> Sizes(MdlLhs lhs) => lhs.Subscripts.Select(sub => _subscripts.Elements(sub.Canonical)!.Count).ToList();

    /// <summary>The position of the element being read in each subscript of the left-hand side.</summary>
    private List<int> Indices(MdlLhs lhs, Scope scope) =>
        lhs.Subscripts.Select((sub, k) => _subscripts.Elements(sub.Canonical)!.ToList().IndexOf(scope.Tuple[k])).ToList();

    private static DataRule Rule(string? keyword) => keyword switch
    {
        "HOLD BACKWARD" => DataRule.HoldBackward,
        "LOOK FORWARD" => DataRule.LookForward,
        "RAW" => DataRule.Raw,
        _ => DataRule.Interpolate,
    };

    /// <summary>GET DIRECT SUBSCRIPT / GET XLS SUBSCRIPT('file', 'sheet', 'first cell', 'last cell', 'prefix'): a range's elements from a file.</summary>
    private List<string>? SubscriptFromFile(MdlSubscriptRange range)
    {
        if (range.Definition is not CallExpr { Function: "get_direct_subscript" or "get_xls_subscript" } call)
        {
            Problem(DiagnosticCodes.MdlSyntax, $"the subscript range '{range.Name.Name}' is defined by an expression; only GET DIRECT SUBSCRIPT can define one", range.Start, null,
                "List its elements, or write GET DIRECT SUBSCRIPT('file', 'sheet', 'first cell', 'last cell', 'prefix').");
            return null;
        }
        return TryRead(call, 5, range.Name.Name, args => _external.Subscript(args[0], args[1], args[2], args[3], args[4]), out var elements) ? elements : null;
    }

    /// <summary>
    /// A data variable's series from the --data files (the first that has it), as a lookup of TIME with its keyword's
    /// rule; missing values are filled as in a GET … DATA series.
    /// </summary>
    private GraphicalFunction? DataFromFiles(MdlEquation equation, string name)
    {
        var found = dataFiles.Select(f => f.Find(name)).FirstOrDefault(s => s is not null);
        if (found is not var (times, values))
        {
            Problem(DiagnosticCodes.DataVariableWithoutData,
                dataFiles.Count == 0
                    ? $"'{name}' is a data variable (no equation): its values come from a data file at run time, and none was given"
                    : $"'{name}' is a data variable (no equation), and no --data file has a column '{name}' ({string.Join(", ", dataFiles.Select(f => f.Path))})",
                equation.Start, name, "Give the data with --data FILE (a .tab or .csv of time series, as Vensim exports them), or give the variable an equation.");
            return null;
        }
        var known = Enumerable.Range(0, times.Length).Where(i => !double.IsNaN(values[i])).ToList();
        if (known.Count == 0)
        {
            Problem(DiagnosticCodes.DataVariableWithoutData, $"the --data column '{name}' holds no value", equation.Start, name, "Fill the column, or give the variable an equation.");
            return null;
        }
        var rule = Rule(equation.DataKeyword);
        var y = values.ToArray();
        if (rule != DataRule.Raw) MdlExternalData.FillMissing(times, y, rule);
        return MdlExternalData.Graph(times, y, rule);
    }

    private void Add(Variable variable)
    {
        if (_names.Add(variable.CanonicalName)) _variables.Add(variable);
        else problems.Add(new Diagnostic(DiagnosticCodes.DuplicateName, $"'{Names.Display(variable.Name)}' is defined twice", variable.Location, variable.Name, "Rename or remove one of them."));
    }

    private static GraphicalFunction Graph(MdlLookup lookup)
    {
        // Vensim holds a lookup's end values outside its x range; equal x values (a vertical step) keep the later point.
        var x = new List<double>();
        var y = new List<double>();
        for (int i = 0; i < lookup.X.Length; i++)
        {
            if (x.Count > 0 && lookup.X[i] == x[^1]) { y[^1] = lookup.Y[i]; continue; }
            x.Add(lookup.X[i]);
            y.Add(lookup.Y[i]);
        }
        return new GraphicalFunction(GraphType.Continuous, x.ToArray(), y.ToArray());
    }

    /// <summary>A display name: quotes dropped, blanks as single spaces.</summary>
    private static string Display(string written)
    {
        var s = written.Trim();
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"') s = s[1..^1];
        return s;
    }

    /// <summary>Vensim's unit equivalences, lines "22:Person,People,Persons" of the settings block: the first name and the ones that mean the same.</summary>
    private static IEnumerable<UnitDefinition> UnitEquivalences(string settings) =>
        settings.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("22:", StringComparison.Ordinal))
            .Select(l => l[3..].Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToList())
            .Where(names => names.Count > 0)
            .Select(names => new UnitDefinition(names[0], null, names.Skip(1).ToList()));

    private static string? UnitsOf(string field)
    {
        // "Month [0,?]": the units, then the range Vensim's sliders use.
        int bracket = field.IndexOf('[', StringComparison.Ordinal);
        var units = (bracket >= 0 ? field[..bracket] : field).Trim();
        return units.Length == 0 ? null : units;
    }

    // ---- stocks' rates -----------------------------------------------------------------------------------

    /// <summary>
    /// A rate written as a sum and difference of auxiliaries makes those auxiliaries the stock's inflows (added)
    /// and outflows (subtracted), as Vensim draws them. Any other rate becomes one flow of its own, "STOCK net flow".
    /// </summary>
    private void SplitRates()
    {
        var byName = _variables.ToDictionary(v => v.CanonicalName);
        foreach (var (stock, rate) in _rates)
        {
            var terms = new List<(string Name, bool Added)>();
            if (Terms(rate, true, terms) && terms.All(t => byName.TryGetValue(t.Name, out var v) && v.Kind != VariableKind.Stock && v.Graph is null)
                && terms.Select(t => t.Name).Distinct().Count() == terms.Count)
            {
                foreach (var (flowName, added) in terms)
                {
                    var flow = byName[flowName];
                    if (flow.Kind == VariableKind.Aux) byName[flowName] = Promote(flow);
                    (added ? stock.Inflows : stock.Outflows).Add(flowName);
                }
                continue;
            }
            var name = stock.Name + " net flow";
            for (int k = 2; _names.Contains(Names.Canonical(name)); k++) name = $"{stock.Name} net flow {k}";
            var netFlow = new Variable { Name = name, Kind = VariableKind.Flow, Equation = Write(rate, stock.Location), Location = stock.Location, Generated = true };
            _names.Add(netFlow.CanonicalName);
            _variables.Add(netFlow);
            byName[netFlow.CanonicalName] = netFlow;
            stock.Inflows.Add(netFlow.CanonicalName);
        }
    }

    private Variable Promote(Variable aux)
    {
        var flow = new Variable
        {
            Name = aux.Name, Kind = VariableKind.Flow, Equation = aux.Equation, Units = aux.Units,
            Description = aux.Description, Location = aux.Location,
        };
        _variables[_variables.IndexOf(aux)] = flow;
        return flow;
    }

    private static bool Terms(Expr e, bool added, List<(string, bool)> terms)
    {
        switch (e)
        {
            case VariableExpr v:
                terms.Add((v.Name, added));
                return true;
            case UnaryExpr { Op: UnaryOp.Negate } u:
                return Terms(u.Operand, !added, terms);
            case UnaryExpr { Op: UnaryOp.Plus } u:
                return Terms(u.Operand, added, terms);
            case BinaryExpr { Op: BinaryOp.Add } b:
                return Terms(b.Left, added, terms) && Terms(b.Right, added, terms);
            case BinaryExpr { Op: BinaryOp.Subtract } b:
                return Terms(b.Left, added, terms) && Terms(b.Right, !added, terms);
            default:
                return false;
        }
    }

    // ---- expressions --------------------------------------------------------------------------------------

    /// <summary>
    /// A Vensim expression in LoopSim's terms: Time and the control variables become the clock, Vensim functions
    /// become builtins, macro calls are expanded, names inside a macro call point at the call's own copies.
    /// </summary>
    private Expr Rewrite(Expr e, Scope scope, string owner) => e switch
    {
        VariableExpr v => RewriteName(v, scope),
        UnaryExpr u => u with { Operand = Rewrite(u.Operand, scope, owner) },
        BinaryExpr b => b with { Left = Rewrite(b.Left, scope, owner), Right = Rewrite(b.Right, scope, owner) },
        IfExpr i => i with { Condition = Rewrite(i.Condition, scope, owner), Then = Rewrite(i.Then, scope, owner), Else = Rewrite(i.Else, scope, owner) },
        CallExpr c => RewriteCall(c, scope, owner),
        SubscriptExpr s => Element(s, scope, owner),
        MdlLookupExpr l => Unsupported(l, owner, "a lookup table can only be WITH LOOKUP's second argument", "Define the lookup as a variable and call it."),
        MdlStringExpr s => Unsupported(s, owner, $"'{s.Value}': text is only an argument of GET XLS/GET DIRECT functions", "Remove the quotes."),
        MdlNumberListExpr l => Unsupported(l, owner, "a list of values can only be a whole equation", "Write it as the variable's equation."),
        _ => e,
    };

    /// <summary>x[a, Range]: the scalar variable of the element the subscripts stand for where this equation is computed.</summary>
    private Expr Element(SubscriptExpr s, Scope scope, string owner)
    {
        var tuple = new List<string>();
        foreach (var index in s.Indices)
        {
            string? element = index switch
            {
                WildcardExpr w => scope.Binding.TryGetValue("!" + w.Dimension, out var e) ? e : null,
                VariableExpr v => _subscripts.Resolve(v.Name, scope.Binding),
                _ => null,
            };
            if (element is null)
                return Unsupported(index, owner, index switch
                {
                    WildcardExpr w => $"'{w.Dimension}!' (a whole range) can only be summed, multiplied or compared inside SUM, PROD, VMIN or VMAX",
                    VariableExpr v when _subscripts.IsRange(v.Name) => $"the subscript range '{Names.Display(v.Written)}' of '{Names.Display(s.Written)}' is not on the left-hand side, and no range there maps to it",
                    VariableExpr v => $"'{Names.Display(v.Written)}' is neither a subscript range nor an element of one",
                    _ => "subscripts are names of ranges or elements",
                }, "Subscript the left-hand side by the same range, or name an element.", DiagnosticCodes.UnknownName);
            tuple.Add(element);
        }
        var target = scope.Local(s.Name) ?? s.Name;
        var name = Names.Canonical(_subscripts.ElementName(target, tuple));
        return new VariableExpr(name, name, s.Position);
    }

    private Expr RewriteName(VariableExpr v, Scope scope)
    {
        if (scope.Local(v.Name) is { } local) return v with { Name = local, Written = local };
        if (v.Name == "time") return new CallExpr("time", v.Written, [], v.Position);
        if (ControlClocks.TryGetValue(v.Name, out var clock)) return new CallExpr(clock, v.Written, [], v.Position);
        if (v.Name == "saveper") return new NumberExpr(_saveStep, v.Position);
        if (!_variableNames.Contains(v.Name) && _subscripts.Position(v.Name, scope.Binding) is { } position)
            return new NumberExpr(position, v.Position);
        if (_arrayed.Contains(v.Name))
            Problem(DiagnosticCodes.UnknownName, $"'{Names.Display(v.Written)}' is subscripted: refer to it with its subscripts", v.Position, null,
                $"Write {Names.Display(v.Written)}[range] or {Names.Display(v.Written)}[element].");
        return v;
    }

    private Expr RewriteCall(CallExpr c, Scope scope, string owner)
    {
        if (_macros.TryGetValue(c.Function, out var macro))
            return ExpandMacro(macro, c, scope, owner);
        if (c.Function is "integ" or "with_lookup")
            return Unsupported(c, owner, $"{c.Written.ToUpperInvariant()} must be the whole equation, not part of one",
                c.Function == "integ" ? "Make the INTEG a stock of its own and refer to it." : "Make the WITH LOOKUP a variable of its own and refer to it.");
        if (VensimFunctions.Reductions.TryGetValue(c.Function, out var combine))
            return Reduce(c, combine, scope, owner);
        if (c.Function is "get_xls_constants" or "get_direct_constants")
        {
            var lhs = scope.Lhs;
            if (lhs is null)
                return Unsupported(c, owner, $"{Names.Display(c.Written).ToUpperInvariant()} cannot be used inside a macro", "Read the constant outside the macro and pass it in.");
            return new NumberExpr(TryRead(c, 3, owner, args => _external.Constant(args[0], args[1], args[2], Sizes(lhs), Indices(lhs, scope)), out var value) ? value : 0,
                c.Position);
        }
        if (c.Function == "vector_select")
            return VectorSelect(c, scope, owner);
        if (c.Function == "invert_matrix")
            return InvertMatrix(c, scope, owner);
        if (c.Function is "allocate_available" or "allocate_by_priority")
            return Allocate(c, scope, owner);
        if (c.Function is "vector_sort_order" or "vector_rank" or "vector_reorder")
            return VectorOrder(c, scope, owner);
        if (c.Function == "vector_elm_map")
            return VectorElmMap(c, scope, owner);
        if (c.Function == "elmcount")
        {
            if (c.Args is [VariableExpr { Name: var range }] && _subscripts.IsRange(range))
                return new NumberExpr(_subscripts.Elements(range)!.Count, c.Position);
            return Unsupported(c, owner, "ELMCOUNT takes the name of a subscript range", "Write ELMCOUNT(range).", DiagnosticCodes.MdlArgumentCount);
        }
        if (VensimFunctions.ByName.TryGetValue(c.Function, out var function))
        {
            if (function.Translate is null)
                return Unsupported(c, owner, $"{Names.Display(c.Written).ToUpperInvariant()} is not supported yet: it needs {function.Missing}",
                    "See the list of Vensim functions LoopSim reads in the README.");
            if (c.Args.Count < function.MinArgs || c.Args.Count > function.MaxArgs)
                return Unsupported(c, owner, $"{Names.Display(c.Written).ToUpperInvariant()} takes {Arity(function)}, but is given {c.Args.Count}",
                    "Fix the number of arguments.", DiagnosticCodes.MdlArgumentCount);
            // GET TIME VALUE(relative to, offset, measure): relative to the current time (0) in the model's own time units (0),
            // TIME + offset. The other forms read the calendar or the computer's clock (PySD refuses relative to the initial time too).
            if (c.Function == "get_time_value" && !(_evaluator.Evaluate(c.Args[0]) is 0.0 && _evaluator.Evaluate(c.Args[2]) is 0.0))
                return Unsupported(c, owner, "GET TIME VALUE is supported relative to the current time in the model's time units only, GET TIME VALUE(0, offset, 0)",
                    "The other forms read the computer's clock (2) or the calendar (measures 1 to 10), or relative to the initial time (1) do not behave as Vensim documents; for the simulated time write GET TIME VALUE(0, offset, 0).");
            var args = c.Args.Select(a => Rewrite(a, scope, owner)).ToList();
            // SMOOTH N and DELAY N take their order's initial value (Vensim keeps the structure it starts with).
            if (c.Function is "smooth_n" or "delay_n" && args[3] is not NumberExpr && _evaluator.Evaluate(c.Args[3]) is { } order)
                args[3] = new NumberExpr(order, c.Args[3].Position);
            if (c.Function == "delay_n" && args[3] is NumberExpr wholeOrder && wholeOrder.Value == Math.Floor(wholeOrder.Value))
                args[3] = wholeOrder with { Value = DelayNOrder(wholeOrder.Value, c.Args[1]) };
            return function.Translate(args, c.Position);
        }
        // A lookup called by name, table(x), or one element of an arrayed lookup, table[a](x).
        if (c.Args is [SubscriptExpr table, var input] && table.Name == c.Function)
        {
            var element = Element(table, scope, owner);
            if (element is not VariableExpr ev) return element;
            return new CallExpr(ev.Name, ev.Name, [Rewrite(input, scope, owner)], c.Position);
        }
        var target = scope.Local(c.Function) ?? c.Function;
        return c with { Function = target, Written = target, Args = c.Args.Select(a => Rewrite(a, scope, owner)).ToList() };
    }

    /// <summary>
    /// Vensim gives each stage of a DELAY N at least one DT: an order whose stages would be shorter (order × DT greater
    /// than the delay time at the start) is lowered until they are not, to 1 at least (PySD does the same). A delay
    /// time the reader cannot evaluate keeps the order.
    /// </summary>
    private double DelayNOrder(double order, Expr delayTime)
    {
        if (_evaluator.Start is not { Dt: var dt } || _evaluator.Evaluate(delayTime) is not { } delay) return order;
        while (order > 1 && order * dt > delay) order--;
        return order;
    }

    /// <summary>
    /// SUM, PROD, VMIN, VMAX over the ranges marked '!' in the argument: the argument at each of their elements,
    /// combined (the first range varying slowest).
    /// </summary>
    private Expr Reduce(CallExpr c, Func<Expr, Expr, Expr> combine, Scope scope, string owner)
    {
        if (c.Args.Count != 1)
            return Unsupported(c, owner, $"{Names.Display(c.Written).ToUpperInvariant()} takes 1 argument, but is given {c.Args.Count}",
                "Write e.g. SUM(x[range!]).", DiagnosticCodes.MdlArgumentCount);
        if (Broadcast(c, c.Args, scope, owner) is not { } scopes) return new NumberExpr(0, c.Position);
        return scopes.Select(each => Rewrite(c.Args[0], each, owner)).Aggregate(combine);
    }

    /// <summary>
    /// The scopes that bind the ranges marked '!' in <paramref name="arrays"/> (and not bound already) to each
    /// combination of their elements, the first range varying slowest: arrays over different ranges broadcast against
    /// each other, as Vensim's array functions do. Null after reporting a name that is not a range.
    /// </summary>
    private List<Scope>? Broadcast(CallExpr c, IEnumerable<Expr> arrays, Scope scope, string owner)
    {
        var ranges = new List<string>();
        void Collect(Expr e)
        {
            switch (e)
            {
                case WildcardExpr { Dimension: { } d } when !scope.Binding.ContainsKey("!" + d) && !ranges.Contains(d): ranges.Add(d); break;
                case SubscriptExpr s: s.Indices.ToList().ForEach(Collect); break;
                case UnaryExpr u: Collect(u.Operand); break;
                case BinaryExpr b: Collect(b.Left); Collect(b.Right); break;
                case IfExpr i: Collect(i.Condition); Collect(i.Then); Collect(i.Else); break;
                case CallExpr call: call.Args.ToList().ForEach(Collect); break;
            }
        }
        foreach (var array in arrays) Collect(array);
        foreach (var range in ranges.Where(r => !_subscripts.IsRange(r)))
        {
            Unsupported(c, owner, $"'{range}!' is not a subscript range", "Mark a range with '!' to combine over its elements.", DiagnosticCodes.UnknownName);
            return null;
        }
        var bindings = new List<Dictionary<string, string>> { new(scope.Binding) };
        foreach (var range in ranges)
            bindings = bindings.SelectMany(b => _subscripts.Elements(range)!.Select(e => new Dictionary<string, string>(b) { ["!" + range] = e })).ToList();
        return bindings.Select(b => scope with { Binding = b }).ToList();
    }

    /// <summary>
    /// VECTOR SELECT(selection[range!], expression[range!], missing, numerical action, error action): the builtin given
    /// the selection's and the expression's value at each element of their ranges marked '!' (broadcast together).
    /// </summary>
    private Expr VectorSelect(CallExpr c, Scope scope, string owner)
    {
        if (c.Args.Count != 5)
            return Unsupported(c, owner, $"VECTOR SELECT takes 5 arguments, but is given {c.Args.Count}",
                "Write VECTOR SELECT(selection[range!], expression[range!], missing value, numerical action, error action).", DiagnosticCodes.MdlArgumentCount);
        if (Broadcast(c, c.Args.Take(2), scope, owner) is not { } scopes) return new NumberExpr(0, c.Position);
        var args = scopes.Select(each => Rewrite(c.Args[0], each, owner))
            .Concat(scopes.Select(each => Rewrite(c.Args[1], each, owner)))
            .Concat(c.Args.Skip(2).Select(a => Rewrite(a, scope, owner))).ToList();
        return new CallExpr("vector_select", "VECTOR_SELECT", args, c.Position);
    }

    /// <summary>
    /// INVERT MATRIX(matrix[…, row range, column range], size), computing the element (row, column) of the left-hand
    /// side: the builtin given that place and the matrix's elements over the last two subscripts, row by row.
    /// </summary>
    private Expr InvertMatrix(CallExpr c, Scope scope, string owner)
    {
        if (c.Args.Count != 2)
            return Unsupported(c, owner, $"INVERT MATRIX takes 2 arguments, but is given {c.Args.Count}",
                "Write INVERT MATRIX(matrix[range, row range, column range], size).", DiagnosticCodes.MdlArgumentCount);
        const string hint = "Write INVERT MATRIX(m[…, rows, columns], n) in an equation over the same rows and columns, n their (equal) number of elements.";
        if (c.Args[0] is not SubscriptExpr { Indices: [.., VariableExpr rows, VariableExpr columns] } matrix
            || !_subscripts.IsRange(rows.Name) || !_subscripts.IsRange(columns.Name) || rows.Name == columns.Name)
            return Unsupported(c.Args[0], owner, "INVERT MATRIX's matrix must be subscripted by two different ranges in its last two places", hint, DiagnosticCodes.MdlArrayFunction);
        var rowElements = _subscripts.Elements(rows.Name)!;
        var columnElements = _subscripts.Elements(columns.Name)!;
        int? row = _subscripts.Resolve(rows.Name, scope.Binding) is { } r ? rowElements.ToList().IndexOf(r) + 1 : null;
        int? column = _subscripts.Resolve(columns.Name, scope.Binding) is { } k ? columnElements.ToList().IndexOf(k) + 1 : null;
        if (row is not > 0 || column is not > 0)
            return Unsupported(c.Args[0], owner, $"INVERT MATRIX's matrix is subscripted by '{Names.Display(rows.Written)}' and '{Names.Display(columns.Written)}', which the left-hand side does not give",
                hint, DiagnosticCodes.MdlArrayFunction);
        if (_evaluator.Evaluate(c.Args[1]) is not { } size || size != rowElements.Count || size != columnElements.Count)
            return Unsupported(c.Args[1], owner, $"INVERT MATRIX's size must be a constant equal to the number of elements of '{Names.Display(rows.Written)}' ({rowElements.Count}) and of '{Names.Display(columns.Written)}' ({columnElements.Count})",
                hint, DiagnosticCodes.MdlArrayFunction);
        var args = new List<Expr> { new NumberExpr(row.Value, c.Position), new NumberExpr(column.Value, c.Position) };
        foreach (var i in rowElements)
            foreach (var j in columnElements)
                args.Add(Element(matrix with { Indices = [.. matrix.Indices.SkipLast(2), new VariableExpr(i, i, rows.Position), new VariableExpr(j, j, columns.Position)] }, scope, owner));
        return new CallExpr("invert_matrix", "INVERT_MATRIX", args, c.Position);
    }

    /// <summary>
    /// ALLOCATE AVAILABLE(request[…, range], priority[…, range, ptype], available) and ALLOCATE BY PRIORITY(request[…, range],
    /// priority[…, range], size, width, supply), computing one element of the left-hand side: the builtin given that
    /// element's place k in the request's last range (which the left-hand side gives), the request and the priority
    /// (the 4 elements of the profile from ptype on) at each element of that range, then the rest.
    /// </summary>
    private Expr Allocate(CallExpr c, Scope scope, string owner)
    {
        bool available = c.Function == "allocate_available";
        string name = available ? "ALLOCATE AVAILABLE" : "ALLOCATE BY PRIORITY";
        string hint = available
            ? "Write ALLOCATE AVAILABLE(request[…, range], priority[…, range, ptype], available) in an equation whose last subscript is the range, ptype the first of 4 profile elements."
            : "Write ALLOCATE BY PRIORITY(request[…, range], priority[…, range], ELMCOUNT(range), width, supply) in an equation whose last subscript is the range.";
        if (c.Args.Count != (available ? 3 : 5))
            return Unsupported(c, owner, $"{name} takes {(available ? 3 : 5)} arguments, but is given {c.Args.Count}", hint, DiagnosticCodes.MdlArgumentCount);
        if (Along(c.Args[0], scope, owner, name, "request", hint, needsPlace: true) is not var (last, each, place)) return new NumberExpr(0, c.Position);
        var elements = _subscripts.Elements(last.Name)!;
        var args = new List<Expr> { new NumberExpr(place, c.Position) };
        args.AddRange(each.Select(at => Rewrite(c.Args[0], at, owner)));
        if (available)
        {
            if (c.Args[1] is not SubscriptExpr { Indices: [.., VariableExpr first] } priority || _subscripts.Following(first.Name, 4) is not { } profile)
                return Unsupported(c.Args[1], owner, $"{name}'s priority must be subscripted in its last place by the first of 4 elements of its profile (ptype, ppriority, pwidth, pextra)",
                    hint, DiagnosticCodes.MdlArrayFunction);
            foreach (var at in each)
                foreach (var part in profile)
                    args.Add(Rewrite(priority with { Indices = [.. priority.Indices.SkipLast(1), new VariableExpr(part, part, first.Position)] }, at, owner));
            args.Add(Rewrite(c.Args[2], scope, owner));
        }
        else
        {
            // size: ELMCOUNT(range) or a constant
            double? size = c.Args[2] is CallExpr { Function: "elmcount" } count ? (Rewrite(count, scope, owner) as NumberExpr)?.Value : _evaluator.Evaluate(c.Args[2]);
            if (size != elements.Count)
                return Unsupported(c.Args[2], owner, $"{name}'s size must be a constant equal to the number of elements of '{Names.Display(last.Written)}' ({elements.Count})", hint,
                    DiagnosticCodes.MdlArrayFunction);
            args.AddRange(each.Select(at => Rewrite(c.Args[1], at, owner)));
            args.Add(Rewrite(c.Args[3], scope, owner));
            args.Add(Rewrite(c.Args[4], scope, owner));
        }
        var function = available ? "allocate_available" : "allocate_by_priority";
        return new CallExpr(function, function.ToUpperInvariant(), args, c.Position);
    }

    /// <summary>
    /// The range an array function works along: the last subscript of its <paramref name="vector"/> argument, a range;
    /// the scopes binding it to each of its elements in turn; and the place (from 1) of the element the left-hand side
    /// gives it (directly or by a mapping), which <paramref name="needsPlace"/> requires. Null after reporting a problem.
    /// </summary>
    private (VariableExpr Range, List<Scope> Each, int Place)? Along(Expr vector, Scope scope, string owner, string name, string what, string hint, bool needsPlace)
    {
        if (vector is not SubscriptExpr { Indices: [.., VariableExpr last] } || !_subscripts.IsRange(last.Name))
        {
            Unsupported(vector, owner, $"{name}'s {what} must be subscripted by a range in its last place", hint, DiagnosticCodes.MdlArrayFunction);
            return null;
        }
        var elements = _subscripts.Elements(last.Name)!.ToList();
        int place = _subscripts.Resolve(last.Name, scope.Binding) is { } element ? elements.IndexOf(element) + 1 : 0;
        if (needsPlace && place == 0)
        {
            Unsupported(vector, owner, $"{name} works along '{Names.Display(last.Written)}', which the left-hand side does not give", hint, DiagnosticCodes.MdlArrayFunction);
            return null;
        }
        var each = elements.Select(e => scope with { Binding = new Dictionary<string, string>(scope.Binding) { [last.Name] = e } }).ToList();
        return (last, each, place);
    }

    /// <summary>
    /// VECTOR SORT ORDER(vector[…, range], direction) and VECTOR RANK(vector[…, range], direction), computing one element
    /// of the left-hand side: the builtin given that element's place along the range, the direction and the vector's
    /// value at each element of the range; VECTOR REORDER(vector[…, range], order[…]) is given the order at the
    /// element computed and the vector's values.
    /// </summary>
    private Expr VectorOrder(CallExpr c, Scope scope, string owner)
    {
        string name = Names.Display(c.Written).ToUpperInvariant().Replace('_', ' ');
        bool reorder = c.Function == "vector_reorder";
        string hint = reorder
            ? "Write VECTOR REORDER(vector[…, range], order[…]) with the order as VECTOR SORT ORDER gives it."
            : $"Write {name}(vector[…, range], direction) in an equation whose last subscript is the range (or one mapped to it).";
        if (c.Args.Count != 2)
            return Unsupported(c, owner, $"{name} takes 2 arguments, but is given {c.Args.Count}", hint, DiagnosticCodes.MdlArgumentCount);
        if (Along(c.Args[0], scope, owner, name, "vector", hint, needsPlace: !reorder) is not var (_, each, place)) return new NumberExpr(0, c.Position);
        var args = reorder
            ? new List<Expr> { Rewrite(c.Args[1], scope, owner) }
            : [new NumberExpr(place, c.Position), Rewrite(c.Args[1], scope, owner)];
        args.AddRange(each.Select(at => Rewrite(c.Args[0], at, owner)));
        return new CallExpr(c.Function, c.Function.ToUpperInvariant(), args, c.Position);
    }

    /// <summary>
    /// VECTOR ELM MAP(vector[e₁ …], offset): the builtin given the place, from 0, of the element the subscripts name
    /// (they may be ranges the left-hand side gives) plus the offset, among all the variable's elements (over the
    /// widest range that holds each subscript's element, the last varying fastest), and those elements' values.
    /// </summary>
    private Expr VectorElmMap(CallExpr c, Scope scope, string owner)
    {
        const string hint = "Write VECTOR ELM MAP(variable[element, …], offset), the subscripts elements or ranges of the left-hand side.";
        if (c.Args.Count != 2)
            return Unsupported(c, owner, $"VECTOR ELM MAP takes 2 arguments, but is given {c.Args.Count}", hint, DiagnosticCodes.MdlArgumentCount);
        if (c.Args[0] is not SubscriptExpr vector || !_arrayed.Contains(vector.Name))
            return Unsupported(c.Args[0], owner, "VECTOR ELM MAP's first argument must be a subscripted variable", hint, DiagnosticCodes.MdlArrayFunction);
        var ranges = new List<IReadOnlyList<string>>();
        int at = 0;
        foreach (var index in vector.Indices)
        {
            if ((index as VariableExpr) is not { } name || _subscripts.Resolve(name.Name, scope.Binding) is not { } element || _subscripts.Widest(element) is not { } range)
                return Unsupported(index, owner, "VECTOR ELM MAP's subscripts must be elements, or ranges the left-hand side gives", hint, DiagnosticCodes.MdlArrayFunction);
            at = at * range.Count + range.ToList().IndexOf(element);
            ranges.Add(range);
        }
        var args = new List<Expr> { new BinaryExpr(BinaryOp.Add, new NumberExpr(at, c.Position), Rewrite(c.Args[1], scope, owner), c.Position) };
        var target = scope.Local(vector.Name) ?? vector.Name;
        foreach (var tuple in ArrayFlattener.Tuples(ranges))
        {
            var name = Names.Canonical(_subscripts.ElementName(target, tuple));
            args.Add(new VariableExpr(name, name, vector.Position));
        }
        return new CallExpr("vector_elm_map", "VECTOR_ELM_MAP", args, c.Position);
    }

    private static string Arity(VensimFunctions.Function f) =>
        f.MinArgs == f.MaxArgs ? $"{f.MinArgs} argument{(f.MinArgs == 1 ? "" : "s")}" : $"{f.MinArgs} to {f.MaxArgs} arguments";

    /// <summary>
    /// A call of a macro: the macro's variables are copied under "MACRO NAME.variable" (a number after the macro's
    /// name from its second call on), its inputs read the call's arguments, and the call reads the macro's output.
    /// </summary>
    private Expr ExpandMacro(MdlMacro macro, CallExpr call, Scope scope, string owner)
    {
        if (macro.Outputs.Count > 0)
            return Unsupported(call, owner, $"macro '{macro.Name.Name}' has outputs after ':', which are not supported yet",
                "Give the macro a single result (its own name).", DiagnosticCodes.MdlMacro);
        if (call.Args.Count != macro.Inputs.Count)
            return Unsupported(call, owner, $"macro '{macro.Name.Name}' takes {macro.Inputs.Count} arguments, but is given {call.Args.Count}",
                "Fix the number of arguments.", DiagnosticCodes.MdlMacro);
        int instance = _macroInstances[macro.Name.Canonical] = _macroInstances.GetValueOrDefault(macro.Name.Canonical) + 1;
        var prefix = Display(macro.Name.Name) + (instance == 1 ? "" : " " + instance.ToString(CultureInfo.InvariantCulture)) + ".";
        if (_macroInstances[macro.Name.Canonical] > 1000)
            return Unsupported(call, owner, $"macro '{macro.Name.Name}' calls itself", "A macro cannot call itself, directly or through another.", DiagnosticCodes.MdlMacro);

        var locals = new Dictionary<string, string>();
        foreach (var element in macro.Elements.OfType<MdlEquation>())
            locals[element.Lhs.Name.Canonical] = Names.Canonical(prefix + Display(element.Lhs.Name.Name));
        for (int i = 0; i < macro.Inputs.Count; i++)
        {
            var argument = Rewrite(call.Args[i], scope, owner);
            var inputName = prefix + Display(macro.Inputs[i].Name);
            Add(new Variable { Name = inputName, Kind = VariableKind.Aux, Equation = Write(argument, _source.At(call.Position)), Location = _source.At(call.Position) });
            locals[macro.Inputs[i].Canonical] = Names.Canonical(inputName);
        }
        var inner = new Scope(n => locals.TryGetValue(n, out var l) ? l : null, prefix);
        foreach (var element in macro.Elements.OfType<MdlEquation>())
            TranslateEquation(element, inner, prefix + Display(element.Lhs.Name.Name));
        if (!locals.TryGetValue(macro.Name.Canonical, out var output))
            return Unsupported(call, owner, $"macro '{macro.Name.Name}' has no equation for its result '{macro.Name.Name}'",
                "Define the macro's result: a variable named like the macro.", DiagnosticCodes.MdlMacro);
        return new VariableExpr(output, output, call.Position);
    }

    private NumberExpr Unsupported(Expr e, string owner, string message, string hint, DiagnosticCode? code = null)
    {
        Problem(code ?? DiagnosticCodes.MdlUnsupported, message, e.Position, owner, hint);
        return new NumberExpr(0, e.Position);
    }

    /// <summary>
    /// Reports a problem once per place in the file: an arrayed equation is translated once per element, and its
    /// problem is the same for each, so it is reported for the first element only.
    /// </summary>
    private void Problem(DiagnosticCode code, string message, int offset, string? variable, string hint)
    {
        if (_reported.Add((code.Id, message, offset)))
            problems.Add(new Diagnostic(code, message, _source.At(offset), variable, hint));
    }

    /// <summary>A translated expression as the model's equation: its XMILE text, parsed (so the resolver reads it as it reads XMILE's).</summary>
    private static Equation Write(Expr e, SourceLocation? location) => Equation.Parse(ExprWriter.Write(e), location);

    /// <summary>
    /// Evaluates, before the run, what Vensim computes once at the start: the control variables (from constants only),
    /// and the order of SMOOTH N and DELAY N (its initial value, so also TIME, STEP and IF THEN ELSE at the start time).
    /// </summary>
    private sealed class ConstantEvaluator(Dictionary<string, MdlEquation> equations)
    {
        private readonly HashSet<string> _visiting = new();

        /// <summary>The start time and DT, once known; while null, an expression reading TIME is not constant.</summary>
        public (double Time, double Dt)? Start { get; set; }

        public double? Evaluate(string canonical)
        {
            if (canonical == "time") return Start?.Time;
            if (!equations.TryGetValue(canonical, out var equation) || !_visiting.Add(canonical)) return null;
            try { return Evaluate(equation.Expression!); }
            finally { _visiting.Remove(canonical); }
        }

        public double? Evaluate(Expr e) => e switch
        {
            NumberExpr n => n.Value,
            VariableExpr v => Evaluate(v.Name),
            UnaryExpr { Op: UnaryOp.Negate } u => -Evaluate(u.Operand),
            UnaryExpr { Op: UnaryOp.Plus } u => Evaluate(u.Operand),
            BinaryExpr b when Evaluate(b.Left) is { } l && Evaluate(b.Right) is { } r => b.Op switch
            {
                BinaryOp.Add => l + r,
                BinaryOp.Subtract => l - r,
                BinaryOp.Multiply => l * r,
                BinaryOp.Divide => l / r,
                BinaryOp.Power => Math.Pow(l, r),
                BinaryOp.Equal => l == r ? 1 : 0,
                BinaryOp.NotEqual => l != r ? 1 : 0,
                BinaryOp.Less => l < r ? 1 : 0,
                BinaryOp.LessEqual => l <= r ? 1 : 0,
                BinaryOp.Greater => l > r ? 1 : 0,
                BinaryOp.GreaterEqual => l >= r ? 1 : 0,
                _ => null,
            },
            CallExpr { Function: "if_then_else", Args: [var c, var t, var f] } => Evaluate(c) is { } condition ? Evaluate(condition != 0 ? t : f) : null,
            // Vensim's STEP at the start time: on when START + DT/2 > its time.
            CallExpr { Function: "step", Args: [var height, var at] } when Start is var (time, dt) && Evaluate(at) is { } stepTime =>
                time + dt / 2 > stepTime ? Evaluate(height) : 0,
            CallExpr { Function: "min", Args: [var a, var b] } when Evaluate(a) is { } x && Evaluate(b) is { } y => Math.Min(x, y),
            CallExpr { Function: "max", Args: [var a, var b] } when Evaluate(a) is { } x && Evaluate(b) is { } y => Math.Max(x, y),
            _ => null,
        };
    }
}
