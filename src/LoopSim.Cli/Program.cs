using LoopSim.Cli;

// Ctrl-C cancels the token System.CommandLine hands the verb: the verb stops, writes nothing and exits 130.
return Commands.Invoke(args);
