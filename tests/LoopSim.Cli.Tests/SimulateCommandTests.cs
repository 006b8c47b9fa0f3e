using System.Globalization;

namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loopsim-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Model(string text)
    {
        var path = Path.Combine(_dir, "model.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Growth = """
        model: growth
        sim: { start: 0, stop: 4, dt: 0.5, save_step: 1, method: euler, time_units: year }
        constants:
          rate: { value: 0.1, units: 1/year, description: growth rate }
        stocks:
          Money:
            initial: 100
            inflows: [interest]
        flows:
          interest: { equation: Money * rate }
        """;

    [Fact]
    public void WritesEveryVariableAtEverySaveTime()
    {
        var csv = Path.Combine(_dir, "out.csv");
        var (exit, output, error) = CliRunner.Run("simulate", Model(Growth), "--output", csv);
        Assert.True(exit == 0, error);
        Assert.Contains("wrote", output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("time,rate,Money,interest", lines[0]); // model order: constants come first in the YAML reader
        Assert.Equal(6, lines.Length);
        // Euler, dt 0.5: Money(t) = 100 · 1.05^(2t).
        var last = lines[^1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, last[0]);
        Assert.Equal(100 * Math.Pow(1.05, 8), last[2], 10);
    }

    [Fact]
    public void SetMethodAndDtChangeTheRun()
    {
        var csv = Path.Combine(_dir, "out.csv");
        var (exit, _, error) = CliRunner.Run("simulate", Model(Growth), "--set", "RATE=0.2", "--method", "rk4", "--dt", "0.01", "-o", csv);
        Assert.True(exit == 0, error);
        var last = File.ReadAllLines(csv)[^1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(100 * Math.Exp(0.8), last[2], 6);
    }

    [Fact]
    public void WithoutOutputPrintsASummary()
    {
        var (exit, output, _) = CliRunner.Run("simulate", Model(Growth));
        Assert.Equal(0, exit);
        Assert.Contains("growth: Euler", output);
        Assert.Contains("Money", output);
        Assert.Contains("148", output); // 100 · 1.05^8 = 147.7…
    }

    [Theory]
    [InlineData("--set", "rte=1", "Did you mean 'rate'")]
    [InlineData("--set", "rate", "is not NAME=VALUE")]
    public void BadSettingsAreClearErrors(string option, string value, string message)
    {
        var csv = Path.Combine(_dir, "out.csv");
        var (exit, output, error) = CliRunner.Run("simulate", Model(Growth), option, value, "-o", csv);
        Assert.Equal(1, exit);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error + output);
        Assert.False(File.Exists(csv));
    }

    /// <summary>A Vensim model with a data variable (no equation), fed at run time from a .tab file (RunCommandTests runs it too).</summary>
    internal const string DataModel = """
        {UTF-8}
        demand ~ Widget/Month ~|
        backlog = INTEG(demand, 0) ~ Widget ~|
        INITIAL TIME = 0 ~ Month ~|
        FINAL TIME = 4 ~ Month ~|
        TIME STEP = 1 ~ Month ~|
        SAVEPER = TIME STEP ~ Month ~|
        """;

    [Fact]
    public void DataFeedsAVensimModelsDataVariables()
    {
        var mdl = Path.Combine(_dir, "orders.mdl");
        File.WriteAllText(mdl, DataModel);
        var data = Path.Combine(_dir, "demand.tab");
        File.WriteAllText(data, "Time\tdemand\n0\t10\n4\t30\n");
        var csv = Path.Combine(_dir, "out.csv");
        var (exit, _, error) = CliRunner.Run("simulate", mdl, "--data", data, "-o", csv);
        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("time,demand,backlog,backlog net flow", lines[0]);
        // demand interpolates 10 → 30 over 4 months (10, 15, 20, 25, 30); backlog adds it up, Euler with dt 1.
        var last = lines[^1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([4, 30, 10 + 15 + 20 + 25, 30], last);

        (exit, _, error) = CliRunner.Run("simulate", mdl);
        Assert.Equal(1, exit);
        Assert.Contains("LS5016", error);
        Assert.Contains("--data", error);
        (exit, _, error) = CliRunner.Run("simulate", mdl, "--data", Path.Combine(_dir, "absent.tab"));
        Assert.Equal(1, exit);
        Assert.Contains("LS5015", error);
    }

    [Fact]
    public void MissingFileAndCircularModelAreClearErrors()
    {
        var (exit, _, error) = CliRunner.Run("simulate", Path.Combine(_dir, "absent.xmile"));
        Assert.Equal(1, exit);
        Assert.Contains("not found", error);

        (exit, _, error) = CliRunner.Run("simulate", Model("""
            model: loop
            sim: { start: 0, stop: 1, dt: 1 }
            auxiliaries:
              a: { equation: b + 1 }
              b: { equation: a * 2 }
            """));
        Assert.Equal(1, exit);
        Assert.Contains("circular definition: a → b → a", error);
        Assert.Contains("model.yaml:4", error);
    }
}
