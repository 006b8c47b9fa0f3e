using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>Every builtin against values computed independently (closed forms, hand recurrences, or literal constants).</summary>
public class BuiltinTests
{
    private static double At0(string equation) => new TestModel(stop: 1).Aux("x", equation).Run()["x"][0];

    [Theory]
    [InlineData("MIN(3, -2)", -2)]
    [InlineData("MAX(3, -2)", 3)]
    [InlineData("ABS(-2.5)", 2.5)]
    [InlineData("EXP(1)", 2.718281828459045)]
    [InlineData("LN(10)", 2.302585092994046)]
    [InlineData("LOG10(1000)", 3)]
    [InlineData("SQRT(2)", 1.4142135623730951)]
    [InlineData("INT(2.7)", 2)]
    [InlineData("INT(-9.9)", -10)]        // XMILE 1.0 §3.5.1: the floor
    [InlineData("MOD(7, 3)", 1)]
    [InlineData("MOD(-9.5, 3)", 2.5)]     // §3.3.1: the floored modulus, with the divisor's sign
    [InlineData("MOD(9.5, -3)", -2.5)]
    [InlineData("-9.5 MOD 3", 2.5)]
    [InlineData("SIN(PI/6)", 0.5)]
    [InlineData("COS(0)", 1)]
    [InlineData("TAN(PI/4)", 1)]
    [InlineData("ARCSIN(1)", 1.5707963267948966)]
    [InlineData("ARCCOS(0)", 1.5707963267948966)]
    [InlineData("ARCTAN(1)", 0.7853981633974483)]
    [InlineData("PI", 3.141592653589793)]
    [InlineData("PI()", 3.141592653589793)]
    [InlineData("SAFEDIV(6, 3)", 2)]
    [InlineData("SAFEDIV(6, 0)", 0)]
    [InlineData("SAFEDIV(6, 0, 9)", 9)]
    [InlineData("abs(-1) + Max(1, 2)", 3)]
    [InlineData("MIN(4, -1, 3)", -1)]     // the array form, MIN(x[*]), arrives as the elements
    [InlineData("MAX(4, -1, 3)", 4)]
    [InlineData("MIN(5)", 5)]
    [InlineData("SUM(1, 2, 3.5)", 6.5)]
    [InlineData("PROD(1, 2, 3, 4)", 24)]
    [InlineData("MEAN(1, 2, 6)", 3)]
    [InlineData("STDDEV(2, 4, 4, 4, 5, 5, 7, 9)", 2)] // mean 5, squared deviations 32, ÷ 8 = 4
    [InlineData("STDDEV(3)", 0)]
    [InlineData("SIZE(7, 7, 7)", 3)]
    public void PureFunctions(string equation, double expected) => Assert.Equal(expected, At0(equation), 12);

    /// <summary>Vensim's INTEGER truncates and its MODULO keeps the dividend's sign; a Vensim model's INT and MOD do the same.</summary>
    [Theory]
    [InlineData("INTEGER(-9.9)", -9)]
    [InlineData("INT(-9.9)", -9)]
    [InlineData("INT(9.9)", 9)]
    [InlineData("MODULO(-9.5, 3)", -0.5)]
    [InlineData("MOD(-9.5, 3)", -0.5)]
    [InlineData("-9.5 MOD 3", -0.5)]
    [InlineData("MODULO(9.5, -3)", 0.5)]
    [InlineData("SINH(1)", 1.1752011936438014)]   // (e − 1/e) / 2
    [InlineData("COSH(1)", 1.5430806348152437)]   // (e + 1/e) / 2
    [InlineData("TANH(0.5)", 0.46211715726000974)] // (e − 1) / (e + 1)
    public void Vensim_dialect_truncates(string equation, double expected)
    {
        var model = new TestModel(stop: 1).Aux("x", equation);
        model.Model.Dialect = Dialect.Vensim;
        Assert.Equal(expected, model.Run()["x"][0], 12);
    }

    [Fact]
    public void ClockValues()
    {
        var r = new TestModel(start: 2, stop: 4, dt: 0.5)
            .Aux("t", "TIME").Aux("step", "DT").Aux("s", "STARTTIME").Aux("e", "STOPTIME").Aux("t2", "time()").Run();
        Close.Equal(new[] { 2, 2.5, 3, 3.5, 4 }, r["t"]);
        Close.Equal(r["t"], r["t2"]);
        Assert.All(r["step"], v => Assert.Equal(0.5, v));
        Assert.All(r["s"], v => Assert.Equal(2, v));
        Assert.All(r["e"], v => Assert.Equal(4, v));
    }

    [Fact]
    public void StepRampPulse()
    {
        var r = new TestModel(stop: 6).Aux("s", "STEP(5, 3)").Aux("r", "RAMP(2, 3, 5)").Aux("open", "RAMP(1, 2)").Run();
        Close.Equal(new double[] { 0, 0, 0, 5, 5, 5, 5 }, r["s"]);
        Close.Equal(new double[] { 0, 0, 0, 0, 2, 4, 4 }, r["r"]);
        Close.Equal(new double[] { 0, 0, 0, 1, 2, 3, 4 }, r["open"]);
    }

    [Fact]
    public void PulseHasMagnitudeOverDtAndRepeats()
    {
        var r = new TestModel(stop: 9, dt: 0.5)
            .Aux("p", "PULSE(10, 2, 3)").Aux("once", "PULSE(4, 1)")
            .Stock("volume", "0", inflows: new[] { "inflow" }).Flow("inflow", "PULSE(10, 2, 3)").Run();
        for (int i = 0; i < r.Times.Length; i++)
        {
            double t = r.Times[i];
            Assert.Equal(t is 2 or 5 or 8 ? 20 : 0, r["p"][i]);
            Assert.Equal(t is 1 ? 8 : 0, r["once"][i]);
        }
        // Each pulse moves exactly its magnitude into the stock.
        Assert.Equal(30, r["volume"][^1], 12);
    }

    [Fact]
    public void Smth1FollowsItsRecurrenceAndStartsAtTheInput()
    {
        // Euler: S(n+1) = S(n) + dt (x − S(n)) / T with S(0) = 0 (given) → S(n) = 10 (1 − (1 − dt/T)^n).
        var r = new TestModel(stop: 10, dt: 0.5).Aux("x", "10").Aux("s", "SMTH1(x, 4, 0)").Aux("at_input", "SMTH1(x, 4)").Run();
        for (int n = 0; n < r.Times.Length; n++)
            Assert.Equal(10 * (1 - Math.Pow(1 - 0.5 / 4, n)), r["s"][n], 12);
        Assert.All(r["at_input"], v => Assert.Equal(10, v, 12));
    }

    [Fact]
    public void Smth3AndSmthnApproachTheContinuousStepResponse()
    {
        // Third-order exponential smooth of a unit step: 1 − e^(−u) (1 + u + u²/2), u = 3t/T.
        var r = new TestModel(stop: 10, dt: 0.001, saveStep: 1).Aux("x", "1")
            .Aux("s3", "SMTH3(x, 6, 0)").Aux("sn", "SMTHN(x, 6, 3, 0)").Run();
        for (int i = 0; i < r.Times.Length; i++)
        {
            double u = 3 * r.Times[i] / 6;
            double exact = 1 - Math.Exp(-u) * (1 + u + u * u / 2);
            Assert.Equal(exact, r["s3"][i], 3);
            Assert.Equal(r["s3"][i], r["sn"][i], 12);
        }
    }

    [Fact]
    public void MaterialDelaysConserveWhatFlowsThrough()
    {
        // A pulse of 100 units enters each delay at t = 1; after a long time all of it has come out.
        var model = new TestModel(stop: 200, dt: 0.25);
        foreach (var (name, eq) in new[] { ("d1", "DELAY1(input, 5)"), ("d3", "DELAY3(input, 5)"), ("dn", "DELAYN(input, 5, 7)") })
            model.Stock(name + "_out", "0", inflows: new[] { name + "_flow" }).Flow(name + "_flow", eq);
        var r = model.Aux("input", "PULSE(100, 1)").Run();
        foreach (var name in new[] { "d1", "d3", "dn" })
            Assert.Equal(100, r[name + "_out"][^1], 6);
    }

    [Fact]
    public void Delay3MatchesTheErlangImpulseResponse()
    {
        // Continuous DELAY3 of an impulse of volume V at t0: V · (3/T)³ τ² e^(−3τ/T) / 2, τ = t − t0.
        var r = new TestModel(stop: 20, dt: 0.001, saveStep: 1).Aux("input", "PULSE(100, 0)").Aux("out", "DELAY3(input, 6, 0)").Run();
        for (int i = 1; i < r.Times.Length; i++)
        {
            double tau = r.Times[i], a = 3.0 / 6;
            Assert.Equal(100 * a * a * a * tau * tau * Math.Exp(-a * tau) / 2, r["out"][i], 1);
        }
    }

    [Fact]
    public void MaterialDelaysStartInEquilibriumWithTheInput()
    {
        var r = new TestModel(stop: 10).Aux("input", "7").Aux("d1", "DELAY1(input, 3)").Aux("d3", "DELAY3(input, 3)")
            .Aux("dn", "DELAYN(input, 4, 5)").Aux("given", "DELAY3(input, 3, 2)").Run();
        foreach (var name in new[] { "d1", "d3", "dn" }) Assert.All(r[name], v => Assert.Equal(7, v, 12));
        Assert.Equal(2, r["given"][0], 12);
    }

    [Fact]
    public void FixedDelayIsAPipelineWithHistory()
    {
        var r = new TestModel(stop: 10, dt: 0.25).Aux("input", "TIME * TIME").Aux("late", "DELAY(input, 2)")
            .Aux("given", "DELAY(input, 2, -1)").Aux("varying", "DELAY(input, 1 + TIME / 10)").Run();
        for (int i = 0; i < r.Times.Length; i++)
        {
            double t = r.Times[i];
            Assert.Equal(t < 2 ? 0 : (t - 2) * (t - 2), r["late"][i], 12);
            Assert.Equal(t < 2 ? -1 : (t - 2) * (t - 2), r["given"][i], 12);
        }
        // Variable delay: input at t − d(t), linearly interpolated between DT steps (exact here at t = 10: 10 − 2 = 8).
        Assert.Equal(64, r["varying"][^1], 9);
    }

    [Fact]
    public void TrendOfExponentialGrowthIsTheGrowthRate()
    {
        // For x = e^(g t) the smoothed average is x / (1 + g T) in equilibrium, so TREND = g and FORCST = x (1 + g h).
        var r = new TestModel(stop: 20, dt: 0.001, saveStep: 1).Aux("x", "EXP(0.05 * TIME)")
            .Aux("trend", "TREND(x, 4, 0.05)").Aux("forecast", "FORCST(x, 4, 10, 0.05)").Aux("from_zero", "TREND(x, 4)").Run();
        for (int i = 0; i < r.Times.Length; i++)
        {
            Assert.Equal(0.05, r["trend"][i], 4);
            Assert.Equal(Math.Exp(0.05 * r.Times[i]) * 1.5, r["forecast"][i], 3);
        }
        Assert.Equal(0, r["from_zero"][0], 12);
        Assert.True(r["from_zero"][^1] > 0.045);
    }

    [Fact]
    public void InitHoldsTheStartValue()
    {
        var r = new TestModel(start: 3, stop: 8).Aux("t0", "INIT(TIME)")
            .Stock("s", "10", inflows: new[] { "grow" }).Flow("grow", "1").Aux("s0", "INIT(s) * 2").Run();
        Assert.All(r["t0"], v => Assert.Equal(3, v));
        Assert.All(r["s0"], v => Assert.Equal(20, v));
        Assert.Equal(15, r["s"][^1]);
    }

    [Fact]
    public void GraphicalFunctionsInterpolateExtrapolateAndStep()
    {
        var xs = new double[] { 0, 1, 2 };
        var ys = new double[] { 0, 10, 30 };
        var r = new TestModel(start: -1, stop: 3, dt: 0.5)
            .Aux("c", "TIME", new GraphicalFunction(GraphType.Continuous, xs, ys))
            .Aux("e", "TIME", new GraphicalFunction(GraphType.Extrapolate, xs, ys))
            .Aux("d", "TIME", new GraphicalFunction(GraphType.Discrete, xs, ys))
            .Aux("table", "", new GraphicalFunction(GraphType.Continuous, xs, ys))
            .Aux("called", "table(TIME) + LOOKUP(table, TIME)").Run();
        Close.Equal(new double[] { 0, 0, 0, 5, 10, 20, 30, 30, 30 }, r["c"]);
        Close.Equal(new double[] { -10, -5, 0, 5, 10, 20, 30, 40, 50 }, r["e"]);
        Close.Equal(new double[] { 0, 0, 0, 0, 10, 10, 30, 30, 30 }, r["d"]);
        Close.Equal(r["c"].Select(v => 2 * v).ToArray(), r["called"]);
    }

    [Fact]
    public void RandomFunctionsAreReproducibleFromTheSeedAndHaveTheRightMoments()
    {
        var model = new TestModel(stop: 20000).Aux("u", "UNIFORM(2, 4)").Aux("n", "NORMAL(10, 2)")
            .Aux("ln", "LOGNORMAL(5, 1)").Aux("p", "POISSON(3)").Aux("x", "EXPRND(2)").Aux("r", "RANDOM(0, 1)");
        var compiled = model.Compile();
        var a = compiled.Run(seed: 7);
        var b = compiled.Run(seed: 7);
        var c = compiled.Run(seed: 8);
        Assert.Equal(a["n"], b["n"]);
        Assert.NotEqual(a["n"], c["n"]);
        // n = 20001 draws: the sample mean is within 5 standard errors of the true mean.
        void Moments(string name, double mean, double sd)
        {
            var v = a[name];
            Assert.InRange(v.Average(), mean - 5 * sd / Math.Sqrt(v.Length), mean + 5 * sd / Math.Sqrt(v.Length));
        }
        Moments("u", 3, 2 / Math.Sqrt(12));
        Moments("n", 10, 2);
        Moments("ln", 5, 1);
        Moments("p", 3, Math.Sqrt(3));
        Moments("x", 2, 2);
        Assert.All(a["u"], v => Assert.InRange(v, 2, 4));
        Assert.All(a["p"], v => Assert.Equal(Math.Floor(v), v));
    }
}
