using System.Globalization;
using System.Text.RegularExpressions;
using LoopSim.Engine.Analysis;
using Xunit.Abstractions;

namespace LoopSim.Engine.Tests.Analysis;

/// <summary>The memory estimate made before an analysis, against what the analysis allocates; and the refusal past the budget.</summary>
public class LoopMemoryTests(ITestOutputHelper output)
{
    /// <summary>7 stocks, each flow reading every stock: 2,372 loops, 2,000 DT steps.</summary>
    private static TestModel Dense(double? saveStep = null) => LoopCoverageTests.Dense(7, stop: 250, dt: 0.125, saveStep: saveStep);

    [Theory]
    [InlineData(null)]   // every DT saved: 2,000 save times
    [InlineData(1.0)]    // every 8th: 250
    [InlineData(5.0)]    // every 40th: 50, where describing the loops is most of it
    public void TheEstimateIsWithinFifteenPercentOfTheAllocation(double? saveStep)
    {
        var compiled = Dense(saveStep).Compile();
        LoopAnalyzer.Analyze(LoopCoverageTests.Dense(7, stop: 1).Compile());   // the analysis's own code compiled once
        long before = GC.GetAllocatedBytesForCurrentThread();
        var analysis = LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions { LoopCap = 100_000 });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"{analysis.Loops.Count} loops × {analysis.Times.Length} save times: estimated {analysis.EstimatedBytes / 1e6:F1} MB, "
                         + $"allocated {allocated / 1e6:F1} MB ({(double)allocated / analysis.Loops.Count / analysis.Times.Length:F1} B per loop per save time)");
        Assert.Equal(2372, analysis.Loops.Count);
        Assert.InRange((double)analysis.EstimatedBytes / allocated, 0.85, 1.15);
    }

    [Fact]
    public void PastTheBudgetTheAnalysisIsRefusedBeforeItRunsAndTheAdviceFits()
    {
        var compiled = Dense().Compile();
        long budget = 60_000_000;   // the full analysis takes about 205 MB
        var refused = Assert.Throws<LoopSim.Engine.Diagnostics.ModelException>(() => LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions { LoopCap = 100_000, MemoryBudget = budget }));
        var d = Assert.Single(refused.Diagnostics);
        output.WriteLine(d.Format());
        Assert.Equal("LS5014", d.Code.Id);
        Assert.Contains("2,372 loops × 2,000 save times", d.Message);
        Assert.Contains("more than its memory budget of 60 MB", d.Message);
        Assert.Contains("--max-loops", d.Hint);
        Assert.Contains("--max-memory", d.Hint);

        // The save step it names fits the same budget.
        var saveStep = double.Parse(Regex.Match(d.Hint!, @"a save step of ([0-9.]+) or more").Groups[1].Value, CultureInfo.InvariantCulture);
        var coarser = LoopAnalyzer.Analyze(Dense(saveStep).Compile(), new LoopAnalysisOptions { LoopCap = 100_000, MemoryBudget = budget });
        Assert.True(coarser.EstimatedBytes <= budget);
        Assert.Equal(2372, coarser.Loops.Count);
    }
}
