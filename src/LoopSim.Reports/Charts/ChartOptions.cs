namespace LoopSim.Reports;

/// <summary>How charts look. The defaults are made for slides.</summary>
public sealed record ChartOptions
{
    public int Width { get; init; } = 1600;

    public int Height { get; init; } = 900;

    /// <summary>The font family of every label; null picks the first installed of <see cref="ChartFonts.Preferred"/>.</summary>
    public string? FontFamily { get; init; }

    /// <summary>Multiplies every font size (1 suits 1600×900 on a projector).</summary>
    public float FontScale { get; init; } = 1;

    /// <summary>Colours of cities (fan charts, small multiples).</summary>
    public ChartPalette Cities { get; init; } = new();

    /// <summary>Colours of scenarios (scenario comparison).</summary>
    public ChartPalette Scenarios { get; init; } = new();

    /// <summary>Colours of other named series: composition layers, loops, line-chart series.</summary>
    public ChartPalette Series { get; init; } = new();
}
