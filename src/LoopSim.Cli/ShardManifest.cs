using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoopSim.Engine.Model;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// <c>shard.json</c>, the last file a shard writes into its folder: which experiment (verb, scenario and its hash,
/// seed, runs, cities, sweep), which shard of how many, and the store files with their sizes. <c>loopsim merge</c>
/// reads it to refuse shards of different experiments, missing or repeated shards and partly written folders.
/// </summary>
internal sealed record ShardManifest
{
    public const string FileName = "shard.json";
    // 2: a sweep's fields became Params and Metrics, shared with sensitivity.
    private const int CurrentFormat = 2;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public int Format { get; init; } = CurrentFormat;
    /// <summary>"run", "sweep" or "sensitivity".</summary>
    public required string Verb { get; init; }
    /// <summary>The scenario file's full path, which merge loads again.</summary>
    public required string Scenario { get; init; }
    /// <summary><see cref="Hash"/> of the scenario when the shard ran.</summary>
    public required string ScenarioHash { get; init; }
    public required ulong Seed { get; init; }
    public required int Runs { get; init; }
    public required IReadOnlyList<string> Cities { get; init; }
    /// <summary>A sweep's or sensitivity analysis's --param and --metric values as given (empty: the scenario's defaults).</summary>
    public IReadOnlyList<string> Params { get; init; } = [];
    public IReadOnlyList<string> Metrics { get; init; } = [];
    /// <summary>A sensitivity analysis's settings, which with the seed fix its design (unused by run and sweep).</summary>
    public string Method { get; init; } = "";
    public int Samples { get; init; }
    public int Levels { get; init; }
    public int Resamples { get; init; }
    public required int Shard { get; init; }
    public required int Shards { get; init; }
    /// <summary>Every store file, relative to the folder, with its size in bytes.</summary>
    public required IReadOnlyDictionary<string, long> Files { get; init; }

    /// <summary>What makes two shards parts of the same experiment.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Experiment => $"{Verb}|{ScenarioHash}|{Seed}|{Runs}|{string.Join(",", Cities)}|{string.Join(",", Params)}|{string.Join(",", Metrics)}|{Method}|{Samples}|{Levels}|{Resamples}|{Shards}";

    /// <summary>Writes the manifest into <paramref name="folder"/> (its staging copy); call it after every store is complete.</summary>
    public void Save(OutputFolder folder, CancellationToken cancel) =>
        AtomicFile.Write(folder.PathFor(FileName), stream => JsonSerializer.Serialize(stream, this, Json), cancel);

    /// <summary>Reads the manifest of the shard folder <paramref name="folder"/> and checks that every file it lists is there, whole.</summary>
    public static ShardManifest Read(string folder)
    {
        if (!Directory.Exists(folder))
            throw new ModelException(DiagnosticCodes.ShardSetIncomplete, $"shard folder '{folder}' not found.", hint: "Give the --output folders of the shard runs.");
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new ModelException(DiagnosticCodes.ShardDamaged, $"'{folder}' is not a complete shard folder: it has no {FileName} (a shard writes it last).",
                hint: "Run that shard again with --shard I/N, or check that the folder was copied completely.");
        ShardManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new ModelException(DiagnosticCodes.ShardDamaged, $"'{path}' cannot be read: {e.Message}", hint: "Run that shard again; the file was damaged.");
        }
        if (manifest is null || manifest.Format != CurrentFormat)
            throw new ModelException(DiagnosticCodes.ShardsOfDifferentExperiments, $"'{path}' is not a shard manifest of this LoopSim (format {manifest?.Format}, expected {CurrentFormat}).",
                hint: "Run every shard and the merge with the same LoopSim version.");
        foreach (var (file, bytes) in manifest.Files)
        {
            var info = new FileInfo(Path.Combine(folder, file));
            if (!info.Exists || info.Length != bytes)
                throw new ModelException(DiagnosticCodes.ShardDamaged, $"shard folder '{folder}' is partly written: '{file}' {(info.Exists ? $"has {info.Length} bytes, not {bytes}" : "is missing")}.",
                    hint: "Run that shard again, or copy its folder completely.");
        }
        return manifest;
    }

    /// <summary>
    /// The manifests of every shard folder, in shard order, after checking that they are the shards 0 … N−1 of one
    /// experiment, each once, and that the scenario still reads as it did.
    /// </summary>
    public static IReadOnlyList<(string Folder, ShardManifest Manifest)> ReadAll(IReadOnlyList<string> folders)
    {
        if (folders.Count == 0)
            throw new ModelException(DiagnosticCodes.ShardSetIncomplete, "merge: no shard folders given.", hint: "Give the --output folder of every shard: loopsim merge out/shard-0 out/shard-1 ... --output out/merged.");
        var shards = folders.Select(f => (Folder: f, Manifest: Read(f))).ToList();
        var (firstFolder, first) = shards[0];
        foreach (var (folder, m) in shards.Skip(1))
        {
            if (m.Experiment == first.Experiment) continue;
            var differs = m.Verb != first.Verb ? $"'{m.Verb}' against '{first.Verb}'"
                : m.ScenarioHash != first.ScenarioHash ? $"scenario {m.Scenario} (hash {m.ScenarioHash[..12]}) against {first.Scenario} (hash {first.ScenarioHash[..12]})"
                : m.Seed != first.Seed ? $"seed {m.Seed} against {first.Seed}"
                : m.Runs != first.Runs ? $"{m.Runs} runs against {first.Runs}"
                : m.Shards != first.Shards ? $"{m.Shards} shards against {first.Shards}"
                : !m.Cities.SequenceEqual(first.Cities) ? $"cities {string.Join(", ", m.Cities)} against {string.Join(", ", first.Cities)}"
                : "different --param, --metric or analysis settings";
            throw new ModelException(DiagnosticCodes.ShardsOfDifferentExperiments, $"shard folders '{folder}' and '{firstFolder}' are of different experiments: {differs}.",
                hint: "Merge the shards of one experiment: the same scenario, seed, runs, cities and number of shards.");
        }
        var byIndex = new string?[first.Shards];
        foreach (var (folder, m) in shards)
        {
            if (m.Shard < 0 || m.Shard >= first.Shards)
                throw new ModelException(DiagnosticCodes.ShardDamaged, $"shard folder '{folder}' says it is shard {m.Shard} of {m.Shards}.", hint: "Run that shard again.");
            if (byIndex[m.Shard] is { } other)
                throw new ModelException(DiagnosticCodes.ShardSetIncomplete, $"shard {m.Shard}/{first.Shards} is given twice: '{other}' and '{folder}'.", hint: "Give each shard folder once.");
            byIndex[m.Shard] = folder;
        }
        var missing = Enumerable.Range(0, first.Shards).Where(i => byIndex[i] is null).ToList();
        if (missing.Count > 0)
            throw new ModelException(DiagnosticCodes.ShardSetIncomplete, $"merge: {(missing.Count == 1 ? "shard" : "shards")} {string.Join(", ", missing.Select(i => $"{i}/{first.Shards}"))} missing.",
                hint: "Wait for every shard to finish, then give all their folders.");
        return shards.OrderBy(s => s.Manifest.Shard).ToList();
    }

    /// <summary>
    /// SHA-256 of what the numbers depend on besides seed and runs: the scenario file, the model file, and every
    /// chosen city's name and values (which may come from a cities file).
    /// </summary>
    public static string Hash(ScenarioPlan plan)
    {
        var text = new StringBuilder();
        text.Append(File.ReadAllText(plan.Scenario.Source.Path!)).Append('\0').Append(File.ReadAllText(plan.Scenario.ModelPath)).Append('\0');
        foreach (var city in plan.Cities)
        {
            text.Append(city.City.Name).Append('\0');
            foreach (var (name, value) in city.Setup.CityParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append(name).Append('=').Append(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\0');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The store file of one city (and sweep point) in a shard folder.</summary>
    public static string StoreFile(string city, int? point = null) =>
        Path.Combine("runs", point is { } p ? $"{Output.Slug(city)}-{p}.runs" : $"{Output.Slug(city)}.runs");

    /// <summary>The shard settings a merge runs the scenario with.</summary>
    public ExperimentSettings Settings(int threads) => new(Runs, Seed, threads, Deterministic: false, Cities);

    /// <summary>The shard's slice, for messages: "runs 285–427 of 1,000".</summary>
    public static string Describe(Shard shard, int runs)
    {
        var (first, count) = shard.Slice(runs);
        return count == 0 ? $"no runs (of {Output.Count(runs, "run", "runs")})" : $"runs {first}–{first + count - 1} of {NumberFormat(runs)}";
    }

    private static string NumberFormat(long n) => Reports.NumberFormat.Readable(n);
}
