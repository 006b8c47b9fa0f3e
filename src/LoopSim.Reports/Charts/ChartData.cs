using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Reports;

/// <summary>A band with the name it is shown and coloured by: a city or a scenario.</summary>
public sealed record NamedBand(string Name, Band Band);

/// <summary>A named line: <paramref name="X"/> and <paramref name="Y"/> have the same length.</summary>
public sealed record Series
{
    public Series(string Label, double[] X, double[] Y)
    {
        ArgumentNullException.ThrowIfNull(Label);
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        if (X.Length != Y.Length)
            throw new ArgumentException($"Series '{Label}' has {X.Length} x values and {Y.Length} y values.");
        this.Label = Label;
        this.X = X;
        this.Y = Y;
    }

    public string Label { get; }
    public double[] X { get; }
    public double[] Y { get; }
}

/// <summary>A quantity shown on an axis, labelled "Name (Unit)"; a <paramref name="Percent"/> one is a share whose ticks read 5%, not 0.05.</summary>
public sealed record Quantity(string Name, string? Unit = null, bool Percent = false)
{
    public string Label => string.IsNullOrWhiteSpace(Unit) ? Name : $"{Name} ({Unit})";

    public override string ToString() => Label;
}
