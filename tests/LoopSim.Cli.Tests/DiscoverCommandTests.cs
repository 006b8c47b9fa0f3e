namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class DiscoverCommandTests : CliTest
{
    [Fact]
    public void Discover_against_another_scenario_writes_the_trajectory_box_and_cases()
    {
        var (exit, output, error) = CliRunner.Run("discover", Shipped.Scenario("alliance"), "--versus", Shipped.Scenario("conventional"),
            "--where", "cumulative_referrals / versus.cumulative_referrals > 15", "--param", "member_cap=50..400", "--param", "commission_rate=0.05..0.30",
            "--cases", "200", "--city", "Shanghai", "--output", Out("d"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning: "), error);
        var trajectory = Lines(Out("d/trajectory.csv"));
        Assert.Equal("city,step,coverage,density,mass,cases,restricted,member_cap_low,member_cap_high,commission_rate_low,commission_rate_high", trajectory[0]);
        Assert.Equal("1", Cells(trajectory[1])[2]);   // the first box holds every case
        var cases = Lines(Out("d/cases.csv"));
        Assert.Equal("city,case,member_cap,commission_rate,value,of_interest,in_box", cases[0]);
        Assert.Equal(201, cases.Length);
        Assert.All(cases.Skip(1), c => Assert.Equal(Number(Cells(c)[4]) > 15 ? "1" : "0", Cells(c)[5]));
        Assert.StartsWith("city,parameter,low,high,full_low,full_high,p_value", Lines(Out("d/box.csv"))[0]);
        Assert.True(File.Exists(Out("d/charts/peeling-shanghai.png")));
        Assert.Contains("where cumulative_referrals / versus.cumulative_referrals > 15", output);
    }

    [Theory]
    [InlineData("cumulative_referrals >> 2", "more than one comparison")]
    [InlineData("cumulative_referrals", "it has no comparison")]
    [InlineData("cumulative_referals > 2", "unknown output variable")]
    [InlineData("cumulative_referrals / versus.cumulative_referrals > 2", "no scenario to compare with")]
    public void Bad_where_is_one_error_and_nothing_written(string where, string message)
    {
        var (exit, _, error) = CliRunner.Run("discover", Shipped.Scenario("alliance"), "--where", where, "--cases", "20", "--output", Out("bad"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error LS", error);
        Assert.Contains(message, error);
        Assert.Empty(Everything());
    }
}
