using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Validation;

namespace LoopSim.Experiments.Tests.Validation;

/// <summary>The claims language of checks files, on hand-made series whose answers are worked out by hand.</summary>
public class AssertionTests
{
    private static readonly double[] Times = [0, 1, 2, 3, 4];

    private static readonly Dictionary<string, double[]> Series = new()
    {
        ["a.x"] = [0, 1, 2, 3, 4],          // a ramp
        ["a.y"] = [10, 10, 10, 10, 10],
        ["b.x"] = [0, 0, 1, 2, 3],          // the ramp one time unit later
        ["b.flag"] = [0, 0, 1, 1, 0],
        [".z"] = [5, 3, 1, 2, 8],           // a bare name
    };

    private static AssertionResult Evaluate(string text) =>
        Assertion.Parse(text).Evaluate((run, variable) => Series[run + "." + variable], Times);

    private static double Measure(string text) =>
        Assertion.Parse(text, measurement: true).Evaluate((run, variable) => Series[run + "." + variable], Times).Left;

    [Theory]
    [InlineData("FINAL(a.x)", 4)]
    [InlineData("INITIAL(a.y) - 1", 9)]
    [InlineData("MAXIMUM(z)", 8)]
    [InlineData("MINIMUM(z)", 1)]
    [InlineData("AT(z, 3)", 2)]
    [InlineData("MEAN(z, 1, 3)", 2)]                  // (3 + 1 + 2) / 3
    [InlineData("HALF_RISE(a.x)", 2)]                 // from 0 to 4, level 2 at t = 2
    [InlineData("HALF_RISE(b.x)", 2.5)]               // level 1.5 between t = 2 (1) and t = 3 (2)
    [InlineData("LAG(a.x, b.x)", 1)]                  // b is a shifted by one time unit
    [InlineData("FIRST_TIME(b.flag = 1)", 2)]
    [InlineData("AT_FIRST(z, b.flag = 1)", 1)]
    [InlineData("MIN_UNTIL(z, a.x >= 3)", 1)]
    [InlineData("ALWAYS(a.y > a.x, 0)", 1)]
    [InlineData("ALWAYS(z > 2, 2)", 0)]               // z = 2 at t = 3
    [InlineData("ALWAYS(z > 1, 2)", 1)]               // after t = 2: 2, 8
    [InlineData("FINAL(MAX(a.x, z) + ABS(-1))", 9)]
    [InlineData("FINAL(IF a.x > 3 THEN 1 ELSE 2)", 1)]
    public void FunctionsReduceSeriesToNumbers(string expression, double expected) =>
        Assert.Equal(expected, Measure(expression), 12);

    [Fact]
    public void GrowthIsTheLeastSquaresTrendOverTheSpanRelativeToTheMean()
    {
        // Over t = 2..4, a.x = 2, 3, 4: slope 1, mean 3, span 2 → 1 × 2 / 3.
        Assert.Equal(2.0 / 3, Measure("GROWTH(a.x, 2)"), 12);
    }

    [Fact]
    public void AComparisonReportsBothSidesAndWhetherItHolds()
    {
        var result = Evaluate("FINAL(a.x) >= 0.3 * INITIAL(a.y)");
        Assert.True(result.Holds);
        Assert.Equal(4, result.Left);
        Assert.Equal(3, result.Right, 12);
        Assert.Equal("4 ≥ 3", result.Measured);
        Assert.False(Evaluate("FINAL(a.x) > 4").Holds);
        Assert.Equal([("a", "x"), ("a", "y")], Assertion.Parse("FINAL(a.x) >= 0.3 * INITIAL(a.y)").References);
    }

    [Fact]
    public void AnEventThatNeverHappensDoesNotHold()
    {
        var result = Evaluate("FIRST_TIME(a.x > 100) < 3");
        Assert.False(result.Holds);
        Assert.True(double.IsNaN(result.Left));
    }

    [Theory]
    [InlineData("FINAL(a.x) + 1", "is not a comparison")]
    [InlineData("FINAL(a.x, 2) > 1", "FINAL takes 1 argument, not 2")]
    [InlineData("FINL(a.x) > 1", "unknown function 'FINL'. Did you mean 'final'")]
    [InlineData("FINAL(a.x > 1", "syntax error")]
    public void MistakesAreReportedWithTheFix(string text, string message)
    {
        var e = Assert.Throws<ModelException>(() => Assertion.Parse(text, new SourceLocation("checks.yaml", 7, 9)));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("checks.yaml:7", e.Diagnostics[0].ToString());
        if (!message.StartsWith("syntax", StringComparison.Ordinal)) Assert.Equal(DiagnosticCodes.AssertionMalformed, e.Diagnostics[0].Code);
    }

    [Fact]
    public void ASeriesLeftUnreducedIsAnError()
    {
        var e = Assert.Throws<ModelException>(() => Evaluate("a.x > 1"));
        Assert.Contains("a whole series", e.Message);
        Assert.Equal(DiagnosticCodes.AssertionMalformed, e.Diagnostics[0].Code);
    }
}
