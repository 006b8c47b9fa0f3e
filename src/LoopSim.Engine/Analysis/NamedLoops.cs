using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Analysis;

/// <summary>
/// A loop the modeller named (e.g. "R1 commission" of the ecosystem model), defined by the variables a found
/// loop must pass through: all of <see cref="Through"/>, at least one of <see cref="ThroughAny"/> (when given),
/// none of <see cref="NotThrough"/>.
/// </summary>
public sealed record NamedLoop(string Id, string Name, LoopPolarity Polarity, IReadOnlyList<string> Through,
    IReadOnlyList<string> ThroughAny, IReadOnlyList<string> NotThrough, string? Description, SourceLocation Location)
{
    public bool Matches(FeedbackLoop loop)
    {
        var on = loop.Variables.Select(Names.Canonical).ToHashSet();
        return Through.All(v => on.Contains(Names.Canonical(v)))
               && (ThroughAny.Count == 0 || ThroughAny.Any(v => on.Contains(Names.Canonical(v))))
               && !NotThrough.Any(v => on.Contains(Names.Canonical(v)));
    }
}

/// <summary>The loops found for one named loop, and their composite relative score (the sum of theirs, as LTM composes loops).</summary>
public sealed record NamedLoopResult(NamedLoop Named, IReadOnlyList<FeedbackLoop> Loops, double[] CompositeScores, double Share)
{
    /// <summary>Found, and every loop found for it has the named polarity.</summary>
    public bool Confirmed => Loops.Count > 0 && Loops.All(l => l.Polarity == Named.Polarity);
}

/// <summary>
/// A file of named loops for a model (loops/NAME.yaml next to the model NAME.yaml):
/// <code>
/// loops:
///   R1:
///     name: commission
///     polarity: reinforcing
///     through: [referrals_per_week, winning]
///     through_any: [felt_commissions, trust_building]
///     not_through: [Lurkers]
///     description: ...
/// </code>
/// Every variable named must exist in the model.
/// </summary>
public static class NamedLoops
{
    private static readonly string[] LoopKeys = ["name", "polarity", "through", "through_any", "not_through", "description"];

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
            var polarityNode = fields.Require("polarity", "Write 'polarity: reinforcing' or 'polarity: balancing'.");
            var polarity = file.Text(polarityNode, $"'polarity' of {what}").ToLowerInvariant() switch
            {
                "reinforcing" => LoopPolarity.Reinforcing,
                "balancing" => LoopPolarity.Balancing,
                var other => throw file.Error(polarityNode, DiagnosticCodes.UnknownChoice, $"'polarity' of {what} must be reinforcing or balancing, not '{other}'."),
            };
            IReadOnlyList<string> Names(string key)
            {
                if (fields.Get(key) is not { } node) return [];
                var names = file.NameList(node, $"'{key}' of {what}");
                foreach (var (name, at) in names)
                    if (!known.Contains(Model.Names.Canonical(name)))
                    {
                        throw file.Error(at, DiagnosticCodes.UnknownName, $"{what} names '{name}', which is not a variable of the model.",
                            Model.Names.DidYouMean(name, model.Variables.Select(v => v.Name)));
                    }
                return names.Select(n => n.Name).ToList();
            }
            var through = Names("through");
            if (through.Count == 0) throw file.Error(keyNode, DiagnosticCodes.ValueMissing, $"{what} has no 'through' list.", "Name the variables the loop must pass through.");
            result.Add(new NamedLoop(id, fields.Text("name") ?? id, polarity, through, Names("through_any"), Names("not_through"),
                fields.Text("description"), file.Locate(keyNode)));
        }
        return result;
    }

    /// <summary>
    /// The loops found for each named loop. A loop counts towards the composite score of the first named loop it
    /// matches (in file order), so composite scores do not count a loop twice; <see cref="NamedLoopResult.Loops"/>
    /// lists every match.
    /// </summary>
    public static IReadOnlyList<NamedLoopResult> Match(LoopAnalysis analysis, IReadOnlyList<NamedLoop> named)
    {
        var owner = new Dictionary<FeedbackLoop, NamedLoop>();
        foreach (var loop in analysis.Loops)
            if (named.FirstOrDefault(n => n.Matches(loop)) is { } first) owner[loop] = first;
        int steps = analysis.Times.Length;
        var active = Enumerable.Range(0, steps).Where(k => analysis.Loops.Any(l => l.RelativeScores[k] != 0)).ToList();
        return named.Select(n =>
        {
            var loops = analysis.Loops.Where(n.Matches).ToList();
            var composite = new double[steps];
            foreach (var loop in loops.Where(l => owner[l] == n))
                for (int k = 0; k < steps; k++) composite[k] += loop.RelativeScores[k];
            double share = active.Count == 0 ? 0 : active.Average(k => Math.Abs(composite[k]));
            return new NamedLoopResult(n, loops, composite, share);
        }).ToList();
    }
}
