using System.Globalization;
using Spectre.Console;

namespace LoopSim.Reports;

/// <summary>
/// Where a long job reports how far it got. <see cref="Advance"/> is called from worker
/// threads; disposing the sink ends the report (the bar stops, or a last line is written).
/// </summary>
public interface IProgressSink : IDisposable
{
    /// <summary>Adds <paramref name="count"/> completed units (runs). Thread-safe.</summary>
    void Advance(long count = 1);
}

public static class ProgressSinks
{
    /// <summary>
    /// A Spectre progress bar (runs done, time left) on <paramref name="terminal"/> when it is interactive, else plain
    /// lines such as "1200/10000 runs, 12 s left" every few seconds on <paramref name="plain"/>. The CLI passes its
    /// console: the library never touches Console itself.
    /// </summary>
    /// <param name="terminal">The console's terminal, or null when standard output is redirected.</param>
    /// <param name="plain">Where the plain lines go.</param>
    /// <param name="description">What is running, e.g. "alliance: Monte Carlo".</param>
    /// <param name="total">Units to do, e.g. runs × cities.</param>
    /// <param name="unit">The plural name of a unit, e.g. "runs".</param>
    public static IProgressSink For(IAnsiConsole? terminal, TextWriter plain, string description, long total, string unit = "runs") =>
        terminal is { Profile.Capabilities.Interactive: true }
            ? new TerminalProgress(terminal, description, total, unit)
            : new PlainProgress(plain, description, total, unit);

    /// <summary>"12 s", "3 min 20 s", "1 h 05 min".</summary>
    internal static string Duration(TimeSpan time)
    {
        double seconds = Math.Max(0, time.TotalSeconds);
        if (seconds < 60) return $"{Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture)} s";
        long whole = (long)Math.Ceiling(seconds);
        if (whole < 3600) return $"{whole / 60} min {whole % 60} s";
        return $"{whole / 3600} h {whole % 3600 / 60:00} min";
    }
}

/// <summary>Progress as plain lines for logs and pipes, at most one every <c>interval</c>, plus a last line.</summary>
public sealed class PlainProgress : IProgressSink
{
    private readonly TextWriter _writer;
    private readonly string _description;
    private readonly long _total;
    private readonly string _unit;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly Lock _lock = new();
    private long _done;
    private long _lastLine;
    private bool _disposed;

    public PlainProgress(TextWriter writer, string description, long total, string unit = "runs",
        TimeSpan? interval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        _writer = writer;
        _description = description;
        _total = total;
        _unit = unit;
        _interval = interval ?? TimeSpan.FromSeconds(2);
        _time = time ?? TimeProvider.System;
        _start = _lastLine = _time.GetTimestamp();
    }

    public void Advance(long count = 1)
    {
        long done = Interlocked.Add(ref _done, count);
        long now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Volatile.Read(ref _lastLine), now) < _interval)
            return;
        lock (_lock)
        {
            if (_disposed || _time.GetElapsedTime(_lastLine, now) < _interval)
                return;
            Volatile.Write(ref _lastLine, now);
            TimeSpan elapsed = _time.GetElapsedTime(_start, now);
            string left = done > 0 && done < _total
                ? $", {ProgressSinks.Duration(elapsed * ((double)(_total - done) / done))} left"
                : "";
            _writer.WriteLine($"{_description}: {done}/{_total} {_unit}{left}");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            TimeSpan elapsed = _time.GetElapsedTime(_start);
            _writer.WriteLine($"{_description}: {Interlocked.Read(ref _done)}/{_total} {_unit} in {ProgressSinks.Duration(elapsed)}");
        }
    }
}

/// <summary>A live Spectre progress bar: description with runs done, bar, percentage, time left.</summary>
public sealed class TerminalProgress : IProgressSink
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _render;
    private long _done;

    public TerminalProgress(IAnsiConsole console, string description, long total, string unit = "runs")
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        // Spectre's progress runs a callback until it returns: run it on its own task and let
        // it poll the counter, so workers only do an Interlocked add.
        _render = console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
                while (true)
                {
                    long done = Interlocked.Read(ref _done);
                    task.Value = done;
                    task.Description = $"{Markup.Escape(description)} {done}/{total} {unit}";
                    if (_stop.IsCancellationRequested)
                        break;
                    try { await Task.Delay(TimeSpan.FromMilliseconds(100), _stop.Token); }
                    catch (OperationCanceledException) { }
                }
            });
    }

    public void Advance(long count = 1) => Interlocked.Add(ref _done, count);

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _render.GetAwaiter().GetResult();
        _stop.Dispose();
    }
}
