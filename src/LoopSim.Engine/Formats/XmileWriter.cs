using System.Globalization;
using System.Text;
using System.Xml;
using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Formats;

/// <summary>
/// Writes a model as OASIS XMILE 1.0, so that it opens in other SD tools and reads back into LoopSim with the
/// same results. Equations are written from their syntax trees (<see cref="ExprWriter"/>), in XMILE's
/// expression language; a model with Vensim semantics says so in its &lt;product&gt;, which the reader honours.
/// Arrayed variables (read from XMILE or YAML arrays, flattened to "x[a,b]") are written back as XMILE arrays: the
/// file's &lt;dimensions&gt;, and each array with one &lt;element subscript="a, b"&gt; per element, whose equation
/// refers to other elements as x[a, b]. Elements without their array's record (a .mdl model's) stay scalars.
/// </summary>
public static class XmileWriter
{
    public const string Namespace = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0";
    /// <summary>isee systems' extension namespace, for the save interval (XMILE 1.0 has no standard one).</summary>
    public const string IseeNamespace = "http://iseesystems.com/XMILE";

    public static string Write(SdModel model)
    {
        var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "    ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("xmile", Namespace);
            xml.WriteAttributeString("version", "1.0");
            xml.WriteAttributeString("xmlns", "isee", null, IseeNamespace);

            xml.WriteStartElement("header", Namespace);
            xml.WriteElementString("name", Namespace, model.Name);
            xml.WriteElementString("vendor", Namespace, "LoopSim");
            xml.WriteStartElement("product", Namespace);
            xml.WriteAttributeString("version", "1.0");
            xml.WriteAttributeString("lang", "en");
            xml.WriteString(model.Dialect == Dialect.Vensim ? "LoopSim (Vensim dialect)" : "LoopSim");
            xml.WriteEndElement();
            xml.WriteEndElement();

            WriteSimSpecs(xml, model.Specs);
            WriteModelUnits(xml, model.UnitDefinitions);
            var arrays = Arrays(model);
            WriteDimensions(xml, arrays);

            xml.WriteStartElement("model", Namespace);
            xml.WriteStartElement("variables", Namespace);
            var written = new HashSet<string>();
            foreach (var variable in model.Variables)
            {
                if (variable.Array is not { } array || !arrays.Elements.ContainsKey(variable.CanonicalName))
                    WriteVariable(xml, variable, arrays);
                else if (written.Add(Names.Canonical(array.Variable)))
                    WriteArray(xml, model.Variables.Where(v => v.Array?.Variable == array.Variable).ToList(), arrays);
            }
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes the file completely or not at all: a temporary file beside it, then a move over the target.</summary>
    public static void Save(SdModel model, string path)
    {
        var text = Write(model);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static void WriteSimSpecs(XmlWriter xml, SimSpecs specs)
    {
        xml.WriteStartElement("sim_specs", Namespace);
        xml.WriteAttributeString("method", specs.Method switch
        {
            IntegrationMethod.RK2 => "RK2",
            IntegrationMethod.RK4 => "RK4",
            _ => "Euler",
        });
        if (specs.TimeUnits is not null) xml.WriteAttributeString("time_units", specs.TimeUnits);
        if (specs.SaveStep is { } saveStep) xml.WriteAttributeString("save_interval", IseeNamespace, Number(saveStep));
        xml.WriteElementString("start", Namespace, Number(specs.Start));
        xml.WriteElementString("stop", Namespace, Number(specs.Stop));
        xml.WriteElementString("dt", Namespace, Number(specs.Dt));
        xml.WriteEndElement();
    }

    /// <summary>The units the model declares (XMILE &lt;model_units&gt;; Vensim's equivalences become aliases), so other tools and the units check read them back.</summary>
    private static void WriteModelUnits(XmlWriter xml, IReadOnlyList<UnitDefinition> units)
    {
        if (units.Count == 0) return;
        xml.WriteStartElement("model_units", Namespace);
        foreach (var unit in units)
        {
            xml.WriteStartElement("unit", Namespace);
            xml.WriteAttributeString("name", unit.Name);
            if (unit.Equation is not null) xml.WriteElementString("eqn", Namespace, unit.Equation);
            foreach (var alias in unit.Aliases) xml.WriteElementString("alias", Namespace, alias);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    /// <summary>The elements written as parts of an array (canonical name → array and element), and the dimensions they use.</summary>
    private sealed record ArrayTable(Dictionary<string, ArrayElement> Elements, List<ArrayDimension> Dimensions, Dialect Dialect);

    /// <summary>The arrays whose every element is in the model (so the array can be written whole).</summary>
    private static ArrayTable Arrays(SdModel model)
    {
        var table = new ArrayTable(new Dictionary<string, ArrayElement>(), new List<ArrayDimension>(), model.Dialect);
        foreach (var group in model.Variables.Where(v => v.Array is not null).GroupBy(v => Names.Canonical(v.Array!.Variable)))
        {
            var first = group.First().Array!;
            if (group.Count() != first.Dimensions.Aggregate(1, (n, d) => n * d.Elements.Count)) continue;
            foreach (var v in group) table.Elements[v.CanonicalName] = v.Array!;
            foreach (var d in first.Dimensions.Where(d => !table.Dimensions.Any(known => known.Canonical == d.Canonical))) table.Dimensions.Add(d);
        }
        return table;
    }

    private static bool Indexed(ArrayDimension d) => d.Elements.Select((e, i) => e == (i + 1).ToString(CultureInfo.InvariantCulture)).All(x => x);

    private static void WriteDimensions(XmlWriter xml, ArrayTable arrays)
    {
        if (arrays.Dimensions.Count == 0) return;
        xml.WriteStartElement("dimensions", Namespace);
        foreach (var d in arrays.Dimensions)
        {
            xml.WriteStartElement("dim", Namespace);
            xml.WriteAttributeString("name", d.Name);
            if (Indexed(d)) xml.WriteAttributeString("size", d.Elements.Count.ToString(CultureInfo.InvariantCulture));
            else
                foreach (var element in d.Elements)
                {
                    xml.WriteStartElement("elem", Namespace);
                    xml.WriteAttributeString("name", element);
                    xml.WriteEndElement();
                }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    /// <summary>An arrayed variable: its dimensions, then each element's equation (and graph) in an &lt;element&gt;.</summary>
    private static void WriteArray(XmlWriter xml, List<Variable> elements, ArrayTable arrays)
    {
        var first = elements[0];
        var array = first.Array!;
        xml.WriteStartElement(Tag(first), Namespace);
        xml.WriteAttributeString("name", array.Variable);
        xml.WriteStartElement("dimensions", Namespace);
        foreach (var d in array.Dimensions)
        {
            xml.WriteStartElement("dim", Namespace);
            xml.WriteAttributeString("name", d.Name);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        foreach (var element in elements)
        {
            xml.WriteStartElement("element", Namespace);
            xml.WriteAttributeString("subscript", element.Array!.Subscript);
            xml.WriteElementString("eqn", Namespace, element.Equation is null ? "" : ExprWriter.Write(Subscripted(element.Equation.Syntax, arrays)));
            if (element.Graph is { } graph)
            {
                xml.WriteStartElement("gf", Namespace);
                WriteGraphBody(xml, graph);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        WriteFlows(xml, first, arrays);
        WriteFooter(xml, first);
        xml.WriteEndElement();
    }

    /// <summary>References to array elements as XMILE subscripts, x[a, 2], instead of the flattened name "x[a,2]".</summary>
    private static Expr Subscripted(Expr e, ArrayTable arrays) => e switch
    {
        VariableExpr v when arrays.Elements.TryGetValue(v.Name, out var element) => Subscript(element, [], v.Position),
        CallExpr c when Builtins.BuiltinCatalogue.Find(c.Function, arrays.Dialect) is { } b && b.Is(Builtins.BuiltinFlags.ArrayArguments) && Whole(c.Args, arrays) is { } whole =>
            c with { Args = [whole] },
        UnaryExpr u => u with { Operand = Subscripted(u.Operand, arrays) },
        BinaryExpr b => b with { Left = Subscripted(b.Left, arrays), Right = Subscripted(b.Right, arrays) },
        IfExpr i => i with { Condition = Subscripted(i.Condition, arrays), Then = Subscripted(i.Then, arrays), Else = Subscripted(i.Else, arrays) },
        CallExpr c => c with { Args = c.Args.Select(a => Subscripted(a, arrays)).ToList() },
        _ => e,
    };

    /// <summary>x[a, 2], with '*' at the positions in <paramref name="whole"/>.</summary>
    private static SubscriptExpr Subscript(ArrayElement element, IReadOnlyList<int> whole, int at) =>
        new(Names.Canonical(element.Variable), Reference(element.Variable), element.Cell.Select((position, k) =>
            whole.Contains(k) ? new WildcardExpr(null, at)
            : Indexed(element.Dimensions[k]) ? (Expr)new NumberExpr(position + 1, at)
            : new VariableExpr(Names.Canonical(element.Dimensions[k].Elements[position]), Reference(element.Dimensions[k].Elements[position]), at)).ToList(), at);

    /// <summary>
    /// An array builtin's arguments that are every element of an array along some dimensions, in order (as the readers
    /// flatten x[a, *]): that array written back with '*' there. Null for any other arguments.
    /// </summary>
    private static SubscriptExpr? Whole(IReadOnlyList<Expr> args, ArrayTable arrays)
    {
        var elements = args.Select(a => a is VariableExpr v && arrays.Elements.TryGetValue(v.Name, out var e) ? e : null).ToList();
        if (args.Count < 2 || elements.Any(e => e is null) || elements.Select(e => e!.Variable).Distinct().Count() != 1) return null;
        var first = elements[0]!;
        var varying = Enumerable.Range(0, first.Dimensions.Count).Where(k => elements.Any(e => e!.Cell[k] != first.Cell[k])).ToList();
        var expected = ArrayFlattener.Cells(varying.Select(k => first.Dimensions[k]).ToList());
        if (expected.Count != elements.Count) return null;
        for (int i = 0; i < expected.Count; i++)
            for (int j = 0; j < varying.Count; j++)
                if (elements[i]!.Cell[varying[j]] != expected[i][j]) return null;
        return Subscript(first, varying, args[0].Position);
    }

    private static string Tag(Variable variable) =>
        variable.Kind switch { VariableKind.Stock => "stock", VariableKind.Flow => "flow", _ => "aux" };

    /// <summary>A stock's flows (an array's by the flows' array names) and non_negative.</summary>
    private static void WriteFlows(XmlWriter xml, Variable variable, ArrayTable arrays)
    {
        string Flow(string name) => Reference(arrays.Elements.TryGetValue(Names.Canonical(name), out var element) && variable.Array is not null ? element.Variable : name);
        foreach (var inflow in variable.Inflows) xml.WriteElementString("inflow", Namespace, Flow(inflow));
        foreach (var outflow in variable.Outflows) xml.WriteElementString("outflow", Namespace, Flow(outflow));
        if (variable.NonNegative) xml.WriteElementString("non_negative", Namespace, "");
    }

    private static void WriteFooter(XmlWriter xml, Variable variable)
    {
        if (variable.Units is not null) xml.WriteElementString("units", Namespace, variable.Units);
        if (Doc(variable) is { } doc) xml.WriteElementString("doc", Namespace, doc);
    }

    private static void WriteVariable(XmlWriter xml, Variable variable, ArrayTable arrays)
    {
        // A graph with no equation is a named lookup table: XMILE's stand-alone <gf name="...">.
        var namedGraph = variable.Graph is not null && variable.Kind == VariableKind.Aux && variable.Equation is null;
        xml.WriteStartElement(namedGraph ? "gf" : Tag(variable), Namespace);
        xml.WriteAttributeString("name", variable.Name);
        if (namedGraph)
        {
            WriteGraphBody(xml, variable.Graph!);
        }
        else
        {
            xml.WriteElementString("eqn", Namespace, variable.Equation is null ? "" : ExprWriter.Write(Subscripted(variable.Equation.Syntax, arrays)));
            WriteFlows(xml, variable, arrays);
            if (variable.Graph is { } graph)
            {
                xml.WriteStartElement("gf", Namespace);
                WriteGraphBody(xml, graph);
                xml.WriteEndElement();
            }
        }
        WriteFooter(xml, variable);
        xml.WriteEndElement();
    }

    private static void WriteGraphBody(XmlWriter xml, GraphicalFunction graph)
    {
        xml.WriteAttributeString("type", graph.Type.ToString().ToLowerInvariant());
        WriteScale(xml, "xscale", graph.X);
        WriteScale(xml, "yscale", graph.Y);
        xml.WriteElementString("xpts", Namespace, string.Join(",", graph.X.Select(Number)));
        xml.WriteElementString("ypts", Namespace, string.Join(",", graph.Y.Select(Number)));
    }

    private static void WriteScale(XmlWriter xml, string element, double[] values)
    {
        xml.WriteStartElement(element, Namespace);
        xml.WriteAttributeString("min", Number(values.Min()));
        xml.WriteAttributeString("max", Number(values.Max()));
        xml.WriteEndElement();
    }

    /// <summary>XMILE's doc holds free text: the description, then where a constant's value comes from and its plausible range.</summary>
    private static string? Doc(Variable variable)
    {
        var lines = new List<string>();
        if (variable.Description is { } description) lines.Add(description);
        if (variable.Source is { } source) lines.Add("Source: " + source);
        if (variable.Range is var (min, max)) lines.Add($"Plausible range: [{Number(min)}, {Number(max)}]");
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>A name as XMILE writes it where it refers to a variable: spaces as underscores.</summary>
    private static string Reference(string name) => Names.Display(name).Replace(' ', '_');

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
