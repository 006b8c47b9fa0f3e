using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Validation;

namespace LoopSim.Engine.Formats;

/// <summary>
/// Reads an XMILE model (.xmile, .stmx) into the format-neutral <see cref="SdModel"/>.
/// Accepts what real files contain: the OASIS namespace, the older systemdynamics.org one or
/// none; the isee: prefix used without being declared; Stella 10 files with variables directly
/// under &lt;model&gt;; modules, which are flattened into one model with dotted names ("hares.births").
/// Every equation is parsed here, so a syntax error names the file, line and column; all problems of a file are
/// reported together. The header's &lt;product&gt; says whose builtin semantics apply (<see cref="Dialect"/>).
/// </summary>
public static class XmileReader
{
    private const string IseeNamespace = "http://iseesystems.com/XMILE";

    private static readonly HashSet<string> XmileNamespaces = new()
    {
        "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0",
        "http://www.systemdynamics.org/XMILE",
        "",
    };

    /// <summary>Reads an XMILE file. Throws <see cref="ModelException"/> if it cannot be read or is not a valid model.</summary>
    public static SdModel Load(string path)
    {
        string xml;
        try
        {
            xml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelException(DiagnosticCodes.FileUnreadable, $"cannot read the model file: {e.Message}", new SourceLocation(path, 0, 0));
        }
        return Parse(xml, path);
    }

    /// <summary>Reads XMILE text; <paramref name="sourceFile"/> is only used in error messages and as the model's source.</summary>
    public static SdModel Parse(string xml, string? sourceFile = null)
    {
        var root = LoadXml(xml, sourceFile).Root!;
        var reading = new Reading(sourceFile);
        if (root.Name.LocalName != "xmile")
            throw new ModelException(DiagnosticCodes.NotXmile, $"not an XMILE file: the root element is <{root.Name.LocalName}>, expected <xmile>", reading.Where(root));

        var model = new SdModel
        {
            Name = Text(Child(Child(root, "header"), "name"))
                   ?? (sourceFile is null ? "model" : Path.GetFileNameWithoutExtension(sourceFile)),
            SourceFile = sourceFile,
            Dialect = ReadDialect(Child(root, "header")),
        };
        model.Specs = reading.Catch(() => ReadSimSpecs(Child(root, "sim_specs"), root, reading)) ?? model.Specs;
        model.UnitDefinitions.AddRange(ReadModelUnits(Child(root, "model_units")));

        var defaults = ReadBehavior(Child(root, "behavior"), NonNegativeDefaults.None, reading);
        var dimensions = ReadDimensions(Child(root, "dimensions"), reading);
        model.Dimensions.AddRange(dimensions.Values);
        var definitions = Children(root, "model").Select(m => ReadModelDefinition(m, defaults, dimensions, model.Dialect, reading)).ToList();
        if (definitions.Count == 0)
            reading.Add(DiagnosticCodes.XmileElementMissing, "the file has no <model> element", root, hint: "An XMILE file needs a <model> holding its variables.");
        reading.ThrowIfAny();

        var flattener = new ModuleFlattener(definitions, reading);
        flattener.Flatten(model.Variables);
        reading.ThrowIfAny();

        PromoteAuxiliariesUsedAsFlows(model.Variables);
        return model;
    }

    private static XDocument LoadXml(string xml, string? file)
    {
        // 89 files of the SDXorg suite use isee: without declaring it: pre-declare the prefix.
        var names = new NameTable();
        var namespaces = new XmlNamespaceManager(names);
        namespaces.AddNamespace("isee", IseeNamespace);
        var context = new XmlParserContext(names, namespaces, null, XmlSpace.None);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings, context);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            // The location goes in front of the message; drop XmlException's own trailing copy of it.
            var message = Regex.Replace(e.Message, @"\s*Line \d+, position \d+\.\s*$", "");
            throw new ModelException(DiagnosticCodes.XmlMalformed, $"malformed XML: {message}", new SourceLocation(file, e.LineNumber, e.LinePosition),
                hint: "Fix the XML at that place (a missing or mismatched closing tag is the usual cause).");
        }
    }

    /// <summary>Vensim's XMILE export keeps Vensim's semantics (INT truncates, MOD takes the dividend's sign); every other tool follows the spec.</summary>
    private static Dialect ReadDialect(XElement? header)
    {
        var product = Text(Child(header, "product")) ?? Text(Child(header, "vendor")) ?? "";
        return product.Contains("Vensim", StringComparison.OrdinalIgnoreCase) || product.Contains("Ventana", StringComparison.OrdinalIgnoreCase)
            ? Dialect.Vensim : Dialect.Xmile;
    }

    /// <summary>&lt;model_units&gt;: each &lt;unit name=…&gt; with its optional &lt;eqn&gt; (its definition in other units) and &lt;alias&gt;es.</summary>
    private static IEnumerable<UnitDefinition> ReadModelUnits(XElement? units) =>
        units is null ? [] : Children(units, "unit")
            .Where(u => !string.IsNullOrWhiteSpace(u.Attribute("name")?.Value))
            .Select(u => new UnitDefinition(u.Attribute("name")!.Value.Trim(), Text(Child(u, "eqn")),
                Children(u, "alias").Select(a => a.Value.Trim()).Where(a => a.Length > 0).ToList()));

    // ---- sim specs -------------------------------------------------------------------------

    private static SimSpecs ReadSimSpecs(XElement? specs, XElement root, Reading reading)
    {
        if (specs is null)
            throw new ModelException(DiagnosticCodes.XmileElementMissing, "the file has no <sim_specs>", reading.Where(root),
                hint: "Add <sim_specs><start>0</start><stop>100</stop><dt>1</dt></sim_specs>.");

        double start = RequiredNumber(specs, "start", reading);
        double stop = RequiredNumber(specs, "stop", reading);

        double dt = 1;
        var dtElement = Child(specs, "dt");
        if (dtElement is not null)
        {
            dt = ParseNumberOrFraction(dtElement.Value, dtElement, "<dt>", reading);
            if (IsTrue(dtElement.Attribute("reciprocal")?.Value)) dt = 1 / dt;
        }

        double? saveStep = null;
        var saveInterval = specs.Attributes().FirstOrDefault(a => a.Name.LocalName == "save_interval");
        var saveElement = Child(specs, "savestep") ?? Child(specs, "save_step");
        if (saveInterval is not null || saveElement is not null)
            saveStep = ParseNumberOrFraction(saveElement?.Value ?? saveInterval!.Value, saveElement ?? specs, "the save step", reading);

        var read = new SimSpecs
        {
            Start = start,
            Stop = stop,
            Dt = dt,
            SaveStep = saveStep,
            Method = ReadMethod(specs, reading),
            TimeUnits = NullIfEmpty(specs.Attribute("time_units")?.Value),
        };
        SpecField Field(string name, XElement? element) => new(name, reading.Where(element ?? specs));
        ModelValidator.ValidateSpecs(read, new SimSpecsSource(Field("<start>", Child(specs, "start")), Field("<stop>", Child(specs, "stop")),
            Field("<dt>", dtElement), Field("the save step", saveElement)));
        return read;
    }

    private static IntegrationMethod ReadMethod(XElement specs, Reading reading)
    {
        var method = specs.Attribute("method")?.Value.Trim();
        return method?.ToLowerInvariant() switch
        {
            null or "" or "euler" => IntegrationMethod.Euler,
            "rk2" => IntegrationMethod.RK2,
            "rk4" => IntegrationMethod.RK4,
            _ => throw new ModelException(DiagnosticCodes.UnknownMethod, $"unsupported integration method '{method}'", reading.Where(specs),
                hint: "Use method=\"Euler\", \"RK2\" or \"RK4\" in <sim_specs>."),
        };
    }

    private static double RequiredNumber(XElement parent, string name, Reading reading)
    {
        var element = Child(parent, name)
            ?? throw new ModelException(DiagnosticCodes.XmileElementMissing, $"<sim_specs> has no <{name}>", reading.Where(parent), hint: $"Add <{name}>…</{name}> to <sim_specs>.");
        return ParseNumber(element.Value, element, $"<{name}>", reading);
    }

    /// <summary>A number, or a fraction "1/32" as some tools write DT.</summary>
    private static double ParseNumberOrFraction(string text, XElement where, string what, Reading reading)
    {
        var parts = text.Split('/');
        if (parts.Length == 2)
            return ParseNumber(parts[0], where, what, reading) / ParseNumber(parts[1], where, what, reading);
        return ParseNumber(text, where, what, reading);
    }

    private static double ParseNumber(string text, XElement where, string what, Reading reading, string? variable = null)
    {
        if (ModelValidator.TryParseNumber(text, out var value, out var tooLarge))
            return value;
        if (tooLarge) throw new ModelException(ModelValidator.TooLarge(text, reading.Where(where), variable));
        throw new ModelException(DiagnosticCodes.WrongValueType, $"{what} must be a number, found '{text.Trim()}'", reading.Where(where), variable);
    }

    // ---- dimensions --------------------------------------------------------------------------

    /// <summary>XMILE 1.0 §3.7.1: &lt;dim name="X" size="3"/&gt; (elements 1 … 3) or &lt;dim name="X"&gt;&lt;elem name="a"/&gt;…&lt;/dim&gt;.</summary>
    private static Dictionary<string, ArrayDimension> ReadDimensions(XElement? declared, Reading reading)
    {
        var dimensions = new Dictionary<string, ArrayDimension>();
        foreach (var dim in declared is null ? [] : Children(declared, "dim"))
        {
            var name = dim.Attribute("name")?.Value;
            if (string.IsNullOrWhiteSpace(name))
            {
                reading.Add(DiagnosticCodes.NameMissing, "a <dim> has no name", dim, hint: "Give it a name: <dim name=\"…\">.");
                continue;
            }
            var elements = Children(dim, "elem").Select(e => e.Attribute("name")?.Value?.Trim() ?? "").ToList();
            if (elements.Count == 0 && int.TryParse(dim.Attribute("size")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0)
                elements = Enumerable.Range(1, size).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            if (elements.Count == 0 || elements.Any(e => e.Length == 0))
            {
                reading.Add(DiagnosticCodes.UnknownDimension, $"dimension '{name}' has no elements (or one without a name)", dim,
                    hint: "Give it a size, <dim name=\"…\" size=\"3\"/>, or named elements, <elem name=\"…\"/>.");
                continue;
            }
            var mapsTo = dim.Elements().FirstOrDefault(e => e.Name.LocalName == "maps_to" && e.Name.NamespaceName == IseeNamespace)?.Value.Trim();
            var dimension = new ArrayDimension(name.Trim(), elements) { MapsTo = string.IsNullOrEmpty(mapsTo) ? null : mapsTo };
            if (!dimensions.TryAdd(Names.Canonical(name), dimension))
                reading.Add(DiagnosticCodes.DuplicateName, $"dimension '{name}' is declared twice", dim, hint: "Remove one of them.");
        }
        // A mapping pairs the elements by position: it needs a declared dimension of the same size.
        foreach (var dim in declared is null ? [] : Children(declared, "dim"))
        {
            if (!dimensions.TryGetValue(Names.Canonical(dim.Attribute("name")?.Value ?? ""), out var from) || from.MapsTo is not { } to) continue;
            if (!dimensions.TryGetValue(Names.Canonical(to), out var target))
                reading.Add(DiagnosticCodes.DimensionMapping, $"dimension '{from.Name}' maps to '{to}', which is not a declared dimension", dim,
                    hint: "Declare the dimension it maps to, or correct <isee:maps_to>.");
            else if (target.Elements.Count != from.Elements.Count)
                reading.Add(DiagnosticCodes.DimensionMapping, $"dimension '{from.Name}' ({from.Elements.Count} elements) maps to '{target.Name}' ({target.Elements.Count} elements); a mapping pairs elements by position",
                    dim, hint: "Map dimensions of the same size, or name the elements in the equations.");
        }
        return dimensions;
    }

    // ---- behavior and variables ------------------------------------------------------------

    /// <summary>Whether stocks and flows are non-negative unless they say otherwise (the &lt;behavior&gt; element).</summary>
    private sealed record NonNegativeDefaults(bool Stocks, bool Flows)
    {
        public static readonly NonNegativeDefaults None = new(false, false);
    }

    private static NonNegativeDefaults ReadBehavior(XElement? behavior, NonNegativeDefaults inherited, Reading reading)
    {
        if (behavior is null) return inherited;
        var (stocks, flows) = (inherited.Stocks, inherited.Flows);
        if (Child(behavior, "non_negative") is { } both)
            stocks = flows = ReadNonNegative(both, null, reading);
        if (Child(Child(behavior, "stock"), "non_negative") is { } forStocks)
            stocks = ReadNonNegative(forStocks, null, reading);
        if (Child(Child(behavior, "flow"), "non_negative") is { } forFlows)
            flows = ReadNonNegative(forFlows, null, reading);
        return new NonNegativeDefaults(stocks, flows);
    }

    /// <summary>&lt;non_negative/&gt; or &lt;non_negative&gt;true&lt;/non_negative&gt; is on; &lt;non_negative&gt;false&lt;/non_negative&gt; is explicitly off.</summary>
    private static bool ReadNonNegative(XElement element, string? variable, Reading reading)
    {
        var text = element.Value.Trim();
        if (text.Length == 0 || text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        throw new ModelException(DiagnosticCodes.WrongValueType, $"<non_negative> must be empty, 'true' or 'false', found '{text}'", reading.Where(element), variable);
    }

    /// <summary>One &lt;model&gt; as written: its variables with local names, and the modules it instantiates.</summary>
    private sealed record ModelDefinition(string? Name, List<Variable> Variables, List<ModuleInstance> Modules, SourceLocation? Location);

    private sealed record ModuleInstance(string Name, List<Connection> Connections, SourceLocation? Location);

    /// <summary>&lt;connect to="module.input" from="outer_variable"/&gt;: the module's input takes the outer variable's value.</summary>
    private sealed record Connection(string To, string From, SourceLocation? Location);

    private static ModelDefinition ReadModelDefinition(XElement model, NonNegativeDefaults inherited, IReadOnlyDictionary<string, ArrayDimension> dimensions,
        Dialect dialect, Reading reading)
    {
        var defaults = ReadBehavior(Child(model, "behavior"), inherited, reading);
        // Stella 10 wrote variables directly under <model>, without <variables>.
        var container = Child(model, "variables") ?? model;
        var variables = new List<ArrayedVariable>();
        var modules = new List<ModuleInstance>();
        foreach (var element in container.Elements().Where(IsXmile))
        {
            switch (element.Name.LocalName)
            {
                case "stock":
                case "flow":
                case "aux":
                case "gf":
                    if (reading.Catch(() => ReadVariable(element, defaults, dimensions, reading)) is { } variable)
                        variables.Add(variable);
                    break;
                case "module":
                    if (reading.Catch(() => ReadModule(element, reading)) is { } module)
                        modules.Add(module);
                    break;
            }
        }
        // Arrays are flattened here, before modules: a module's copy of "x[a]" is "m.x[a]".
        var flat = variables.Select(v => v.Elements[0].Element).ToList();
        if (dimensions.Count > 0)
        {
            var problems = new List<Diagnostic>();
            flat = ArrayFlattener.Flatten(dimensions.Values, variables, dialect, problems);
            foreach (var problem in problems) reading.Add(problem);
        }
        return new ModelDefinition(NullIfEmpty(model.Attribute("name")?.Value), flat, modules, reading.Where(model));
    }

    private static ArrayedVariable ReadVariable(XElement element, NonNegativeDefaults defaults, IReadOnlyDictionary<string, ArrayDimension> dimensions, Reading reading)
    {
        var tag = element.Name.LocalName;
        var name = element.Attribute("name")?.Value;
        if (string.IsNullOrWhiteSpace(name))
            throw new ModelException(DiagnosticCodes.NameMissing, $"a <{tag}> has no name", reading.Where(element), hint: $"Give it a name: <{tag} name=\"…\">.");

        var equations = Children(element, "eqn").ToList();
        if (Child(element, "dimensions") is not { } declared)
        {
            if (Child(element, "element") is { } stray)
                throw new ModelException(DiagnosticCodes.ArraysUnsupported, "has <element>s but no <dimensions>", reading.Where(stray), name,
                    "Say what the variable is arrayed over: <dimensions><dim name=\"…\"/></dimensions>.");
            return ArrayedVariable.Scalar(ReadElement(element, name, equations.FirstOrDefault(), null, Child(element, "gf"), defaults, reading));
        }

        // XMILE 1.0 §3.7.2: one apply-to-all <eqn>, or an <element subscript="a, b"> per element.
        var over = ReadDimensionsOf(declared, name, dimensions, reading);
        var cells = ArrayFlattener.Cells(over);
        var own = new Dictionary<string, XElement>();
        foreach (var holder in Children(element, "element"))
        {
            var cell = ReadSubscript(holder, name, over, reading);
            if (!own.TryAdd(string.Join(",", cell), holder))
                throw new ModelException(DiagnosticCodes.DuplicateName, $"element [{holder.Attribute("subscript")?.Value}] is given twice", reading.Where(holder), name,
                    "Give each element one <element>.");
        }
        // Vensim's XMILE export writes a list of numbers "1, 2, 3" for all elements, or one <eqn> per element in order.
        var list = equations.Count == 1 && own.Count == 0 ? NumberList(equations[0].Value, cells.Count) : null;
        bool positional = equations.Count == cells.Count && cells.Count > 1;
        var elements = new List<(IReadOnlyList<int>, Variable)>();
        for (int i = 0; i < cells.Count; i++)
        {
            var elementName = ArrayFlattener.ElementName(name, over, cells[i]);
            own.TryGetValue(string.Join(",", cells[i]), out var holder);
            var equation = holder is not null ? Child(holder, "eqn") : positional ? equations[i] : equations.FirstOrDefault();
            var graph = Child(holder, "gf") ?? Child(element, "gf");
            elements.Add((cells[i], ReadElement(element, elementName, equation, list?[i], graph, defaults, reading)));
        }
        return new ArrayedVariable(name, over, elements);
    }

    /// <summary>A variable's dimensions, each declared at the top of the file.</summary>
    private static List<ArrayDimension> ReadDimensionsOf(XElement declared, string variable, IReadOnlyDictionary<string, ArrayDimension> dimensions, Reading reading)
    {
        var over = new List<ArrayDimension>();
        foreach (var dim in Children(declared, "dim"))
        {
            var dimName = dim.Attribute("name")?.Value ?? "";
            if (!dimensions.TryGetValue(Names.Canonical(dimName), out var dimension))
                throw new ModelException(DiagnosticCodes.UnknownDimension, $"is arrayed over '{dimName}', which is not a dimension of the model", reading.Where(dim), variable,
                    Names.DidYouMean(dimName, dimensions.Values.Select(d => d.Name)) ?? "Declare it in the file's <dimensions>: <dim name=\"…\" size=\"…\"/>.");
            over.Add(dimension);
        }
        if (over.Count == 0)
            throw new ModelException(DiagnosticCodes.UnknownDimension, "has an empty <dimensions>", reading.Where(declared), variable, "List its dimensions: <dim name=\"…\"/>.");
        return over;
    }

    /// <summary>&lt;element subscript="a, b"&gt;: the position of each element in the variable's dimensions.</summary>
    private static List<int> ReadSubscript(XElement holder, string variable, IReadOnlyList<ArrayDimension> over, Reading reading)
    {
        var written = (holder.Attribute("subscript")?.Value ?? "").Split(',').Select(x => x.Trim()).ToList();
        if (written.Count != over.Count)
            throw new ModelException(DiagnosticCodes.SubscriptCount, $"<element subscript=\"{holder.Attribute("subscript")?.Value}\"> names {written.Count} element(s) of {over.Count} dimension(s)",
                reading.Where(holder), variable, $"Name one element of each dimension, in order: {string.Join(", ", over.Select(d => d.Name))}.");
        var cell = new List<int>();
        for (int k = 0; k < over.Count; k++)
        {
            int position = over[k].Position(written[k]);
            if (position < 0)
                throw new ModelException(DiagnosticCodes.UnknownElement, $"'{written[k]}' is not an element of {over[k].Name}", reading.Where(holder), variable,
                    Names.DidYouMean(written[k], over[k].Elements) ?? $"The elements of {over[k].Name} are {over[k].Describe()}.");
            cell.Add(position);
        }
        return cell;
    }

    /// <summary>"1, 2, 3" (rows may end in ';'): one number per element, or null when the text is not such a list.</summary>
    private static string[]? NumberList(string text, int count)
    {
        var values = text.Split(',', ';').Select(x => x.Trim()).Where(x => x.Length > 0).ToArray();
        return values.Length == count && count > 1 && values.All(x => ModelValidator.TryParseNumber(x, out _, out _)) ? values : null;
    }

    /// <summary>One scalar variable: a whole scalar, or one element of an arrayed variable (its own equation and graph).</summary>
    private static Variable ReadElement(XElement element, string name, XElement? equationElement, string? listed, XElement? graphElement,
        NonNegativeDefaults defaults, Reading reading)
    {
        var tag = element.Name.LocalName;
        var kind = tag switch { "stock" => VariableKind.Stock, "flow" => VariableKind.Flow, _ => VariableKind.Aux };
        var text = listed ?? equationElement?.Value.Trim() ?? "";
        // A named <gf> among the variables is a lookup table: it needs no equation.
        bool isLookupTable = tag == "gf";
        if (text.Length == 0 && !isLookupTable)
            throw new ModelException(DiagnosticCodes.EquationMissing, "has no equation", reading.Where(equationElement ?? element), name,
                kind == VariableKind.Stock ? "Give the stock's initial value in <eqn>…</eqn>." : "Add <eqn>…</eqn>.");
        // Only a {comment} (a module input's placeholder): no equation, an error only if nothing connects it.
        var equation = Equation.IsBlank(text) ? null
            : Equation.Parse(text, listed is null ? reading.WhereText(equationElement!) : reading.Where(equationElement!), name);

        var variable = new Variable
        {
            Name = name,
            Kind = kind,
            Equation = equation,
            Graph = isLookupTable ? ReadGraph(graphElement ?? element, name, reading)
                : graphElement is null ? null : ReadGraph(graphElement, name, reading),
            Units = Text(Child(element, "units")),
            Description = Text(Child(element, "doc")),
            Location = reading.Where(equationElement ?? element),
        };

        var nonNegative = Child(element, "non_negative");
        variable.NonNegative = kind switch
        {
            VariableKind.Stock => nonNegative is null ? defaults.Stocks : ReadNonNegative(nonNegative, name, reading),
            VariableKind.Flow => nonNegative is null ? defaults.Flows : ReadNonNegative(nonNegative, name, reading),
            _ => false,
        };
        if (kind == VariableKind.Stock)
        {
            variable.Inflows.AddRange(Children(element, "inflow").Select(e => e.Value.Trim()).Where(n => n.Length > 0));
            variable.Outflows.AddRange(Children(element, "outflow").Select(e => e.Value.Trim()).Where(n => n.Length > 0));
        }
        return variable;
    }

    private static ModuleInstance ReadModule(XElement element, Reading reading)
    {
        var name = element.Attribute("name")?.Value;
        if (string.IsNullOrWhiteSpace(name))
            throw new ModelException(DiagnosticCodes.NameMissing, "a <module> has no name", reading.Where(element),
                hint: "Give it the name of the <model> it instantiates: <module name=\"…\">.");
        var connections = new List<Connection>();
        foreach (var connect in Children(element, "connect"))
        {
            var to = connect.Attribute("to")?.Value;
            var from = connect.Attribute("from")?.Value;
            if (string.IsNullOrWhiteSpace(to) || string.IsNullOrWhiteSpace(from))
                throw new ModelException(DiagnosticCodes.ModuleMalformed, $"a <connect> in module '{name}' needs both 'to' and 'from'", reading.Where(connect),
                    hint: "Write <connect to=\"module.input\" from=\"outer_variable\"/>.");
            connections.Add(new Connection(to.Trim(), from.Trim(), reading.Where(connect)));
        }
        return new ModuleInstance(name, connections, reading.Where(element));
    }

    // ---- graphical functions ---------------------------------------------------------------

    private static GraphicalFunction ReadGraph(XElement gf, string variable, Reading reading)
    {
        var type = ReadGraphType(gf, variable, reading);
        var yElement = Child(gf, "ypts")
            ?? throw new ModelException(DiagnosticCodes.GraphMalformed, "the graphical function has no <ypts>", reading.Where(gf), variable, "Add <ypts>y1,y2,…</ypts>.");
        var y = ReadPoints(yElement, variable, reading);
        if (y.Length == 0)
            throw new ModelException(DiagnosticCodes.GraphMalformed, "the graphical function's <ypts> is empty", reading.Where(yElement), variable);

        double[] x;
        if (Child(gf, "xpts") is { } xElement)
        {
            x = ReadPoints(xElement, variable, reading);
            if (x.Length != y.Length)
                throw new ModelException(DiagnosticCodes.GraphMalformed, $"the graphical function has {x.Length} x points but {y.Length} y points", reading.Where(xElement), variable,
                    "Give <xpts> and <ypts> the same number of values.");
        }
        else if (Child(gf, "xscale") is { } scale)
        {
            // Only a scale: the x values are evenly spaced over it, one per y value.
            double min = ParseNumber(scale.Attribute("min")?.Value ?? "", scale, "<xscale min>", reading, variable);
            double max = ParseNumber(scale.Attribute("max")?.Value ?? "", scale, "<xscale max>", reading, variable);
            x = y.Length == 1 ? new[] { min } : Enumerable.Range(0, y.Length).Select(i => min + (max - min) * i / (y.Length - 1)).ToArray();
        }
        else
        {
            throw new ModelException(DiagnosticCodes.GraphMalformed, "the graphical function has neither <xpts> nor <xscale>", reading.Where(gf), variable,
                "Add <xpts>x1,x2,…</xpts> or <xscale min=\"…\" max=\"…\"/>.");
        }

        for (int i = 1; i < x.Length; i++)
            if (!(x[i] > x[i - 1]))
                throw new ModelException(DiagnosticCodes.GraphMalformed, $"the graphical function's x values must increase, but x[{i}] = {Format(x[i])} follows {Format(x[i - 1])}",
                    reading.Where(Child(gf, "xpts") ?? Child(gf, "xscale") ?? gf), variable, "Sort the points by x, without repeats.");
        return new GraphicalFunction(type, x, y);
    }

    private static GraphType ReadGraphType(XElement gf, string variable, Reading reading)
    {
        // Older files say discrete="true|false" instead of type="…".
        if (gf.Attribute("type") is null && IsTrue(gf.Attribute("discrete")?.Value)) return GraphType.Discrete;
        var type = gf.Attribute("type")?.Value.Trim();
        return type?.ToLowerInvariant() switch
        {
            null or "" or "continuous" => GraphType.Continuous,
            "extrapolate" => GraphType.Extrapolate,
            "discrete" => GraphType.Discrete,
            _ => throw new ModelException(DiagnosticCodes.UnknownChoice, $"unknown graphical function type '{type}'", reading.Where(gf), variable,
                "Use type=\"continuous\", \"extrapolate\" or \"discrete\"."),
        };
    }

    private static double[] ReadPoints(XElement element, string variable, Reading reading)
    {
        var separator = element.Attribute("sep")?.Value;
        if (string.IsNullOrEmpty(separator)) separator = ",";
        return element.Value.Split(separator)
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .Select(s => ParseNumber(s, element, $"each value in <{element.Name.LocalName}>", reading, variable))
            .ToArray();
    }

    // ---- modules ---------------------------------------------------------------------------

    /// <summary>
    /// Turns a root model and the modules it instantiates into one list of variables. A variable of
    /// module "hares" becomes "hares.name", references inside the module are rewritten to the
    /// prefixed names, and a connected input becomes a reference to its source.
    /// </summary>
    private sealed class ModuleFlattener(List<ModelDefinition> definitions, Reading reading)
    {
        public void Flatten(List<Variable> output)
        {
            if (definitions.Count == 0) return;
            var instantiated = definitions.SelectMany(d => d.Modules).Select(m => Names.Canonical(m.Name)).ToHashSet();
            var root = definitions.FirstOrDefault(d => d.Name is null)
                       ?? definitions.FirstOrDefault(d => !instantiated.Contains(Names.Canonical(d.Name!)))
                       ?? definitions[0];
            Add(root, "", new Dictionary<string, Equation>(), new List<ModelDefinition> { root }, output);
        }

        private void Add(ModelDefinition model, string prefix, Dictionary<string, Equation> inputs, List<ModelDefinition> path, List<Variable> output)
        {
            var scope = Names.Canonical(prefix); // "" or "hares." as written in references
            var local = model.Variables.Select(v => v.CanonicalName).Concat(model.Modules.Select(m => Names.Canonical(m.Name))).ToHashSet();
            string? Rename(string written)
            {
                var canonical = Names.Canonical(written);
                int dot = canonical.IndexOf('.', StringComparison.Ordinal);
                bool isLocal = local.Contains(canonical) || (dot > 0 && local.Contains(canonical[..dot]));
                return isLocal ? scope + canonical : null;
            }
            // A call is a builtin unless it names one of the module's graphical functions: table(x).
            var tables = model.Variables.Where(v => v.Graph is not null).Select(v => v.CanonicalName).ToHashSet();
            string? RenameFunction(string written) =>
                tables.Contains(Names.Canonical(written)) ? scope + Names.Canonical(written) : null;

            foreach (var v in model.Variables)
            {
                if (inputs.TryGetValue(v.CanonicalName, out var source))
                {
                    // A connected input is whatever it is connected to; its own equation is only a placeholder.
                    output.Add(new Variable
                    {
                        Name = prefix + v.Name, Kind = VariableKind.Aux, Equation = source,
                        Units = v.Units, Description = v.Description, Location = v.Location,
                    });
                    continue;
                }
                var equation = prefix.Length == 0 || v.Equation is null ? v.Equation
                    : v.Equation.WithSyntax(Rewriting.RenameReferences(v.Equation.Syntax, Rename, RenameFunction));
                var flat = Copy(v, prefix + v.Name, v.Kind, equation);
                flat.Inflows.AddRange(v.Inflows.Select(f => prefix.Length == 0 ? f : scope + Names.Canonical(f)));
                flat.Outflows.AddRange(v.Outflows.Select(f => prefix.Length == 0 ? f : scope + Names.Canonical(f)));
                output.Add(flat);
            }

            foreach (var module in model.Modules)
            {
                var definition = definitions.FirstOrDefault(d => d.Name is not null && Names.Canonical(d.Name) == Names.Canonical(module.Name));
                if (definition is null)
                {
                    var known = definitions.Where(d => d.Name is not null).Select(d => d.Name!).ToList();
                    reading.Add(DiagnosticCodes.ModuleMalformed, $"module '{module.Name}' has no <model name=\"{module.Name}\"> in the file", module.Location,
                        hint: known.Count == 0 ? "Add the module's model." : "Models in the file: " + string.Join(", ", known) + ".");
                    continue;
                }
                if (path.Contains(definition))
                {
                    reading.Add(DiagnosticCodes.ModuleMalformed, $"module '{module.Name}' contains itself (through {string.Join(" -> ", path.Select(p => p.Name ?? "root"))})", module.Location);
                    continue;
                }
                var moduleInputs = ConnectInputs(module, definition, scope);
                Add(definition, prefix + module.Name + ".", moduleInputs, [.. path, definition], output);
            }
        }

        /// <summary>The module's connected inputs: its local variable (canonical) to a reference to the outer source.</summary>
        private Dictionary<string, Equation> ConnectInputs(ModuleInstance module, ModelDefinition definition, string scope)
        {
            var inputs = new Dictionary<string, Equation>();
            var moduleName = Names.Canonical(module.Name) + ".";
            foreach (var connection in module.Connections)
            {
                // "to" is the module's variable, written "hares.area" or just "area"; "from" is in the
                // scope that holds the module, a leading "." meaning that scope explicitly.
                var to = Names.Canonical(connection.To.TrimStart('.'));
                if (to.StartsWith(moduleName, StringComparison.Ordinal)) to = to[moduleName.Length..];
                if (!definition.Variables.Any(v => v.CanonicalName == to))
                {
                    var suggestions = Names.Suggest(to, definition.Variables.Select(v => v.Name));
                    reading.Add(DiagnosticCodes.ModuleMalformed, $"<connect to=\"{connection.To}\">: model '{definition.Name}' has no variable '{to}'", connection.Location,
                        hint: suggestions.Count == 0 ? null : "Did you mean " + string.Join(", ", suggestions.Select(Names.Display)) + "?");
                    continue;
                }
                var source = scope + Names.Canonical(connection.From.TrimStart('.'));
                inputs[to] = Equation.Parse(ExprWriter.Name(source), connection.Location);
            }
            return inputs;
        }
    }

    private static Variable Copy(Variable v, string name, VariableKind kind, Equation? equation) => new()
    {
        Name = name, Kind = kind, Equation = equation, NonNegative = v.NonNegative, Graph = v.Graph,
        Units = v.Units, Description = v.Description, Range = v.Range, Location = v.Location,
        Array = name == v.Name ? v.Array : null, // a module's copy is exported as scalars
    };

    /// <summary>
    /// Vensim-exported XMILE declares flows as &lt;aux&gt; and lists them as a stock's inflow or outflow;
    /// what a stock integrates is a flow, so such auxiliaries become flows (never non-negative).
    /// </summary>
    private static void PromoteAuxiliariesUsedAsFlows(List<Variable> variables)
    {
        var flows = variables.SelectMany(v => v.Inflows.Concat(v.Outflows)).Select(Names.Canonical).ToHashSet();
        for (int i = 0; i < variables.Count; i++)
        {
            var v = variables[i];
            if (v.Kind != VariableKind.Aux || !flows.Contains(v.CanonicalName)) continue;
            variables[i] = Copy(v, v.Name, VariableKind.Flow, v.Equation);
        }
    }

    // ---- small helpers ---------------------------------------------------------------------

    /// <summary>Elements of XMILE itself (any of its namespaces), not vendor extensions such as isee:.</summary>
    private static bool IsXmile(XElement e) => XmileNamespaces.Contains(e.Name.NamespaceName);

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName && IsXmile(e));

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName && IsXmile(e));

    private static string? Text(XElement? element) => NullIfEmpty(element?.Value);

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool IsTrue(string? s) => s is not null && s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);

    private static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The file being read and the problems found so far, so that one run reports them all.</summary>
    private sealed class Reading(string? file)
    {
        private readonly List<Diagnostic> problems = new();

        public SourceLocation? Where(XObject node) =>
            node is IXmlLineInfo info && info.HasLineInfo() ? new SourceLocation(file, info.LineNumber, info.LinePosition) : new SourceLocation(file, 0, 0);

        /// <summary>Where an element's trimmed text starts: its first text node, past leading blanks.</summary>
        public SourceLocation? WhereText(XElement element)
        {
            if (element.Nodes().OfType<XText>().FirstOrDefault() is not { } text || Where(text) is not { Line: > 0 } at)
                return Where(element);
            int line = at.Line, column = at.Column;
            foreach (var c in text.Value)
            {
                if (!char.IsWhiteSpace(c)) break;
                if (c == '\n') { line++; column = 1; }
                else column++;
            }
            return new SourceLocation(file, line, column);
        }

        public void Add(DiagnosticCode code, string message, XObject where, string? variable = null, string? hint = null) =>
            problems.Add(new Diagnostic(code, message, Where(where), variable, hint));

        public void Add(DiagnosticCode code, string message, SourceLocation? where, string? variable = null, string? hint = null) =>
            problems.Add(new Diagnostic(code, message, where, variable, hint));

        public void Add(Diagnostic problem) => problems.Add(problem);

        /// <summary>Runs one independent piece of reading; its problems are recorded and reading goes on.</summary>
        public T? Catch<T>(Func<T> read) where T : class
        {
            try
            {
                return read();
            }
            catch (ModelException e)
            {
                problems.AddRange(e.Diagnostics);
                return null;
            }
        }

        public void ThrowIfAny()
        {
            if (problems.Count > 0) throw new ModelException(problems.ToList());
        }
    }
}
