using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Experiments.Sweeps;

/// <summary>A scenario's <c>sweep:</c> section: the grid, and the metrics to compare across it (none: the caller's default), the first one ranked.</summary>
public sealed record SweepSection(IReadOnlyList<SweepAxis> Axes, IReadOnlyList<MetricSpec> Metrics, SourceLocation? MetricLocation = null);

/// <summary>
/// Reads a scenario's <c>sweep:</c> section:
/// <code>
/// sweep:
///   params:
///     commission_rate: 0.05:0.30:0.05     # FROM:TO:STEP, inclusive
///     member_cap: [50, 100, 200, 400]     # or a list (or "50,100,200,400")
///   metric: referrals_per_week@104:p50    # VARIABLE[@TIME][:STAT], optional; or a list, the first one ranked
/// </code>
/// The same grammar as <c>loopsim sweep --param</c> and <c>--metric</c>; errors carry the line in the scenario file.
/// </summary>
public static class YamlSweep
{
    private static readonly string[] Keys = ["params", "metric"];

    public static SweepSection Parse(YamlFile file, YamlNode section)
    {
        var fields = file.Fields(section, "'sweep'", Keys);
        var paramsNode = fields.Require("params", "List the swept parameters, e.g. 'params: { member_cap: [50, 100, 200] }'.");
        var axes = new List<SweepAxis>();
        foreach (var (name, keyNode, value) in file.Entries(paramsNode, "'params' of 'sweep'"))
        {
            var location = file.Locate(keyNode);
            var values = value is YamlSequenceNode list
                ? string.Join(",", list.Children.Select(item => file.Text(item, $"a value of '{name}' in 'sweep'")))
                : file.Text(value, $"the values of '{name}' in 'sweep'");
            axes.Add(SweepAxis.Parse(name, values, location));
        }
        if (axes.Count == 0)
            throw file.Error(paramsNode, DiagnosticCodes.SweepMissing, "'params' of 'sweep' lists no parameters.", "Give at least one, e.g. 'member_cap: [50, 100, 200]'.");
        var metricNode = fields.Get("metric");
        IReadOnlyList<YamlNode> metricNodes = metricNode switch
        {
            null => [],
            YamlSequenceNode list => [.. list.Children],
            _ => [metricNode],
        };
        var metrics = metricNodes.Select(node => MetricSpec.Parse(file.Text(node, "'metric' of 'sweep'"), file.Locate(node))).ToList();
        return new SweepSection(axes, metrics, metricNode is null ? null : file.Locate(metricNode));
    }
}
