using LoopSim.Engine.Model;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Experiments.Distributions;

/// <summary>Reads a scenario's <c>uncertain:</c> mapping (parameter name → distribution description) from YamlDotNet's node tree.</summary>
public static class YamlUncertainty
{
    /// <summary>Every entry of <paramref name="section"/>, in file order; errors carry the entry's line in <paramref name="file"/>.</summary>
    public static IReadOnlyList<DistributionSpec> Parse(YamlMappingNode section, string? file) =>
        section.Children.Select(entry => ParseEntry(entry.Key, entry.Value, file)).ToList();

    /// <summary>One entry, <c>NAME: { dist: ..., ... }</c>, located at its key.</summary>
    public static DistributionSpec ParseEntry(YamlNode keyNode, YamlNode valueNode, string? file)
    {
        var location = At(file, keyNode);
        var parameter = (keyNode as YamlScalarNode)?.Value
            ?? throw new ModelException(DiagnosticCodes.WrongShape, "uncertain: each key must be a parameter name.", location, hint: "Write NAME: { dist: ..., ... }.");
        if (valueNode is not YamlMappingNode description)
            throw new ModelException(DiagnosticCodes.WrongShape, "uncertain parameter: the distribution must be a mapping.", location, parameter,
                "Write it as { dist: normal, mean: 1, sd: 0.1 } or as an indented block.");
        return DistributionSpec.Parse(parameter, Plain(description, file, parameter), location);
    }

    /// <summary>A mapping of scalars and lists of scalars as plain strings and lists.</summary>
    private static Dictionary<string, object?> Plain(YamlMappingNode mapping, string? file, string parameter)
    {
        var fields = new Dictionary<string, object?>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            fields[key] = valueNode switch
            {
                YamlScalarNode scalar => scalar.Value,
                YamlSequenceNode list => list.Children.Select(item => item is YamlScalarNode s
                    ? s.Value
                    : throw new ModelException(DiagnosticCodes.DistributionArgument, $"uncertain parameter: '{key}' must be a list of numbers.", At(file, item), parameter, "Write it as [1, 2, 3].")).ToList(),
                _ => throw new ModelException(DiagnosticCodes.DistributionArgument, $"uncertain parameter: '{key}' must be a number or a list.", At(file, valueNode), parameter, $"Write {key}: NUMBER."),
            };
        }
        return fields;
    }

    private static SourceLocation At(string? file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);
}
