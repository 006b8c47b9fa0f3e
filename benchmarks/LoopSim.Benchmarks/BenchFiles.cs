namespace LoopSim.Benchmarks;

/// <summary>Finds ../shared/bench (the speed yardstick) from the repository root, or LOOPSIM_BENCH.</summary>
internal static class BenchFiles
{
    public static string Folder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("LOOPSIM_BENCH") is { Length: > 0 } fromEnv) return fromEnv;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LoopSim.sln")))
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench"));
            throw new DirectoryNotFoundException("cannot find ../shared/bench from the repository root; set LOOPSIM_BENCH");
        }
    }

    public static string SupplyChain => Path.Combine(Folder, "supplychain.xmile");
}
