namespace LoopSim.Benchmarks;

/// <summary>Finds the repository and ../shared/bench (the speed yardstick) next to it, or LOOPSIM_BENCH.</summary>
internal static class BenchFiles
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("LOOPSIM_BENCH") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "bench"));

    /// <summary>The folder holding LoopSim.sln, found from the benchmark's own location.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LoopSim.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("cannot find the repository root (LoopSim.sln) above " + AppContext.BaseDirectory);
        }
    }

    public static string SupplyChain => Path.Combine(Folder, "supplychain.xmile");

    /// <summary>The frozen export of the sales-ecosystem model (alliance, Shanghai) that SDEverywhere's C was generated from.</summary>
    public static string Ecosystem => Path.Combine(Folder, "ecosystem", "alliance-shanghai.xmile");
}
