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

    private static readonly string[] TopKeys = ["model", "description", "sim", "constants", "stocks", "flows", "auxiliaries", "graphical_functions"];
    private static readonly string[] SimKeys = ["start", "stop", "dt", "save_step", "method", "time_units"];
    private static readonly string[] ConstantKeys = ["value", "units", "range", "description", "source"];
    private static readonly string[] StockKeys = ["initial", "inflows", "outflows", "non_negative", "units", "description"];
    private static readonly string[] FlowKeys = ["equation", "graph", "non_negative", "units", "description"];
    private static readonly string[] AuxKeys = ["equation", "graph", "units", "description"];
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
        private readonly List<(Variable Stock, string Flow, YamlNode Node, string Role)> _flowReferences = new();

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
            // Sections in file order, so that the model lists variables as the modeller wrote them.
            foreach (var (keyNode, section) in top.Mapping.Children)
            {
                Func<string, YamlNode, Variable>? read = ((YamlScalarNode)keyNode).Value switch
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
                        if (Register(variable, SectionLabel(sectionName), nameNode))
                            model.Variables.Add(variable);
                    });
            }
            CheckFlowReferences();
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

        private Variable ReadConstant(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"constant '{name}'", ConstantKeys);
            var valueNode = fields.Require("value");
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

        private Variable ReadStock(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"stock '{name}'", StockKeys);
            var initial = fields.Require("initial", "Give the initial value, a number or an equation.");
            var stock = new Variable
            {
                Name = name, Kind = VariableKind.Stock, Equation = Parse(initial, $"'initial' of stock '{name}'", name),
                NonNegative = fields.Boolean("non_negative") ?? false,
                Units = fields.Text("units"), Description = fields.Text("description"), Location = file.LocateText(initial),
            };
            foreach (var (role, list) in new[] { ("inflow", stock.Inflows), ("outflow", stock.Outflows) })
            {
                if (fields.Get(role + "s") is not { } namesNode) continue;
                foreach (var (flow, flowNode) in file.NameList(namesNode, $"'{role}s' of stock '{name}'"))
                {
                    list.Add(flow);
                    _flowReferences.Add((stock, flow, flowNode, role));
                }
            }
            return stock;
        }

        private Variable ReadFlow(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"flow '{name}'", FlowKeys);
            var equation = fields.Require("equation");
            return new Variable
            {
                Name = name, Kind = VariableKind.Flow, Equation = Parse(equation, $"'equation' of flow '{name}'", name),
                NonNegative = fields.Boolean("non_negative") ?? false,
                Graph = fields.Get("graph") is { } graph ? ReadGraph(file.Fields(graph, $"'graph' of flow '{name}'", GraphKeys)) : null,
                Units = fields.Text("units"), Description = fields.Text("description"), Location = file.LocateText(equation),
            };
        }

        private Variable ReadAux(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"auxiliary '{name}'", AuxKeys);
            var equation = fields.Require("equation", fields.Get("graph") is null ? null : "A graph needs an input: 'equation' gives the x at which it is read.");
            return new Variable
            {
                Name = name, Kind = VariableKind.Aux, Equation = Parse(equation, $"'equation' of auxiliary '{name}'", name),
                Graph = fields.Get("graph") is { } graph ? ReadGraph(file.Fields(graph, $"'graph' of auxiliary '{name}'", GraphKeys)) : null,
                Units = fields.Text("units"), Description = fields.Text("description"), Location = file.LocateText(equation),
            };
        }

        /// <summary>An equation from a scalar node, parsed where its text starts in the file.</summary>
        private Equation Parse(YamlNode node, string what, string variable) =>
            Equation.Parse(file.Text(node, what), file.LocateText(node), variable);

        private Variable ReadNamedGraph(string name, YamlNode node)
        {
            var fields = file.Fields(node, $"graphical function '{name}'", NamedGraphKeys);
            return new Variable
            {
                Name = name, Kind = VariableKind.Aux, Graph = ReadGraph(fields),
                Units = fields.Text("units"), Description = fields.Text("description"), Location = file.Locate(fields.Mapping),
            };
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

        private bool Register(Variable variable, string section, YamlNode nameNode)
        {
            var canonical = variable.CanonicalName;
            if (canonical.Length == 0)
            {
                _diagnostics.Add(new Diagnostic(DiagnosticCodes.NameMissing, $"a {section} has an empty name.", file.Locate(nameNode)));
                return false;
            }
            if (_names.TryGetValue(canonical, out var other))
            {
                _diagnostics.Add(new Diagnostic(DiagnosticCodes.DuplicateName,
                    $"the name '{variable.Name}' is already used by the {other.Section} '{other.Variable.Name}' at {other.At}.",
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
                    _diagnostics.Add(new Diagnostic(DiagnosticCodes.UnknownName, $"{role} '{flow}' of stock '{stock.Name}' names no flow.", file.Locate(node),
                        Hint: Names.DidYouMean(flow, flows) ?? "Define it under 'flows:'."));
                }
                else if (target.Variable.Kind != VariableKind.Flow)
                {
                    _diagnostics.Add(new Diagnostic(DiagnosticCodes.NotAFlow, $"{role} '{flow}' of stock '{stock.Name}' is the {target.Section} '{target.Variable.Name}', not a flow.",
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
