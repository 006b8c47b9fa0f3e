using SkiaSharp;

namespace LoopSim.Reports.Tests;

public class ChartFontTests
{
    private const string ChineseCities = "上海北京深圳杭州成都";

    [Fact]
    public void Choose_takes_the_first_installed_preferred_family()
    {
        Assert.Equal(ChartFonts.CjkFamily, ChartFonts.Choose(_ => true));
        Assert.Equal("Liberation Sans", ChartFonts.Choose(f => f == "Liberation Sans"));
        Assert.Equal("DejaVu Sans", ChartFonts.Choose(f => f is "DejaVu Sans" or "Liberation Sans"));
        Assert.Equal(ScottPlot.Fonts.Sans, ChartFonts.Choose(_ => false));
    }

    [CjkFontFact]
    public void With_WenQuanYi_installed_charts_use_it_and_it_has_the_city_glyphs()
    {
        Assert.Equal(ChartFonts.CjkFamily, new ChartWriter().FontFamily);
        Assert.Equal("", ChartFonts.MissingGlyphs(ChartFonts.CjkFamily, ChineseCities + " Shanghai 0.25"));
    }

    [CjkFontFact]
    public void Chinese_characters_render_as_distinct_glyphs_not_boxes()
    {
        // Missing glyphs all draw the same box (or nothing): two different characters drawn alike are tofu.
        using SKTypeface typeface = SKTypeface.FromFamilyName(ChartFonts.CjkFamily);
        Assert.Equal(ChartFonts.CjkFamily, typeface.FamilyName);

        byte[] shang = Draw(typeface, "上"), hai = Draw(typeface, "海"), missing = Draw(typeface, "\uE000");

        Assert.True(Inked(shang) > 20, "上 drew nothing");
        Assert.True(Inked(hai) > 20, "海 drew nothing");
        Assert.NotEqual(shang, hai);
        Assert.NotEqual(missing, shang);
        Assert.NotEqual(missing, hai);
    }

    [CjkFontFact]
    public void A_chart_with_Chinese_city_names_draws_without_a_warning()
    {
        using var folder = new TempFolder();
        var warnings = new List<string>();
        var charts = new ChartWriter(warn: warnings.Add);
        string path = folder.File("cities-zh.png");
        NamedBand[] cities = new[] { "上海", "北京", "深圳", "杭州", "成都" }.Select((c, i) => new NamedBand(c, SampleData.Logistic(0.4 + 0.05 * i))).ToArray();

        charts.Save(path, new SmallMultiplesChart("参与度 Engagement", SampleData.Weeks, new Quantity("活跃成员占比", "share"), cities));

        Png.Keep(path);
        Assert.Empty(warnings);
        Assert.Equal((1600, 900), Png.Size(path));
    }

    [NonCjkFontFact]
    public void Without_a_CJK_font_charts_still_render_and_warn_once()
    {
        using var folder = new TempFolder();
        var warnings = new System.Collections.Concurrent.ConcurrentBag<string>();
        var charts = new ChartWriter(new ChartOptions { FontFamily = NonCjkFontFactAttribute.Family }, warnings.Add);

        Parallel.For(0, 6, i => charts.Save(folder.File($"fan-{i}.png"),
            new FanChart($"参与度 {i}", "上海", SampleData.Weeks, new Quantity("Engagement"), SampleData.Logistic(0.6))));
        charts.Save(folder.File("later.png"), new LineChart("北京", SampleData.Weeks, new Quantity("People"), SampleData.Members()));

        string warning = Assert.Single(warnings);
        Assert.Contains(NonCjkFontFactAttribute.Family!, warning);
        Assert.Contains("上海", warning);
        Assert.Contains("fonts-wqy-microhei", warning);
        for (int i = 0; i < 6; i++)
        {
            using SKBitmap bitmap = Png.Decode(folder.File($"fan-{i}.png"));
            Assert.True(Png.LuminanceVariance(bitmap) > 100);
        }
    }

    [NonCjkFontFact]
    public void Latin_labels_in_a_Latin_font_give_no_warning()
    {
        using var folder = new TempFolder();
        var warnings = new List<string>();
        var charts = new ChartWriter(new ChartOptions { FontFamily = NonCjkFontFactAttribute.Family }, warnings.Add);

        charts.Save(folder.File("fan.png"), new FanChart("Engagement – Shanghai (±5–95%)", "Shanghai", SampleData.Weeks,
            new Quantity("Engagement", "Active ÷ members"), SampleData.Logistic(0.6)));

        Assert.Empty(warnings);
    }

    private static byte[] Draw(SKTypeface typeface, string text)
    {
        using var bitmap = new SKBitmap(64, 64);
        using (var canvas = new SKCanvas(bitmap))
        using (var font = new SKFont(typeface, 48))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText(text, 4, 52, font, paint);
        }
        return bitmap.Bytes;
    }

    private static int Inked(byte[] bgra) => Enumerable.Range(0, bgra.Length / 4).Count(i => bgra[4 * i] < 128);
}
