using LoopSim.Experiments.MonteCarlo;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace LoopSim.Reports;

/// <summary>
/// Renders LoopSim's charts to PNG files for slides: large sans-serif labels, title, axis labels
/// with units, the legend outside the data, colours keyed by name. Every file is written
/// completely or not at all. Safe to use from several threads.
/// </summary>
public sealed partial class ChartWriter
{
    // Font sizes in pixels at FontScale 1: readable from the back of a room on a 1600×900 slide.
    private const float TitleSize = 40, SubtitleSize = 26, AxisLabelSize = 30, TickSize = 24, LegendSize = 26, CellTextSize = 26;

    private readonly ChartOptions _options;
    private readonly Action<string>? _warn;
    private int _warned;

    /// <param name="options">Size, font, palettes; null for the defaults.</param>
    /// <param name="warn">
    /// Told once, the first time a label has characters the chosen font cannot draw (Chinese
    /// city names without a CJK font installed); the chart is still written, with boxes for them.
    /// </param>
    public ChartWriter(ChartOptions? options = null, Action<string>? warn = null)
    {
        _options = options ?? new ChartOptions();
        if (_options.Width < 200 || _options.Height < 150)
            throw new ArgumentException($"Charts must be at least 200×150 pixels, not {_options.Width}×{_options.Height}.", nameof(options));
        FontFamily = _options.FontFamily ?? ChartFonts.Choose();
        _warn = warn;
    }

    /// <summary>The font family every label is drawn in.</summary>
    public string FontFamily { get; }

    public ChartOptions Options => _options;

    public void Save(string path, FanChart chart, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, SmallMultiplesChart chart, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, CompositionChart chart, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, ScenarioComparisonChart chart, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, SweepHeatmap chart, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, LoopScoreChart chart, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, LineChart chart, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    private void Render(FanChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        CheckGlyphs([chart.Title, chart.City, chart.Time.Label, chart.Value.Label]);
        using var plot = NewPlot();
        AddFan(plot, chart.Band, _options.Cities.ColorOf(chart.City), withLegend: true);
        Style(plot, chart.Title, chart.Time, chart.Value);
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void Render(SmallMultiplesChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Cities, "cities");
        CheckGlyphs([chart.Title, chart.Time.Label, chart.Value.Label, .. chart.Cities.Select(c => c.Name)]);

        int count = chart.Cities.Count;
        int rows = Math.Max(1, (int)Math.Round(Math.Sqrt(count / (16.0 / 9.0))));
        int columns = (count + rows - 1) / rows;
        float scale = Math.Clamp(1.6f / MathF.Max(rows, columns * 0.75f), 0.55f, 1f);

        var plots = new List<Plot>();
        try
        {
            foreach (NamedBand city in chart.Cities)
            {
                var plot = NewPlot();
                plots.Add(plot);
                double[] x = city.Band.Time;
                bool logX = chart.SweptX && x.Length > 2 && x.Min() > 0 && x.Max() / x.Min() >= 8;
                Band band = logX ? new Band(x.Select(Math.Log10).ToArray(), city.Band.Mean, city.Band.P5, city.Band.P25, city.Band.P50, city.Band.P75, city.Band.P95)
                    : city.Band;
                AddFan(plot, band, _options.Cities.ColorOf(city.Name), withLegend: false);
                Style(plot, city.Name, chart.Time, new Quantity(""), scale);
                if (chart.SweptX)
                {
                    plot.Axes.Bottom.TickGenerator = PointTicks(x, logX, chart.Time.Percent);
                    var markers = plot.Add.ScatterPoints(band.Time, band.P50, _options.Cities.ColorOf(city.Name));
                    markers.MarkerSize = 14;
                    (double left, double right) = (band.Time.Min(), band.Time.Max());
                    plot.Axes.SetLimitsX(left - (right - left) * 0.05, right + (right - left) * 0.05);
                }
            }
            if (chart.SharedYAxis)
            {
                (double low, double high) = Span(chart.Cities.SelectMany(c => c.Band.P5.Concat(c.Band.P95)));
                double pad = (high - low) * 0.05;
                foreach (Plot plot in plots)
                    plot.Axes.SetLimitsY(low - pad, high + pad);
            }
            string subtitle = $"{chart.Value.Label} · line: median · dark band: 25–75% · light band: 5–95% of runs";
            RenderWithHeader(png, chart.Title, subtitle, (canvas, area) =>
            {
                // The cells of ScottPlot's Multiplot grid, row by row. Multiplot itself clears the whole canvas to transparent
                // first (black in the PNG), so it needed a surface of its own, drawn on the page afterwards: a fifth of the page's time.
                for (int i = 0; i < plots.Count; i++)
                {
                    var cell = new FractionRect((double)(i % columns) / columns, (double)(i / columns) / rows, 1.0 / columns, 1.0 / rows);
                    plots[i].Render(canvas, cell.GetPixelRect(area.Width, area.Height).WithPan(area.Left, area.Top));
                }
            });
        }
        finally
        {
            foreach (Plot plot in plots)
                plot.Dispose();
        }
    }

    private void Render(CompositionChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Layers, "layers");
        double[] x = chart.Layers[0].X;
        foreach (Series layer in chart.Layers)
        {
            if (!layer.X.AsSpan().SequenceEqual(x))
                throw new ArgumentException($"Layer '{layer.Label}' has other x values than '{chart.Layers[0].Label}'; stacked layers must share them.");
        }
        CheckGlyphs([chart.Title, chart.Time.Label, chart.Value.Label, .. chart.Layers.Select(l => l.Label)]);

        using var plot = NewPlot();
        var legend = new List<LegendItem>();
        double[] lower = new double[x.Length];
        foreach (Series layer in chart.Layers)
        {
            double[] upper = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
                upper[i] = lower[i] + layer.Y[i];
            Color color = _options.Series.ColorOf(layer.Label).WithAlpha(0.9);
            AddArea(plot, x, lower, upper, color);
            legend.Insert(0, new LegendItem { LabelText = layer.Label, FillColor = color });  // top layer first, as stacked
            lower = upper;
        }
        Style(plot, chart.Title, chart.Time, chart.Value);
        plot.Axes.SetLimitsY(0, MaxOrOne(lower) * 1.05);
        plot.Legend.ManualItems.AddRange(legend);
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void Render(ScenarioComparisonChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Scenarios, "scenarios");
        CheckGlyphs([chart.Title, chart.Time.Label, chart.Value.Label, .. chart.Scenarios.Select(s => s.Name)]);

        using var plot = NewPlot();
        if (chart.ShowBands)
        {
            foreach (NamedBand scenario in chart.Scenarios)
                AddArea(plot, scenario.Band.Time, scenario.Band.P25, scenario.Band.P75, _options.Scenarios.ColorOf(scenario.Name).WithAlpha(0.2));
        }
        var used = new HashSet<Color>();
        foreach (NamedBand scenario in chart.Scenarios)
            AddLine(plot, scenario.Band.Time, scenario.Band.P50, _options.Scenarios.ColorOf(scenario.Name), scenario.Name, used);
        Style(plot, chart.Title, chart.Time, chart.Value);
        if (chart.ShowBands)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "band: 25–75%", FillColor = Colors.Gray.WithAlpha(0.3) });
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void Render(SweepHeatmap chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        int rows = chart.YValues.Length, columns = chart.XValues.Length;
        if (rows == 0 || columns == 0)
            throw new ArgumentException($"The sweep grid of '{chart.Title}' is empty.");
        if (chart.Values.GetLength(0) != rows || chart.Values.GetLength(1) != columns)
            throw new ArgumentException(
                $"The sweep values are {chart.Values.GetLength(0)}×{chart.Values.GetLength(1)} but the grid is {rows} {chart.Y.Name} × {columns} {chart.X.Name} values.");
        CheckGlyphs([chart.Title, chart.X.Label, chart.Y.Label, chart.Metric.Label]);

        using var plot = NewPlot();
        var heatmap = plot.Add.Heatmap(chart.Values);
        var colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Colormap = colormap;
        heatmap.FlipVertically = true;  // row 0 (the first y value) at the bottom, as on a y axis
        // Without an extent, cell (i, j) is a unit square centred on (j, i): the ticks go there.
        heatmap.NaNCellColor = Colors.LightGray;

        (double low, double high) = Span(chart.Values.Cast<double>());
        int decimals = NumberFormat.DecimalsFor(Math.Max(Math.Abs(low), Math.Abs(high)));
        float s = _options.FontScale;
        // Shrink the cell text on big grids so it stays inside its cell.
        float cellWidth = _options.Width * 0.75f / columns, cellHeight = _options.Height * 0.7f / rows;
        float cellText = MathF.Min(CellTextSize * s, MathF.Min(cellHeight * 0.4f, cellWidth / 5f));
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double value = chart.Values[i, j];
                var text = plot.Add.Text(NumberFormat.Fixed(value, decimals), j, i);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontName = FontFamily;
                text.LabelFontSize = cellText;
                text.LabelBold = true;
                Color cell = double.IsNaN(value) ? heatmap.NaNCellColor
                    : colormap.GetColor(high > low ? (value - low) / (high - low) : 0.5);
                text.LabelFontColor = PerceivedBrightness(cell) > 0.5 ? Colors.Black : Colors.White;
            }
        }

        Style(plot, chart.Title, chart.X, chart.Y);
        plot.Axes.Bottom.TickGenerator = CategoryTicks(chart.XValues, chart.X.Percent);
        plot.Axes.Left.TickGenerator = CategoryTicks(chart.YValues, chart.Y.Percent);
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.HideGrid();

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = chart.Metric.Label;
        colorBar.LabelStyle.FontName = FontFamily;
        colorBar.LabelStyle.FontSize = AxisLabelSize * s;
        colorBar.Axis.TickLabelStyle.FontName = FontFamily;
        colorBar.Axis.TickLabelStyle.FontSize = TickSize * s;
        var barTicks = ColorBarTicks(low, high);
        colorBar.Axis.TickGenerator = new NumericManual([.. barTicks.Select(t => t.Position)], [.. barTicks.Select(t => t.Label)]);
        colorBar.Width = 40;
        // ScottPlot draws the colour bar's label flush with the image edge: leave a margin on the right.
        float margin = 24 * s;
        RenderOnCanvas(png, canvas => plot.Render(canvas, new PixelRect(0, _options.Width - margin, _options.Height, 0)));
    }

    private void Render(LoopScoreChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Loops, "loops");
        CheckGlyphs([chart.Title, chart.Time.Label, .. chart.Loops.Select(l => l.Label)]);

        using var plot = NewPlot();
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black.WithAlpha(0.6);
        zero.LineWidth = 2;
        if (chart.Stacked)
            AddStackedScores(plot, chart);
        else
        {
            var used = new HashSet<Color>();
            foreach (Series loop in chart.Loops)
                AddLine(plot, loop.X, loop.Y, _options.Series.ColorOf(loop.Label), loop.Label, used);
        }
        Style(plot, chart.Title, chart.Time, new Quantity("Relative loop score", "−1 balancing … +1 reinforcing"));
        plot.Axes.SetLimitsY(-1.05, 1.05);
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void Render(LineChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Series, "series");
        CheckGlyphs([chart.Title, chart.X.Label, chart.Y.Label, .. chart.Series.Select(s => s.Label)]);

        using var plot = NewPlot();
        var used = new HashSet<Color>();
        foreach (Series series in chart.Series)
            AddLine(plot, series.X, series.Y, _options.Series.ColorOf(series.Label), series.Label, used);
        Style(plot, chart.Title, chart.X, chart.Y);
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void AddStackedScores(Plot plot, LoopScoreChart chart)
    {
        double[] x = chart.Loops[0].X;
        foreach (Series loop in chart.Loops)
        {
            if (!loop.X.AsSpan().SequenceEqual(x))
                throw new ArgumentException($"Loop '{loop.Label}' has other times than '{chart.Loops[0].Label}'; stacked scores must share them.");
        }
        // Reinforcing (positive) scores stack up from zero, balancing (negative) ones down, so the
        // height above and below the axis shows how the change splits between them.
        double[] up = new double[x.Length], down = new double[x.Length];
        foreach (Series loop in chart.Loops)
        {
            double[] newUp = new double[x.Length], newDown = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                newUp[i] = up[i] + Math.Max(loop.Y[i], 0);
                newDown[i] = down[i] + Math.Min(loop.Y[i], 0);
            }
            Color color = _options.Series.ColorOf(loop.Label).WithAlpha(0.9);
            AddArea(plot, x, up, newUp, color);
            AddArea(plot, x, newDown, down, color);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = loop.Label, FillColor = color });
            up = newUp;
            down = newDown;
        }
    }

    private static void AddFan(Plot plot, Band band, Color color, bool withLegend)
    {
        AddArea(plot, band.Time, band.P5, band.P95, color.WithAlpha(0.2));
        AddArea(plot, band.Time, band.P25, band.P75, color.WithAlpha(0.45));
        var median = plot.Add.ScatterLine(band.Time, band.P50, color);
        median.LineWidth = 4;
        if (withLegend)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Median", LineColor = color, LineWidth = 4 });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "25–75% of runs", FillColor = color.WithAlpha(0.45) });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "5–95% of runs", FillColor = color.WithAlpha(0.2) });
        }
    }

    /// <summary>
    /// A filled area between <paramref name="low"/> and <paramref name="high"/>. ScottPlot's FillY
    /// draws nothing when any point is NaN, so each run of finite points gets its own area and
    /// a missing value leaves a gap, as it does in a line.
    /// </summary>
    private static void AddArea(Plot plot, double[] x, double[] low, double[] high, Color color)
    {
        int start = -1;
        for (int i = 0; i <= x.Length; i++)
        {
            bool finite = i < x.Length && double.IsFinite(x[i]) && double.IsFinite(low[i]) && double.IsFinite(high[i]);
            if (finite && start < 0)
                start = i;
            else if (!finite && start >= 0)
            {
                var area = plot.Add.FillY(x[start..i], low[start..i], high[start..i]);
                area.FillColor = color;
                area.LineWidth = 0;
                start = -1;
            }
        }
    }

    /// <summary>A thick line; dashed when its colour is already taken in this chart (more series than palette colours).</summary>
    private static void AddLine(Plot plot, double[] x, double[] y, Color color, string label, HashSet<Color> used)
    {
        var line = plot.Add.ScatterLine(x, y, color);
        line.LineWidth = 4;
        line.LegendText = label;
        if (!used.Add(color))
            line.LinePattern = LinePattern.Dashed;
    }

    /// <summary>
    /// A plot that draws in one pass on the page as it is. ScottPlot renders again whenever a render's axis limits differ
    /// from the previous render's, and a new plot has no previous render, so every chart was drawn twice, the same picture
    /// both times (the second pass is for a window whose event handlers move the axes; a file has none). And it clears the
    /// whole canvas to transparent before drawing its figure: on the white page that left black wherever the figure does
    /// not reach (the heatmap's margin, right of its colour bar).
    /// </summary>
    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.RenderManager.RenderFinished += (_, _) => plot.RenderManager.EnableRendering = false;
        plot.RenderManager.ClearCanvasBeforeEachRender = false;
        return plot;
    }

    private void Style(Plot plot, string title, Quantity x, Quantity y, float scale = 1)
    {
        float s = _options.FontScale * scale;
        plot.Title(title);
        plot.XLabel(x.Label);
        plot.YLabel(y.Label);
        plot.Axes.Title.Label.FontName = FontFamily;
        plot.Axes.Title.Label.FontSize = TitleSize * s;
        plot.Axes.Title.Label.Bold = true;
        foreach (IAxis axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = FontFamily;
            axis.Label.FontSize = AxisLabelSize * s;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontName = FontFamily;
            axis.TickLabelStyle.FontSize = TickSize * s;
        }
        plot.Axes.Bottom.TickGenerator = ReadableTicks(x.Percent);
        plot.Axes.Left.TickGenerator = ReadableTicks(y.Percent);
        plot.Axes.Margins(horizontal: 0, vertical: 0.05);
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.1);
        plot.Legend.FontName = FontFamily;
        plot.Legend.FontSize = LegendSize * s;
    }

    private static void ShowLegendOutside(Plot plot)
    {
        plot.ShowLegend(Edge.Right);
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;
    }

    // Fewer ticks than ScottPlot's default: a slide is read from a distance, not measured.
    private static NumericAutomatic ReadableTicks(bool percent = false) =>
        new() { LabelFormatter = percent ? NumberFormat.Percent : NumberFormat.Tick, TickDensity = 0.5 };

    private static NumericManual CategoryTicks(double[] values, bool percent)
    {
        var ticks = new NumericManual();
        for (int i = 0; i < values.Length; i++)
            ticks.AddMajor(i, percent ? NumberFormat.Percent(values[i]) : NumberFormat.Tick(values[i]));
        return ticks;
    }

    /// <summary>
    /// Four to eight round ticks (1, 2 or 5 × 10ⁿ apart) across low..high, all with the step's decimals. ScottPlot sizes the colour
    /// bar from ticks made for a guessed height and draws its label beyond them; ticks that do not depend on the height (and
    /// labels of one width) keep the label clear of them, where automatic ones ("0.01" measured, "0.025" drawn) ran into it.
    /// </summary>
    internal static List<(double Position, string Label)> ColorBarTicks(double low, double high)
    {
        if (!(high > low))
            return [(low, NumberFormat.Readable(low))];
        double rough = (high - low) / 8, power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * power).First(candidate => candidate >= rough);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        var ticks = new List<(double, string)>();
        for (long i = (long)Math.Ceiling(low / step - 1e-9); i * step <= high + step * 1e-9; i++)
            ticks.Add((i * step, NumberFormat.Fixed(i * step, decimals)));
        return ticks;
    }

    /// <summary>A tick at each of a sweep's values, at log10 of it on a logarithmic axis, labelled with the value.</summary>
    private static NumericManual PointTicks(double[] values, bool log, bool percent)
    {
        var ticks = new NumericManual();
        foreach (double value in values)
            ticks.AddMajor(log ? Math.Log10(value) : value, percent ? NumberFormat.Percent(value) : NumberFormat.Tick(value));
        return ticks;
    }

    private void Png(Plot plot, Stream png) => RenderOnCanvas(png, canvas => plot.Render(canvas, new PixelRect(0, _options.Width, _options.Height, 0)));

    /// <summary>Draws a title and subtitle across the top, then the body below them.</summary>
    private void RenderWithHeader(Stream png, string title, string subtitle, Action<SKCanvas, PixelRect> body)
    {
        float s = _options.FontScale;
        using SKTypeface bold = SKTypeface.FromFamilyName(FontFamily, SKFontStyle.Bold);
        using SKTypeface regular = SKTypeface.FromFamilyName(FontFamily);
        using var titleFont = new SKFont(bold, TitleSize * s);
        using var subtitleFont = new SKFont(regular, SubtitleSize * s);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grayInk = new SKPaint { Color = new SKColor(80, 80, 80), IsAntialias = true };
        float titleBaseline = 12 * s + TitleSize * s;
        float subtitleBaseline = titleBaseline + 10 * s + SubtitleSize * s;
        float top = subtitleBaseline + 16 * s;
        RenderOnCanvas(png, canvas =>
        {
            body(canvas, new PixelRect(0, _options.Width, _options.Height, top));
            canvas.DrawText(title, _options.Width / 2f, titleBaseline, SKTextAlign.Center, titleFont, ink);
            canvas.DrawText(subtitle, _options.Width / 2f, subtitleBaseline, SKTextAlign.Center, subtitleFont, grayInk);
        });
    }

    /// <summary>Draws on a white opaque canvas of the chart size and writes it to <paramref name="png"/> as an RGB PNG.</summary>
    private void RenderOnCanvas(Stream png, Action<SKCanvas> draw)
    {
        var info = new SKImageInfo(_options.Width, _options.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(info);
        surface.Canvas.Clear(SKColors.White);
        draw(surface.Canvas);
        using SKPixmap pixels = surface.PeekPixels();
        PngEncoder.Encode(pixels.GetPixelSpan(), pixels.Width, pixels.Height, pixels.RowBytes, png);
    }

    private void CheckGlyphs(IEnumerable<string> texts)
    {
        if (_warn is null || Volatile.Read(ref _warned) != 0)
            return;
        string missing = ChartFonts.MissingGlyphs(FontFamily, string.Concat(texts));
        if (missing.Length == 0 || Interlocked.Exchange(ref _warned, 1) != 0)
            return;
        _warn(
            $"Chart labels contain characters the font \"{FontFamily}\" has no glyphs for ({missing}); they are drawn as boxes. " +
            $"Install a CJK font to fix it, e.g. apt-get install fonts-wqy-microhei (\"{ChartFonts.CjkFamily}\").");
    }

    private static void RequireSome<T>(IReadOnlyList<T> items, string what)
    {
        ArgumentNullException.ThrowIfNull(items, what);
        if (items.Count == 0)
            throw new ArgumentException($"A chart needs at least one of its {what}.", what);
    }

    /// <summary>How bright a colour looks (Rec. 709 weights): ScottPlot's Luminance is HSL lightness, which calls viridis' yellows dark.</summary>
    internal static double PerceivedBrightness(Color c) => (0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B) / 255;

    private static (double Low, double High) Span(IEnumerable<double> values)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v)) { low = Math.Min(low, v); high = Math.Max(high, v); }
        }
        return low > high ? (0, 1) : (low, high);
    }

    private static double MaxOrOne(double[] values)
    {
        double max = values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return max > 0 ? max : 1;
    }
}
