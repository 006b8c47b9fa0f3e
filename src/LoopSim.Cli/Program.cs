using LoopSim.Cli;

return await Commands.CreateRoot().Parse(args).InvokeAsync();
