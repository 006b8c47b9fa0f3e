namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class SweepCommandTests : CliTest
{
    [Fact]
    public void Sweep_writes_a_row_per_city_and_point_a_heatmap_per_city_and_a_line_chart()
    {
        var (exit, output, error) = CliRunner.Run("sweep", Shipped.Scenario("alliance"),
            "--param", "commission_rate=0.1:0.2:0.1", "--param", "member_cap=100,200,400", "--metric", "referrals_per_week@104:p50",
            "--runs", "6", "--city", "Shanghai", "--city", "Chengdu", "--output", Out("sweep"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning LS6002: "), error);

        var rows = Lines(Out("sweep/sweep.csv"));
        Assert.Equal("city,metric,commission_rate,member_cap,mean,p5,p25,p50,p75,p95", rows[0]);
        var points = new[] { "0.1,100", "0.1,200", "0.1,400", "0.2,100", "0.2,200", "0.2,400" };
        Assert.Equal(points.Select(p => "Shanghai,referrals_per_week@104," + p).Concat(points.Select(p => "Chengdu,referrals_per_week@104," + p)),
            rows.Skip(1).Select(l => string.Join(",", Cells(l)[..4])));
        Assert.All(rows.Skip(1), l =>
        {
            var s = Cells(l)[4..].Select(Number).ToArray();   // mean, p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95
            Assert.True(s[1] <= s[2] && s[2] <= s[3] && s[3] <= s[4] && s[4] <= s[5], l);
        });

        Assert.Equal(["charts/sweep-referrals_per_week-chengdu.png", "charts/sweep-referrals_per_week-cities.png", "charts/sweep-referrals_per_week-shanghai.png"],
            Directory.GetFiles(Out("sweep/charts")).Select(p => Path.GetRelativePath(Out("sweep"), p)).Order(StringComparer.Ordinal));
        Assert.Equal((1600, 900), PngSize(Out("sweep/charts/sweep-referrals_per_week-shanghai.png")));
        Assert.Equal((1600, 900), PngSize(Out("sweep/charts/sweep-referrals_per_week-cities.png")));
        Assert.Contains("alliance: the highest referrals per week at week 104 (p50)", output);
    }

    [Fact]
    public void A_deterministic_sweep_point_is_the_single_run_with_those_values()
    {
        var (exit, _, error) = CliRunner.Run("sweep", Shipped.Scenario("alliance"), "--param", "member_cap=50,200", "--metric", "deals_won",
            "--deterministic", "--city", "Beijing", "--no-charts", "--output", Out("det"));
        Assert.Equal((0, ""), (exit, error));
        var rows = Lines(Out("det/sweep.csv"));
        Assert.Equal(3, rows.Length);
        foreach (var (row, cap) in rows.Skip(1).Zip(new[] { 50.0, 200 }))
        {
            var expected = Shipped.RunOnce("alliance", "Beijing", ("member_cap", cap))["deals_won"][^1];
            // A single run's statistics are all its value (through the runner's float32 store).
            Assert.All(Cells(row)[3..], cell => Assert.Equal((float)expected, (float)Number(cell)));
        }
    }

    [Fact]
    public void Without_param_the_scenario_sweep_section_is_used()
    {
        var (exit, output, error) = CliRunner.Run("sweep", Shipped.Scenario("alliance"), "--runs", "2", "--city", "Hangzhou", "--no-charts", "--output", Out("section"));
        Assert.Equal((0, ""), (exit, error));
        var rows = Lines(Out("section/sweep.csv"));
        Assert.Equal("city,metric,commission_rate,member_cap,mean,p5,p25,p50,p75,p95", rows[0]);
        Assert.Equal(1 + 6 * 4, rows.Length);
        Assert.Equal(["0.05", "0.1", "0.15", "0.2", "0.25", "0.3"], rows.Skip(1).Select(l => Cells(l)[2]).Distinct());
        Assert.Contains("referrals per week at week 156 (p50)", output);
    }
    [Fact]
    public void A_third_parameter_gives_a_heatmap_per_value()
    {
        var (exit, _, error) = CliRunner.Run("sweep", Shipped.Scenario("alliance"), "--param", "commission_rate=0.1,0.2", "--param", "member_cap=100,200",
            "--param", "board_seats=8,12", "--metric", "engagement", "--deterministic", "--city", "Shanghai", "--output", Out("three"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning LS6002: "), error);
        Assert.Equal(["sweep-engagement-cities.png", "sweep-engagement-shanghai-board_seats-12.png", "sweep-engagement-shanghai-board_seats-8.png"],
            Directory.GetFiles(Out("three/charts")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var rows = Lines(Out("three/sweep.csv"));
        Assert.Equal("city,metric,commission_rate,member_cap,board_seats,mean,p5,p25,p50,p75,p95", rows[0]);
        Assert.Equal(9, rows.Length);
        var row = Cells(rows.Single(l => l.StartsWith("Shanghai,engagement@156,0.1,200,12,")));
        var expected = Shipped.RunOnce("alliance", "Shanghai", ("commission_rate", 0.1), ("member_cap", 200), ("board_seats", 12))["engagement"][^1];
        Assert.Equal((float)expected, (float)Number(row[8]));
    }

    [Fact]
    public void Several_metrics_come_from_the_same_runs_each_with_its_heatmaps_line_chart_and_best_point()
    {
        var (exit, output, error) = CliRunner.Run("sweep", Shipped.Scenario("group-size"), "--param", "member_cap=100,400", "--param", "commission_rate=0.1,0.2",
            "--metric", "referrals_per_week", "--metric", "engagement@104:p25", "--runs", "4", "--city", "Shanghai", "--output", Out("several"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning LS6002: "), error);
        var rows = Lines(Out("several/sweep.csv"));
        Assert.Equal(1 + 2 * 4, rows.Length);
        Assert.Equal(["referrals_per_week@156", "engagement@104"], rows.Skip(1).Select(l => Cells(l)[1]).Distinct());
        Assert.Equal(["sweep-engagement-cities.png", "sweep-engagement-shanghai.png", "sweep-referrals_per_week-cities.png", "sweep-referrals_per_week-shanghai.png"],
            Directory.GetFiles(Out("several/charts")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("the highest referrals per week", output);   // one table per metric (a narrow console wraps the rest of the title)
        Assert.Contains("the highest engagement", output);
        // Common random numbers across metrics too: the same runs, so a single run's engagement is the deterministic value.
        var (detExit, _, _) = CliRunner.Run("sweep", Shipped.Scenario("group-size"), "--param", "member_cap=100,400", "--metric", "referrals_per_week",
            "--metric", "engagement@104", "--deterministic", "--city", "Shanghai", "--no-charts", "--output", Out("several-det"));
        Assert.Equal(0, detExit);
        var engagement = Cells(Lines(Out("several-det/sweep.csv")).Single(l => l.StartsWith("Shanghai,engagement@104,400,")));
        var expected = Shipped.RunOnce("group-size", "Shanghai", ("member_cap", 400))["engagement"][104];
        Assert.Equal((float)expected, (float)Number(engagement[6]));
    }
    [Fact]
    public void Heatmap_cells_hold_their_grid_points()
    {
        double[] xs = [1, 2, 3], ys = [10, 20], zs = [100, 200];
        var points = new List<double>();   // the grid's order: first axis slowest
        foreach (var x in xs) foreach (var y in ys) foreach (var z in zs) points.Add(x + y + z);
        for (int r = 0; r < zs.Length; r++)
        {
            var cells = SweepCommand.Heatmap(points, xs.Length, ys.Length, r);
            for (int i = 0; i < ys.Length; i++)
                for (int j = 0; j < xs.Length; j++)
                    Assert.Equal(xs[j] + ys[i] + zs[r], cells[i, j]);
        }
    }
}
