namespace LoopSim.Experiments.MonteCarlo;

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
