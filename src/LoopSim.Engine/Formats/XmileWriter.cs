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

            xml.WriteStartElement("model", Namespace);
            xml.WriteStartElement("variables", Namespace);
            foreach (var variable in model.Variables)
                WriteVariable(xml, variable);
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

    private static void WriteVariable(XmlWriter xml, Variable variable)
    {
        // A graph with no equation is a named lookup table: XMILE's stand-alone <gf name="...">.
        var namedGraph = variable.Graph is not null && variable.Kind == VariableKind.Aux && variable.Equation is null;
        xml.WriteStartElement(namedGraph ? "gf" : variable.Kind switch
        {
            VariableKind.Stock => "stock",
            VariableKind.Flow => "flow",
            _ => "aux",
        }, Namespace);
        xml.WriteAttributeString("name", variable.Name);
        if (namedGraph)
        {
            WriteGraphBody(xml, variable.Graph!);
        }
        else
        {
            xml.WriteElementString("eqn", Namespace, variable.Equation is null ? "" : ExprWriter.Write(variable.Equation.Syntax));
            foreach (var inflow in variable.Inflows) xml.WriteElementString("inflow", Namespace, Reference(inflow));
            foreach (var outflow in variable.Outflows) xml.WriteElementString("outflow", Namespace, Reference(outflow));
            if (variable.NonNegative) xml.WriteElementString("non_negative", Namespace, "");
            if (variable.Graph is { } graph)
            {
                xml.WriteStartElement("gf", Namespace);
                WriteGraphBody(xml, graph);
                xml.WriteEndElement();
            }
        }
        if (variable.Units is not null) xml.WriteElementString("units", Namespace, variable.Units);
        if (Doc(variable) is { } doc) xml.WriteElementString("doc", Namespace, doc);
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
