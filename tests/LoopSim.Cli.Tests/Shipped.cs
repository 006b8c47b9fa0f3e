using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Cli.Tests;

/// <summary>The scenarios shipped in the repository's scenarios/ folder, and independent runs of them for checking the CLI's numbers.</summary>
internal static class Shipped
{
    public static string Folder { get; } = FindFolder();

    public static string Scenario(string name) => Path.Combine(Folder, name + ".yaml");

    public static readonly string[] Cities = ["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu"];

    /// <summary>
    /// A city's single run compiled the way the claims tests do (settings as compile-time overrides), not the
    /// way the CLI does it (settings as per-run parameters): the two must agree.
    /// </summary>
    public static SimulationResult RunOnce(string scenarioName, string cityName, params (string Name, double Value)[] extra)
    {
        var scenario = ScenarioLoader.Load(Scenario(scenarioName));
        var overrides = new Dictionary<string, double>(scenario.OverridesFor(scenario.Cities.Single(c => c.Name == cityName)));
        foreach (var (name, value) in extra) overrides[name] = value;
        return ModelCompiler.Compile(scenario.Model, new CompileOptions { Overrides = overrides }).Run();
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scenarios");
            if (File.Exists(Path.Combine(candidate, "alliance.yaml"))) return candidate;
        }
        throw new DirectoryNotFoundException("scenarios/alliance.yaml not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder per test; outputs go below it, so "nothing was written" can be checked by listing it.</summary>
public abstract class CliTest : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("loopsim-cli-").FullName;

    public void Dispose()
    {
        Directory.Delete(Folder, true);
        GC.SuppressFinalize(this);
    }

    protected string Out(string name) => Path.Combine(Folder, name);

    protected static string[] Lines(string path) => File.ReadAllText(path).TrimEnd('\n').Split('\n');

    protected static string[] Cells(string line) => line.Split(',');

    /// <summary>Everything under the test folder, relative: outputs and any leftover temporary file or staging folder.</summary>
    protected string[] Everything() => Directory.EnumerateFileSystemEntries(Folder, "*", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(Folder, p)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Width and height from a PNG's header (and that it is one).</summary>
    protected static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    protected static double Number(string cell) => double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);
}
