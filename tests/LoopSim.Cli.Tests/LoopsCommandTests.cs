using System.Globalization;

namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class LoopsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loopsim-loops-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const string Logistic = """
        model: logistic
        sim: { start: 0, stop: 20, dt: 0.05, save_step: 0.5, method: euler, time_units: year }
        constants:
          r: { value: 0.5, units: 1/year, description: growth rate }
          K: { value: 1000, units: people, description: carrying capacity }
        stocks:
          P: { initial: 10, inflows: [growth], non_negative: true }
        flows:
          growth: { equation: r * P * fraction_remaining }
        auxiliaries:
          fraction_remaining: { equation: 1 - P / K }
        """;

    private string Model(string text)
    {
        var path = Path.Combine(_dir, "logistic.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Scenarios()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scenarios", "alliance.yaml"))) return Path.Combine(dir.FullName, "scenarios");
        throw new DirectoryNotFoundException("scenarios/ not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void PrintsTheLoopsAndTheSwitchAndWritesEveryOutput()
    {
        var folder = Path.Combine(_dir, "out");
        var (exit, output, error) = CliRunner.Run("loops", Model(Logistic), "--output", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("every elementary loop (Johnson's algorithm): 2", output);
        Assert.Contains("P → growth → P", output);
        Assert.Contains("P → fraction_remaining → growth → P", output);
        Assert.Contains("R1 (", output);       // dominance: R1 first, then B1 from the inflection point (t ≈ 9.2), at the save times
        Assert.Matches(@"9\.5\s+–\s+20\s+B1", output);

        var loops = File.ReadAllLines(Path.Combine(folder, "loops.csv"));
        Assert.Equal("id,polarity,observed_polarity,length,partition,share,dominant_fraction,family,named,path,variables,delays", loops[0]);
        Assert.Equal(3, loops.Length);
        Assert.Contains(loops, l => l.StartsWith("R1,reinforcing,reinforcing,2,1,"));
        Assert.Contains(loops, l => l.StartsWith("B1,balancing,balancing,3,1,"));

        var scores = File.ReadAllLines(Path.Combine(folder, "loop-scores.csv"));
        Assert.Equal("time,B1,R1", scores[0]);
        Assert.Equal(41, scores.Length); // save step 0.5 over 20 years, each score for the DT starting then: 0 … 19.5
        var first = scores[1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0, first[0]);
        Assert.Equal(1, Math.Abs(first[1]) + Math.Abs(first[2]), 12);

        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "dominance.csv")).Length - 1);
        Assert.Equal(new[] { "partition,stock,explained,lowest,lowest_at", "1,P,1,1,0" }, File.ReadAllLines(Path.Combine(folder, "coverage.csv")));
        Assert.DoesNotContain("The loops found explain", output);   // every loop listed: nothing left out
        var dot = File.ReadAllText(Path.Combine(folder, "loops.dot"));
        Assert.Contains("digraph", dot);
        Assert.Contains("label=\"R1\"", dot);
        Assert.Contains("headlabel=\"−\"", dot);   // P → fraction_remaining
        Assert.True(new FileInfo(Path.Combine(folder, "loop-scores.png")).Length > 10_000);
        if (LoopSim.Reports.Graphviz.Find() is not null)
            Assert.True(new FileInfo(Path.Combine(folder, "loops.png")).Length > 5_000);
        Assert.Empty(Directory.GetFiles(folder, ".*.tmp"));
    }

    [Fact]
    public void LoopScoresAndDominanceNameTheSameInstantForTheSwitch()
    {
        // Logistic growth saved every DT: R1 leads until the inflection point (t ≈ 9.19), B1 after. The first row of
        // loop-scores.csv where |B1| > |R1| is the step starting at the switch; dominance.csv must say the same time.
        var folder = Path.Combine(_dir, "switch");
        var (exit, _, error) = CliRunner.Run("loops", Model(Logistic.Replace("dt: 0.05, save_step: 0.5", "dt: 0.25, save_step: 0.25")), "-o", folder);
        Assert.True(exit == 0, error);

        var rows = File.ReadAllLines(Path.Combine(folder, "loop-scores.csv")).Skip(1)
            .Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal((0, 19.75), (rows[0][0], rows[^1][0]));   // start … stop − DT, one row per step
        double firstBalancing = rows.First(r => Math.Abs(r[1]) > Math.Abs(r[2]))[0];  // columns: time, B1, R1
        // B1's relative score at t is −P(t)/K: it leads from the first step whose P is past K/2 (Euler, DT 0.25).
        double p = 10, t = 0;
        for (; p <= 500; t += 0.25) p += 0.25 * 0.5 * p * (1 - p / 1000);
        Assert.Equal(t, firstBalancing);

        var periods = File.ReadAllLines(Path.Combine(folder, "dominance.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal(("R1", "0"), (periods[0][3], periods[0][1]));
        Assert.Equal(("B1", "20"), (periods[1][3], periods[1][2]));
        Assert.Equal(firstBalancing, double.Parse(periods[1][1], CultureInfo.InvariantCulture));
        Assert.Equal(firstBalancing, double.Parse(periods[0][2], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void WhenTheLoopsFoundExplainLittleTheSummaryAndAWarningSaySo()
    {
        // S grows through ten parallel loops (a weighs 0.02, b1…b9 0.01 each); with --max-loops 1 the strongest-path
        // search keeps the strongest one or two, which explain at most 0.03 / 0.11 of S's change.
        var bs = Enumerable.Range(1, 9).Select(i => $"b{i}").ToList();
        var auxiliaries = string.Join("\n", bs.Select(b => "  " + b + ": { equation: S }"));
        var folder = Path.Combine(_dir, "few");
        var (exit, output, error) = CliRunner.Run("loops", Model($$"""
            model: parallel
            sim: { start: 0, stop: 10, dt: 0.25 }
            stocks:
              S: { initial: 100, inflows: [growth] }
            flows:
              growth: { equation: 0.02 * a + 0.01 * ({{string.Join(" + ", bs)}}) }
            auxiliaries:
              a: { equation: S }
            {{auxiliaries}}
            """), "--max-loops", "1", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("more than 1 loop in the model", output);
        Assert.Matches(@"The loops found explain (18\.2|27\.3)% of the stocks' change on average \(least: S, ", output);
        Assert.Matches(@"warning LS6005: .*explain less than half of the change of 1 of 1 stocks \(S (18|27) %.*--max-loops", error);
        var coverage = File.ReadAllLines(Path.Combine(folder, "coverage.csv"));
        Assert.Equal("partition,stock,explained,lowest,lowest_at", coverage[0]);
        Assert.StartsWith("1,S,0.", coverage[1]);
    }

    [Fact]
    public void AScenarioCityIsAnalysedWithItsSettingsAndItsNamedLoops()
    {
        var folder = Path.Combine(_dir, "alliance");
        var (exit, output, error) = CliRunner.Run("loops", Path.Combine(Scenarios(), "alliance.yaml"), "--city", "Chengdu", "-o", folder, "--show", "5");
        Assert.True(exit == 0, error);
        Assert.Contains("成都", output.Split('\n')[0]);  // the city's label
        Assert.Contains("Loop families (loops/sales-ecosystem.yaml)", output);
        Assert.Matches(@"loop\s+polarity\s+length\s+share\s+dominant\s+family\s+path", output);   // each ranked loop names its family
        Assert.Matches(@"B3\s+forgetting\s+balancing: 1 found, structure agrees\s+1 \(0/1\)", output);
        Assert.Contains("more loops in loops.csv", output);
        var named = File.ReadAllLines(Path.Combine(folder, "named-loop-scores.csv"));
        Assert.StartsWith("time,B1 spam dilution and moderation,organiser capacity,trust worn by waiting (the delay problem),R1 commission,", named[0]);
        Assert.EndsWith(",other", named[0]);
        Assert.Contains(File.ReadAllLines(Path.Combine(folder, "loops.csv")), l => l.Contains(",B3,B3,Familiarity → forgetting → Familiarity,"));
        // The diagram names the article's loops as the tables do, each label pinned inside its loop when Graphviz lays it out.
        var dot = File.ReadAllText(Path.Combine(folder, "loops.dot"));
        var labels = System.Text.RegularExpressions.Regex.Matches(dot, "label=\"([RB][0-9]+)\", shape=circle").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("R1", labels);
        Assert.Contains("B3", labels);
        Assert.All(labels, id => Assert.Contains(id, new[] { "R1", "R2", "R3", "R4", "R5", "B1", "B2", "B3", "B4" }));
        if (LoopSim.Reports.Graphviz.Find() is not null) Assert.Contains("!\"];", dot);
    }

    [Fact]
    public void AModelWithoutLoopsSaysSo()
    {
        var folder = Path.Combine(_dir, "none");
        var (exit, output, error) = CliRunner.Run("loops", Model("""
            model: open
            sim: { start: 0, stop: 5, dt: 1 }
            stocks:
              Water: { initial: 0, inflows: [rain] }
            flows:
              rain: { equation: 2 }
            """), "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("open: no feedback loops.", output);
        Assert.Single(File.ReadAllLines(Path.Combine(folder, "loops.csv")));   // the header only
        Assert.False(File.Exists(Path.Combine(folder, "loops.dot")));
    }

    [Fact]
    public void AnAnalysisPastTheMemoryBudgetIsRefusedWithWhatFits()
    {
        // Logistic growth saved every DT for 20,000 years: 2 loops × 400,000 save times, about 106 MB, past a budget of 10 MB;
        // most of it is the run itself at every DT, so only a larger DT, a shorter run or a larger budget fit.
        var folder = Path.Combine(_dir, "big");
        var (exit, output, error) = CliRunner.Run("loops", Model(Logistic.Replace("stop: 20, dt: 0.05, save_step: 0.5", "stop: 20000, dt: 0.05, save_step: 0.05")),
            "--max-memory", "0.01", "-o", folder);
        Assert.Equal(1, exit);
        Assert.Matches(@"^error LS5014: the loop analysis would need about \d+ MB \(2 loops × 400,000 save times, .*more than its memory budget of 10 MB\. To fit: ", error);
        Assert.Contains("To fit: a larger DT or a shorter run: the run's values and link scores at every DT alone take 77 MB; or raise the budget with --max-memory", error);
        Assert.DoesNotContain("   at ", error + output);
        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [InlineData("model-with-city")]
    [InlineData("unknown-city")]
    [InlineData("missing-file")]
    public void MistakesAreClearErrors(string mistake)
    {
        string[] args = mistake switch
        {
            "model-with-city" => ["loops", Model(Logistic), "--city", "Shanghai"],
            "unknown-city" => ["loops", Path.Combine(Scenarios(), "alliance.yaml"), "--city", "Atlantis"],
            _ => ["loops", Path.Combine(_dir, "nothing.yaml")],
        };
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        Assert.Matches("^error LS[0-9]{4}: ", error);
        Assert.DoesNotContain("   at ", error + output);
        Assert.Contains(mistake switch
        {
            "model-with-city" => "--city needs a scenario file",
            "unknown-city" => "no city 'Atlantis'",
            _ => "not found",
        }, error);
        if (mistake == "unknown-city") Assert.Contains("Shanghai", error);
    }
}
