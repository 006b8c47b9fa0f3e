namespace LoopSim.Reports;

/// <summary>
/// The distribution of one variable over time across Monte Carlo runs: mean and the 5th, 25th,
/// 50th, 75th and 95th percentiles at each saved time. All arrays have the same length.
/// </summary>
public sealed record Band
{
    public Band(double[] Time, double[] Mean, double[] P5, double[] P25, double[] P50, double[] P75, double[] P95)
    {
        ArgumentNullException.ThrowIfNull(Time);
        foreach ((string name, double[] values) in new[] { ("Mean", Mean), ("P5", P5), ("P25", P25), ("P50", P50), ("P75", P75), ("P95", P95) })
        {
            ArgumentNullException.ThrowIfNull(values, name);
            if (values.Length != Time.Length)
                throw new ArgumentException($"Band.{name} has {values.Length} values for {Time.Length} times.", name);
        }
        this.Time = Time;
        this.Mean = Mean;
        this.P5 = P5;
        this.P25 = P25;
        this.P50 = P50;
        this.P75 = P75;
        this.P95 = P95;
    }

    public double[] Time { get; }
    public double[] Mean { get; }
    public double[] P5 { get; }
    public double[] P25 { get; }
    public double[] P50 { get; }
    public double[] P75 { get; }
    public double[] P95 { get; }
}

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

/// <summary>A quantity shown on an axis, labelled "Name (Unit)".</summary>
public sealed record Quantity(string Name, string? Unit = null)
{
    public string Label => string.IsNullOrWhiteSpace(Unit) ? Name : $"{Name} ({Unit})";

    public override string ToString() => Label;
}
