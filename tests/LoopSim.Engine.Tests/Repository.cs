namespace LoopSim.Engine.Tests;

/// <summary>The repository the tests run from (the folder holding LoopSim.sln), and the shared kit beside it.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Set by CI (LOOPSIM_REQUIRE_SHARED=1): tests that need ../shared fail when it is missing instead of skipping,
    /// so a CI run without the conformance suite cannot pass.
    /// </summary>
    public static bool SharedRequired { get; } = Environment.GetEnvironmentVariable("LOOPSIM_REQUIRE_SHARED") == "1";

    /// <summary>A folder of ../shared (the kit every developer and CI has next to the repository), or null if absent.</summary>
    public static string? Shared(string folder, string mustContain)
    {
        var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", folder));
        return File.Exists(Path.Combine(path, mustContain)) ? path : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoopSim.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("LoopSim.sln not found above " + AppContext.BaseDirectory);
    }
}
