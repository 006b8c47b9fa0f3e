using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Analysis;

/// <summary>
/// Which found loops a rule picks: those passing through every variable of <see cref="Through"/>, at least one of
/// <see cref="ThroughAny"/> (when given) and none of <see cref="NotThrough"/>.
/// </summary>
public sealed record LoopRule(IReadOnlyList<string> Through, IReadOnlyList<string> ThroughAny, IReadOnlyList<string> NotThrough)
{
    // Canonical once: a model past the loop cap matches thousands of loops against every rule.
    private readonly string[] _through = Through.Select(Names.Canonical).ToArray();
    private readonly string[] _throughAny = ThroughAny.Select(Names.Canonical).ToArray();
    private readonly string[] _notThrough = NotThrough.Select(Names.Canonical).ToArray();

    public bool Matches(FeedbackLoop loop)
    {
        var on = loop.CanonicalVariables;
        return _through.All(on.Contains) && (_throughAny.Length == 0 || _throughAny.Any(on.Contains)) && !_notThrough.Any(on.Contains);
    }
}

/// <summary>
/// A loop family the modeller named by the mechanism its loops pass through (e.g. "R1 commission" of the ecosystem
/// model). <see cref="Family"/> says which loops belong to it: every found loop belongs to the first family, in file
/// order, whose rule it matches, so families never count a loop twice. A family that stands for a loop of the
/// modeller's story also states that loop: <see cref="Loop"/> picks its instances among all found loops, and each must
/// have <see cref="Polarity"/>, from structure alone.
/// </summary>
public sealed record NamedLoop(string Id, string Name, LoopPolarity? Polarity, LoopRule? Loop, LoopRule Family, string? Description, SourceLocation Location)
{
    /// <summary>"R1 commission" for a family that names a loop of the story; its name alone ("organiser capacity") for one that does not.</summary>
    public string Label => Loop is null ? Name : $"{Id} {Name}";

    /// <summary>True when the loop is an instance of the named loop (false for a family that names no loop).</summary>
    public bool Matches(FeedbackLoop loop) => Loop?.Matches(loop) == true;
}

/// <summary>
/// One family in one analysis: the instances of its named loop (<see cref="Loops"/>, for the polarity check), the loops
/// that belong to it (<see cref="Members"/>), their composite relative score (the sum of theirs, as LTM composes loops:
/// positive when its reinforcing loops outweigh its balancing ones) and its share of the behaviour (the mean, over the
/// steps where any loop is active, of the sum of its loops' |relative scores|: the families' and the others' shares add up to 1).
/// </summary>
public sealed record NamedLoopResult(NamedLoop Named, IReadOnlyList<FeedbackLoop> Loops, IReadOnlyList<FeedbackLoop> Members, double[] CompositeScores, double Share)
{
    /// <summary>Found, and every instance has the named polarity (always true for a family that names no loop).</summary>
    public bool Confirmed => Named.Loop is null || (Loops.Count > 0 && Loops.All(l => l.Polarity == Named.Polarity));
}

/// <summary>The families of an analysis, and the loops none of them claims.</summary>
public sealed record LoopFamilies(IReadOnlyList<NamedLoopResult> Families, IReadOnlyList<FeedbackLoop> Others, double[] OtherScores, double OtherShare);

/// <summary>
/// A file of named loops and loop families for a model (loops/NAME.yaml next to the model NAME.yaml):
/// <code>
/// loops:
///   R1:
///     name: commission
///     polarity: reinforcing            # the named loop (optional): its instances, with this polarity
///     through: [referrals_per_week, winning]
///     through_any: [felt_commissions, trust_building]
///     not_through: [Lurkers]
///     family: {through_any: [closing]}  # the loops that belong to the family (default: the named loop's rule)
///     description: ...
///   trust:
///     name: trust worn by waiting
///     family: {through_any: [trust_erosion]}
/// </code>
/// Every variable named must exist in the model.
/// </summary>
public static class NamedLoops
{
    private static readonly string[] LoopKeys = ["name", "polarity", "through", "through_any", "not_through", "family", "description"];
    private static readonly string[] RuleKeys = ["through", "through_any", "not_through"];

    /// <summary>
    /// The named-loop file that goes with a model file, if there is one: loops/NAME.yaml in the model's folder
    /// (a subfolder, so that the folder of models holds only models).
    /// </summary>
    public static string? FileFor(string modelPath)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "loops", Path.GetFileNameWithoutExtension(modelPath) + ".yaml");
        return File.Exists(path) ? path : null;
    }

    public static IReadOnlyList<NamedLoop> Load(string path, SdModel model) => Read(YamlFile.Load(path, "named-loops file"), model);

    public static IReadOnlyList<NamedLoop> Parse(string yaml, string sourceFile, SdModel model) => Read(YamlFile.Parse(yaml, sourceFile), model);

    private static IReadOnlyList<NamedLoop> Read(YamlFile file, SdModel model)
    {
        if (file.Root is null || YamlFile.IsNull(file.Root))
            throw new ModelException(DiagnosticCodes.FileEmpty, "the named-loops file is empty; it needs 'loops:'.", new SourceLocation(file.Path, 1, 1));
        var top = file.Fields(file.Root, "the named-loops file", ["loops"]);
        var known = model.Variables.Select(v => v.CanonicalName).ToHashSet();
        var result = new List<NamedLoop>();
        foreach (var (id, keyNode, value) in file.Entries(top.Require("loops", "List the named loops under 'loops:'."), "'loops'"))
        {
            var what = $"loop '{id}'";
            var fields = file.Fields(value, what, LoopKeys);
            LoopRule? Rule(YamlFields from, string where)
            {
                IReadOnlyList<string> Names(string key)
                {
                    if (from.Get(key) is not { } node) return [];
                    var names = file.NameList(node, $"'{key}' of {where}");
                    foreach (var (name, at) in names)
                        if (!known.Contains(Model.Names.Canonical(name)))
                        {
                            throw file.Error(at, DiagnosticCodes.UnknownName, $"{where} names '{name}', which is not a variable of the model.",
                                Model.Names.DidYouMean(name, model.Variables.Select(v => v.Name)));
                        }
                    return names.Select(n => n.Name).ToList();
                }
                var rule = new LoopRule(Names("through"), Names("through_any"), Names("not_through"));
                return rule.Through.Count + rule.ThroughAny.Count == 0 ? null : rule;
            }

            var loop = Rule(fields, what);
            LoopPolarity? polarity = null;
            if (fields.Get("polarity") is { } polarityNode)
                polarity = file.Text(polarityNode, $"'polarity' of {what}").ToLowerInvariant() switch
                {
                    "reinforcing" => LoopPolarity.Reinforcing,
                    "balancing" => LoopPolarity.Balancing,
                    var other => throw file.Error(polarityNode, DiagnosticCodes.UnknownChoice, $"'polarity' of {what} must be reinforcing or balancing, not '{other}'."),
                };
            if (loop is not null && polarity is null)
                throw file.Error(keyNode, DiagnosticCodes.ValueMissing, $"{what} names a loop ('through') without its polarity.", "Write 'polarity: reinforcing' or 'polarity: balancing'.");
            if (loop is null && polarity is not null)
                throw file.Error(keyNode, DiagnosticCodes.ValueMissing, $"{what} has no 'through' list.", "Name the variables the loop must pass through.");
            var family = fields.Get("family") is { } familyNode ? Rule(file.Fields(familyNode, $"'family' of {what}", RuleKeys), $"the family of {what}") : loop;
            if (family is null)
                throw file.Error(keyNode, DiagnosticCodes.ValueMissing, $"{what} has no 'through' list and no 'family'.",
                    "Name the variables its loops pass through: 'through: [...]' for a named loop, 'family: {through_any: [...]}' for a family.");
            result.Add(new NamedLoop(id, fields.Text("name") ?? id, polarity, loop, family, fields.Text("description"), file.Locate(keyNode)));
        }
        return result;
    }

    /// <summary>
    /// Each named family in <paramref name="analysis"/>: every loop belongs to the first family (in file order) whose
    /// rule it matches, so families never count a loop twice; the loops no family claims are the others.
    /// </summary>
    public static LoopFamilies Match(LoopAnalysis analysis, IReadOnlyList<NamedLoop> named)
    {
        var owner = new Dictionary<FeedbackLoop, NamedLoop>();
        foreach (var loop in analysis.Loops)
            if (named.FirstOrDefault(n => n.Family.Matches(loop)) is { } first) owner[loop] = first;
        int steps = analysis.Times.Length;
        var active = Enumerable.Range(0, steps).Where(k => analysis.Loops.Any(l => l.RelativeScores[k] != 0)).ToList();
        (double[] Scores, double Share) Compose(IEnumerable<FeedbackLoop> loops)
        {
            var composite = new double[steps];
            var activity = new double[steps];
            foreach (var loop in loops)
                for (int k = 0; k < steps; k++)
                {
                    composite[k] += loop.RelativeScores[k];
                    activity[k] += Math.Abs(loop.RelativeScores[k]);
                }
            return (composite, active.Count == 0 ? 0 : active.Average(k => activity[k]));
        }
        var families = named.Select(n =>
        {
            var members = analysis.Loops.Where(l => owner.TryGetValue(l, out var o) && o == n).ToList();
            var (scores, share) = Compose(members);
            return new NamedLoopResult(n, analysis.Loops.Where(n.Matches).ToList(), members, scores, share);
        }).ToList();
        var others = analysis.Loops.Where(l => !owner.ContainsKey(l)).ToList();
        var (otherScores, otherShare) = Compose(others);
        return new LoopFamilies(families, others, otherScores, otherShare);
    }
}
