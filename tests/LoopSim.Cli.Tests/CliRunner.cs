namespace LoopSim.Cli.Tests;

/// <summary>Tests that swap Console.Out/Error must not run in parallel with each other.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>Runs the CLI in-process through the same entry as Program.cs, capturing what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>As <see cref="Run(string[])"/>, with the token System.CommandLine hands the verb (what Ctrl-C cancels).</summary>
    public static (int ExitCode, string Out, string Error) Run(CancellationToken cancel, params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        var (output, error) = (new StringWriter(), new StringWriter());
        Console.SetOut(TextWriter.Synchronized(output));
        Console.SetError(TextWriter.Synchronized(error));
        try
        {
            var exit = Commands.Invoke(args, cancel);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
