using System.Globalization;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>The yardstick model reproduces ../shared/bench/reference.tsv (SDEverywhere's compiled C of the Vensim model) to 1e-9 relative.</summary>
public class SupplyChainReferenceTests
{
    [BenchFact]
    public void EveryVariableAtEverySavedTimeMatchesTheReference()
    {
        var result = ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain)).Run();
        var lines = File.ReadAllLines(Path.Combine(BenchFiles.RequiredFolder, "reference.tsv"));
        var header = lines[0].Split('\t');
        Assert.Equal(17, header.Length - 1);
        Assert.Equal(lines.Length - 1, result.Times.Length);
        for (int row = 1; row < lines.Length; row++)
        {
            var cells = lines[row].Split('\t').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(cells[0], result.Times[row - 1]);
            for (int column = 1; column < header.Length; column++)
            {
                double expected = cells[column], actual = result[header[column]][row - 1];
                Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected) + 1e-12,
                    $"{header[column]} at t = {cells[0]}: expected {expected:R}, got {actual:R}");
            }
        }
    }
}
