using System.Text;
using System.Text.RegularExpressions;

namespace LoopSim.Engine.Tests.Diagnostics;

/// <summary>The table of codes is well-formed, and docs/diagnostics.md shows exactly it.</summary>
public sealed partial class DiagnosticCodesTests
{
    private const string Begin = "<!-- BEGIN CODES: generated from DiagnosticCodes.cs; regenerate with LOOPSIM_UPDATE_DOCS=1 and the test DiagnosticCodesTests -->";
    private const string End = "<!-- END CODES -->";

    [Fact]
    public void Every_code_is_unique_well_formed_and_in_its_area()
    {
        Assert.NotEmpty(DiagnosticCodes.All);
        Assert.Equal(DiagnosticCodes.All.Count, DiagnosticCodes.All.Select(c => c.Id).Distinct().Count());
        foreach (var code in DiagnosticCodes.All)
        {
            Assert.Matches(IdPattern(), code.Id);
            int number = int.Parse(code.Id[2..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Single(DiagnosticCodes.Areas, a => a.First <= number && number <= a.Last);
            Assert.False(string.IsNullOrWhiteSpace(code.Title), code.Id);
            Assert.EndsWith(".", code.Explanation);
        }
    }

    [Fact]
    public void Areas_do_not_overlap()
    {
        var areas = DiagnosticCodes.Areas.OrderBy(a => a.First).ToList();
        for (int i = 1; i < areas.Count; i++)
            Assert.True(areas[i].First > areas[i - 1].Last, $"{areas[i].Name} overlaps {areas[i - 1].Name}");
    }

    [Fact]
    public void A_diagnostic_prints_its_severity_code_place_variable_message_and_fix()
    {
        var d = new Diagnostic(DiagnosticCodes.DtNotPositive, "'dt' must be positive, not 0.", new Model.SourceLocation("m.yaml", 3, 7), "x",
            "A typical DT is 1/4 or 1/8 of the time unit.");
        Assert.Equal("error LS3002: m.yaml:3:7: variable 'x': 'dt' must be positive, not 0. A typical DT is 1/4 or 1/8 of the time unit.", d.Format());
    }

    [Fact]
    public void The_documentation_lists_every_code()
    {
        var path = Path.Combine(Repository.Root, "docs", "diagnostics.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        int begin = text.IndexOf(Begin, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{path} lacks the markers {Begin} … {End}");
        var updated = text[..(begin + Begin.Length)] + "\n" + Table() + text[end..];
        if (Environment.GetEnvironmentVariable("LOOPSIM_UPDATE_DOCS") == "1")
            File.WriteAllText(path, updated);
        Assert.True(updated == text, "docs/diagnostics.md is out of date: run LOOPSIM_UPDATE_DOCS=1 dotnet test --filter DiagnosticCodesTests");
    }

    /// <summary>The ranges, then one row per code.</summary>
    private static string Table()
    {
        var md = new StringBuilder();
        md.Append("\n| codes | area |\n|---|---|\n");
        foreach (var area in DiagnosticCodes.Areas)
            md.Append($"| LS{area.First}–LS{area.Last} | {Cell(area.Name)} |\n");
        md.Append("\n| code | severity | title | explanation |\n|---|---|---|---|\n");
        foreach (var code in DiagnosticCodes.All)
            md.Append($"| {code.Id} | {code.Severity.ToString().ToLowerInvariant()} | {Cell(code.Title)} | {Cell(code.Explanation)} |\n");
        return md.Append('\n').ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("<", "&lt;").Replace(">", "&gt;");

    [GeneratedRegex(@"^LS\d{4}$")]
    private static partial Regex IdPattern();
}
