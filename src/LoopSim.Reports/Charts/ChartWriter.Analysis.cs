using ScottPlot;
using ScottPlot.TickGenerators;

namespace LoopSim.Reports;

/// <summary>The analyses' charts: Sobol' indices, tornado, Morris μ*–σ, PRIM peeling trajectory, fit against data.</summary>
public sealed partial class ChartWriter
{
    public void Save(string path, SobolIndexChart chart, CancellationToken cancellationToken = default) => AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, TornadoChart chart, CancellationToken cancellationToken = default) => AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, EffectsChart chart, CancellationToken cancellationToken = default) => AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, PeelingChart chart, CancellationToken cancellationToken = default) => AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    public void Save(string path, FitChart chart, CancellationToken cancellationToken = default) => AtomicFile.Write(path, png => Render(chart, png), cancellationToken);

    private static readonly Color FirstColor = Color.FromHex("#1f77b4"), TotalColor = Color.FromHex("#ff7f0e");

    private void Render(SobolIndexChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Parameters, "parameters");
        CheckGlyphs([chart.Title, chart.Subtitle, .. chart.Parameters.Select(p => p.Parameter)]);
        // The most important parameter at the top: positions count down from the number of parameters.
        var ordered = chart.Parameters.OrderByDescending(p => double.IsFinite(p.Total.Value) ? p.Total.Value : double.NegativeInfinity).ToList();
        using var plot = NewPlot();
        var bars = new List<Bar>();
        for (int i = 0; i < ordered.Count; i++)
        {
            double y = ordered.Count - 1 - i;
            bars.Add(new Bar { Position = y + 0.2, Value = Finite(ordered[i].First.Value), FillColor = FirstColor, Size = 0.38, LineWidth = 0 });
            bars.Add(new Bar { Position = y - 0.2, Value = Finite(ordered[i].Total.Value), FillColor = TotalColor, Size = 0.38, LineWidth = 0 });
            AddInterval(plot, y + 0.2, ordered[i].First);
            AddInterval(plot, y - 0.2, ordered[i].Total);
        }
        plot.Add.Bars(bars).Horizontal = true;
        Style(plot, chart.Title, new Quantity("Sobol' index (share of the output's variance)"), new Quantity(""));
        plot.Axes.Left.TickGenerator = Categories(ordered.Select(p => p.Parameter).Reverse().ToList());
        plot.Axes.Margins(horizontal: 0.05, vertical: 0.05);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "first order S1", FillColor = FirstColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "total ST", FillColor = TotalColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = chart.Subtitle, LineColor = Colors.Black, LineWidth = 2 });
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    /// <summary>A horizontal interval line with end caps at height <paramref name="y"/>.</summary>
    private static void AddInterval(Plot plot, double y, Interval interval)
    {
        if (!double.IsFinite(interval.Low) || !double.IsFinite(interval.High)) return;
        foreach (var (x1, y1, x2, y2) in new[] { (interval.Low, y, interval.High, y), (interval.Low, y - 0.08, interval.Low, y + 0.08), (interval.High, y - 0.08, interval.High, y + 0.08) })
        {
            var line = plot.Add.Line(x1, y1, x2, y2);
            line.LineWidth = 2;
            line.LineColor = Colors.Black;
        }
    }

    private void Render(TornadoChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Bars, "bars");
        CheckGlyphs([chart.Title, chart.Metric.Label, .. chart.Bars.Select(b => b.Parameter)]);
        var ordered = chart.Bars.OrderBy(b => Math.Abs(b.AtHigh - b.AtLow)).ToList();   // widest last, drawn at the top
        using var plot = NewPlot();
        var bars = new List<Bar>();
        var labels = new List<string>();
        for (int i = 0; i < ordered.Count; i++)
        {
            var b = ordered[i];
            bars.Add(new Bar { Position = i, ValueBase = chart.Base, Value = Finite(b.AtLow), FillColor = FirstColor, Size = 0.7, LineWidth = 0 });
            bars.Add(new Bar { Position = i, ValueBase = chart.Base, Value = Finite(b.AtHigh), FillColor = TotalColor, Size = 0.7, LineWidth = 0 });
            labels.Add($"{b.Parameter} ({b.LowLabel} – {b.HighLabel})");
        }
        plot.Add.Bars(bars).Horizontal = true;
        var baseLine = plot.Add.VerticalLine(chart.Base);
        baseLine.LineColor = Colors.Black;
        baseLine.LineWidth = 2;
        Style(plot, chart.Title, chart.Metric, new Quantity(""));
        plot.Axes.Left.TickGenerator = Categories(labels);
        plot.Axes.Margins(horizontal: 0.05, vertical: 0.05);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "parameter at its 5th percentile", FillColor = FirstColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "parameter at its 95th percentile", FillColor = TotalColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"all at their medians: {NumberFormat.Tick(chart.Base)}", LineColor = Colors.Black, LineWidth = 2 });
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void Render(EffectsChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Points, "points");
        CheckGlyphs([chart.Title, chart.X.Label, chart.Y.Label, .. chart.Points.Select(p => p.Label)]);
        using var plot = NewPlot();
        var finite = chart.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderByDescending(p => p.X).ToList();
        double right = Math.Max(finite.Select(p => p.X).DefaultIfEmpty(1).Max(), 1e-12) * 1.25;
        double top = Math.Max(finite.Select(p => p.Y).DefaultIfEmpty(1).Max(), 1e-12) * 1.2;
        double reach = Math.Min(right, top);
        var guide = plot.Add.Line(0, 0, reach, reach);
        guide.LineColor = Colors.Gray;
        guide.LinePattern = LinePattern.Dashed;
        guide.LineWidth = 2;
        guide.LegendText = "σ = μ*";
        // Every parameter in the legend in its colour; only the five largest effects labelled on the chart, where labels
        // of the small ones near the origin would overlap.
        var uses = new Dictionary<Color, int>();
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];
        for (int i = 0; i < finite.Count; i++)
        {
            var point = finite[i];
            var color = _options.Series.ColorOf(point.Label);
            int use = uses[color] = uses.GetValueOrDefault(color) + 1;   // a colour used again gets another shape
            var marker = plot.Add.Marker(point.X, point.Y, shapes[(use - 1) % shapes.Length], 18, color);
            marker.LegendText = point.Label;
            if (i >= 5) continue;
            var text = plot.Add.Text(point.Label, point.X, point.Y);
            text.LabelFontName = FontFamily;
            text.LabelFontSize = TickSize * _options.FontScale;
            text.LabelFontColor = Colors.Black;
            text.LabelAlignment = Alignment.LowerLeft;
            text.OffsetX = 10;
            text.OffsetY = -6;
        }
        Style(plot, chart.Title, chart.X, chart.Y);
        plot.Axes.SetLimits(0, right, 0, top);
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void Render(PeelingChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        RequireSome(chart.Steps, "steps");
        CheckGlyphs([chart.Title, chart.Condition]);
        using var plot = NewPlot();
        // More restricted parameters, further along viridis: the colour reads as "how complex the box is".
        var colormap = new ScottPlot.Colormaps.Viridis();
        int most = Math.Max(1, chart.Steps.Max(s => s.Restricted));
        foreach (var group in chart.Steps.GroupBy(s => s.Restricted).OrderBy(g => g.Key))
        {
            var label = group.Key == 1 ? "1 parameter restricted" : $"{group.Key} parameters restricted";
            var markers = plot.Add.Markers(group.Select(s => s.Coverage).ToArray(), group.Select(s => s.Density).ToArray(),
                MarkerShape.FilledCircle, 14, colormap.GetColor(0.9 * group.Key / most));
            markers.LegendText = label;
        }
        if (chart.Chosen >= 0 && chart.Chosen < chart.Steps.Count)
        {
            var chosen = chart.Steps[chart.Chosen];
            var ring = plot.Add.Marker(chosen.Coverage, chosen.Density, MarkerShape.OpenCircle, 40, Colors.Black);
            ring.LegendText = "chosen box";
            ring.MarkerLineWidth = 3;
        }
        Style(plot, chart.Title, new Quantity("coverage (share of the cases of interest inside the box)"), new Quantity("density (share of the box that is of interest)"));
        plot.Axes.SetLimits(0, 1.02, 0, 1.02);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "of interest: " + chart.Condition });
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private void Render(FitChart chart, Stream png)
    {
        ArgumentNullException.ThrowIfNull(chart);
        CheckGlyphs([chart.Title, chart.Time.Label, chart.Value.Label, chart.Fitted.Label, chart.Observed.Label]);
        using var plot = NewPlot();
        var color = _options.Series.ColorOf(chart.Fitted.Label);
        if (chart.Band is { } band)
        {
            AddArea(plot, band.Time, band.P5, band.P95, color.WithAlpha(0.2));
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "5–95% of the posterior", FillColor = color.WithAlpha(0.2) });
        }
        var line = plot.Add.ScatterLine(chart.Fitted.X, chart.Fitted.Y, color);
        line.LineWidth = 4;
        line.LegendText = chart.Fitted.Label;
        var observed = Enumerable.Range(0, chart.Observed.X.Length).Where(i => double.IsFinite(chart.Observed.Y[i])).ToArray();
        var points = plot.Add.Markers(observed.Select(i => chart.Observed.X[i]).ToArray(), observed.Select(i => chart.Observed.Y[i]).ToArray(),
            MarkerShape.FilledCircle, 14, Colors.Black);
        points.LegendText = chart.Observed.Label;
        Style(plot, chart.Title, chart.Time, chart.Value);
        ShowLegendOutside(plot);
        Png(plot, png);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    /// <summary>Category labels at 0, 1, 2, … (first label at 0, the bottom of a vertical axis).</summary>
    private static NumericManual Categories(IReadOnlyList<string> labels)
    {
        var ticks = new NumericManual();
        for (int i = 0; i < labels.Count; i++) ticks.AddMajor(i, labels[i]);
        return ticks;
    }
}
