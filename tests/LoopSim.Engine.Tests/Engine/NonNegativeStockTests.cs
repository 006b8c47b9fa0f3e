using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>
/// XMILE 1.0 §4.2: a non-negative stock limits its outflows, in the order it lists them, to what it holds at the start
/// of the step (stock / DT, less the outflows before); the limited value is applied to both stocks and saved, so
/// material is conserved. Expected values are worked out by hand in the comments.
/// </summary>
public class NonNegativeStockTests
{
    [Fact]
    public void A_tank_of_5_draining_2_per_step_fills_its_sink_with_5()
    {
        var model = new TestModel(stop: 5)
            .Stock("tank", "5", outflows: ["drain"], nonNegative: true)
            .Stock("sink", "0", inflows: ["drain"])
            .Flow("drain", "2")
            .Compile();
        var r = model.Run();
        // t=0: 5 held, drain min(2, 5/1) = 2; t=1: 3, 2; t=2: 1, min(2, 1) = 1; t=3: 0, 0.
        Close.Equal([5, 3, 1, 0, 0, 0], r["tank"]);
        Close.Equal([2, 2, 1, 0, 0, 0], r["drain"]);
        Close.Equal([0, 2, 4, 5, 5, 5], r["sink"]);

        // The constant rate stays a parameter: asking for 4 a step drains the tank in two.
        var parameters = (double[])model.DefaultParameters.Clone();
        parameters[model.ParameterIndex("drain")] = 4;
        var faster = model.Run(parameters);
        Close.Equal([5, 1, 0, 0, 0, 0], faster["tank"]);
        Close.Equal([4, 1, 0, 0, 0, 0], faster["drain"]);
        Close.Equal([0, 4, 5, 5, 5, 5], faster["sink"]);
    }

    [Fact]
    public void Outflows_are_served_in_the_order_the_stock_lists_them()
    {
        var r = new TestModel(stop: 2, dt: 0.5)
            .Stock("S", "10", inflows: ["in"], outflows: ["first", "second"], nonNegative: true)
            .Flow("in", "4").Flow("first", "6").Flow("second", "8")
            .Stock("A", "0", inflows: ["first"])
            .Stock("B", "0", inflows: ["second"])
            .Run();
        // Available = S / DT less the outflows before; the inflow of the same step does not count.
        // t=0:   S=10, available 20: first 6, second min(8, 14) = 8; S += 0.5 × (4 − 14) → 5
        // t=0.5: S=5,  available 10: first 6, second min(8, 4) = 4;  S += 0.5 × (4 − 10) → 2
        // t=1:   S=2,  available 4:  first 4, second 0;              S += 0.5 × (4 − 4)  → 2 (it holds one DT of inflow)
        Close.Equal([10, 5, 2, 2, 2], r["S"]);
        Close.Equal([6, 6, 4, 4, 4], r["first"]);
        Close.Equal([8, 4, 0, 0, 0], r["second"]);
        Close.Equal([0, 3, 6, 8, 10], r["A"]);
        Close.Equal([0, 4, 6, 6, 6], r["B"]);
    }

    [Theory]
    [InlineData(IntegrationMethod.Euler)]
    [InlineData(IntegrationMethod.RK2)]
    [InlineData(IntegrationMethod.RK4)]
    public void Material_is_conserved_under_every_method(IntegrationMethod method)
    {
        var r = Chain(method).Run();
        for (int i = 0; i < r.Times.Length; i++)
        {
            double total = r["A"][i] + r["B"][i] + r["C"][i] + r["waste"][i];
            Assert.True(Math.Abs(total - 10) <= 1e-12, $"{method} at {r.Times[i]}: A + B + C + waste = {total:R}, not 10");
            foreach (var stock in new[] { "A", "B", "C" }) Assert.True(r[stock][i] >= 0, $"{method}: {stock} = {r[stock][i]:R} at {r.Times[i]}");
        }
        // Euler empties A in one limited step; RK2 halves it each step and RK4 keeps 3/8 (stages see less and less of it).
        Assert.True(r["A"][^1] < 0.01, $"{method}: A ends at {r["A"][^1]:R}");
        Assert.True(r["ab"].Zip(r["A"]).Any(p => p.First < 7 && p.Second < 7 * 0.5), "the drain out of A is limited");
    }

    [Fact]
    public void A_flow_drawn_from_two_stocks_is_not_limited_and_a_negative_inflow_is_held_at_zero()
    {
        var r = new TestModel(stop: 4)
            .Stock("held", "1.5", outflows: ["shared"], nonNegative: true)
            .Stock("free", "1.5", outflows: ["shared"])
            .Flow("shared", "1")
            .Stock("fed", "1", inflows: ["negative"], nonNegative: true)
            .Flow("negative", "-2")
            .Run();
        Close.Equal([1.5, 0.5, 0, 0, 0], r["held"]);
        Close.Equal([1.5, 0.5, -0.5, -1.5, -2.5], r["free"]);
        Close.Equal([1, 1, 1, 1, 1], r["shared"]);
        Close.Equal([1, 0, 0, 0, 0], r["fed"]);
    }

    /// <summary>
    /// A chain of non-negative stocks whose drains ask for more than they hold: A (10) → B → C, and A's second outflow
    /// (after ab) to a waste stock.
    /// </summary>
    internal static TestModel Chain(IntegrationMethod method) => new TestModel(stop: 6, dt: 0.5, method: method)
        .Stock("A", "10", outflows: ["ab", "spill"], nonNegative: true)
        .Stock("B", "0", inflows: ["ab"], outflows: ["bc"], nonNegative: true)
        .Stock("C", "0", inflows: ["bc"], nonNegative: true)
        .Stock("waste", "0", inflows: ["spill"])
        .Flow("ab", "7")
        .Flow("spill", "TIME", nonNegative: true)
        .Flow("bc", "B * 3");
}
