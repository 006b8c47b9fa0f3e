using System.Globalization;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Calibration;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sweeps;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Experiments.Scenarios;

/// <summary>
/// Loads a scenario file: its model (path relative to the scenario), policy settings, cities (inline or from a file,
/// or none), reported variables, runs, seed, and the 'uncertain' and 'sweep' sections, every name checked against the
/// model and every block read now, not when it is used. Then <see cref="ScenarioValidator"/> checks what the blocks say
/// together. Every problem of the file is reported at once, each naming file, line and column.
/// </summary>
public static class ScenarioLoader
{
    private static readonly string[] ScenarioKeys = ["scenario", "title", "description", "model", "set", "cities", "report", "runs", "seed", "uncertain", "sweep", "summary", "composition", "posterior"];
    private static readonly string[] CityKeys = ["name", "label", "set", "notes"];

    public static Scenario Load(string path) => Load(path, []);

    /// <summary>Loads a scenario whose Vensim model's data variables take their series from <paramref name="dataFiles"/> (--data).</summary>
    public static Scenario Load(string path, IReadOnlyList<string> dataFiles) => new Reader(YamlFile.Load(path, "scenario file"), dataFiles).Read();

    /// <summary>Parses scenario text as if it were the file <paramref name="sourceFile"/> (relative paths start from its folder).</summary>
    public static Scenario Parse(string yaml, string sourceFile) => new Reader(YamlFile.Parse(yaml, sourceFile), []).Read();

    /// <summary>One reading of one file: every independent block is read even when an earlier one failed.</summary>
    private sealed class Reader(YamlFile file, IReadOnlyList<string> dataFiles)
    {
        private readonly List<Diagnostic> _problems = [];

        public Scenario Read()
        {
            if (file.Root is null || YamlFile.IsNull(file.Root))
                throw new ModelException(DiagnosticCodes.FileEmpty, "the scenario file is empty; it needs at least 'model:' and 'report:'.", new SourceLocation(file.Path, 1, 1));
            var top = file.Fields(file.Root, "the scenario file", ScenarioKeys);
            var folder = Path.GetDirectoryName(Path.GetFullPath(file.Path!))!;

            // Without its model nothing else can be checked: a model error stops here.
            var modelNode = top.Require("model", "Give the model file, relative to this scenario, e.g. 'model: models/sales-ecosystem.yaml'.");
            var modelPath = Path.GetFullPath(Path.Combine(folder, file.Text(modelNode, "'model'")));
            if (!File.Exists(modelPath))
                throw file.Error(modelNode, DiagnosticCodes.FileNotFound, $"model file '{modelPath}' not found.", "The path is relative to the scenario file's folder.");
            var model = ModelLoader.Load(modelPath, dataFiles);
            var names = new ModelNames(model);

            var set = top.Get("set") is { } setNode ? Try(() => ReadSettings(file, setNode, "'set'", names)) ?? [] : [];
            var cities = top.Get("cities") is { } citiesNode ? Try(() => ReadCities(citiesNode, folder, names)) ?? [] : [];
            var report = Try(() => ReadNames(file, top.Require("report", "List the variables to report, e.g. 'report: [Active, engagement]'."), "'report'", names)) ?? [];
            var summary = top.Get("summary") is { } summaryNode ? Try(() => ReadNames(file, summaryNode, "'summary'", names)) ?? [] : report;
            var composition = top.Get("composition") is { } compositionNode ? Try(() => ReadNames(file, compositionNode, "'composition'", names)) ?? [] : [];
            int runs = top.Get("runs") is { } runsNode ? TryValue(() => ReadRuns(runsNode)) ?? 1 : 1;
            ulong seed = top.Get("seed") is { } seedNode ? TryValue(() => ReadSeed(seedNode)) ?? 42 : 42;
            var uncertain = top.Get("uncertain") is { } uncertainNode ? ReadUncertain(uncertainNode, names) : [];
            // Posterior draws (loopsim calibrate --mcmc) are uncertain parameters too, drawn jointly row by row.
            if (top.Get("posterior") is { } posteriorNode && Try(() => ReadPosterior(posteriorNode, folder)) is { } posterior)
                uncertain = [.. uncertain, .. posterior];
            var sweep = top.Get("sweep") is { } sweepNode ? Try(() => YamlSweep.Parse(file, sweepNode)) : null;

            var scenario = new Scenario
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
                Uncertain = uncertain,
                Sweep = sweep,
            };
            _problems.AddRange(ScenarioValidator.Check(scenario));
            if (_problems.Count > 0) throw new ModelException(_problems);
            return scenario;
        }

        /// <summary>Reads one independent block; its problems are kept and reading goes on (null: the block is unusable).</summary>
        private T? Try<T>(Func<T> read) where T : class
        {
            try { return read(); }
            catch (ModelException e) { _problems.AddRange(e.Diagnostics); return null; }
        }

        private T? TryValue<T>(Func<T> read) where T : struct
        {
            try { return read(); }
            catch (ModelException e) { _problems.AddRange(e.Diagnostics); return null; }
        }

        private List<DistributionSpec> ReadPosterior(YamlNode node, string folder)
        {
            var location = file.Locate(node);
            var path = Path.GetFullPath(Path.Combine(folder, file.Text(node, "'posterior'")));
            return [.. PosteriorSample.Load(path, location).Specs(location)];
        }

        private int ReadRuns(YamlNode node)
        {
            var text = file.Text(node, "'runs'");
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var runs))
                throw file.Error(node, DiagnosticCodes.WrongValueType, $"'runs' of the scenario file must be a whole number, not '{text}'.");
            if (ScenarioValidator.Runs(runs, "'runs'", file.Locate(node)) is { } problem) throw new ModelException(problem);
            return (int)runs;
        }

        private ulong ReadSeed(YamlNode node) => ScenarioValidator.Seed(file.Text(node, "'seed'"), "'seed'", file.Locate(node));

        private IReadOnlyList<City> ReadCities(YamlNode node, string folder, ModelNames names)
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

        private List<City> ReadCityList(YamlFile source, YamlNode node, ModelNames names)
        {
            var list = source.Sequence(node, "'cities'");
            if (list.Children.Count == 0)
                throw source.Error(node, DiagnosticCodes.NoCities, "the scenario lists no cities; give at least one.",
                    "Each city is '- name: Shanghai' with optional 'label', 'set' and 'notes'; or leave 'cities' out to run the model as it is.");
            var cities = new List<City>();
            foreach (var entry in list.Children)
                if (Try(() => ReadCity(source, entry, names, cities)) is { } city) cities.Add(city);
            return cities;
        }

        private static City ReadCity(YamlFile source, YamlNode entry, ModelNames names, List<City> before)
        {
            var fields = source.Fields(entry, "a city", CityKeys);
            var nameNode = fields.Require("name");
            var name = source.Text(nameNode, "the name of a city");
            if (before.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) is { } other)
                throw source.Error(nameNode, DiagnosticCodes.GivenTwice, $"the city '{name}' is listed twice (first at {other.Location}).", "Give each city once; names ignore case.");
            return new City
            {
                Name = name,
                Label = fields.Text("label"),
                Notes = fields.Text("notes"),
                Set = fields.Get("set") is { } setNode ? ReadSettings(source, setNode, $"'set' of city '{name}'", names) : [],
                Location = source.Locate(nameNode),
            };
        }

        /// <summary>Each entry of 'uncertain' on its own, so that every bad distribution is reported at once.</summary>
        private List<DistributionSpec> ReadUncertain(YamlNode node, ModelNames names)
        {
            var specs = new List<DistributionSpec>();
            var section = Try(() => file.Mapping(node, "'uncertain'"));
            foreach (var (keyNode, valueNode) in section?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
                if (Try(() => YamlUncertainty.ParseEntry(keyNode, valueNode, file.Path)) is { } spec
                    && Try(() => names.Resolve(file, keyNode, spec.Parameter, "'uncertain'")) is { } parameter)
                    specs.Add(spec with { Parameter = parameter });
            return specs;
        }
    }

    private static List<ParameterSetting> ReadSettings(YamlFile file, YamlNode node, string what, ModelNames names)
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
    private static List<string> ReadNames(YamlFile file, YamlNode node, string what, ModelNames names)
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
}

/// <summary>A model's variables by canonical name, to check the names a scenario writes and give them the model's spelling.</summary>
internal sealed class ModelNames(SdModel model)
{
    private readonly Dictionary<string, Variable> _byCanonical = model.Variables.GroupBy(v => v.CanonicalName).ToDictionary(g => g.Key, g => g.First());

    /// <summary>The variable a name refers to, or null.</summary>
    public Variable? Find(string written) => _byCanonical.GetValueOrDefault(Names.Canonical(written));

    public string Resolve(YamlFile file, YamlNode node, string written, string what) =>
        Find(written)?.Name ?? throw new ModelException(Unknown(written, what, file.Locate(node)));

    public Diagnostic Unknown(string written, string what, SourceLocation? at) =>
        new(DiagnosticCodes.UnknownName, $"'{written}' in {what} is not a variable of model '{model.Name}'.", at,
            Hint: Names.DidYouMean(written, _byCanonical.Values.Select(v => v.Name)) ?? "Check the spelling against the model file.");
}
