using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;

namespace LoopSim.Cli;

/// <summary>The verbs, and the one place where bad input becomes coded messages and an exit code.</summary>
internal static class Commands
{
    /// <summary>The most diagnostics printed for one command; a file with more is usually one mistake repeated.</summary>
    public const int MaxShown = 50;

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("LoopSim: system-dynamics simulation, Monte Carlo, sweeps and loop analysis.");
        foreach (var command in All())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>
    /// Parses and runs a command line: what Program.cs and the tests call. A command line that does not parse (an
    /// unknown option, a missing argument, a value of the wrong type) is coded messages in the user's words and exit 1.
    /// </summary>
    public static int Invoke(string[] args, CancellationToken cancel = default)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count == 0 || args.Length == 0)
            return parse.InvokeAsync(null, cancel).GetAwaiter().GetResult();
        var verb = parse.CommandResult.Command is RootCommand ? "" : " " + parse.CommandResult.Command.Name;
        foreach (var error in parse.Errors.Take(MaxShown))
            Output.Report(new Diagnostic(DiagnosticCodes.CommandLineInvalid, string.Join(' ', InUserWords(error).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)),
                Hint: $"Run 'loopsim{verb} --help' for the options."));
        return 1;
    }

    /// <summary>A value that does not convert to its option's type, said without .NET type names; other errors as they are.</summary>
    private static string InUserWords(ParseError error)
    {
        var (name, type, tokens) = error.SymbolResult switch
        {
            OptionResult o => (o.Option.Name, o.Option.ValueType, o.Tokens),
            ArgumentResult { Parent: OptionResult o } a => (o.Option.Name, a.Argument.ValueType, a.Tokens),
            ArgumentResult a => ($"<{a.Argument.Name}>", a.Argument.ValueType, a.Tokens),
            _ => (null, null, null),
        };
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var kind = type switch
        {
            _ when type == typeof(int) => $"a whole number (at most {int.MaxValue:N0})",
            _ when type == typeof(long) => $"a whole number (at most {long.MaxValue:N0})",
            _ when type == typeof(ulong) => $"a whole number of 0 or more (at most {ulong.MaxValue:N0})",
            _ when type == typeof(double) => "a number",
            _ => null,
        };
        if (name is null || kind is null || tokens is not { Count: > 0 } || type is null || !IsNumber(type)) return error.Message;
        return $"{name} must be {kind}, not '{string.Join(" ", tokens.Select(t => t.Value))}'.";
    }

    private static bool IsNumber(Type type) => type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(INumber<>));

    public static IEnumerable<Command> All()
    {
        yield return RunCommand.Create();
        yield return SweepCommand.Create();
        yield return CompareCommand.Create();
        yield return SimulateCommand.Create();
        yield return ExportCommand.Create();
        yield return LoopsCommand.Create();
        yield return CheckCommand.Create();
        yield return SensitivityCommand.Create();
        yield return DiscoverCommand.Create();
        yield return CalibrateCommand.Create();
        yield return MergeCommand.Create();
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
            foreach (var d in e.Diagnostics.Take(MaxShown)) Output.Report(d);
            if (e.Diagnostics.Count > MaxShown)
                Console.Error.WriteLine($"… and {e.Diagnostics.Count - MaxShown} more problems; fix these first.");
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
