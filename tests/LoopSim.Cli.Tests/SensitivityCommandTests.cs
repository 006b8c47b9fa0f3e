using LoopSim.Experiments.Scenarios;

namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class SensitivityCommandTests : CliTest
{
    [Fact]
    public void Sobol_writes_indices_swings_and_charts_per_city_and_metric()
    {
        var (exit, output, error) = CliRunner.Run("sensitivity", Shipped.Scenario("alliance"), "--samples", "64", "--resamples", "100",
            "--metric", "referrals_per_week@104", "--city", "Shanghai", "--output", Out("s"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning: "), error);
        var rows = Lines(Out("s/sobol.csv"));
        Assert.Equal("city,metric,parameter,S1,S1_low,S1_high,ST,ST_low,ST_high", rows[0]);
        // One row per uncertain parameter of the scenario, in the scenario's order.
        Assert.Equal(ScenarioLoader.Load(Shipped.Scenario("alliance")).Uncertain.Select(u => u.Parameter), rows.Skip(1).Select(r => Cells(r)[2]));
        Assert.All(rows.Skip(1), r =>
        {
            Assert.Equal("Shanghai", Cells(r)[0]);
            Assert.Equal("referrals_per_week@104", Cells(r)[1]);
            var v = Cells(r)[3..].Select(Number).ToArray();
            Assert.True(v[1] <= v[0] && v[0] <= v[2] && v[4] <= v[3] && v[3] <= v[5], r);
        });
        Assert.Equal(rows.Length, Lines(Out("s/oat.csv")).Length);
        Assert.Equal(["charts/sobol-referrals_per_week-shanghai.png", "charts/tornado-referrals_per_week-shanghai.png"],
            Directory.GetFiles(Out("s/charts")).Select(p => Path.GetRelativePath(Out("s"), p)).Order());
        Assert.Contains("what drives each output", output);
    }

    [Fact]
    public void Morris_over_named_ranges_writes_effects()
    {
        var (exit, _, error) = CliRunner.Run("sensitivity", Shipped.Scenario("alliance"), "--method", "morris", "--samples", "8",
            "--param", "commission_rate=0.05..0.30", "--param", "member_cap=50..400", "--param", "win_rate",
            "--metric", "deals_won", "--city", "Chengdu", "--no-charts", "--output", Out("m"));
        Assert.Equal((0, ""), (exit, error));
        var rows = Lines(Out("m/morris.csv"));
        Assert.Equal("city,metric,parameter,mu,mu_star,sigma", rows[0]);
        Assert.Equal(["commission_rate", "member_cap", "win_rate"], rows.Skip(1).Select(r => Cells(r)[2]));
        Assert.All(rows.Skip(1), r => Assert.True(Number(Cells(r)[4]) >= Math.Abs(Number(Cells(r)[3])), r));
    }

    [Fact]
    public void Same_seed_gives_the_same_files_on_one_thread_or_two()
    {
        string[] args = ["sensitivity", Shipped.Scenario("alliance"), "--samples", "32", "--resamples", "50", "--metric", "Active", "--city", "Beijing", "--no-charts"];
        Assert.Equal(0, CliRunner.Run([.. args, "--threads", "1", "--output", Out("one")]).ExitCode);
        Assert.Equal(0, CliRunner.Run([.. args, "--threads", "2", "--output", Out("two")]).ExitCode);
        Assert.Equal(File.ReadAllText(Out("one/sobol.csv")), File.ReadAllText(Out("two/sobol.csv")));
    }

    [Theory]
    [InlineData("--param", "comission_rate=0.1..0.2", "unknown parameter")]
    [InlineData("--param", "commission_rate=0.3..0.1", "the range is empty")]
    [InlineData("--param", "commission_rate", "has no distribution in the scenario's 'uncertain:' section")]
    [InlineData("--metric", "referrals_per_week:p50", "a statistic such as ':p50' does not apply here")]
    [InlineData("--metric", "referals_per_week", "unknown output variable")]
    [InlineData("--metric", "members@7.5", "is not a saved time")]
    public void Bad_input_is_one_error_and_nothing_written(string option, string value, string message)
    {
        var (exit, _, error) = CliRunner.Run("sensitivity", Shipped.Scenario("alliance"), option, value, "--output", Out("bad"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error LS", error);
        Assert.Contains(message, error);
        Assert.Empty(Everything());
    }

    [Fact]
    public void Cancelled_leaves_nothing()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var (exit, _, error) = CliRunner.Run(cancel.Token, "sensitivity", Shipped.Scenario("alliance"), "--samples", "65536", "--city", "Shanghai", "--output", Out("c"));
        Assert.Equal(130, exit);
        Assert.Equal("cancelled: no output was written.\n", error.Replace("\r\n", "\n"));
        Assert.Empty(Everything());
    }

    [Fact]
    public void An_output_that_LoopSim_did_not_write_is_named_as_the_option_and_kept()
    {
        Directory.CreateDirectory(Out("mine"));
        File.WriteAllText(Out("mine/notes.txt"), "mine");
        var (exit, _, error) = CliRunner.Run("sensitivity", Shipped.Scenario("alliance"), "--samples", "8", "--city", "Chengdu",
            "--no-charts", "--output", Out("mine"));
        Assert.Equal(1, exit);
        Assert.StartsWith($"error LS5005: --output '{Out("mine")}' is a folder that LoopSim did not write", error);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(Out("mine")).Select(Path.GetFileName));
    }
}
