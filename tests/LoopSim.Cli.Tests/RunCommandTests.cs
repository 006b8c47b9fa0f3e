using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Sampling;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class RunCommandTests : CliTest
{
    private static readonly string[] Report =
        ["members", "Active", "Lurkers", "Spammers", "Newcomers", "engagement", "referrals_per_week", "referrals_per_member", "curation_coverage", "cumulative_referrals", "deals_won", "commissions_paid", "PerceivedValue", "Familiarity", "Trust"];
    private static readonly string[] Summary = ["members", "Active", "Lurkers", "Spammers", "engagement", "referrals_per_week", "deals_won", "commissions_paid"];
    private static readonly string[] Uncertain = ["win_rate", "close_delay", "spam_fraction", "natural_sharers", "perception_delay", "suspicion_time",
        "reading_capacity", "overload_dropout", "recall_capacity", "free_riding", "product_niches", "tie_contact_rate", "review_hours", "curation_hours",
        "moderation_hours", "board_hours"];

    [Fact]
    public void Deterministic_run_writes_the_time_series_and_summary_of_every_city()
    {
        var (exit, output, error) = CliRunner.Run("run", Shipped.Scenario("alliance"), "--deterministic", "--no-charts", "--output", Out("det"));
        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(["det/.loopsim", "det/summary.csv", "det/timeseries.csv"], Everything().Where(p => p.Contains('.')));

        var series = Lines(Out("det/timeseries.csv"));
        Assert.Equal("city,time," + string.Join(",", Report), series[0]);
        Assert.Equal(1 + 5 * 157, series.Length);
        Assert.Equal(Shipped.Cities, series.Skip(1).Select(l => Cells(l)[0]).Distinct());
        Assert.Equal(Enumerable.Range(0, 157).Select(t => t.ToString()), series.Skip(1).Take(157).Select(l => Cells(l)[1]));

        var summary = Lines(Out("det/summary.csv"));
        Assert.Equal("city," + string.Join(",", Summary), summary[0]);
        Assert.Equal(Shipped.Cities, summary.Skip(1).Select(l => Cells(l)[0]));
        // Every figure is the horizon value of the same city's run compiled the claims tests' way.
        for (int c = 0; c < Shipped.Cities.Length; c++)
        {
            var run = Shipped.RunOnce("alliance", Shipped.Cities[c]);
            var row = Cells(summary[1 + c]);
            for (int k = 0; k < Summary.Length; k++)
                Assert.Equal(run[Summary[k]][^1], Number(row[1 + k]));
            var last = Cells(series[157 * (c + 1)]);
            Assert.Equal(("156", run["Trust"][^1]), (last[1], Number(last[^1])));
        }

        // The table: a row per city, under its label.
        Assert.Contains("alliance: at week 156", output);
        foreach (var label in new[] { "上海", "北京", "深圳", "杭州", "成都" })
            Assert.Contains(label, output);
        Assert.Contains($"wrote {Out("det")}: timeseries.csv, summary.csv\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Data_feeds_the_data_variables_of_a_scenarios_Vensim_model()
    {
        File.WriteAllText(Out("orders.mdl"), SimulateCommandTests.DataModel);
        File.WriteAllText(Out("orders.yaml"), "model: orders.mdl\nreport: [demand, backlog]\n");
        File.WriteAllText(Out("demand.tab"), "Time\tdemand\n0\t10\n4\t30\n");
        // With charts: the loop-dominance chart analyses the scenario as loaded, with its data, not the file again.
        var (exit, _, error) = CliRunner.Run("run", Out("orders.yaml"), "--data", Out("demand.tab"), "--output", Out("data"));
        Assert.Equal((0, ""), (exit, error));
        Assert.True(File.Exists(Out("data/charts/demand.png")));
        // demand interpolates 10 → 30 over 4 months; backlog adds 10 + 15 + 20 + 25 (Euler, dt 1).
        Assert.EndsWith(",4,30,70", Lines(Out("data/timeseries.csv"))[^1]);

        (exit, _, error) = CliRunner.Run("run", Out("orders.yaml"), "--no-charts", "--output", Out("none"));
        Assert.Equal(1, exit);
        Assert.Contains("LS5016", error);
    }

    [Fact]
    public void Monte_carlo_files_are_bit_identical_with_one_and_two_threads()
    {
        foreach (var (name, threads) in new[] { ("one", "1"), ("two", "2") })
        {
            var (exit, _, error) = CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "48", "--seed", "7", "--threads", threads, "--no-charts", "--output", Out(name));
            Assert.Equal((0, ""), (exit, error));
        }
        foreach (var file in new[] { "percentiles.csv", "runs.csv", "summary.csv" })
            Assert.Equal(File.ReadAllBytes(Out("one/" + file)), File.ReadAllBytes(Out("two/" + file)));
        Assert.False(File.Exists(Out("one/timeseries.csv")));

        var percentiles = Lines(Out("one/percentiles.csv"));
        Assert.Equal("city,variable,time,mean,p5,p25,p50,p75,p95", percentiles[0]);
        Assert.Equal(1 + 5 * Report.Length * 157, percentiles.Length);
        var runs = Lines(Out("one/runs.csv"));
        Assert.Equal("city,run," + string.Join(",", Uncertain) + "," + string.Join(",", Report), runs[0]);
        Assert.Equal(1 + 5 * 48, runs.Length);
        Assert.Equal(Enumerable.Range(0, 48).Select(r => r.ToString()), runs.Skip(1).Take(48).Select(l => Cells(l)[1]));
    }

    [Fact]
    public void A_run_in_runs_csv_is_reproduced_on_its_own_and_percentiles_summarise_the_runs()
    {
        var (exit, _, error) = CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "30", "--city", "杭州", "--no-charts", "--output", Out("mc"));
        Assert.Equal((0, ""), (exit, error));
        var runs = Lines(Out("mc/runs.csv"));
        Assert.Equal(31, runs.Length);
        Assert.All(runs.Skip(1), l => Assert.Equal("Hangzhou", Cells(l)[0]));

        // Run 17 again by hand: the city's values, the sampled values from the file, the run's equation seed.
        var row = Cells(runs[1 + 17]);
        var scenario = ScenarioLoader.Load(Shipped.Scenario("alliance"));
        var overrides = new Dictionary<string, double>(scenario.OverridesFor(scenario.Cities.Single(c => c.Name == "Hangzhou")));
        for (int d = 0; d < Uncertain.Length; d++) overrides[Uncertain[d]] = Number(row[2 + d]);
        var run = ModelCompiler.Compile(scenario.Model, new CompileOptions { Overrides = overrides }).Run(seed: RandomStreams.EquationSeed(42, "Hangzhou", 17));
        for (int k = 0; k < Report.Length; k++)
            Assert.Equal(run[Report[k]][^1], Number(row[2 + Uncertain.Length + k]));

        // The median at the horizon is the median of the final values (kept as float32 by the runner, hence the tolerance).
        int engagement = 2 + Uncertain.Length + Array.IndexOf(Report, "engagement");
        var finals = runs.Skip(1).Select(l => Number(Cells(l)[engagement])).Order().ToArray();
        double median = (finals[14] + finals[15]) / 2;
        var p50 = Cells(Lines(Out("mc/percentiles.csv")).Single(l => l.StartsWith("Hangzhou,engagement,156,")))[6];
        Assert.Equal(median, Number(p50), 6);
        var summary = Lines(Out("mc/summary.csv"));
        Assert.Equal(Number(p50), Number(Cells(summary[1])[1 + Array.IndexOf(Summary, "engagement")]));
    }

    [Fact]
    public void Monte_carlo_with_charts_prints_medians_and_ranges_and_draws_every_chart()
    {
        var (exit, output, error) = CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "20", "--city", "Shanghai", "--city", "北京", "--output", Out("charts"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning LS6002: "), error);   // at most the warning that no CJK font is installed
        var charts = Directory.GetFiles(Out("charts/charts")).Select(Path.GetFileName).Order().ToArray();
        var expected = Report.SelectMany(v => new[] { "beijing", "shanghai", "cities" }.Select(c => $"{v.ToLowerInvariant()}-{c}.png"))
            .Concat(["composition-shanghai.png", "composition-beijing.png", "loop-dominance-shanghai.png"]).Order().ToArray();
        Assert.Equal(expected, charts);
        Assert.All(charts, c => Assert.Equal((1600, 900), PngSize(Out("charts/charts/" + c!))));

        Assert.Contains("alliance: 2 cities × 20 runs: 40/40 runs in ", output);
        Assert.Contains("alliance: at week 156, 20 runs per city", output);
        Assert.Contains("5–95% of runs", output);
        var summary = Lines(Out("charts/summary.csv"));
        Assert.Equal(["Shanghai", "Beijing"], summary.Skip(1).Select(l => Cells(l)[0]));
        Assert.Contains($"summary.csv, report.html and {expected.Length} charts in charts/", output);
    }
}
