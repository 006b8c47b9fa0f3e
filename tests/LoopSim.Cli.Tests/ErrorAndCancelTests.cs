namespace LoopSim.Cli.Tests;

/// <summary>Bad input is one clear message before any run, exit 1; Ctrl-C is exit 130; neither leaves a file behind.</summary>
[Collection("Console")]
public sealed class ErrorAndCancelTests : CliTest
{
    private string Scenario(string name, string uncertain)
    {
        var model = Path.Combine(Shipped.Folder, "models", "sales-ecosystem.yaml");
        var path = Out(name + ".yaml");
        File.WriteAllText(path, $"""
            scenario: {name}
            model: {model}
            cities: {Path.Combine(Shipped.Folder, "cities.yaml")}
            report: [members, engagement]
            runs: 50
            uncertain:
            {uncertain}
            """);
        return path;
    }

    /// <summary>Runs the CLI expecting a clear error: exit 1, "error LSnnnn: ..." lines only, and nothing written.</summary>
    private string Fails(params string[] args)
    {
        var before = Everything();
        var (exit, output, error) = CliRunner.Run([.. args, "--output", Out("out")]);
        Assert.Equal(1, exit);
        Assert.Matches("^error LS[0-9]{4}: ", error);
        Assert.DoesNotContain("   at ", error);           // no stack trace
        Assert.DoesNotContain("runs in", output);          // no run started
        Assert.Equal(before, Everything());                // no output folder, no staging folder, no temporary file
        return error;
    }

    [Fact]
    public void Unknown_swept_parameter() =>
        Assert.Contains("'comission_rate' in --param is not a variable of model 'sales-ecosystem'. Did you mean 'commission_rate'?",
            Fails("sweep", Shipped.Scenario("alliance"), "--param", "comission_rate=0.1,0.2", "--metric", "engagement"));

    [Fact]
    public void Empty_grid() =>
        Assert.Contains("sweep: the range 0.3:0.1 is empty (TO is below FROM).",
            Fails("sweep", Shipped.Scenario("alliance"), "--param", "commission_rate=0.3:0.1:0.05", "--metric", "engagement"));

    [Fact]
    public void Unknown_metric_variable() =>
        Assert.Contains("variable 'referals_per_week': unknown output variable. Did you mean 'referrals_per_week'",
            Fails("sweep", Shipped.Scenario("alliance"), "--param", "member_cap=100,200", "--metric", "referals_per_week@104:p50"));

    [Fact]
    public void Impossible_distribution_names_file_and_line()
    {
        var path = Scenario("bad", "  win_rate: {dist: triangular, min: 0.15, mode: 0.5, max: 0.4}");
        var error = Fails("run", path);
        Assert.Contains($"{path}:7", error);
        Assert.Contains("mode 0.5 is outside [min, max] = [0.15, 0.4]", error);
    }

    [Fact]
    public void Uncertain_parameter_that_a_city_sets()
    {
        var path = Scenario("both", "  opportunity_rate: {dist: uniform, min: 0.05, max: 0.15}");
        Assert.Contains("uncertain parameter is also set for city 'Shanghai'.", Fails("run", path));
    }

    [Fact]
    public void Missing_scenario_file() =>
        Assert.Contains("scenario file '" + Out("nowhere.yaml") + "' not found.", Fails("run", Out("nowhere.yaml")));

    [Fact]
    public void Missing_scenario_in_compare() =>
        Assert.Contains("not found", Fails("compare", Shipped.Scenario("alliance"), Out("nowhere.yaml")));

    [Fact]
    public void Unknown_city() =>
        Assert.Equal($"error LS5003: {Shipped.Scenario("alliance")}: --city 'Tokyo' is not a city of scenario 'alliance'. Its cities: Shanghai (上海), Beijing (北京), Shenzhen (深圳), Hangzhou (杭州), Chengdu (成都).\n",
            Fails("run", Shipped.Scenario("alliance"), "--city", "Tokyo").Replace("\r\n", "\n"));

    [Fact]
    public void Zero_runs() =>
        Assert.Contains("--runs must be at least 1, not 0.", Fails("run", Shipped.Scenario("alliance"), "--runs", "0"));

    /// <summary>
    /// Ctrl-C, wherever it lands, is the same OperationCanceledException: exit 130, "cancelled", nothing written. A token
    /// cancelled before the command makes that deterministic; where the runs and the output folder stop on it is tested
    /// in MonteCarloTests and OutputFolderTests, without racing a timer.
    /// </summary>
    [Fact]
    public void Cancelled_leaves_nothing()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var (exit, _, error) = CliRunner.Run(cancel.Token, "run", Shipped.Scenario("alliance"), "--runs", "20000", "--city", "Shanghai", "--output", Out("out"));
        Assert.Equal((130, "cancelled: no output was written.\n"), (exit, error));
        Assert.Empty(Everything());
    }

    [Fact]
    public void Cancelled_leaves_the_previous_output_as_it_was()
    {
        Directory.CreateDirectory(Out("out"));
        File.WriteAllText(Out("out/.loopsim"), "");
        File.WriteAllText(Out("out/summary.csv"), "an earlier run\n");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var (exit, _, error) = CliRunner.Run(cancel.Token, "run", Shipped.Scenario("alliance"), "--runs", "200", "--output", Out("out"));
        Assert.Equal((130, "cancelled: no output was written.\n"), (exit, error));
        Assert.Equal(["out", "out/.loopsim", "out/summary.csv"], Everything());
        Assert.Equal("an earlier run\n", File.ReadAllText(Out("out/summary.csv")));
    }

    [Fact]
    public void A_deterministic_rerun_leaves_no_file_of_the_monte_carlo_before_it()
    {
        Assert.Equal(0, CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "20", "--city", "Shanghai", "--no-charts", "--output", Out("out")).ExitCode);
        Assert.True(File.Exists(Out("out/runs.csv")));
        Assert.Equal(0, CliRunner.Run("run", Shipped.Scenario("alliance"), "--deterministic", "--city", "Shanghai", "--no-charts", "--output", Out("out")).ExitCode);
        Assert.Equal(["out", "out/.loopsim", "out/summary.csv", "out/timeseries.csv"], Everything());
    }
}
