namespace LoopSim.Reports.Tests;

/// <summary>Runs only when WenQuanYi Micro Hei is installed (CI installs it), else skips saying why.</summary>
public sealed class CjkFontFactAttribute : FactAttribute
{
    public CjkFontFactAttribute()
    {
        if (!ChartFonts.IsInstalled(ChartFonts.CjkFamily))
            Skip = $"{ChartFonts.CjkFamily} is not installed (Debian: apt-get install fonts-wqy-microhei), so CJK rendering cannot be checked.";
    }
}

/// <summary>Runs only when a sans font without CJK glyphs is installed, to check the missing-glyph warning.</summary>
public sealed class NonCjkFontFactAttribute : FactAttribute
{
    public NonCjkFontFactAttribute()
    {
        if (Family is null)
            Skip = "Neither DejaVu Sans nor Liberation Sans is installed, so there is no font without CJK glyphs to warn about.";
    }

    /// <summary>An installed Latin-only sans family, or null.</summary>
    public static string? Family { get; } = new[] { "DejaVu Sans", "Liberation Sans" }
        .FirstOrDefault(f => ChartFonts.IsInstalled(f) && ChartFonts.MissingGlyphs(f, "上海") == "上海");
}
