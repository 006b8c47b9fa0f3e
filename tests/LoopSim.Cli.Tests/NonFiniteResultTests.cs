namespace LoopSim.Cli.Tests;

/// <summary>A result that is NaN or infinite is warning LS6001 naming the first variable and time; --strict makes it an error that writes nothing.</summary>
[Collection("Console")]
public sealed class NonFiniteResultTests : CliTest
{
    /// <summary>root = SQRT(k + shift − TIME): NaN from the first whole time past k + shift (2.5: time 3).</summary>
    private string Model()
    {
        var path = Out("root.yaml");
        File.WriteAllText(path, """
            model: root
            sim: { start: 0, stop: 4, dt: 1 }
            constants:
              k: { value: 2.5, range: [0, 10], description: where the root stops being real }
              shift: { value: 0, range: [0, 10], description: moves k }
            auxiliaries:
              fine: { equation: TIME }
              root: { equation: SQRT(k + shift - TIME) }
            """);
        return path;
    }

    /// <summary>k uniform on [1.5, 2.5]: the runs with k below 2 are NaN from time 2 on, every run from time 3.</summary>
    private string Scenario()
    {
        var path = Out("root-scenario.yaml");
        File.WriteAllText(path, $"""
            scenario: root
            model: {Model()}
            report: [fine, root]
            runs: 16
            seed: 3
            uncertain:
              k: {"{"}dist: uniform, min: 1.5, max: 2.5{"}"}
            """);
        return path;
    }

    [Fact]
    public void Simulate_warns_and_writes_and_strict_fails_and_writes_nothing()
    {
        var csv = Out("root.csv");
        var (exit, _, error) = CliRunner.Run("simulate", Model(), "--output", csv);
        Assert.Equal(0, exit);
        Assert.Contains("warning LS6001: ", error);
        Assert.Contains("variable 'root': became NaN at time 3", error);
        Assert.True(File.Exists(csv));
        File.Delete(csv);

        (exit, _, error) = CliRunner.Run("simulate", Model(), "--output", csv, "--strict");
        Assert.Equal(1, exit);
        Assert.StartsWith("error LS6001: ", error);
        Assert.False(File.Exists(csv));

        (exit, _, error) = CliRunner.Run("simulate", Model(), "--set", "k=9", "--strict");
        Assert.Equal(0, exit);
        Assert.DoesNotContain("LS6001", error);
    }

    [Fact]
    public void Run_names_the_first_time_and_run_of_a_Monte_Carlo_and_strict_writes_nothing()
    {
        var (exit, _, error) = CliRunner.Run("run", Scenario(), "--no-charts", "--output", Out("mc"));
        Assert.Equal(0, exit);
        Assert.Matches(@"warning LS6001: variable 'root': became NaN at time 2 in run \d+ \(root\);", error);
        Assert.True(File.Exists(Out(Path.Combine("mc", "percentiles.csv"))));

        (exit, _, error) = CliRunner.Run("run", Scenario(), "--deterministic", "--no-charts", "--output", Out("det"));
        Assert.Equal(0, exit);
        Assert.Contains("variable 'root': became NaN at time 3", error);

        var before = Everything();
        (exit, _, error) = CliRunner.Run("run", Scenario(), "--no-charts", "--strict", "--output", Out("strict"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error LS6001: ", error);
        Assert.Equal(before, Everything());
    }

    [Fact]
    public void Sweep_names_the_grid_point_and_strict_writes_nothing()
    {
        var (exit, _, error) = CliRunner.Run("sweep", Scenario(), "--param", "shift=1,7", "--metric", "root@2", "--no-charts", "--output", Out("sweep"));
        Assert.Equal(0, exit);
        Assert.Matches(@"warning LS6001: variable 'root': became NaN at time 3 in run \d+ \(root at shift=1\);", error);

        var before = Everything();
        (exit, _, error) = CliRunner.Run("sweep", Scenario(), "--param", "shift=1,7", "--metric", "root@2", "--no-charts", "--strict", "--output", Out("strict"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error LS6001: ", error);
        Assert.Equal(before, Everything());

        (exit, _, error) = CliRunner.Run("sweep", Scenario(), "--param", "shift=5,7", "--metric", "root@2", "--no-charts", "--strict", "--output", Out("fine"));
        Assert.True(exit == 0, error);
    }
}
