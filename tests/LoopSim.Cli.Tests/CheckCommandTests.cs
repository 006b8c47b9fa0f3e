namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loopsim-checkcmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A tank drained by <paramref name="outflow"/>; with <paramref name="inflow"/>, also filled (or, negative, emptied) by it.</summary>
    private string Model(string outflow, string? inflow = null)
    {
        var path = Path.Combine(_dir, "tank.yaml");
        File.WriteAllText(path, $$"""
            model: tank
            sim: { start: 0, stop: 10, dt: 0.25, save_step: 1, method: euler, time_units: week }
            stocks:
              Water: { initial: 10, {{(inflow is null ? "" : "inflows: [filling], ")}}outflows: [draining], non_negative: true }
            flows:
              draining: { equation: '{{outflow}}' }
            {{(inflow is null ? "" : $"  filling: {{ equation: '{inflow}' }}")}}
            """);
        return path;
    }

    [Fact]
    public void APassingModelPrintsATableAndAPassLinePerCheck()
    {
        var (exit, output, error) = CliRunner.Run("check", Model("Water / 4"), "--threads", "1");
        Assert.True(exit == 0, error);
        Assert.Contains("check ", output);
        Assert.Contains("pass mass balance: every stock balances its flows", output);
        Assert.Contains("pass time constants:", output);
        Assert.Contains("pass integration error:", output);
        Assert.Contains("skip reference modes:", output);
        Assert.EndsWith("check passed\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void AFailingCheckExitsOne()
    {
        // The stock limits its outflow but not a negative inflow: it is held at zero, which creates water.
        var (exit, output, _) = CliRunner.Run("check", Model("0", inflow: "-3"), "--skip", "integration error");
        Assert.Equal(1, exit);
        Assert.Contains("FAIL mass balance: material is created or lost", output);
        Assert.Contains("Water overdrawn at week 3.25", output);
        Assert.Contains("skip integration error: skipped (--skip)", output);
        Assert.EndsWith("check failed\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void BadInputIsOneLineAndExitOne()
    {
        var (exit, _, error) = CliRunner.Run("check", Path.Combine(_dir, "missing.yaml"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error LS1001: file '", error);
        (exit, _, error) = CliRunner.Run("check", Model("Water / 4"), "--skip", "units?");
        Assert.Equal(1, exit);
        Assert.Contains("--skip 'units?' is not a check", error);
    }
}
