using Spectre.Console;

namespace LoopSim.Reports.Tests;

public class ProgressTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Fact]
    public void Plain_progress_writes_a_line_per_interval_with_the_time_left()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new PlainProgress(output, "alliance", 10_000, "runs", TimeSpan.FromSeconds(2), clock);

        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Advance(500);  // within the first interval: quiet
        clock.Advance(TimeSpan.FromSeconds(1.4));
        progress.Advance(700);  // 1200 runs in 2.4 s: 8800 more take 17.6 s
        clock.Advance(TimeSpan.FromSeconds(0.5));
        progress.Advance(100);  // too soon after the last line
        clock.Advance(TimeSpan.FromSeconds(30));
        progress.Advance(8700);
        progress.Dispose();
        progress.Dispose();

        Assert.Equal(
            "alliance: 1200/10000 runs, 18 s left\n" +
            "alliance: 10000/10000 runs\n" +
            "alliance: 10000/10000 runs in 33 s\n",
            output.ToString());
    }

    [Fact]
    public void Plain_progress_counts_every_advance_from_many_threads()
    {
        var output = new StringWriter { NewLine = "\n" };
        using (var progress = new PlainProgress(output, "sweep", 80_000, "runs", TimeSpan.FromHours(1)))
            Parallel.For(0, 80_000, _ => progress.Advance());

        Assert.StartsWith("sweep: 80000/80000 runs in ", output.ToString());
    }

    [Theory]
    [InlineData(0.2, "1 s")]
    [InlineData(12, "12 s")]
    [InlineData(200, "3 min 20 s")]
    [InlineData(3900, "1 h 05 min")]
    public void Durations_read_naturally(double seconds, string expected) =>
        Assert.Equal(expected, ProgressSinks.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Terminal_progress_shows_the_bar_with_runs_done()
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });

        using (var progress = new TerminalProgress(console, "alliance", 40, "runs"))
            Parallel.For(0, 40, _ => progress.Advance());

        string text = output.ToString();
        Assert.Contains("alliance 40/40 runs", text);
        Assert.Contains("100%", text);
    }
}
