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
        yield return SensitivityCommand.Create();
        yield return DiscoverCommand.Create();
        yield return CalibrateCommand.Create();
    }

    /// <summary>Runs a verb's body: ModelException and file-system errors (a missing file, a full disk) become a clear message on stderr and exit 1.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ModelException e)
        {
            foreach (var d in e.Diagnostics) Console.Error.WriteLine("error: " + d);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: no output was written.");
            return 130;
        }
    }
}
