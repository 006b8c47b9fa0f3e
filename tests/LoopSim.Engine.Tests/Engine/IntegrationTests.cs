using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Engine;

public class IntegrationTests
{
    private static TestModel Decay(IntegrationMethod method, double dt) =>
        new TestModel(stop: 1, dt: dt, method: method).Stock("S", "1", outflows: new[] { "out" }).Flow("out", "S");

    [Fact]
    public void EulerMatchesItsRecurrence()
    {
        var r = Decay(IntegrationMethod.Euler, 0.1).Run();
        for (int n = 0; n < r.Times.Length; n++) Assert.Equal(Math.Pow(0.9, n), r["S"][n], 14);
    }

    [Fact]
    public void Rk2IsHeunsMethod()
    {
        // Heun on S' = −S: S(n+1) = S(n) (1 − h + h²/2).
        var r = Decay(IntegrationMethod.RK2, 0.1).Run();
        for (int n = 0; n < r.Times.Length; n++) Assert.Equal(Math.Pow(1 - 0.1 + 0.005, n), r["S"][n], 13);
    }

    [Fact]
    public void Rk4IsFourthOrder()
    {
        // RK4 on S' = −S: S(n+1) = S(n) (1 − h + h²/2 − h³/6 + h⁴/24); global error shrinks ~16× when h halves.
        var r = Decay(IntegrationMethod.RK4, 0.1).Run();
        double factor = 1 - 0.1 + 0.01 / 2 - 0.001 / 6 + 0.0001 / 24;
        for (int n = 0; n < r.Times.Length; n++) Assert.Equal(Math.Pow(factor, n), r["S"][n], 14);
        double coarse = Math.Abs(Decay(IntegrationMethod.RK4, 0.2).Run()["S"][^1] - Math.Exp(-1));
        double fine = Math.Abs(Decay(IntegrationMethod.RK4, 0.1).Run()["S"][^1] - Math.Exp(-1));
        Assert.InRange(coarse / fine, 14, 18);
    }

    [Fact]
    public void MethodAndDtCanBeOverridden()
    {
        var compiled = Decay(IntegrationMethod.Euler, 0.5).Compile(new CompileOptions { Method = IntegrationMethod.RK4, Dt = 0.01 });
        Assert.Equal(IntegrationMethod.RK4, compiled.Specs.Method);
        Assert.Equal(Math.Exp(-1), compiled.Run()["S"][^1], 9);
    }

    [Fact]
    public void SaveStepThinsTheRows()
    {
        var r = new TestModel(stop: 10, dt: 0.25, saveStep: 2).Aux("t", "TIME").Run();
        Close.Equal(new double[] { 0, 2, 4, 6, 8, 10 }, r.Times);
        Close.Equal(r.Times, r["t"]);
    }

    [Fact]
    public void NonNegativeStocksStopAtZeroAndNonNegativeFlowsAtZero()
    {
        var r = new TestModel(stop: 5)
            .Stock("held", "2.5", outflows: new[] { "drain" }, nonNegative: true)
            .Stock("free", "2.5", outflows: new[] { "drain" })
            .Flow("drain", "1")
            .Stock("filled", "0", inflows: new[] { "uni" }).Flow("uni", "TIME - 2", nonNegative: true).Run();
        Close.Equal(new[] { 2.5, 1.5, 0.5, 0, 0, 0 }, r["held"]);
        Close.Equal(new[] { 2.5, 1.5, 0.5, -0.5, -1.5, -2.5 }, r["free"]);
        Close.Equal(new double[] { 0, 0, 0, 1, 2, 3 }, r["uni"]);
    }

    [Fact]
    public void ParametersCanChangeBetweenRunsWithoutRecompiling()
    {
        var compiled = new TestModel(stop: 2).Stock("S", "5", inflows: new[] { "in" }).Flow("in", "rate").Aux("rate", "3").Compile();
        Assert.Equal(new[] { "S", "rate" }, compiled.ParameterNames.OrderBy(n => n));
        var p = (double[])compiled.DefaultParameters.Clone();
        p[compiled.ParameterIndex("RATE")] = 10;
        p[compiled.ParameterIndex("s")] = 0;
        var sim = compiled.CreateSimulation();
        var buffer = new double[sim.SaveCount];
        sim.Run(p, 0, new[] { compiled.OutputIndex("S") }, buffer);
        Close.Equal(new double[] { 0, 10, 20 }, buffer);
        Assert.Equal(11, compiled.Run()["S"][^1]);
    }

    [Fact]
    public void OverridesReplaceEquations()
    {
        var r = new TestModel(stop: 1).Aux("a", "TIME * 100").Aux("b", "a + 1")
            .Run(new CompileOptions { Overrides = new Dictionary<string, double> { ["A"] = 2 } });
        Assert.All(r["b"], v => Assert.Equal(3, v));
    }
}
