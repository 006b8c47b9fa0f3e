using LoopSim.Experiments.MonteCarlo;
using SkiaSharp;

namespace LoopSim.Reports.Tests;

public class ChartWriterTests
{
    private static readonly string[] Cities = ["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu"];

    // More pixels of a colour than its legend swatch has: the line or area itself was drawn.
    private const int LinePixels = 1000, AreaPixels = 10_000;

    // The 25–75% band (45% opaque) lies over the 5–95% band (20% opaque).
    private const double InnerBandAlpha = 1 - (1 - 0.2) * (1 - 0.45);

    /// <summary>The PNG is 1600×900, not blank, and shows each of <paramref name="colors"/> (palette colours of lines or areas) on at least <paramref name="minimumPixels"/> pixels.</summary>
    private static void AssertSlide(string path, int minimumPixels, params ScottPlot.Color[] colors)
    {
        Png.Keep(path);
        Assert.Equal((1600, 900), Png.Size(path));
        using SKBitmap bitmap = Png.Decode(path);
        Assert.True(Png.LuminanceVariance(bitmap) > 100, $"{Path.GetFileName(path)} looks blank");
        foreach (ScottPlot.Color color in colors)
        {
            int count = Png.CountNear(bitmap, new SKColor(color.R, color.G, color.B));
            Assert.True(count >= minimumPixels, $"{Path.GetFileName(path)} has only {count} pixels of {color.ToHex()}");
        }
    }

    [Fact]
    public void Fan_chart_is_a_1600x900_png_in_the_city_colour()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("fan-engagement-shanghai.png");

        charts.Save(path, new FanChart("Engagement, Shanghai", "Shanghai", SampleData.Weeks, new Quantity("Engagement", "Active ÷ members"),
            SampleData.Logistic(0.6)));

        ScottPlot.Color city = charts.Options.Cities.ColorOf("Shanghai");
        AssertSlide(path, LinePixels, city);  // the median
        AssertSlide(path, AreaPixels, Blend(city, 0.2), Blend(city, InnerBandAlpha));  // the 5–95% and 25–75% bands
    }

    [Fact]
    public void Missing_values_leave_a_gap_instead_of_emptying_the_band()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("fan-with-nan.png");
        Band band = SampleData.Logistic(0.6);
        foreach (double[] values in new[] { band.P5, band.P25, band.P50, band.P75, band.P95 })
            values[0] = values[80] = double.NaN;  // e.g. engagement = Active ÷ members before anyone joined

        charts.Save(path, new FanChart("Engagement, Beijing", "Beijing", SampleData.Weeks, new Quantity("Engagement"), band));

        ScottPlot.Color city = charts.Options.Cities.ColorOf("Beijing");
        AssertSlide(path, LinePixels, city);
        AssertSlide(path, AreaPixels, Blend(city, 0.2), Blend(city, InnerBandAlpha));
    }

    [Fact]
    public void More_lines_than_colours_repeat_colours_dashed()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("twelve.png");
        double[] time = SampleData.Time();
        Series[] lines = Enumerable.Range(1, 12).Select(i => new Series($"L{i}", time, time.Select(t => i * t).ToArray())).ToArray();

        charts.Save(path, new LineChart("Twelve series", SampleData.Weeks, new Quantity("Value"), lines));

        AssertSlide(path, LinePixels, lines.Select(l => charts.Options.Series.ColorOf(l.Label)).Distinct().ToArray());
    }

    [Fact]
    public void Small_multiples_put_every_city_on_one_png()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("referrals-by-city.png");
        NamedBand[] bands = Cities.Select((c, i) => new NamedBand(c, SampleData.Logistic(20 + 8 * i, midpoint: 40 + 10 * i))).ToArray();

        charts.Save(path, new SmallMultiplesChart("Referrals per week by city", SampleData.Weeks,
            new Quantity("Referrals", "per week"), bands));

        AssertSlide(path, LinePixels, Cities.Select(charts.Options.Cities.ColorOf).ToArray());
        // The page is white around the panels (header, and the empty sixth cell of a 3×2 grid), and the title is drawn in black on it.
        using SKBitmap bitmap = Png.Decode(path);
        Assert.Equal(SKColors.White, bitmap.GetPixel(5, 5));
        Assert.Equal(SKColors.White, bitmap.GetPixel(bitmap.Width - 5, bitmap.Height - 5));
        int titleInk = 0;
        for (int y = 0; y < 60; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (Png.Luminance(bitmap.GetPixel(x, y)) < 60) titleInk++;
        Assert.True(titleInk > 200, $"only {titleInk} dark pixels in the title band");
    }

    [Fact]
    public void Composition_stacks_the_member_groups()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("members-shanghai.png");
        Series[] layers = SampleData.Members();

        charts.Save(path, new CompositionChart("Members by state, Shanghai (median run)", SampleData.Weeks, new Quantity("Members", "people"), layers));

        // The layers are drawn at 90% opacity over white.
        AssertSlide(path, AreaPixels, layers.Select(l => Blend(charts.Options.Series.ColorOf(l.Label), 0.9)).ToArray());
    }

    [Fact]
    public void Scenario_comparison_draws_each_scenario_median()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("compare-referrals-shanghai.png");
        NamedBand[] scenarios =
        [
            new("conventional", SampleData.Logistic(12, midpoint: 80)),
            new("commission-race", SampleData.Logistic(18, rate: 0.15, midpoint: 30)),
            new("alliance", SampleData.Logistic(30, midpoint: 70)),
        ];

        charts.Save(path, new ScenarioComparisonChart("Referrals per week, Shanghai", SampleData.Weeks, new Quantity("Referrals", "per week"), scenarios));

        AssertSlide(path, LinePixels, scenarios.Select(s => charts.Options.Scenarios.ColorOf(s.Name)).ToArray());
    }

    [Fact]
    public void Sweep_heatmap_puts_the_first_y_value_at_the_bottom()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("sweep-shanghai.png");
        double[] rates = [0.05, 0.10, 0.15, 0.20, 0.25, 0.30];
        double[] caps = [50, 100, 200, 400];
        var values = new double[caps.Length, rates.Length];
        for (int i = 0; i < caps.Length; i++)
            for (int j = 0; j < rates.Length; j++)
                values[i, j] = 3 + 40 * rates[j] * Math.Log2(caps[i] / 25);

        charts.Save(path, new SweepHeatmap("Referrals per week at week 104 (median), Shanghai",
            new Quantity("Commission rate", "share of deal value"), rates, new Quantity("Group size cap", "members"), caps,
            new Quantity("Referrals", "per week"), values));

        AssertSlide(path, 0);
        // Lowest value in the bottom-left cell (dark in viridis), highest in the top-right (bright).
        // Sample a quarter-cell away from the centre, clear of the printed value.
        using SKBitmap bitmap = Png.Decode(path);
        double bottomLeft = Png.Luminance(bitmap.GetPixel(250, 720));
        double topRight = Png.Luminance(bitmap.GetPixel(1180, 150));
        Assert.True(bottomLeft < 80, $"bottom-left cell luminance {bottomLeft}");
        Assert.True(topRight > 180, $"top-right cell luminance {topRight}");
        // The margin right of the colour bar's label is the page's white, not the transparent black ScottPlot cleared it to.
        for (int y = 0; y < bitmap.Height; y += 50)
            Assert.Equal(SKColors.White, bitmap.GetPixel(bitmap.Width - 5, y));
    }

    [Fact]
    public void Loop_scores_as_lines_and_stacked()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        Series[] loops = SampleData.LoopScores();
        ScottPlot.Color[] colors = loops.Select(l => charts.Options.Series.ColorOf(l.Label)).ToArray();

        charts.Save(folder.File("loops-lines.png"), new LoopScoreChart("Which loop drives engagement, Shanghai", SampleData.Weeks, loops));
        charts.Save(folder.File("loops-stacked.png"), new LoopScoreChart("Which loop drives engagement, Shanghai", SampleData.Weeks, loops, Stacked: true));

        AssertSlide(folder.File("loops-lines.png"), LinePixels, colors);
        AssertSlide(folder.File("loops-stacked.png"), AreaPixels, colors.Select(c => Blend(c, 0.9)).ToArray());
    }

    [Fact]
    public void Line_chart_of_several_series()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        string path = folder.File("simulate.png");
        Series[] series = SampleData.Members();

        charts.Save(path, new LineChart("Deterministic run", SampleData.Weeks, new Quantity("People"), series));

        AssertSlide(path, LinePixels, series.Select(s => charts.Options.Series.ColorOf(s.Label)).ToArray());
    }

    [Fact]
    public void The_size_comes_from_the_options()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter(new ChartOptions { Width = 800, Height = 450 });
        string path = folder.File("small.png");

        charts.Save(path, new LineChart("Small", SampleData.Weeks, new Quantity("People"), SampleData.Members()));

        Assert.Equal((800, 450), Png.Size(path));
    }

    [Fact]
    public void Bad_chart_input_is_an_error_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var charts = new ChartWriter();
        var q = new Quantity("x");

        Assert.Contains("empty", Assert.Throws<ArgumentException>(() =>
            charts.Save(folder.File("a.png"), new SweepHeatmap("t", q, [], q, [1], q, new double[1, 0]))).Message);
        Assert.Contains("2×2 but the grid is 2 member_cap × 3 commission_rate values", Assert.Throws<ArgumentException>(() =>
            charts.Save(folder.File("b.png"), new SweepHeatmap("t", new Quantity("commission_rate"), [1, 2, 3], new Quantity("member_cap"), [1, 2], q, new double[2, 2]))).Message);
        Assert.Contains("must share", Assert.Throws<ArgumentException>(() =>
            charts.Save(folder.File("c.png"), new CompositionChart("t", q, q, [new("A", [0, 1], [1, 1]), new("B", [0, 2], [1, 1])]))).Message);
        Assert.Throws<ArgumentException>(() => charts.Save(folder.File("d.png"), new LineChart("t", q, q, [])));

        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void A_cancelled_save_writes_nothing()
    {
        using var folder = new TempFolder();

        Assert.Throws<OperationCanceledException>(() => new ChartWriter().Save(folder.File("a.png"),
            new LineChart("t", SampleData.Weeks, new Quantity("People"), SampleData.Members()), new CancellationToken(canceled: true)));

        Assert.Empty(folder.Entries());
    }

    private static ScottPlot.Color Blend(ScottPlot.Color color, double alpha) => new(
        (byte)Math.Round(color.R * alpha + 255 * (1 - alpha)),
        (byte)Math.Round(color.G * alpha + 255 * (1 - alpha)),
        (byte)Math.Round(color.B * alpha + 255 * (1 - alpha)));
}

public class HeatmapTextTests
{
    [Theory]
    [InlineData(0.0, false)]   // dark purple: white text
    [InlineData(0.5, false)]   // teal: white text
    [InlineData(0.8, true)]    // green: black text
    [InlineData(0.96, true)]   // yellow: black text (HSL lightness would call it dark)
    public void CellTextContrastsWithTheViridisCell(double position, bool bright) =>
        Assert.Equal(bright, ChartWriter.PerceivedBrightness(new ScottPlot.Colormaps.Viridis().GetColor(position)) > 0.5);
}

public class ColorBarTickTests
{
    [Theory]
    [InlineData(0.0015, 0.0341, new[] { "0.005", "0.010", "0.015", "0.020", "0.025", "0.030" })]
    [InlineData(0.07, 13.7, new[] { "2", "4", "6", "8", "10", "12" })]
    [InlineData(0.32, 0.81, new[] { "0.4", "0.5", "0.6", "0.7", "0.8" })]
    public void Colour_bar_ticks_are_round_and_share_their_decimals(double low, double high, string[] labels)
    {
        Assert.Equal(labels, ChartWriter.ColorBarTicks(low, high).Select(t => t.Label));
    }
}
