namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// The Vensim .mdl models of the SDXorg suite that have an expected output, as PySD's integration tests count them,
/// with LoopSim's status for each (mdl-status.tsv beside this file): "pass", or "skip" and the missing feature.
/// </summary>
public static class MdlSuite
{
    /// <summary>One .mdl model: "tests/abs/test_abs.mdl", its expected output, its status, and the data files its run reads (--data).</summary>
    public sealed record Entry(string Id, string OutputFile, string Status, string Reason, double Absolute = OutputComparison.Absolute, IReadOnlyList<string>? Data = null)
    {
        public string ModelPath => Path.Combine(SdxorgSuite.RequiredFolder, Id);
        /// <summary>The model's data files (beside it), as `--data` gives them.</summary>
        public IReadOnlyList<string> DataPaths => (Data ?? []).Select(d => Path.Combine(SdxorgSuite.RequiredFolder, Path.GetDirectoryName(Id)!, d)).ToList();
        public string OutputPath => Path.Combine(SdxorgSuite.RequiredFolder, Path.GetDirectoryName(Id)!, OutputFile);
        public bool ExpectedToPass => Status == "pass";
    }

    /// <summary>
    /// Every .mdl file of the suite whose folder has an expected output (output.tab, else output.csv), in path order.
    /// The status table must name each of them: a model missing from it, or listed but absent, fails the listing test.
    /// </summary>
    public static IReadOnlyList<Entry> Models()
    {
        var status = StatusTable();
        var root = SdxorgSuite.RequiredFolder;
        var result = new List<Entry>();
        foreach (var path in Directory.EnumerateFiles(root, "*.mdl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetDirectoryName(path)!;
            var output = new[] { "output.tab", "output.csv" }.FirstOrDefault(o => File.Exists(Path.Combine(folder, o)));
            if (output is null) continue;
            var id = Path.GetRelativePath(root, path).Replace('\\', '/');
            var (s, reason, absolute, data) = status.TryGetValue(id, out var row) ? row : ("unlisted", "not in mdl-status.tsv", OutputComparison.Absolute, []);
            result.Add(new Entry(id, output, s, reason, absolute, data));
        }
        return result;
    }

    /// <summary>
    /// mdl-status.tsv: model id, status (pass, skip, unusable), reason, optionally an absolute tolerance other than
    /// 1e-6 (for an output printed with fewer digits; the reason says so), and optionally the data files beside the
    /// model that feed its data variables (comma-separated, as --data gives them).
    /// </summary>
    public static Dictionary<string, (string Status, string Reason, double Absolute, IReadOnlyList<string> Data)> StatusTable()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Conformance", "mdl-status.tsv");
        var table = new Dictionary<string, (string, string, double, IReadOnlyList<string>)>();
        foreach (var line in File.ReadAllLines(path).Skip(1).Where(l => l.Trim().Length > 0 && !l.StartsWith('#')))
        {
            var fields = line.Split('\t');
            var absolute = fields.Length > 3 && fields[3].Length > 0
                ? double.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture) : OutputComparison.Absolute;
            IReadOnlyList<string> data = fields.Length > 4 ? fields[4].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            table[fields[0]] = (fields[1], fields.Length > 2 ? fields[2] : "", absolute, data);
        }
        return table;
    }

    public static IEnumerable<object[]> Cases() =>
        SdxorgSuite.Folder is null ? [] : Models().Select(e => new object[] { e.Id });

    public static Entry ById(string id) => Models().Single(e => e.Id == id);
}
