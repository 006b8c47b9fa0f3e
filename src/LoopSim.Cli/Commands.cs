using System.CommandLine;
using LoopSim.Engine.Model;

namespace LoopSim.Cli;

/// <summary>The verbs, and the one place where bad input becomes a message and exit code 1.</summary>
internal static class Commands
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("LoopSim: system-dynamics simulation, Monte Carlo, sweeps and loop analysis.");
        foreach (var command in All())
            root.Subcommands.Add(command);
        return root;
    }

    public static IEnumerable<Command> All()
    {
        yield return RunCommand.Create();
        yield return SweepCommand.Create();
        yield return CompareCommand.Create();
        yield return SimulateCommand.Create();
        yield return ExportCommand.Create();
        yield return LoopsCommand.Create();
        yield return CheckCommand.Create();
    }

    /// <summary>
    /// Runs a verb's body; every failure becomes coded lines on stderr, never a stack trace: bad input (a
    /// <see cref="ModelException"/>) and refused file access exit 1, Ctrl-C exits 130, and anything else is reported as
    /// an internal error (exit 1) with its type and message.
    /// </summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ModelException e)
        {
            foreach (var d in e.Diagnostics) Output.Report(d);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Output.Report(new Diagnostic(DiagnosticCodes.WriteFailed, e.Message));
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: no output was written.");
            return 130;
        }
#pragma warning disable CA1031 // the one place that turns any unforeseen failure into a message instead of a stack trace
        catch (Exception e)
#pragma warning restore CA1031
        {
            Output.Report(new Diagnostic(DiagnosticCodes.InternalError, $"{e.GetType().Name}: {e.Message}",
                Hint: "This is a bug in LoopSim, not in your input; please report it with the command line."));
            return 1;
        }
    }
}
