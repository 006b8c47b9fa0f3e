using LoopSim.Engine.Analysis;
using Xunit.Abstractions;

namespace LoopSim.Engine.Tests.Analysis;

public class DenseModelAnalysisTests(ITestOutputHelper output)
{
    /// <summary>
    /// A generated model of 10 coupled sectors, 10 variables each (2 stocks, 3 flows, 5 auxiliaries), 100 in all:
    /// each sector grows, is crowded, and hands people on to the next sector in a ring, with a smoothed signal.
    /// </summary>
    internal static TestModel Sectors(int sectors = 10)
    {
        var model = new TestModel(stop: 100, dt: 0.25);
        for (int i = 0; i < sectors; i++)
        {
            int next = (i + 1) % sectors;
            model.Stock($"A{i}", $"{10 + i}", inflows: new[] { $"growth{i}", $"arrival{(i + sectors - 1) % sectors}" }, outflows: new[] { $"handover{i}" }, nonNegative: true)
                .Stock($"B{i}", "1", inflows: new[] { $"handover{i}" }, outflows: new[] { $"arrival{i}" }, nonNegative: true)
                .Flow($"growth{i}", $"A{i} * rate{i} * room{i}", nonNegative: true)
                .Flow($"handover{i}", $"A{i} * pressure{i} / 10", nonNegative: true)
                .Flow($"arrival{i}", $"B{i} / 4", nonNegative: true)
                .Aux($"rate{i}", $"0.05 + 0.01 * {i % 3}")
                .Aux($"room{i}", $"MAX(0, 1 - A{i} / capacity{i})")
                .Aux($"capacity{i}", $"200 + B{next}")
                .Aux($"pressure{i}", $"SMTH1(A{i} / capacity{i}, 3)")
                .Aux($"signal{i}", $"A{i} + B{i}");
        }
        return model;
    }

    /// <summary>
    /// The analysis of a model too dense to list every loop finishes, by strongest-path search, with every step's
    /// relative scores summing to 1. How fast is a benchmark's question, not a unit test's: a time limit here failed
    /// whenever the shared machine was busy.
    /// </summary>
    [Fact]
    public void AHundredVariableModelIsAnalysedByStrongestPath()
    {
        var compiled = Sectors().Compile();
        Assert.Equal(100, compiled.OutputNames.Count);
        var analysis = LoopAnalyzer.Analyze(compiled);

        output.WriteLine($"{compiled.OutputNames.Count} variables, {analysis.Times.Length} steps, {analysis.Loops.Count} loops");
        // Each loop can run round the ring: tens of thousands of elementary loops, so they are found by strongest path.
        Assert.False(analysis.Exhaustive);
        Assert.True(analysis.Loops.Count > 100);
        Assert.Single(analysis.Partitions); // the ring couples every sector
        for (int step = 0; step < analysis.Times.Length; step++)
        {
            double sum = analysis.Loops.Sum(l => Math.Abs(l.RelativeScores[step]));
            Assert.True(sum == 0 || Math.Abs(sum - 1) < 1e-9, $"step {step}: Σ|relative| = {sum}");
        }
        // 30 states (20 stocks, 10 smooths) in one partition: too many for the share explained to be measured.
        Assert.Equal(20, analysis.Coverage.Count);
        Assert.All(analysis.Coverage, c => Assert.True(double.IsNaN(c.Explained)));
        Assert.Empty(analysis.Warnings);
    }

    [Fact]
    public void InADenseEightStockModelTheLoopsFoundExplainLittleAndTheAnalysisSaysSo()
    {
        // 8 stocks, each flow reading every stock: 13,700 loops, past the default cap of 5,000.
        var analysis = LoopAnalyzer.Analyze(LoopCoverageTests.Dense(8).Compile());
        Assert.False(analysis.Exhaustive);
        Assert.Equal(8, analysis.Coverage.Count);
        foreach (var c in analysis.Coverage)
            output.WriteLine($"{c.Stock}: explained {c.Explained:P1}, lowest {c.Lowest:P1} at t = {c.LowestAt}");
        output.WriteLine($"{analysis.Loops.Count} loops found; {(analysis.Warnings.Count > 0 ? analysis.Warnings[0].Message : "no warning")}");
        Assert.All(analysis.Coverage, c => Assert.InRange(c.Explained, 0, 1));
        Assert.Equal(analysis.Coverage.Any(c => c.Explained < LoopAnalyzer.LowCoverage), analysis.Warnings.Count == 1);
    }
}
