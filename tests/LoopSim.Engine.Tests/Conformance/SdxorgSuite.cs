namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// The SDXorg test-models suite: found at $LOOPSIM_TEST_MODELS, else at ../shared/sd-test-models
/// next to the repository root (the folder holding LoopSim.sln). Never copied into the project.
/// </summary>
public static class SdxorgSuite
{
    /// <summary>The suite's folder, or null when it is not on this machine.</summary>
    public static string? Folder { get; } = Find();

    /// <summary>The suite's folder; a test that runs without it (under CI) fails with the reason.</summary>
    public static string RequiredFolder => Folder ?? throw new InvalidOperationException(MissingReason);

    public static string MissingReason =>
        "SDXorg test models not found: set LOOPSIM_TEST_MODELS or put the suite at ../shared/sd-test-models next to the repository root.";

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LOOPSIM_TEST_MODELS");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return File.Exists(Path.Combine(fromEnvironment, "XMILE-MANIFEST.tsv")) ? Path.GetFullPath(fromEnvironment) : null;
        return Repository.Shared("sd-test-models", "XMILE-MANIFEST.tsv");
    }

    /// <summary>One row of XMILE-MANIFEST.tsv.</summary>
    public sealed record Entry(string Folder, string ModelFile, string OutputFile, int Tier, string Status, string Notes)
    {
        /// <summary>"tests/abs/test_abs.xmile": the id a test case is named by.</summary>
        public string Id => Folder + "/" + ModelFile;
        public string ModelPath => Path.Combine(SdxorgSuite.RequiredFolder, Folder, ModelFile);
    }

    public static IReadOnlyList<Entry> Manifest()
    {
        var lines = File.ReadAllLines(Path.Combine(RequiredFolder, "XMILE-MANIFEST.tsv"));
        var header = lines[0].Split('\t').ToList();
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new InvalidDataException($"XMILE-MANIFEST.tsv has no column '{name}'");
        int folder = Column("folder"), model = Column("model_file"), output = Column("output_file"),
            tier = Column("tier"), status = Column("status"), notes = Column("notes");
        return lines.Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.Split('\t'))
            .Select(f => new Entry(f[folder], f[model], f[output], int.Parse(f[tier]), f[status], f.Length > notes ? f[notes] : ""))
            .ToList();
    }

    /// <summary>The modules sample: the one tier-3 folder the conformance run includes.</summary>
    public const string ModulesSample = "samples/bpowers-hares_and_lynxes_modules";

    /// <summary>
    /// Tiers 1 and 2 (the arrayed models) with status ok or caveat, plus the modules sample; the broken files (ABOUT.md)
    /// are left out.
    /// </summary>
    public static IReadOnlyList<Entry> ConformanceModels() =>
        Manifest().Where(e => e.Status is "ok" or "caveat" && (e.Tier is 1 or 2 || e.Folder == ModulesSample)).ToList();

    /// <summary>
    /// LoopSim's status for every model of the manifest: "pass" for the conformance models; "skip" with the missing
    /// feature for usable files LoopSim cannot run yet; "unusable" with the manifest's note for the files it marks broken.
    /// </summary>
    public static (string Status, string Reason) Status(Entry entry) => entry switch
    {
        { Status: "broken" } => ("unusable", entry.Notes),
        _ when ConformanceModels().Contains(entry) => ("pass", ""),
        _ => ("skip", "not in the conformance run"),
    };

    /// <summary>Theory data: the id of each conformance model (empty when the suite is absent: the theory is skipped then, or fails under CI).</summary>
    public static IEnumerable<object[]> ConformanceCases() =>
        Folder is null ? [] : ConformanceModels().Select(e => new object[] { e.Id });

    public static Entry ById(string id) => Manifest().Single(e => e.Id == id);

    /// <summary>The expected output to compare with: ABOUT.md says tests/active_initial's output.tab is Vensim's ACTIVE INITIAL; the XMILE matches Stella's run.</summary>
    public static string ExpectedOutputPath(Entry entry) =>
        Path.Combine(RequiredFolder, entry.Folder, entry.Folder == "tests/active_initial" ? "output_stella.csv" : entry.OutputFile);
}

/// <summary>A fact that is skipped, with the reason, when the SDXorg suite is not on this machine (and fails then under CI).</summary>
public sealed class SuiteFactAttribute : FactAttribute
{
    public SuiteFactAttribute()
    {
        if (SdxorgSuite.Folder is null && !Repository.SharedRequired) Skip = SdxorgSuite.MissingReason;
    }
}

/// <summary>A theory that is skipped, with the reason, when the SDXorg suite is not on this machine (and fails then under CI).</summary>
public sealed class SuiteTheoryAttribute : TheoryAttribute
{
    public SuiteTheoryAttribute()
    {
        if (SdxorgSuite.Folder is null && !Repository.SharedRequired) Skip = SdxorgSuite.MissingReason;
    }
}
