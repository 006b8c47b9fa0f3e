using LoopSim.Engine.Analysis;

namespace LoopSim.Engine.Tests.Analysis;

public class ElementaryCyclesTests
{
    private static List<int>[] Complete(int n) =>
        Enumerable.Range(0, n).Select(v => Enumerable.Range(0, n).Where(w => w != v).ToList()).ToArray();

    /// <summary>Σ_{k=2..n} C(n,k)·(k−1)!: every k-subset of vertices closes into (k−1)! distinct directed cycles.</summary>
    private static long CompleteCount(int n)
    {
        long total = 0;
        for (int k = 2; k <= n; k++)
        {
            long choose = 1;
            for (int i = 0; i < k; i++) choose = choose * (n - i) / (i + 1);
            long orders = 1;
            for (int i = 2; i < k; i++) orders *= i;
            total += choose * orders;
        }
        return total;
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 20)]
    [InlineData(5, 84)]
    [InlineData(6, 409)]
    public void CompleteDigraphHasTheKnownNumberOfElementaryCycles(int n, int expected)
    {
        Assert.Equal(expected, CompleteCount(n));
        var cycles = ElementaryCycles.Enumerate(Complete(n)).ToList();
        Assert.Equal(expected, cycles.Count);
        // Each is elementary (no repeated vertex), starts at its least vertex, and appears once.
        Assert.All(cycles, c => Assert.Equal(c.Length, c.Distinct().Count()));
        Assert.All(cycles, c => Assert.Equal(c.Min(), c[0]));
        Assert.Equal(cycles.Count, cycles.Select(c => string.Join(",", c)).Distinct().Count());
    }

    [Fact]
    public void SelfLoopsChainsAndSeparateComponents()
    {
        // 0→1→2→0, 2→2, 3→4 (no cycle), 5→6→5.
        var graph = new[] { new List<int> { 1 }, new() { 2 }, new() { 0, 2 }, new() { 4 }, new(), new() { 6 }, new() { 5 } };
        var cycles = ElementaryCycles.Enumerate(graph).ToList();
        Assert.Equal(new[] { "0,1,2", "2", "5,6" }, cycles.Select(c => string.Join(",", c)).Order());
    }

    [Fact]
    public void CyclesComeOneAtATimeSoTheCallerCanStop()
    {
        // The complete digraph on 12 vertices has over 10⁸ cycles: only lazy enumeration returns the first ten.
        var first = ElementaryCycles.Enumerate(Complete(12)).Take(10).ToList();
        Assert.Equal(10, first.Count);
        Assert.Equal(first.Take(5).Select(c => string.Join(",", c)), ElementaryCycles.Enumerate(Complete(12)).Take(5).Select(c => string.Join(",", c)));
    }
}
