using System.CommandLine;
using LoopSim.Cli;

var root = new RootCommand("LoopSim: system-dynamics simulation, Monte Carlo, sweeps and loop analysis.");
foreach (var command in Commands.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
