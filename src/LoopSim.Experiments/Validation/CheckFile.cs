using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Experiments.Validation;

/// <summary>A sum of variables that must stay at its starting value (every person accounted for).</summary>
public sealed record ConservedSum(string Name, IReadOnlyList<string> Variables);

/// <summary>A run the checks refer to by name: a scenario (null: the one being checked) and settings on top of it and its city.</summary>
public sealed record RunSpec(string Name, string? ScenarioPath, IReadOnlyDictionary<string, double> Set, SourceLocation Location);

/// <summary>An extreme condition (Sterman ch. 21): settings, what the real system would do, and assertions that say it.</summary>
public sealed record ExtremeCondition(string Name, IReadOnlyDictionary<string, double> Set, string Expect, IReadOnlyList<Assertion> Asserts);

/// <summary>A reference mode: a claim about behaviour as assertions over named runs, and measurements reported beside it.</summary>
public sealed record ReferenceMode(string Id, string Name, string Claim, IReadOnlyList<Assertion> Asserts, IReadOnlyList<Assertion> Reports);

/// <summary>
/// A model's checks file, <c>checks/NAME.yaml</c> next to the model <c>NAME.yaml</c> (as <c>loops/NAME.yaml</c> names its
/// loops): what the validation suite needs to know about this model that no general rule can tell. Every name is checked
/// against the model; assertions use the language of <see cref="Assertion"/>.
/// <code>
/// key_outputs: [members, engagement]        # compared by the integration-error check (default: every stock)
/// tolerance: 0.02                           # largest relative change allowed when DT halves or the method changes
/// bounds: {engagement: [0, 1]}              # held in every run of every check
/// conserved: {people: [Prospects, members]} # sums that stay at their starting value
/// extremes:                                 # each: settings, the expected behaviour in words, assertions
///   - {name: no prospects, set: {prospect_pool: 0}, expect: "...", assert: ["MAXIMUM(members) &lt;= INITIAL(members)"]}
/// runs:                                     # named runs for the reference modes (scenario relative to this file)
///   conventional: {scenario: ../../conventional.yaml, set: {}}
/// modes:                                    # reference modes: assertions over named runs, per city
///   - {id: "1", name: conventional stalls, claim: "...", assert: ["FINAL(conventional.engagement) &lt; 0.2"], report: []}
/// sensitivity: 0.5                          # the relative change of each parameter in the sensitivity check
/// </code>
/// </summary>
public sealed class CheckFile
{
    private static readonly string[] Keys = ["key_outputs", "tolerance", "bounds", "conserved", "extremes", "runs", "modes", "sensitivity"];

    public required string Path { get; init; }
    public IReadOnlyList<string> KeyOutputs { get; init; } = [];
    public double Tolerance { get; init; } = DefaultTolerance;
    public IReadOnlyDictionary<string, (double Min, double Max)> Bounds { get; init; } = new Dictionary<string, (double, double)>();
    public IReadOnlyList<ConservedSum> Conserved { get; init; } = [];
    public IReadOnlyList<ExtremeCondition> Extremes { get; init; } = [];
    public IReadOnlyDictionary<string, RunSpec> Runs { get; init; } = new Dictionary<string, RunSpec>();
    public IReadOnlyList<ReferenceMode> Modes { get; init; } = [];
    public double Sensitivity { get; init; } = DefaultSensitivity;

    /// <summary>Integration error allowed when no checks file says otherwise: 5% of a key output's range.</summary>
    public const double DefaultTolerance = 0.05;
    /// <summary>The one-at-a-time change of the sensitivity check: ±50% (Sterman's usual test of conclusions).</summary>
    public const double DefaultSensitivity = 0.5;

    /// <summary>The checks file of a model file, if there is one: checks/NAME.yaml in the model's folder.</summary>
    public static string? FileFor(string modelPath)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(modelPath))!, "checks",
            System.IO.Path.GetFileNameWithoutExtension(modelPath) + ".yaml");
        return File.Exists(path) ? path : null;
    }

    public static CheckFile Load(string path, SdModel model) => Read(YamlFile.Load(path, "checks file"), model);

    public static CheckFile Parse(string yaml, string path, SdModel model) => Read(YamlFile.Parse(yaml, path), model);

    private static CheckFile Read(YamlFile file, SdModel model)
    {
        if (file.Root is null || YamlFile.IsNull(file.Root))
            throw new ModelException(DiagnosticCodes.FileEmpty, "the checks file is empty.", new SourceLocation(file.Path, 1, 1), hint: "Give at least one of: " + string.Join(", ", Keys) + ".");
        var top = file.Fields(file.Root, "the checks file", Keys);
        var known = model.Variables.ToDictionary(v => v.CanonicalName, v => v.Name);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file.Path!))!;

        string Variable(string name, YamlNode at) => known.TryGetValue(Names.Canonical(name), out var spelled) ? spelled
            : throw file.Error(at, DiagnosticCodes.UnknownName, $"'{name}' is not a variable of model '{model.Name}'.", Names.DidYouMean(name, known.Values));
        IReadOnlyList<string> Variables(YamlNode node, string what) => file.NameList(node, what).Select(n => Variable(n.Name, n.Node)).ToList();
        IReadOnlyDictionary<string, double> Settings(YamlNode? node, string what)
        {
            var set = new Dictionary<string, double>(StringComparer.Ordinal);
            if (node is null) return set;
            foreach (var (name, keyNode, value) in file.Entries(node, what))
            {
                var variable = Variable(name, keyNode);
                if (!set.TryAdd(variable, file.Number(value, $"'{name}' in {what}")))
                    throw file.Error(keyNode, DiagnosticCodes.GivenTwice, $"'{name}' is set twice in {what}.");
            }
            return set;
        }
        IReadOnlyList<Assertion> Assertions(YamlNode? node, string what, bool measurement = false) => node is null ? []
            : file.NameList(node, what).Select(a => Assertion.Parse(a.Name, file.LocateText(a.Node), measurement)).ToList();

        var bounds = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        if (top.Get("bounds") is { } boundsNode)
            foreach (var (name, keyNode, value) in file.Entries(boundsNode, "'bounds'"))
            {
                var pair = file.Sequence(value, $"the bounds of '{name}'");
                if (pair.Children.Count != 2)
                    throw file.Error(value, DiagnosticCodes.RangeMalformed, $"the bounds of '{name}' must be [min, max].");
                double min = file.Number(pair.Children[0], $"the lower bound of '{name}'"), max = file.Number(pair.Children[1], $"the upper bound of '{name}'");
                if (!(min <= max)) throw file.Error(value, DiagnosticCodes.RangeMalformed, $"the bounds of '{name}' are [{min}, {max}]: the lower is above the upper.");
                bounds[Variable(name, keyNode)] = (min, max);
            }

        var conserved = top.Get("conserved") is { } conservedNode
            ? file.Entries(conservedNode, "'conserved'").Select(e => new ConservedSum(e.Key, Variables(e.Value, $"the sum '{e.Key}'"))).ToList()
            : [];

        var extremes = new List<ExtremeCondition>();
        if (top.Get("extremes") is { } extremesNode)
            foreach (var item in file.Sequence(extremesNode, "'extremes'").Children)
            {
                var fields = file.Fields(item, "an extreme condition", ["name", "set", "expect", "assert"]);
                var name = file.Text(fields.Require("name", "Name the condition, e.g. 'name: no prospects'."), "'name'");
                var what = $"extreme condition '{name}'";
                extremes.Add(new ExtremeCondition(name, Settings(fields.Require("set", "Give the settings of the condition."), $"'set' of {what}"),
                    file.Text(fields.Require("expect", "Say in words what the real system would do."), $"'expect' of {what}"),
                    Assertions(fields.Get("assert"), $"'assert' of {what}")));
            }

        var runs = new Dictionary<string, RunSpec>(StringComparer.Ordinal);
        if (top.Get("runs") is { } runsNode)
            foreach (var (name, keyNode, value) in file.Entries(runsNode, "'runs'"))
            {
                if (name.Contains('.', StringComparison.Ordinal))
                    throw file.Error(keyNode, DiagnosticCodes.RunUnknown, $"run name '{name}' has a dot; assertions write RUN.VARIABLE.", "Use letters, digits and underscores.");
                var fields = file.Fields(value, $"run '{name}'", ["scenario", "set"]);
                string? scenario = fields.Get("scenario") is { } scenarioNode
                    ? System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, file.Text(scenarioNode, $"'scenario' of run '{name}'")))
                    : null;
                if (scenario is not null && !File.Exists(scenario))
                    throw file.Error(fields.Get("scenario")!, DiagnosticCodes.FileNotFound, $"scenario file '{scenario}' not found.", "The path is relative to the checks file's folder.");
                runs[Names.Canonical(name)] = new RunSpec(name, scenario, Settings(fields.Get("set"), $"'set' of run '{name}'"), file.Locate(keyNode));
            }

        var modes = new List<ReferenceMode>();
        if (top.Get("modes") is { } modesNode)
            foreach (var item in file.Sequence(modesNode, "'modes'").Children)
            {
                var fields = file.Fields(item, "a reference mode", ["id", "name", "claim", "assert", "report"]);
                var id = file.Text(fields.Require("id", "Give the mode an id, e.g. 'id: \"1\"'."), "'id'");
                var what = $"mode {id}";
                var mode = new ReferenceMode(id, file.Text(fields.Require("name"), $"'name' of {what}"), file.Text(fields.Require("claim"), $"'claim' of {what}"),
                    Assertions(fields.Get("assert"), $"'assert' of {what}"), Assertions(fields.Get("report"), $"'report' of {what}", measurement: true));
                foreach (var (run, variable) in mode.Asserts.Concat(mode.Reports).SelectMany(a => a.References))
                {
                    if (!runs.ContainsKey(run))
                        throw file.Error(item, DiagnosticCodes.RunUnknown, $"{what} reads '{run}.{variable}', but there is no run '{run}' under 'runs'.",
                            run.Length == 0 ? "Write RUN.VARIABLE in a mode's assertions." : Names.DidYouMean(run, runs.Keys));
                    Variable(variable, item);
                }
                modes.Add(mode);
            }

        foreach (var extreme in extremes)
            foreach (var (run, variable) in extreme.Asserts.SelectMany(a => a.References))
            {
                if (run is not ("" or "base"))
                    throw new ModelException(DiagnosticCodes.RunUnknown, $"extreme condition '{extreme.Name}' reads '{run}.{variable}'; an extreme reads its own run (VARIABLE) or the unchanged one (base.VARIABLE).",
                        extreme.Asserts[0].Location);
                if (!known.ContainsKey(variable))
                    throw new ModelException(DiagnosticCodes.UnknownName, $"extreme condition '{extreme.Name}' reads '{variable}', which is not a variable of model '{model.Name}'.",
                        extreme.Asserts[0].Location, hint: Names.DidYouMean(variable, known.Values));
            }

        double tolerance = top.Number("tolerance") ?? DefaultTolerance;
        if (!(tolerance > 0)) throw file.Error(top.Get("tolerance")!, DiagnosticCodes.OutsideRange, $"'tolerance' must be positive, not {tolerance}.");
        double sensitivity = top.Number("sensitivity") ?? DefaultSensitivity;
        if (!(sensitivity > 0 && sensitivity < 1)) throw file.Error(top.Get("sensitivity")!, DiagnosticCodes.OutsideRange, $"'sensitivity' must be between 0 and 1 (a relative change), not {sensitivity}.");

        return new CheckFile
        {
            Path = file.Path!,
            KeyOutputs = top.Get("key_outputs") is { } outputsNode ? Variables(outputsNode, "'key_outputs'") : [],
            Tolerance = tolerance,
            Bounds = bounds,
            Conserved = conserved,
            Extremes = extremes,
            Runs = runs,
            Modes = modes,
            Sensitivity = sensitivity,
        };
    }
}
