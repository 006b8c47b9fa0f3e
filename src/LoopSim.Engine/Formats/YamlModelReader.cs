using System.Globalization;
using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Validation;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Engine.Formats;

/// <summary>
/// Reads LoopSim's YAML model format (docs/yaml-format.md) into the same <see cref="SdModel"/> as XMILE.
/// Equations are parsed here, each located at its text in the YAML file so that equation errors land on the right
/// line and column. All problems found are reported together in one <see cref="ModelException"/>.
/// </summary>
public static class YamlModelReader
{
    public static SdModel Load(string path) => Read(YamlFile.Load(path, "model file"));

    public static SdModel Parse(string yaml, string? sourceFile = null) => Read(YamlFile.Parse(yaml, sourceFile));

    private static readonly string[] TopKeys = ["model", "description", "sim", "dimensions", "constants", "stocks", "flows", "auxiliaries", "graphical_functions"];
    private static readonly string[] SimKeys = ["start", "stop", "dt", "save_step", "method", "time_units"];
    private static readonly string[] ConstantKeys = ["value", "dimensions", "units", "range", "description", "source"];
    private static readonly string[] StockKeys = ["initial", "dimensions", "inflows", "outflows", "non_negative", "units", "description"];
    private static readonly string[] FlowKeys = ["equation", "dimensions", "graph", "non_negative", "units", "description"];
    private static readonly string[] AuxKeys = ["equation", "dimensions", "graph", "units", "description"];
    private static readonly string[] GraphKeys = ["type", "points", "x", "y"];
    private static readonly string[] NamedGraphKeys = ["type", "points", "x", "y", "units", "description"];

    private static readonly Dictionary<string, IntegrationMethod> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["euler"] = IntegrationMethod.Euler, ["rk2"] = IntegrationMethod.RK2, ["rk4"] = IntegrationMethod.RK4,
    };

    private static readonly Dictionary<string, GraphType> GraphTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["continuous"] = GraphType.Continuous, ["extrapolate"] = GraphType.Extrapolate, ["discrete"] = GraphType.Discrete,
    };

    private static SdModel Read(YamlFile file) => new Reader(file).Read();

    /// <summary>One reading of one file: collects diagnostics so that a modeller sees every problem at once.</summary>
    private sealed class Reader(YamlFile file)
    {
        private readonly List<Diagnostic> _diagnostics = new();
        private readonly Dictionary<string, (Variable Variable, string Section, SourceLocation At)> _names = new();
        private readonly List<(string Stock, string Flow, YamlNode Node, string Role)> _flowReferences = new();
        private readonly Dictionary<string, ArrayDimension> _dimensions = new();

        public SdModel Read()
        {
            if (file.Root is null || YamlFile.IsNull(file.Root))
                throw new ModelException(DiagnosticCodes.FileEmpty, "the model file is empty; a model needs at least 'sim:' and some variables.", new SourceLocation(file.Path, 1, 1));
            var top = file.Fields(file.Root, "the model file", TopKeys);
            var model = new SdModel
            {
                Name = top.Text("model") ?? (file.Path is null ? "model" : System.IO.Path.GetFileNameWithoutExtension(file.Path)),
                SourceFile = file.Path,
            };
            top.Text("description"); // for readers of the file; checked to be text, not used by the engine

            Collect(() => model.Specs = ReadSim(top));
            if (top.Get("dimensions") is { } dimensions) Collect(() => ReadDimensions(dimensions));
            var variables = new List<ArrayedVariable>();
            // Sections in file order, so that the model lists variables as the modeller wrote them.
            foreach (var (keyNode, section) in top.Mapping.Children)
            {
                Func<string, YamlNode, ArrayedVariable>? read = ((YamlScalarNode)keyNode).Value switch
                {
                    "constants" => ReadConstant,
                    "stocks" => ReadStock,
                    "flows" => ReadFlow,
                    "auxiliaries" => ReadAux,
                    "graphical_functions" => ReadNamedGraph,
                    _ => null,
                };
                if (read is null) continue;
                var sectionName = ((YamlScalarNode)keyNode).Value!;
                IReadOnlyList<(string Key, YamlScalarNode KeyNode, YamlNode Value)> entries = [];
                Collect(() => entries = file.Entries(section, $"'{sectionName}'"));
                foreach (var (name, nameNode, definition) in entries)
                    Collect(() =>
                    {
                        var variable = read(name, definition);
                        if (Register(variable.Elements[0].Element, name, SectionLabel(sectionName), nameNode))
                            variables.Add(variable);
                    });
            }
            CheckFlowReferences();
            model.Dimensions.AddRange(_dimensions.Values);
            model.Variables.AddRange(_dimensions.Count == 0 ? variables.Select(v => v.Elements[0].Element)
                : ArrayFlattener.Flatten(_dimensions.Values, variables, model.Dialect, _diagnostics));
            if (_diagnostics.Count > 0) throw new ModelException(_diagnostics);
            return model;
        }

        private void Collect(Action read)
        {
            try { read(); }
            catch (ModelException e) { _diagnostics.AddRange(e.Diagnostics); }
        }

        private SimSpecs ReadSim(YamlFields top)
        {
            var sim = file.Fields(top.Require("sim", "Give start, stop and dt, e.g. 'sim: {start: 0, stop: 156, dt: 0.25}'."), "'sim'", SimKeys);
            var start = file.Number(sim.Require("start"), "'start' of 'sim'");
            var stop = file.Number(sim.Require("stop"), "'stop' of 'sim'");
            var dt = file.Number(sim.Require("dt"), "'dt' of 'sim'");
            var saveStep = sim.Number("save_step");
            var method = IntegrationMethod.Euler;
            if (sim.Get("method") is { } methodNode)
            {
                var text = file.Text(methodNode, "'method' of 'sim'");
                if (!Methods.TryGetValue(text, out method))
                    throw file.Error(methodNode, DiagnosticCodes.UnknownMethod, $"unknown integration method '{text}'.", Allowed(text, Methods.Keys));
            }
            var specs = new SimSpecs { Start = start, Stop = stop, Dt = dt, SaveStep = saveStep, Method = method, TimeUnits = sim.Text("time_units") };
            SpecField Field(string key) => new($"'{key}'", sim.Get(key) is { } node ? file.Locate(node) : file.Locate(sim.Mapping));
            _diagnostics.AddRange(ModelValidator.CheckSpecs(specs, new SimSpecsSource(Field("start"), Field("stop"), Field("dt"), Field("save_step"))));
            return specs;
        }

        /// <summary>'dimensions:': each dimension a list of element names, or a size n (elements 1 … n).</summary>
        private void ReadDimensions(YamlNode node)
        {
            foreach (var (name, nameNode, value) in file.Entries(node, "'dimensions'"))
                Collect(() =>
                {
                    var elements = value is YamlScalarNode
                        ? Enumerable.Range(1, file.Integer(value, $"the size of dimension '{name}'")).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList()
                        : file.NameList(value, $"the elements of dimension '{name}'").Select(e => e.Name).ToList();
                    if (elements.Count == 0)
                        throw file.Error(value, DiagnosticCodes.UnknownDimension, $"dimension '{name}' has no elements.", "Give a size, 'Region: 3', or a list, 'Region: [north, south]'.");
                    if (elements.Select(Names.Canonical).Distinct().Count() != elements.Count)
                        throw file.Error(value, DiagnosticCodes.DuplicateName, $"dimension '{name}' names an element twice.");
                    if (!_dimensions.TryAdd(Names.Canonical(name), new ArrayDimension(name, elements)))
                        throw file.Error(nameNode, DiagnosticCodes.DuplicateName, $"dimension '{name}' is declared twice.");
                });
        }

        /// <summary>
        /// A variable, arrayed when it has 'dimensions: [X, Y]': <paramref name="definition"/> (its equation, initial value
        /// or value) is then one for all elements, or a mapping from each element ("a" or "a, b") to its own.
        /// <paramref name="element"/> makes the variable of one element from its name and definition.
        /// </summary>
        private ArrayedVariable Arrayed(string name, YamlFields fields, YamlNode definition, Func<string, YamlNode, Variable> element)
        {
            if (fields.Get("dimensions") is not { } dimensionsNode) return ArrayedVariable.Scalar(element(name, definition));
            var over = new List<ArrayDimension>();
            foreach (var (dimension, node) in file.NameList(dimensionsNode, $"'dimensions' of '{name}'"))
            {
                if (!_dimensions.TryGetValue(Names.Canonical(dimension), out var known))
                    throw file.Error(node, DiagnosticCodes.UnknownDimension, $"'{name}' is arrayed over '{dimension}', which is not a dimension of the model.",
                        Names.DidYouMean(dimension, _dimensions.Values.Select(d => d.Name)) ?? "Declare it under the top-level 'dimensions:'.", name);
                over.Add(known);
            }
            var cells = ArrayFlattener.Cells(over);
            var own = new Dictionary<string, YamlNode>();
            if (definition is YamlMappingNode)
            {
                foreach (var (subscript, keyNode, value) in file.Entries(definition, $"the elements of '{name}'"))
                {
                    var written = subscript.Split(',').Select(x => x.Trim()).ToList();
                    if (written.Count != over.Count)
                        throw file.Error(keyNode, DiagnosticCodes.SubscriptCount, $"'{subscript}' names {written.Count} element(s) of '{name}', which has {over.Count} dimension(s).",
                            $"Name one element of each dimension, in order: {string.Join(", ", over.Select(d => d.Name))}.", name);
                    var cell = new List<int>();
                    for (int k = 0; k < over.Count; k++)
                    {
                        int position = over[k].Position(written[k]);
                        if (position < 0)
                            throw file.Error(keyNode, DiagnosticCodes.UnknownElement, $"'{written[k]}' is not an element of {over[k].Name}.",
                                Names.DidYouMean(written[k], over[k].Elements) ?? $"The elements of {over[k].Name} are {over[k].Describe()}.", name);
                        cell.Add(position);
                    }
                    if (!own.TryAdd(string.Join(",", cell), value))
                        throw file.Error(keyNode, DiagnosticCodes.GivenTwice, $"element [{subscript}] of '{name}' is given twice.", variable: name);
                }
                var missing = cells.Where(c => !own.ContainsKey(string.Join(",", c))).ToList();
                if (missing.Count > 0)
                    throw file.Error(definition, DiagnosticCodes.EquationMissing,
                        $"'{name}' gives no equation for {string.Join(", ", missing.Take(3).Select(c => ArrayFlattener.ElementName(name, over, c)))}{(missing.Count > 3 ? $" and {missing.Count - 3} more" : "")}.",
                        "Give every element, or one equation for all.", name);
            }
            var elements = cells.Select(c => ((IReadOnlyList<int>)c, element(ArrayFlattener.ElementName(name, over, c), own.GetValueOrDefault(string.Join(",", c), definition)))).ToList();
            return new ArrayedVariable(name, over, elements);
        }

        private ArrayedVariable ReadConstant(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"constant '{name}'", ConstantKeys);
            return Arrayed(name, fields, fields.Require("value"), (elementName, valueNode) => ReadConstantElement(elementName, fields, valueNode));
        }

        private Variable ReadConstantElement(string name, YamlFields fields, YamlNode valueNode)
        {
            var value = file.Number(valueNode, $"'value' of constant '{name}'");
            var variable = new Variable
            {
                Name = name, Kind = VariableKind.Aux, Equation = Equation.Constant(value, file.Locate(valueNode)),
                Units = fields.Text("units"), Description = fields.Text("description"), Source = fields.Text("source"),
                Location = file.Locate(valueNode),
            };
            if (fields.Get("range") is { } rangeNode)
            {
                var bounds = file.Sequence(rangeNode, $"'range' of constant '{name}'");
                if (bounds.Children.Count != 2)
                    throw file.Error(rangeNode, DiagnosticCodes.RangeMalformed, $"'range' of constant '{name}' must be two numbers [min, max], not {bounds.Children.Count}.");
                var min = file.Number(bounds[0], $"the minimum of constant '{name}'");
                var max = file.Number(bounds[1], $"the maximum of constant '{name}'");
                if (min > max) throw file.Error(rangeNode, DiagnosticCodes.RangeMalformed, $"'range' of constant '{name}' has min {Format(min)} above max {Format(max)}.");
                variable.Range = (min, max);
                if (ModelValidator.CheckRange(variable, value, "the model file", file.Locate(valueNode)) is { } outside)
                    throw new ModelException(outside);
            }
            return variable;
        }

        private ArrayedVariable ReadStock(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"stock '{name}'", StockKeys);
            var initial = fields.Require("initial", "Give the initial value, a number or an equation.");
            var flows = new[] { "inflow", "outflow" }.ToDictionary(role => role, role => fields.Get(role + "s") is { } namesNode
                ? file.NameList(namesNode, $"'{role}s' of stock '{name}'") : []);
            foreach (var (role, list) in flows)
                foreach (var (flow, flowNode) in list)
                    _flowReferences.Add((name, flow, flowNode, role));
            return Arrayed(name, fields, initial, (elementName, initialNode) =>
            {
                var stock = new Variable
                {
                    Name = elementName, Kind = VariableKind.Stock, Equation = Parse(initialNode, $"'initial' of stock '{elementName}'", elementName),
                    NonNegative = fields.Boolean("non_negative") ?? false,
                    Units = fields.Text("units"), Description = fields.Text("description"), Location = file.LocateText(initialNode),
                };
                stock.Inflows.AddRange(flows["inflow"].Select(f => f.Name));
                stock.Outflows.AddRange(flows["outflow"].Select(f => f.Name));
                return stock;
            });
        }

        private ArrayedVariable ReadFlow(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"flow '{name}'", FlowKeys);
            var graph = fields.Get("graph") is { } graphNode ? ReadGraph(file.Fields(graphNode, $"'graph' of flow '{name}'", GraphKeys)) : null;
            return Arrayed(name, fields, fields.Require("equation"), (elementName, equation) => new Variable
            {
                Name = elementName, Kind = VariableKind.Flow, Equation = Parse(equation, $"'equation' of flow '{elementName}'", elementName),
                NonNegative = fields.Boolean("non_negative") ?? false, Graph = graph,
                Units = fields.Text("units"), Description = fields.Text("description"), Location = file.LocateText(equation),
            });
        }

        private ArrayedVariable ReadAux(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"auxiliary '{name}'", AuxKeys);
            var graph = fields.Get("graph") is { } graphNode ? ReadGraph(file.Fields(graphNode, $"'graph' of auxiliary '{name}'", GraphKeys)) : null;
            var equation = fields.Require("equation", graph is null ? null : "A graph needs an input: 'equation' gives the x at which it is read.");
            return Arrayed(name, fields, equation, (elementName, elementEquation) => new Variable
            {
                Name = elementName, Kind = VariableKind.Aux, Equation = Parse(elementEquation, $"'equation' of auxiliary '{elementName}'", elementName),
                Graph = graph, Units = fields.Text("units"), Description = fields.Text("description"), Location = file.LocateText(elementEquation),
            });
        }

        /// <summary>An equation from a scalar node, parsed where its text starts in the file.</summary>
        private Equation Parse(YamlNode node, string what, string variable) =>
            Equation.Parse(file.Text(node, what), file.LocateText(node), variable);

        private ArrayedVariable ReadNamedGraph(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"graphical function '{name}'", NamedGraphKeys);
            return ArrayedVariable.Scalar(new Variable
            {
                Name = name, Kind = VariableKind.Aux, Graph = ReadGraph(fields),
                Units = fields.Text("units"), Description = fields.Text("description"), Location = file.Locate(fields.Mapping),
            });
        }

        private GraphicalFunction ReadGraph(YamlFields graph)
        {
            var type = GraphType.Continuous;
            if (graph.Get("type") is { } typeNode)
            {
                var text = file.Text(typeNode, $"'type' of {graph.What}");
                if (!GraphTypes.TryGetValue(text, out type))
                    throw file.Error(typeNode, DiagnosticCodes.UnknownChoice, $"unknown graph type '{text}' in {graph.What}.", Allowed(text, GraphTypes.Keys));
            }
            var points = graph.Get("points");
            var xNode = graph.Get("x");
            var yNode = graph.Get("y");
            List<(double X, double Y, YamlNode Node)> table;
            if (points is not null)
            {
                if (xNode is not null || yNode is not null)
                    throw file.Error(points, DiagnosticCodes.GraphMalformed, $"{graph.What} gives both 'points' and 'x'/'y'; give one or the other.");
                table = file.Sequence(points, $"'points' of {graph.What}").Children.Select(point =>
                {
                    var pair = point as YamlSequenceNode;
                    if (pair is null || pair.Children.Count != 2)
                        throw file.Error(point, DiagnosticCodes.GraphMalformed, $"each point of {graph.What} must be a pair [x, y].");
                    return (file.Number(pair[0], $"an x of {graph.What}"), file.Number(pair[1], $"a y of {graph.What}"), (YamlNode)point);
                }).ToList();
            }
            else
            {
                if (xNode is null || yNode is null)
                    throw file.Error(graph.Mapping, DiagnosticCodes.GraphMalformed, $"{graph.What} needs 'points: [[x, y], ...]', or both 'x: [...]' and 'y: [...]'.");
                var xs = file.Sequence(xNode, $"'x' of {graph.What}").Children;
                var ys = file.Sequence(yNode, $"'y' of {graph.What}").Children;
                if (xs.Count != ys.Count)
                    throw file.Error(yNode, DiagnosticCodes.GraphMalformed, $"{graph.What} has {xs.Count} x values but {ys.Count} y values; they must pair up.");
                table = xs.Zip(ys, (x, y) => (file.Number(x, $"an x of {graph.What}"), file.Number(y, $"a y of {graph.What}"), x)).ToList();
            }
            if (table.Count < 2)
                throw file.Error(points ?? xNode!, DiagnosticCodes.GraphMalformed, $"{graph.What} needs at least two points.");
            for (int i = 1; i < table.Count; i++)
                if (table[i].X <= table[i - 1].X)
                    throw file.Error(table[i].Node, DiagnosticCodes.GraphMalformed, $"the x values of {graph.What} must increase: point {i + 1} has x = {Format(table[i].X)} after x = {Format(table[i - 1].X)}.",
                        "Sort the points by x; each x may appear once.");
            return new GraphicalFunction(type, table.Select(p => p.X).ToArray(), table.Select(p => p.Y).ToArray());
        }

        /// <summary>Registers a variable (of an arrayed one, its first element) under its name as written.</summary>
        private bool Register(Variable variable, string name, string section, YamlNode nameNode)
        {
            var canonical = Names.Canonical(name);
            if (canonical.Length == 0)
            {
                _diagnostics.Add(new Diagnostic(DiagnosticCodes.NameMissing, $"a {section} has an empty name.", file.Locate(nameNode)));
                return false;
            }
            if (_names.TryGetValue(canonical, out var other))
            {
                _diagnostics.Add(new Diagnostic(DiagnosticCodes.DuplicateName,
                    $"the name '{name}' is already used by the {other.Section} '{other.Variable.Name}' at {other.At}.",
                    file.Locate(nameNode), Hint: "Names ignore case, and spaces equal underscores; rename one of them."));
                return false;
            }
            _names[canonical] = (variable, section, file.Locate(nameNode));
            return true;
        }

        private void CheckFlowReferences()
        {
            var flows = _names.Values.Where(n => n.Variable.Kind == VariableKind.Flow).Select(n => n.Variable.Name).ToList();
            foreach (var (stock, flow, node, role) in _flowReferences)
            {
                if (!_names.TryGetValue(Names.Canonical(flow), out var target))
                {
                    _diagnostics.Add(new Diagnostic(DiagnosticCodes.UnknownName, $"{role} '{flow}' of stock '{stock}' names no flow.", file.Locate(node),
                        Hint: Names.DidYouMean(flow, flows) ?? "Define it under 'flows:'."));
                }
                else if (target.Variable.Kind != VariableKind.Flow)
                {
                    _diagnostics.Add(new Diagnostic(DiagnosticCodes.NotAFlow, $"{role} '{flow}' of stock '{stock}' is the {target.Section} '{target.Variable.Name}', not a flow.",
                        file.Locate(node), Hint: "Only variables under 'flows:' can fill or drain a stock."));
                }
            }
        }

        private static string SectionLabel(string section) => section switch
        {
            "constants" => "constant",
            "stocks" => "stock",
            "flows" => "flow",
            "auxiliaries" => "auxiliary",
            _ => "graphical function",
        };

        private static string Allowed(string written, IEnumerable<string> allowed)
        {
            var close = Names.Suggest(written, allowed, 1);
            return (close.Count > 0 ? $"Did you mean '{close[0]}'? " : "") + "Allowed: " + string.Join(", ", allowed) + ".";
        }
    }

    /// <summary>Shortest text that reads back as the same double.</summary>
    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
