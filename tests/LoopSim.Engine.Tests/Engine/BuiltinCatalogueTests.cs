using System.Text;
using System.Text.RegularExpressions;
using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>
/// The builtin catalogue is the one place that knows a builtin: the README's table is generated from it, and no
/// other stage dispatches on a builtin's name (the readers may use the same words for XML attributes and YAML keys).
/// </summary>
public class BuiltinCatalogueTests
{
    [Fact]
    public void The_README_table_is_the_catalogue()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");
        var table = Table();
        Assert.True(readme.Contains(table, StringComparison.Ordinal), "README.md must hold this table of builtins:\n" + table);
    }

    /// <summary>The README's table of builtins, one row per catalogue entry.</summary>
    private static string Table()
    {
        var sb = new StringBuilder("| builtin | Vensim dialect also | kind | meaning |\n|---|---|---|---|\n");
        foreach (var b in BuiltinCatalogue.All)
        {
            var vensim = string.Join(", ", b.VensimNames.Where(n => n != b.Name).Select(n => $"`{n}`"));
            sb.Append($"| `{b.Name}` | {vensim} | {Kind(b.Kind)} | {b.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }
        return sb.ToString();
    }

    private static string Kind(BuiltinKind kind) => kind switch
    {
        BuiltinKind.Function => "function",
        BuiltinKind.Clock => "clock",
        BuiltinKind.StartValue => "start value",
        BuiltinKind.GraphicalFunction => "graphical function",
        BuiltinKind.HiddenStocks => "hidden stocks",
        BuiltinKind.HistoryBuffer => "history buffer",
        _ => "random, once per DT",
    };

    [Fact]
    public void No_engine_file_outside_the_catalogue_names_a_builtin()
    {
        var engine = Path.Combine(Repository.Root, "src", "LoopSim.Engine");
        // A dispatch on a name: case "smth1", "smth1" =>, == "smth1", is "smth1" (or any spelling of any builtin).
        var names = string.Join("|", BuiltinCatalogue.All.SelectMany(b => b.XmileNames.Concat(b.VensimNames))
            .SelectMany(n => new[] { n, Names.Canonical(n) }).Distinct().Select(Regex.Escape));
        var pattern = new Regex($@"(case\s+|==\s*|\bis\s+)""({names})""|""({names})""\s*(=>|==)", RegexOptions.IgnoreCase);
        var offenders = Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "Builtins" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "Formats" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => pattern.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(engine, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "builtin names outside Builtins/:\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("SMTH1", Dialect.Xmile, "SMTH1")]
    [InlineData("smooth", Dialect.Vensim, "SMTH1")]
    [InlineData("INTEGER", Dialect.Vensim, "INT")]
    [InlineData("MODULO", Dialect.Vensim, "MOD")]
    [InlineData("DELAY FIXED", Dialect.Vensim, "DELAY FIXED")]
    [InlineData("ACTIVE INITIAL", Dialect.Vensim, "ACTIVE INITIAL")]
    [InlineData("sample if true", Dialect.Vensim, "SAMPLE IF TRUE")]
    [InlineData("INT", Dialect.Vensim, "INT")]
    public void Names_resolve_per_dialect(string name, Dialect dialect, string entry) =>
        Assert.Equal(entry, BuiltinCatalogue.Find(Names.Canonical(name), dialect)?.Name);

    [Theory]
    [InlineData("SMOOTH")]
    [InlineData("INTEGER")]
    [InlineData("DELAY FIXED")]
    [InlineData("ACTIVE INITIAL")]
    [InlineData("SAMPLE IF TRUE")]
    public void Vensim_names_are_not_XMILE_builtins(string name) => Assert.Null(BuiltinCatalogue.Find(Names.Canonical(name), Dialect.Xmile));
}
