using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Reports;

// The charts LoopSim draws, as plain data. ChartWriter.Save(path, chart) renders each to a PNG.

/// <summary>One variable in one city: median line, 25–75% and 5–95% bands, in the city's colour.</summary>
public sealed record FanChart(string Title, string City, Quantity Time, Quantity Value, Band Band);

/// <summary>
/// One variable across cities: a grid of fan charts on one image, one panel per city. The bands' x values are times, or
/// the values of a swept parameter (<paramref name="Time"/> names them).
/// </summary>
/// <param name="SharedYAxis">Same y range in every panel, so cities compare at a glance.</param>
/// <param name="SweptX">
/// The x values are a swept parameter's: a dot at each, ticks at each, and a logarithmic axis when they span a factor of 8
/// or more (group sizes 50, 100, 200, 400, 800 equally spaced).
/// </param>
public sealed record SmallMultiplesChart(string Title, Quantity Time, Quantity Value, IReadOnlyList<NamedBand> Cities, bool SharedYAxis = true, bool SweptX = false);

/// <summary>Stacked areas of the parts of a whole over time (Active, Lurkers, Spammers, Newcomers), bottom layer first; all layers share the x values.</summary>
public sealed record CompositionChart(string Title, Quantity Time, Quantity Value, IReadOnlyList<Series> Layers);

/// <summary>The median of each scenario on one chart, with its 25–75% band when <paramref name="ShowBands"/>.</summary>
public sealed record ScenarioComparisonChart(string Title, Quantity Time, Quantity Value, IReadOnlyList<NamedBand> Scenarios, bool ShowBands = true);

/// <summary>
/// A metric over a grid of two swept parameters, with a colour bar and the value printed in each cell.
/// <paramref name="Values"/>[i, j] is the metric at <paramref name="YValues"/>[i] and <paramref name="XValues"/>[j]; NaN marks a missing point.
/// </summary>
public sealed record SweepHeatmap(string Title, Quantity X, double[] XValues, Quantity Y, double[] YValues, Quantity Metric, double[,] Values);

/// <summary>
/// Relative loop scores (−1..1; positive reinforcing, negative balancing) of each loop over time.
/// Lines, or when <paramref name="Stacked"/> areas stacked up from zero for positive scores and down for negative ones.
/// </summary>
public sealed record LoopScoreChart(string Title, Quantity Time, IReadOnlyList<Series> Loops, bool Stacked = false);

/// <summary>Several series as lines, coloured by label.</summary>
public sealed record LineChart(string Title, Quantity X, Quantity Y, IReadOnlyList<Series> Series);
