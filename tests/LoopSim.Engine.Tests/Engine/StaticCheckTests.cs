using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>Problems found before a run: each names the variable, where it is, and the fix.</summary>
public class StaticCheckTests
{
    private static Diagnostic Single(TestModel model, CompileOptions? options = null) =>
        Assert.Single(Assert.Throws<ModelException>(() => model.Compile(options)).Diagnostics);

    [Fact]
    public void UnknownVariableSuggestsCloseNames()
    {
        var d = Single(new TestModel().Aux("birth rate", "0.1").Aux("births", "birth_rat * 2"));
        Assert.Contains("'birth_rat', which is not defined", d.Message);
        Assert.Equal(DiagnosticCodes.UnknownName, d.Code);
        Assert.Contains("'birth rate'", d.Hint);
        Assert.Equal("births", d.Variable);
    }

    [Fact]
    public void UnknownFunctionSuggestsABuiltin()
    {
        var d = Single(new TestModel().Aux("x", "SMOOTH1(1, 2)"));
        Assert.Contains("unknown function 'SMOOTH1'", d.Message);
        Assert.Equal(DiagnosticCodes.UnknownFunction, d.Code);
        Assert.Contains("SMTH1", d.Hint);
    }

    [Fact]
    public void WrongArgumentCountSaysHowMany()
    {
        var d = Single(new TestModel().Aux("x", "SMTH1(1)"));
        Assert.Contains("SMTH1 takes 2 to 3 arguments, but is given 1", d.Message);
        Assert.Equal(DiagnosticCodes.ArgumentCount, d.Code);
        Assert.Contains("graphical function 'g' takes 1 argument",
            Single(new TestModel().Aux("g", "", new GraphicalFunction(GraphType.Continuous, new double[] { 0, 1 }, new double[] { 0, 1 })).Aux("x", "g(1, 2)")).Message);
    }

    [Fact]
    public void CircularDefinitionNamesTheCycle()
    {
        var e = Assert.Throws<ModelException>(() => new TestModel().Aux("a", "b + 1").Aux("b", "c * 2").Aux("c", "a").Aux("d", "a").Compile());
        Assert.Contains("circular definition: a → b → c → a", e.Message);
        Assert.Equal(DiagnosticCodes.CircularDefinition, Assert.Single(e.Diagnostics).Code);
    }

    [Fact]
    public void LoopsThroughStocksAndDelaysAreNotCircular()
    {
        var r = new TestModel(stop: 3).Aux("a", "SMTH1(b, 2, 0) + DELAY(b, 1, 0)").Aux("b", "a + 1")
            .Stock("s", "0", inflows: new[] { "f" }).Flow("f", "s + 1").Run();
        Assert.Equal(4, r.Times.Length);
    }

    [Fact]
    public void UndefinedFlowIsNamed()
    {
        var d = Single(new TestModel().Stock("S", "0", inflows: new[] { "inflw" }).Flow("inflow", "1"));
        Assert.Contains("lists 'inflw' as an inflow, but no such flow is defined", d.Message);
        Assert.Equal(DiagnosticCodes.UnknownName, d.Code);
        Assert.Contains("'inflow'", d.Hint);
        Assert.Equal("S", d.Variable);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var e = Assert.Throws<ModelException>(() => new TestModel().Aux("a", "nope").Aux("b", "FOO(1)").Aux("c", "").Compile());
        Assert.Equal(3, e.Diagnostics.Count);
        Assert.Equal(["LS1105", "LS2001", "LS2103"], e.Diagnostics.Select(d => d.Code.Id).Order(StringComparer.Ordinal));
    }

    private static readonly GraphicalFunction Table = new(GraphType.Continuous, [0, 1], [0, 1]);

    [Fact]
    public void Each_compiler_error_has_its_code()
    {
        Assert.Equal(DiagnosticCodes.TableWithoutInput, Single(new TestModel().Aux("g", "", Table).Aux("x", "g + 1")).Code);
        Assert.Equal(DiagnosticCodes.LookupWithoutTable, Single(new TestModel().Aux("y", "1").Aux("x", "LOOKUP(y, 1)")).Code);
        Assert.Equal(DiagnosticCodes.DuplicateName, Single(new TestModel().Aux("a", "1").Aux("A", "2")).Code);
        Assert.Equal(DiagnosticCodes.NotAFlow, Single(new TestModel().Stock("s", "0", inflows: ["a"]).Aux("a", "1")).Code);
        Assert.Equal(DiagnosticCodes.CircularInitialisation,
            Single(new TestModel().Stock("s", "t").Stock("t", "s")).Code);
        Assert.Equal(DiagnosticCodes.EquationSyntax, Assert.Single(Assert.Throws<ModelException>(() => Equation.Parse("1 +")).Diagnostics).Code);
        Assert.Equal(DiagnosticCodes.EquationTooDeep, Assert.Single(Assert.Throws<ModelException>(() => Equation.Parse(new string('(', 300) + "1" + new string(')', 300))).Diagnostics).Code);
    }

    [Fact]
    public void UnknownOverrideIsAnError()
    {
        var d = Single(new TestModel().Aux("growth", "1"), new CompileOptions { Overrides = new Dictionary<string, double> { ["growht"] = 2 } });
        Assert.Contains("'growth'", d.Hint);
    }

    [Fact]
    public void BadSimSpecsAreErrors()
    {
        Assert.Contains("the time step dt must be positive, not 0.", Assert.Throws<ModelException>(() => new TestModel(dt: 0).Aux("a", "1").Compile()).Message);
        Assert.Contains("the stop time (1) must be after the start time (5).", Assert.Throws<ModelException>(() => new TestModel(start: 5, stop: 1).Aux("a", "1").Compile()).Message);
    }

    [Fact]
    public void ConstantOrderIsRequiredForNthOrderDelays()
    {
        var d = Single(new TestModel().Aux("n", "3").Aux("x", "DELAYN(1, 2, n)"));
        Assert.Contains("must be a whole number", d.Message);
        Assert.Equal(DiagnosticCodes.OrderNotConstant, d.Code);
    }
}

