using System.Text;
using SkiaSharp;

namespace LoopSim.Reports;

/// <summary>
/// Picks the chart typeface. ScottPlot draws each label in one typeface with no per-glyph
/// fallback, so Chinese city names need a typeface that has both Latin and CJK glyphs:
/// WenQuanYi Micro Hei (Debian fonts-wqy-microhei) when installed, else a plain sans font.
/// </summary>
public static class ChartFonts
{
    public const string CjkFamily = "WenQuanYi Micro Hei";

    /// <summary>In order of preference; the first installed one is used.</summary>
    public static IReadOnlyList<string> Preferred { get; } = [CjkFamily, "DejaVu Sans", "Liberation Sans"];

    public static bool IsInstalled(string family) =>
        SKFontManager.Default.FontFamilies.Any(f => string.Equals(f, family, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The first installed family of <see cref="Preferred"/>, else ScottPlot's sans default; looked up once a process, as
    /// listing the installed fonts reads all of them (40–60 ms): a command can start it early, on another thread.
    /// </summary>
    public static string Choose() => Chosen.Value;

    private static readonly Lazy<string> Chosen = new(() => Choose(IsInstalled));

    internal static string Choose(Func<string, bool> isInstalled) => Preferred.FirstOrDefault(isInstalled) ?? ScottPlot.Fonts.Sans;

    /// <summary>The distinct characters of <paramref name="text"/> that <paramref name="family"/> has no glyph for (they would render as boxes).</summary>
    public static string MissingGlyphs(string family, string text)
    {
        using SKTypeface typeface = SKTypeface.FromFamilyName(family);
        var missing = new StringBuilder();
        var seen = new HashSet<int>();
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || !seen.Add(rune.Value))
                continue;
            if (!typeface.ContainsGlyph(rune.Value))
                missing.Append(rune.ToString());
        }
        return missing.ToString();
    }
}
