namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class CompareCommandTests : CliTest
{
    [Fact]
    public void Compare_writes_the_series_of_every_scenario_and_a_chart_per_variable_and_city()
    {
        var (exit, output, error) = CliRunner.Run("compare", Shipped.Scenario("conventional"), Shipped.Scenario("commission-race"), Shipped.Scenario("alliance"),
            "--deterministic", "--city", "Shenzhen", "--output", Out("cmp"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning LS6002: "), error);

        var rows = Lines(Out("cmp/compare.csv"));
        Assert.Equal("scenario,city,variable,time,runs,p25,p50,p75", rows[0]);
        Assert.Equal(1 + 3 * 13 * 157, rows.Length);
        Assert.Equal(["conventional", "commission-race", "alliance"], rows.Skip(1).Select(l => Cells(l)[0]).Distinct());
        // A single run's series is that run: the race's final Trust in Shenzhen, computed apart.
        var trust = Cells(rows.Single(l => l.StartsWith("commission-race,Shenzhen,Trust,156,")));
        var expected = Shipped.RunOnce("commission-race", "Shenzhen")["Trust"][^1];
        Assert.Equal(["1", .. Enumerable.Repeat(expected.ToString("R", System.Globalization.CultureInfo.InvariantCulture), 3)], trust[4..]);

        var charts = Directory.GetFiles(Out("cmp/charts")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(13, charts.Length);
        Assert.Contains("trust-shenzhen.png", charts);
        Assert.All(charts, c => Assert.Equal((1600, 900), PngSize(Out("cmp/charts/" + c!))));
        Assert.Contains("commission-race", output);
        Assert.Contains("wrote " + Out("cmp") + ": compare.csv and 13 charts in charts/", output);
    }

    [Fact]
    public void Compare_of_monte_carlos_uses_each_scenarios_median()
    {
        var (exit, _, error) = CliRunner.Run("compare", Shipped.Scenario("conventional"), Shipped.Scenario("alliance"),
            "--runs", "10", "--city", "Chengdu", "--no-charts", "--output", Out("mc"));
        Assert.Equal((0, ""), (exit, error));
        var rows = Lines(Out("mc/compare.csv"));
        Assert.All(rows.Skip(1), l => Assert.Equal("10", Cells(l)[4]));
        // The same median as run's percentiles.csv for the same scenario, city and seed.
        Assert.Equal(0, CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "10", "--city", "Chengdu", "--no-charts", "--output", Out("run")).ExitCode);
        var fromRun = Cells(Lines(Out("run/percentiles.csv")).Single(l => l.StartsWith("Chengdu,engagement,100,")));
        var fromCompare = Cells(rows.Single(l => l.StartsWith("alliance,Chengdu,engagement,100,")));
        Assert.Equal((fromRun[5], fromRun[6], fromRun[7]), (fromCompare[5], fromCompare[6], fromCompare[7]));
    }
}
