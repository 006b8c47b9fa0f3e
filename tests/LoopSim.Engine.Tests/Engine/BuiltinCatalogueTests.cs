using System.Text.RegularExpressions;
using LoopSim.Engine.Expressions;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>The README's table of builtins is the catalogue in Builtins.cs, no more and no less.</summary>
public class BuiltinCatalogueTests
{
    [Fact]
    public void ReadmeListsExactlyTheBuiltins()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var listed = Regex.Matches(readme, @"^\| `([A-Z0-9]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToList();
        Assert.Equal(Builtins.ByName.Keys.Order(), listed.Order());
        foreach (var builtin in Builtins.ByName.Values)
            Assert.Contains(builtin.Meaning.Replace("|", "\\|"), readme);
    }
}
