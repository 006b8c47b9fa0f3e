namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class CalibrateCommandTests : CliTest
{
    private static string Flu => Path.Combine(Shipped.Folder, "data", "boarding-school-flu-1978.csv");
    private static string Sir => Path.Combine(Shipped.Folder, "models", "sir.yaml");

    [Fact]
    public void Calibrate_writes_the_fit_the_series_the_posterior_and_a_fitted_scenario_that_runs()
    {
        var (exit, output, error) = CliRunner.Run("calibrate", Sir, "--data", Flu, "--fit", "beta=0.5..4", "--fit", "gamma=0.1..1.5",
            "--mcmc", "300", "--starts", "3", "--output", Out("c"));
        Assert.Equal(0, exit);
        Assert.True(error == "" || error.StartsWith("warning: "), error);
        var fit = Lines(Out("c/fit.csv"));
        Assert.Equal("parameter,value,std_error,low,high,range_low,range_high,posterior_mean,posterior_low,posterior_high", fit[0]);
        Assert.InRange(Number(Cells(fit[1])[1]), 1.6, 1.75);
        Assert.InRange(Number(Cells(fit[2])[1]), 0.42, 0.47);
        Assert.Equal("beta,gamma", Lines(Out("c/posterior.csv"))[0]);
        Assert.Equal(1 + 15, Lines(Out("c/series.csv")).Length);   // day 0 to 14
        Assert.True(File.Exists(Out("c/charts/fit-infected.png")));
        Assert.Contains("posterior: posterior.csv", File.ReadAllText(Out("c/fitted.yaml")));
        Assert.Contains("beta", output);

        // The fitted scenario's Monte Carlo samples the posterior's rows.
        var (runExit, _, runError) = CliRunner.Run("run", Out("c/fitted.yaml"), "--runs", "50", "--no-charts", "--output", Out("r"));
        Assert.Equal((0, ""), (runExit, runError));
        var runs = Lines(Out("r/runs.csv"));
        Assert.Equal("city,run,beta,gamma,infected", runs[0]);
        var draws = Lines(Out("c/posterior.csv")).Skip(1).ToHashSet();
        Assert.All(runs.Skip(1), r => Assert.Contains(string.Join(",", Cells(r)[2..4]), draws));
    }

    [Theory]
    [InlineData("--fit", "betta=0.5..4", "unknown parameter")]
    [InlineData("--fit", "beta=4..0.5", "the range is empty")]
    [InlineData("--fit", "beta", "has no range")]
    [InlineData("--data", "missing.csv", "the data file 'missing.csv' does not exist")]
    public void Bad_input_is_one_error_and_nothing_written(string option, string value, string message)
    {
        string[] args = option == "--fit"
            ? ["calibrate", Sir, "--data", Flu, option, value, "--output", Out("bad")]
            : ["calibrate", Sir, option, value, "--fit", "beta=0.5..4", "--output", Out("bad")];
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        Assert.StartsWith("error LS", error);
        Assert.Contains(message, error);
        Assert.Empty(Everything());
    }

    [Fact]
    public void A_data_column_that_matches_no_variable_is_an_error()
    {
        Directory.CreateDirectory(Out("in"));
        File.WriteAllText(Out("in/data.csv"), "time,infectd\n1,3\n2,8\n3,26\n");
        var (exit, _, error) = CliRunner.Run("calibrate", Sir, "--data", Out("in/data.csv"), "--fit", "beta=0.5..4", "--output", Out("bad"));
        Assert.Equal(1, exit);
        Assert.Contains("data column 'infectd' matches no variable of the model", error);
        Assert.Contains("Did you mean 'infected'?", error);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void Cancelled_leaves_nothing()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var (exit, _, error) = CliRunner.Run(cancel.Token, "calibrate", Sir, "--data", Flu, "--fit", "beta=0.5..4", "--fit", "gamma=0.1..1.5",
            "--mcmc", "1000000", "--output", Out("c"));
        Assert.Equal(130, exit);
        Assert.Equal("cancelled: no output was written.\n", error.Replace("\r\n", "\n"));
        Assert.Empty(Everything());
    }
}
