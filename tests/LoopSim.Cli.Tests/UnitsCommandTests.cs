namespace LoopSim.Cli.Tests;

/// <summary>Inconsistent units: `check` lists each and fails; `simulate` and `run` print them as warnings and exit 0.</summary>
[Collection("Console")]
public sealed class UnitsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loopsim-units-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A tank drained in litres a week, and a cost that adds people to CNY.</summary>
    private string Model(string costUnits = "CNY")
    {
        var path = Path.Combine(_dir, "tank.yaml");
        File.WriteAllText(path, $$"""
            model: tank
            sim: { start: 0, stop: 10, dt: 0.25, save_step: 1, method: euler, time_units: week }
            constants:
              drain_time: { value: 4, units: week }
              fee: { value: 5, units: CNY }
              staff: { value: 2, units: people }
            stocks:
              Water: { initial: 10, outflows: [draining], non_negative: true, units: litres }
            flows:
              draining: { equation: 'Water / drain_time', units: litres/week }
            auxiliaries:
              cost: { equation: 'fee + staff', units: {{costUnits}} }
            """);
        return path;
    }

    [Fact]
    public void Check_lists_each_inconsistency_with_both_units_and_fails()
    {
        var (exit, output, _) = CliRunner.Run("check", Model(), "--threads", "1", "--skip", "integration error");
        Assert.Equal(1, exit);
        Assert.Contains("cost (LS7001, ", output);
        Assert.Contains("'fee': CNY", output);
        Assert.Contains("'staff': people", output);
        Assert.Contains("FAIL units: 1 inconsistency of units", output);
        Assert.EndsWith("check failed\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Simulate_warns_and_runs()
    {
        var (exit, output, error) = CliRunner.Run("simulate", Model());
        Assert.Equal(0, exit);
        Assert.Contains("draining", output);
        Assert.Contains("warning LS7001: ", error);
        Assert.Contains("tank.yaml:12:26: ", error);
        Assert.Contains("variable 'cost': a sum adds unlike units: 'fee' is CNY, 'staff' is people.", error);
    }

    [Fact]
    public void A_consistent_model_checks_clean_and_simulates_without_warnings()
    {
        var model = Model();
        File.WriteAllText(model, File.ReadAllText(model).Replace("'fee + staff', units: CNY }", "'fee * staff', units: CNY*persons }"));
        var (exit, output, _) = CliRunner.Run("check", model, "--threads", "1", "--skip", "integration error");
        Assert.Equal(0, exit);
        Assert.Contains("pass units: every equation is dimensionally consistent", output);
        (exit, _, var error) = CliRunner.Run("simulate", model);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("LS7", error);
    }
}
