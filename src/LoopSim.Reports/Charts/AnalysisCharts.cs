using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Reports;

// The charts of the analyses (sensitivity, discovery, calibration), as plain data. ChartWriter.Save(path, chart) renders each.

/// <summary>A value with an interval (e.g. a Sobol' index and its bootstrap interval).</summary>
public readonly record struct Interval(double Value, double Low, double High);

/// <summary>One parameter's first-order and total Sobol' indices.</summary>
public sealed record IndexBar(string Parameter, Interval First, Interval Total);

/// <summary>First-order and total indices per parameter as horizontal bars with their intervals, the most important at the top.</summary>
public sealed record SobolIndexChart(string Title, string Subtitle, IReadOnlyList<IndexBar> Parameters);

/// <summary>One parameter's one-at-a-time swing: the metric with the parameter at its low and its high value.</summary>
public sealed record TornadoBar(string Parameter, string LowLabel, string HighLabel, double AtLow, double AtHigh);

/// <summary>A tornado chart: per parameter a bar from the base value to the metric at its low and at its high value, widest at the top.</summary>
public sealed record TornadoChart(string Title, Quantity Metric, double Base, IReadOnlyList<TornadoBar> Bars);

/// <summary>A labelled point.</summary>
public sealed record LabelledPoint(string Label, double X, double Y);

/// <summary>Morris's μ*–σ plane: one labelled point per parameter, with the line σ = μ* as a guide.</summary>
public sealed record EffectsChart(string Title, Quantity X, Quantity Y, IReadOnlyList<LabelledPoint> Points);

/// <summary>One box of a PRIM peeling trajectory: its coverage and density, and how many parameters it restricts.</summary>
public sealed record PeelingStep(double Coverage, double Density, int Restricted);

/// <summary>A PRIM peeling trajectory (coverage across, density up; colour: number of restricted parameters), the chosen box ringed; <paramref name="Condition"/> says which cases are of interest.</summary>
public sealed record PeelingChart(string Title, string Condition, IReadOnlyList<PeelingStep> Steps, int Chosen);

/// <summary>A model's fitted series against observed points, with an optional band (e.g. the posterior's 5–95%).</summary>
public sealed record FitChart(string Title, Quantity Time, Quantity Value, Series Fitted, Series Observed, Band? Band = null);
