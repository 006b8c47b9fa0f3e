using System.Globalization;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Experiments.Scenarios;

/// <summary>
/// Loads a scenario file: its model (path relative to the scenario), policy settings, cities (inline or from a
/// file) and reported variables, every name checked against the model. Errors name file, line and column.
/// </summary>
public static class ScenarioLoader
{
    private static readonly string[] ScenarioKeys = ["scenario", "title", "description", "model", "set", "cities", "report", "runs", "seed", "uncertain", "sweep", "summary", "composition"];
    private static readonly string[] CityKeys = ["name", "label", "set", "notes"];

    public static Scenario Load(string path) => Read(YamlFile.Load(path, "scenario file"));

    /// <summary>Parses scenario text as if it were the file <paramref name="sourceFile"/> (relative paths start from its folder).</summary>
    public static Scenario Parse(string yaml, string sourceFile) => Read(YamlFile.Parse(yaml, sourceFile));

    private static Scenario Read(YamlFile file)
    {
        if (file.Root is null || YamlFile.IsNull(file.Root))
            throw new ModelException(DiagnosticCodes.FileEmpty, "the scenario file is empty; it needs at least 'model:', 'cities:' and 'report:'.", new SourceLocation(file.Path, 1, 1));
        var top = file.Fields(file.Root, "the scenario file", ScenarioKeys);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file.Path!))!;

        var modelNode = top.Require("model", "Give the model file, relative to this scenario, e.g. 'model: models/sales-ecosystem.yaml'.");
        var modelPath = Path.GetFullPath(Path.Combine(folder, file.Text(modelNode, "'model'")));
        if (!File.Exists(modelPath))
            throw file.Error(modelNode, DiagnosticCodes.FileNotFound, $"model file '{modelPath}' not found.", "The path is relative to the scenario file's folder.");
        var model = ModelLoader.Load(modelPath);
        var names = new ModelNames(model);

        var set = top.Get("set") is { } setNode ? ReadSettings(file, setNode, "'set'", names) : [];
        var cities = ReadCities(file, top.Require("cities", "List the cities inline, or name a file that holds the list."), folder, names);
        var report = ReadNames(file, top.Require("report", "List the variables to report, e.g. 'report: [Active, engagement]'."), "'report'", names);
        var summary = top.Get("summary") is { } summaryNode ? ReadNames(file, summaryNode, "'summary'", names) : report;
        var composition = top.Get("composition") is { } compositionNode ? ReadNames(file, compositionNode, "'composition'", names) : [];

        var runs = top.Integer("runs") ?? 1;
        if (runs < 1) throw file.Error(top.Get("runs")!, DiagnosticCodes.RunsNotPositive, $"'runs' must be at least 1, not {runs}.");
        var seed = 42UL;
        if (top.Get("seed") is { } seedNode)
        {
            var text = file.Text(seedNode, "'seed'");
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                throw file.Error(seedNode, DiagnosticCodes.SeedInvalid, $"'seed' must be a whole number of 0 or more, not '{text}'.");
        }

        return new Scenario
        {
            Name = top.Text("scenario") ?? Path.GetFileNameWithoutExtension(file.Path!),
            Title = top.Text("title"),
            Description = top.Text("description"),
            Source = file,
            ModelPath = modelPath,
            Model = model,
            Set = set,
            Cities = cities,
            Report = report,
            Summary = summary,
            Composition = composition,
            Runs = runs,
            Seed = seed,
            Uncertain = top.Get("uncertain"),
            Sweep = top.Get("sweep"),
        };
    }

    private static IReadOnlyList<City> ReadCities(YamlFile file, YamlNode node, string folder, ModelNames names)
    {
        if (node is YamlScalarNode)
        {
            // A file holding the list: errors inside it point into that file.
            var citiesPath = Path.GetFullPath(Path.Combine(folder, file.Text(node, "'cities'")));
            if (!File.Exists(citiesPath))
                throw file.Error(node, DiagnosticCodes.FileNotFound, $"cities file '{citiesPath}' not found.", "The path is relative to the scenario file's folder; or list the cities inline.");
            var citiesFile = YamlFile.Load(citiesPath, "cities file");
            if (citiesFile.Root is null)
                throw new ModelException(DiagnosticCodes.FileEmpty, "the cities file is empty; it must hold a list of cities.", new SourceLocation(citiesPath, 1, 1));
            return ReadCityList(citiesFile, citiesFile.Root, names);
        }
        return ReadCityList(file, node, names);
    }

    private static IReadOnlyList<City> ReadCityList(YamlFile file, YamlNode node, ModelNames names)
    {
        var list = file.Sequence(node, "'cities'");
        if (list.Children.Count == 0)
            throw file.Error(node, DiagnosticCodes.NoCities, "the scenario lists no cities; give at least one.", "Each city is '- name: Shanghai' with optional 'label', 'set' and 'notes'.");
        var cities = new List<City>();
        foreach (var entry in list.Children)
        {
            var fields = file.Fields(entry, "a city", CityKeys);
            var nameNode = fields.Require("name");
            var name = file.Text(nameNode, "the name of a city");
            var what = $"city '{name}'";
            if (cities.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) is { } other)
                throw file.Error(nameNode, DiagnosticCodes.GivenTwice, $"the city '{name}' is listed twice (first at {other.Location}).", "Give each city once; names ignore case.");
            cities.Add(new City
            {
                Name = name,
                Label = fields.Text("label"),
                Notes = fields.Text("notes"),
                Set = fields.Get("set") is { } setNode ? ReadSettings(file, setNode, $"'set' of {what}", names) : [],
                Location = file.Locate(nameNode),
            });
        }
        return cities;
    }

    private static IReadOnlyList<ParameterSetting> ReadSettings(YamlFile file, YamlNode node, string what, ModelNames names)
    {
        var settings = new List<ParameterSetting>();
        foreach (var (written, keyNode, value) in file.Entries(node, what))
        {
            var name = names.Resolve(file, keyNode, written, what);
            if (settings.FirstOrDefault(s => s.Name == name) is { } other)
                throw file.Error(keyNode, DiagnosticCodes.GivenTwice, $"'{written}' is set twice in {what} (first at {other.Location}).");
            settings.Add(new ParameterSetting(name, file.Number(value, $"the value of '{written}' in {what}"), file.Locate(keyNode)));
        }
        return settings;
    }

    /// <summary>A list of variable names (report, summary, composition): each a variable of the model, once.</summary>
    private static IReadOnlyList<string> ReadNames(YamlFile file, YamlNode node, string what, ModelNames names)
    {
        var list = new List<string>();
        foreach (var (written, itemNode) in file.NameList(node, what))
        {
            var name = names.Resolve(file, itemNode, written, what);
            if (list.Contains(name))
                throw file.Error(itemNode, DiagnosticCodes.GivenTwice, $"'{written}' is listed twice in {what}.");
            list.Add(name);
        }
        if (list.Count == 0) throw file.Error(node, DiagnosticCodes.NothingToReport, $"{what} lists no variables.");
        return list;
    }

    /// <summary>The model's variables by canonical name, to check and normalise the names a scenario writes.</summary>
    private sealed class ModelNames(SdModel model)
    {
        private readonly Dictionary<string, string> _byCanonical = model.Variables.ToDictionary(v => v.CanonicalName, v => v.Name);

        public string Resolve(YamlFile file, YamlNode node, string written, string what)
        {
            if (_byCanonical.TryGetValue(Names.Canonical(written), out var name)) return name;
            throw file.Error(node, DiagnosticCodes.UnknownName, $"'{written}' in {what} is not a variable of model '{model.Name}'.",
                Names.DidYouMean(written, _byCanonical.Values) ?? "Check the spelling against the model file.");
        }
    }
}
