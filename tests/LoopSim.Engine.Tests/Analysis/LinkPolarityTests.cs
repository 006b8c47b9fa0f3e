using LoopSim.Engine.Analysis;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Tests.Analysis;

public class LinkPolarityTests
{
    private static GraphicalFunction Table(params double[] ys) =>
        new(GraphType.Continuous, Enumerable.Range(0, ys.Length).Select(i => (double)i).ToArray(), ys);

    /// <summary>The polarity of the link from → to in a model whose 'x' is a stock (non-negative, 1..∞ by its inflow) and 'c' the constant 3.</summary>
    private static LinkPolarity Polarity(string equation, string from = "x", GraphicalFunction? graph = null, Action<TestModel>? more = null)
    {
        var model = new TestModel()
            .Stock("x", "1", inflows: new[] { "grow" }).Flow("grow", "x * 0.1")
            .Aux("c", "3").Aux("neg", "-2").Aux("z", equation, graph);
        more?.Invoke(model);
        return LinkOf(model.Compile(), from, "z");
    }

    private static LinkPolarity LinkOf(CompiledModel compiled, string from, string to)
    {
        var graph = CausalGraph.Build(compiled);
        int f = compiled.Find(from)!.Value, t = compiled.Find(to)!.Value;
        return graph.Links.Single(l => l.From == f && l.To == t).Polarity;
    }

    [Theory]
    [InlineData("x + c", LinkPolarity.Positive)]
    [InlineData("c - x", LinkPolarity.Negative)]
    [InlineData("-x", LinkPolarity.Negative)]
    [InlineData("x * c", LinkPolarity.Positive)]
    [InlineData("x * neg", LinkPolarity.Negative)]
    [InlineData("x * SIN(TIME)", LinkPolarity.Undetermined)]
    [InlineData("x * x", LinkPolarity.Positive)]                    // x ≥ 1 by its structure
    [InlineData("x / c", LinkPolarity.Positive)]
    [InlineData("c / x", LinkPolarity.Negative)]
    [InlineData("x / (x + c)", LinkPolarity.Positive)]              // a share, c ≥ 0
    [InlineData("SAFEDIV(x, x + c, 1)", LinkPolarity.Positive)]
    [InlineData("x / (x - c)", LinkPolarity.Undetermined)]
    [InlineData("1 - EXP(-x / c)", LinkPolarity.Positive)]
    [InlineData("SQRT(x) + LN(x)", LinkPolarity.Positive)]
    [InlineData("x ^ 2", LinkPolarity.Positive)]
    [InlineData("c ^ x", LinkPolarity.Positive)]                    // base ≥ 1
    [InlineData("ABS(x - c)", LinkPolarity.Undetermined)]
    [InlineData("SIN(x)", LinkPolarity.Undetermined)]
    public void ArithmeticAndFunctions(string equation, LinkPolarity expected) => Assert.Equal(expected, Polarity(equation));

    [Theory]
    [InlineData("MIN(x, 5)", LinkPolarity.Positive)]
    [InlineData("MAX(0, 1 - x / c)", LinkPolarity.Negative)]
    [InlineData("MIN(x, c - x)", LinkPolarity.Undetermined)]
    [InlineData("MAX(x * c, x + 1)", LinkPolarity.Positive)]
    public void MinAndMaxAreMonotone(string equation, LinkPolarity expected) => Assert.Equal(expected, Polarity(equation));

    [Theory]
    [InlineData("IF TIME > 5 THEN x ELSE 2 * x", LinkPolarity.Positive)]
    [InlineData("IF TIME > 5 THEN x ELSE 0", LinkPolarity.Positive)]
    [InlineData("IF c > 0 THEN c - x ELSE -x", LinkPolarity.Negative)]
    [InlineData("IF TIME > 5 THEN x ELSE -x", LinkPolarity.Undetermined)]
    [InlineData("IF x > 5 THEN 1 ELSE 2", LinkPolarity.Undetermined)]
    public void IfOnlyWhenBothBranchesAgreeAndTheConditionDoesNotReadX(string equation, LinkPolarity expected) =>
        Assert.Equal(expected, Polarity(equation));

    [Fact]
    public void GraphicalFunctionsByTheMonotonicityOfTheirTable()
    {
        Assert.Equal(LinkPolarity.Positive, Polarity("x", graph: Table(0, 0.5, 0.5, 2)));        // flat stretches allowed
        Assert.Equal(LinkPolarity.Negative, Polarity("x", graph: Table(3, 2, 1, 1)));
        Assert.Equal(LinkPolarity.Undetermined, Polarity("x", graph: Table(0, 1, 0)));
        Assert.Equal(LinkPolarity.Negative, Polarity("c - x", graph: Table(0, 1, 2)));        // graph(decreasing input)
        // A named graphical function called with an argument, and via LOOKUP.
        void Lookup(TestModel m) => m.Model.Variables.Add(new Variable { Name = "effect", Kind = VariableKind.Aux, Graph = Table(1, 0.6, 0.2) });
        Assert.Equal(LinkPolarity.Negative, Polarity("effect(x)", more: Lookup));
        Assert.Equal(LinkPolarity.Positive, Polarity("LOOKUP(effect, c - x)", more: Lookup));
        Assert.Equal(LinkPolarity.Negative, Polarity("c * effect(x)", more: Lookup));
    }

    [Fact]
    public void CoFactorSignsComeFromTheStructureOfStocks()
    {
        // Trust-like index: filled toward 1, drained in proportion to itself, so it stays in [0, 1] and 1 − T ≥ 0.
        var index = new TestModel()
            .Stock("T", "0.5", inflows: new[] { "building" }, outflows: new[] { "erosion" })
            .Flow("building", "(1 - T) * 0.2").Flow("erosion", "T * 0.1")
            .Aux("payout", "7").Aux("z", "(1 - T) * payout").Aux("w", "(T - 2) * payout").Compile();
        Assert.Equal(LinkPolarity.Positive, LinkOf(index, "payout", "z"));
        Assert.Equal(LinkPolarity.Negative, LinkOf(index, "payout", "w"));  // T − 2 < 0
        Assert.Equal(LinkPolarity.Negative, LinkOf(index, "T", "z"));

        // A stock drained by an outflow not proportional to it can go negative: the co-factor's sign is open.
        var open = new TestModel()
            .Stock("S", "10", outflows: new[] { "spend" }).Flow("spend", "3")
            .Aux("k", "2").Aux("z", "k * S").Compile();
        Assert.Equal(LinkPolarity.Undetermined, LinkOf(open, "k", "z"));
        Assert.Equal(LinkPolarity.Positive, LinkOf(open, "S", "z"));

        // ... unless the modeller says it is non-negative.
        var floored = new TestModel()
            .Stock("S", "10", outflows: new[] { "spend" }, nonNegative: true).Flow("spend", "3")
            .Aux("k", "2").Aux("z", "k * S").Compile();
        Assert.Equal(LinkPolarity.Positive, LinkOf(floored, "k", "z"));
    }

    [Fact]
    public void ConstantsCountWithTheirValueAndAZeroWithItsDeclaredRange()
    {
        TestModel WithWeight(string value, (double, double)? range)
        {
            var m = new TestModel().Stock("x", "1", inflows: new[] { "grow" }).Flow("grow", "x * 0.1");
            m.Model.Variables.Add(new Variable { Name = "weight", Kind = VariableKind.Aux, Equation = Equation.Parse(value), Range = range });
            return m.Aux("z", "(1 - weight) * x");
        }
        Assert.Equal(LinkPolarity.Positive, LinkOf(WithWeight("0.3", null).Compile(), "x", "z"));
        Assert.Equal(LinkPolarity.Negative, LinkOf(WithWeight("1.5", (0, 2)).Compile(), "x", "z"));   // this run's value
        Assert.Equal(LinkPolarity.Positive, LinkOf(WithWeight("0", (0, 1)).Compile(), "x", "z"));
        Assert.Equal(LinkPolarity.Undetermined, LinkOf(WithWeight("0", (0, 2)).Compile(), "x", "z"));
        Assert.Equal(LinkPolarity.Undetermined, LinkOf(WithWeight("0", null).Compile(), "x", "z"));   // 0 ≤ weight, no upper bound
        // The value a scenario sets is the one that counts.
        var overridden = WithWeight("0.3", null).Compile(new CompileOptions { Overrides = new Dictionary<string, double> { ["weight"] = 4 } });
        Assert.Equal(LinkPolarity.Negative, LinkOf(overridden, "x", "z"));
    }

    [Fact]
    public void ASharesRangeIsZeroToOne()
    {
        var compiled = new TestModel()
            .Stock("a", "1", inflows: new[] { "ga" }).Flow("ga", "a * 0.1")
            .Stock("b", "1", inflows: new[] { "gb" }).Flow("gb", "b * 0.2")
            .Aux("share", "SAFEDIV(a, a + b, 1)").Aux("k", "2").Aux("z", "(1 - share) * k").Compile();
        Assert.Equal(LinkPolarity.Positive, LinkOf(compiled, "k", "z"));
    }

    [Fact]
    public void FlowsIntoStocksArePositiveAndOutOfThemNegative()
    {
        var compiled = new TestModel().Stock("S", "1", inflows: new[] { "i" }, outflows: new[] { "o" }).Flow("i", "1").Flow("o", "S").Compile();
        Assert.Equal(LinkPolarity.Positive, LinkOf(compiled, "i", "S"));
        Assert.Equal(LinkPolarity.Negative, LinkOf(compiled, "o", "S"));
    }

    /// <summary>Logistic growth, its crowding ratio P/K written inline or as an auxiliary of its own.</summary>
    private static CompiledModel Logistic(bool ratioAsAuxiliary)
    {
        var model = new TestModel(stop: 60).Stock("P", "10", inflows: ["growth"]).Aux("r", "0.1").Aux("K", "100");
        return (ratioAsAuxiliary ? model.Flow("growth", "r * P * (1 - ratio)").Aux("ratio", "P / K") : model.Flow("growth", "r * P * (1 - P / K)")).Compile();
    }

    [Fact]
    public void An_auxiliary_is_seen_through_as_if_written_inline()
    {
        var inline = Logistic(ratioAsAuxiliary: false);
        var split = Logistic(ratioAsAuxiliary: true);
        // Either way P grows toward K and stays in [10, 100], so 1 − P/K ≥ 0 and r·P ≥ 0.
        Assert.Equal(LinkPolarity.Positive, LinkOf(inline, "K", "growth"));
        Assert.Equal(LinkPolarity.Positive, LinkOf(inline, "r", "growth"));
        Assert.Equal(LinkPolarity.Positive, LinkOf(split, "r", "growth"));
        // K's effect through the auxiliary: K → ratio (−), ratio → growth (−), positive as inline.
        Assert.Equal(LinkPolarity.Negative, LinkOf(split, "K", "ratio"));
        Assert.Equal(LinkPolarity.Negative, LinkOf(split, "ratio", "growth"));
        Assert.Equal(LinkPolarity.Positive, LinkOf(split, "P", "ratio"));
        Assert.Equal(LinkPolarity.Positive, LinkOf(split, "P", "growth"));   // with the ratio held

        // Inline, P's net effect on growth changes sign at K/2; split, its two paths are the two loops of logistic growth.
        Assert.Equal(LinkPolarity.Undetermined, LinkOf(inline, "P", "growth"));
        var loops = LoopAnalyzer.Analyze(split).Loops;
        Assert.Equal(LoopPolarity.Reinforcing, loops.Single(l => l.Length == 2).Polarity);
        Assert.Equal(LoopPolarity.Balancing, loops.Single(l => l.Length == 3).Polarity);
    }
}
