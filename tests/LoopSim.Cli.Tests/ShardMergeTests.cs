namespace LoopSim.Cli.Tests;

/// <summary><c>run</c>, <c>sweep</c> and <c>sensitivity</c> with <c>--shard I/N</c>, and <c>merge</c>: the merged shards are byte for byte one unsharded run.</summary>
[Collection("Console")]
public sealed class ShardMergeTests : CliTest
{
    /// <summary>Every file of a folder, relative, with its bytes.</summary>
    private static SortedDictionary<string, byte[]> Files(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);

    private static void AssertSameFiles(string expected, string actual)
    {
        var (a, b) = (Files(expected), Files(actual));
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, bytes) in a)
            Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs between {expected} and {actual}");
    }

    private string[] Shards(string name, int count, params string[] args)
    {
        var folders = new string[count];
        for (int i = 0; i < count; i++)
        {
            folders[i] = Out($"{name}-{i}");
            var (exit, output, error) = CliRunner.Run([.. args, "--shard", $"{i}/{count}", "--output", folders[i]]);
            Assert.True(exit == 0, error);
            Assert.Contains($"shard {i}/{count}", output);
        }
        return folders;
    }

    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 50)]
    [InlineData(3, 50)]     // 16, 17, 17 runs
    [InlineData(7, 50)]     // 7 or 8 runs each
    [InlineData(7, 6)]      // shard 0 has no runs
    public void Merged_run_shards_are_byte_identical_to_one_run(int count, int runs)
    {
        string[] args = ["run", Shipped.Scenario("alliance"), "--runs", runs.ToString(), "--seed", "7", "--city", "Shanghai", "--city", "Chengdu"];
        var (exit, _, error) = CliRunner.Run([.. args, "--output", Out("whole")]);
        Assert.True(exit == 0, error);
        var folders = Shards("shard", count, args);
        // Given in any order.
        (exit, var output, error) = CliRunner.Run(["merge", .. folders.Reverse(), "--output", Out("merged")]);
        Assert.True(exit == 0, error);
        Assert.Contains("wrote", output);
        AssertSameFiles(Out("whole"), Out("merged"));
        Assert.Contains("charts/members-shanghai.png", Files(Out("merged")).Keys);
    }

    [Fact]
    public void Merged_sweep_shards_are_byte_identical_to_one_sweep()
    {
        string[] args = ["sweep", Shipped.Scenario("alliance"), "--param", "commission_rate=0.1,0.2", "--param", "member_cap=50,100,200",
            "--metric", "referrals_per_week@104:p50", "--metric", "engagement", "--runs", "20", "--city", "Shanghai"];
        var (exit, _, error) = CliRunner.Run([.. args, "--output", Out("whole")]);
        Assert.True(exit == 0, error);
        var folders = Shards("shard", 3, args);
        (exit, _, error) = CliRunner.Run(["merge", .. folders, "--output", Out("merged")]);
        Assert.True(exit == 0, error);
        AssertSameFiles(Out("whole"), Out("merged"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]     // 8·(2 + 2) + 1 + 2·2 = 37 rows: 12, 12, 13
    public void Merged_sensitivity_shards_are_byte_identical_to_one_analysis(int count)
    {
        string[] args = ["sensitivity", Shipped.Scenario("alliance"), "--samples", "8", "--resamples", "50", "--seed", "7",
            "--param", "win_rate", "--param", "spam_fraction", "--metric", "referrals_per_week@104", "--metric", "Active",
            "--city", "Shanghai", "--city", "Chengdu"];
        var (exit, _, error) = CliRunner.Run([.. args, "--output", Out("whole")]);
        Assert.True(exit == 0, error);
        var folders = Shards("shard", count, args);
        (exit, var output, error) = CliRunner.Run(["merge", .. folders.Reverse(), "--output", Out("merged")]);
        Assert.True(exit == 0, error);
        Assert.Contains("what drives each output", output);
        AssertSameFiles(Out("whole"), Out("merged"));
        Assert.Contains("sobol.csv", Files(Out("merged")).Keys);
        Assert.Contains("charts/sobol-referrals_per_week-chengdu.png", Files(Out("merged")).Keys);
    }

    [Fact]
    public void Merge_refuses_sensitivity_shards_of_another_seed_or_design()
    {
        string[] args = ["sensitivity", Shipped.Scenario("alliance"), "--samples", "4", "--resamples", "20", "--param", "win_rate",
            "--metric", "Active", "--city", "Shanghai", "--no-charts"];
        var folders = Shards("a", 2, args);
        var otherSeed = Shards("seed", 2, [.. args, "--seed", "8"]);
        var otherSamples = Shards("samples", 2, [.. args[..3], "8", .. args[4..]]);
        string Fails(params string[] merge)
        {
            var (exit, _, error) = CliRunner.Run(["merge", .. merge, "--output", Out("merged")]);
            Assert.Equal(1, exit);
            Assert.False(Directory.Exists(Out("merged")));
            return error;
        }

        Assert.Contains("are of different experiments: seed 8 against 42", Fails(folders[0], otherSeed[1]));
        Assert.Contains("are of different experiments", Fails(folders[0], otherSamples[1]));
        Assert.Contains("shard 1/2 missing", Fails(folders[0]));
    }

    [Fact]
    public void Merge_refuses_mixed_missing_repeated_and_partial_shards()
    {
        string[] args = ["run", Shipped.Scenario("alliance"), "--runs", "12", "--city", "Shanghai"];
        var folders = Shards("a", 3, args);
        var otherSeed = Shards("seed", 3, [.. args, "--seed", "8"]);
        string Fails(params string[] merge)
        {
            var (exit, _, error) = CliRunner.Run(["merge", .. merge, "--output", Out("merged")]);
            Assert.Equal(1, exit);
            Assert.False(Directory.Exists(Out("merged")));
            return error;
        }

        Assert.Contains("are of different experiments: seed 8 against 42", Fails(folders[0], folders[1], otherSeed[2]));
        Assert.Contains("shard 1/3 missing", Fails(folders[0], folders[2]));
        Assert.Contains("shard 2/3 is given twice", Fails(folders[0], folders[1], folders[2], Out("a-2")));
        var deterministicShard = CliRunner.Run([.. args, "--deterministic", "--shard", "0/2", "--output", Out("det")]);
        Assert.Contains("--shard splits the runs of a Monte Carlo", deterministicShard.Error);

        // A copy cut short, and one without its manifest.
        var store = Path.Combine(folders[1], "runs", "shanghai.runs");
        File.WriteAllBytes(store, File.ReadAllBytes(store)[..^100]);
        Assert.Contains($"shard folder '{folders[1]}' is partly written: 'runs/shanghai.runs' has", Fails(folders));
        File.Delete(Path.Combine(folders[2], "shard.json"));
        Assert.Contains($"'{folders[2]}' is not a complete shard folder", Fails(folders[0], folders[2]));
        Assert.Contains("--shard '3/3' is not I/N", CliRunner.Run([.. args, "--shard", "3/3", "--output", Out("x")]).Error);
    }

    [Fact]
    public void Merge_refuses_shards_whose_scenario_changed()
    {
        var scenario = Out("copy/alliance.yaml");
        Directory.CreateDirectory(Out("copy"));
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Shipped.Scenario("alliance"))!, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Out("copy"), Path.GetRelativePath(Path.GetDirectoryName(Shipped.Scenario("alliance"))!, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var folders = Shards("a", 2, "run", scenario, "--runs", "10", "--city", "Shanghai");
        File.WriteAllText(scenario, File.ReadAllText(scenario).Replace("seed: 42", "seed: 42   # edited"));
        var (exit, _, error) = CliRunner.Run(["merge", .. folders, "--output", Out("merged")]);
        Assert.Equal(1, exit);
        Assert.Contains("changed since the shards ran", error);
    }
}
