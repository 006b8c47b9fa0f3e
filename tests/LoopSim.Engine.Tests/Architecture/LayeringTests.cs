namespace LoopSim.Engine.Tests.Architecture;

/// <summary>The stages depend one way: what the generated code calls (Runtime) knows nothing of the compiler.</summary>
public class LayeringTests
{
    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "src", "LoopSim.Engine", folder), "*.cs", SearchOption.AllDirectories);

    [Theory]
    [InlineData("Runtime", "Compilation")]
    [InlineData("Runtime", "Simulation")]
    [InlineData("Runtime", "Semantics")]
    [InlineData("Syntax", "Semantics")]
    [InlineData("Syntax", "Compilation")]
    [InlineData("Semantics", "Compilation")]
    [InlineData("Compilation", "Simulation")]
    [InlineData("Compilation", "Analysis")]
    public void A_stage_does_not_import_a_later_one(string stage, string later)
    {
        var offenders = Sources(stage)
            .Where(f => File.ReadLines(f).Any(l => l.StartsWith($"using LoopSim.Engine.{later};", StringComparison.Ordinal)
                || l.Contains($"LoopSim.Engine.{later}.", StringComparison.Ordinal)))
            .Select(Path.GetFileName).ToList();
        Assert.True(offenders.Count == 0, $"{stage} imports {later}: {string.Join(", ", offenders)}");
    }
}
