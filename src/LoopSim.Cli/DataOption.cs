using System.CommandLine;

namespace LoopSim.Cli;

/// <summary>
/// --data FILE, of the verbs that load a model: time series (.tab, .csv) feeding a Vensim model's data variables
/// (names with no equation), as a Vensim run with data files does.
/// </summary>
internal static class DataOption
{
    public static Option<string[]> Create() => new("--data")
    {
        Description = "A .tab or .csv file of time series feeding the data variables of a Vensim .mdl model (repeatable; the first file holding a variable wins).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static IReadOnlyList<string> Read(ParseResult parse, Option<string[]> option) => parse.GetValue(option) ?? [];
}
