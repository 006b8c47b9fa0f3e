namespace LoopSim.Engine.Tests.Engine;

/// <summary>After a run, the first value that is NaN or infinite: the earliest time, then the first variable in output order.</summary>
public class NonFiniteResultTests
{
    [Fact]
    public void Names_the_first_variable_and_time()
    {
        // inverse = 1 / (TIME − 2) is +∞ at time 2, where zeroed = inverse × 0 is NaN; root is NaN from time 3.
        var r = new TestModel(stop: 4)
            .Aux("root", "SQRT(2.5 - TIME)")
            .Aux("inverse", "1 / (TIME - 2)")
            .Aux("zeroed", "inverse * 0")
            .Run();
        var found = r.FirstNonFinite();
        Assert.NotNull(found);
        Assert.Equal(("inverse", 2.0, double.PositiveInfinity), (found.Variable, found.Time, found.Value));
        var warning = found.Warning(location: new Model.SourceLocation("m.yaml", 0, 0));
        Assert.Equal(DiagnosticCodes.NonFiniteResult, warning.Code);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.StartsWith("warning LS6001: m.yaml: variable 'inverse': became +∞ at time 2;", warning.Format());
        Assert.Contains("became NaN at time 3 in run 7 (Shanghai);", (found with { Value = double.NaN, Time = 3, Run = 7 }).Warning("Shanghai").Message);
    }

    [Fact]
    public void A_finite_run_has_none() =>
        Assert.Null(new TestModel(stop: 4).Aux("fine", "TIME * 2").Run().FirstNonFinite());
}
