using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Reports.Tests;

/// <summary>Plausible chart inputs: logistic growth with a spread that widens over time.</summary>
internal static class SampleData
{
    public static readonly Quantity Weeks = new("Time", "weeks");

    public static double[] Time(int weeks = 156) => Enumerable.Range(0, weeks + 1).Select(t => (double)t).ToArray();

    public static Band Logistic(double capacity, double rate = 0.08, double midpoint = 60, int weeks = 156)
    {
        double[] time = Time(weeks);
        double[] Quantile(double z) => time
            .Select(t => capacity * (1 + z * 0.25 * t / weeks) / (1 + Math.Exp(-rate * (t - midpoint))))
            .ToArray();
        return new Band(time, Mean: Quantile(0.05), P5: Quantile(-1.645), P25: Quantile(-0.674), P50: Quantile(0),
            P75: Quantile(0.674), P95: Quantile(1.645));
    }

    public static Series[] Members(int weeks = 156)
    {
        double[] time = Time(weeks);
        Series Layer(string name, Func<double, double> f) => new(name, time, time.Select(f).ToArray());
        return
        [
            Layer("Active", t => 400 / (1 + Math.Exp(-0.07 * (t - 50)))),
            Layer("Lurkers", t => 30 + 2.2 * t),
            Layer("Spammers", t => 5 + 25 * Math.Sin(t / 30.0) * Math.Sin(t / 30.0)),
            Layer("Newcomers", t => 20 + 15 * Math.Exp(-t / 40.0)),
        ];
    }

    public static Series[] LoopScores(int weeks = 156)
    {
        // Relative scores whose absolute values sum to one: word of mouth dominates early, capacity late.
        double[] time = Time(weeks);
        double[] r1 = new double[time.Length], r4 = new double[time.Length], b2 = new double[time.Length], b3 = new double[time.Length];
        for (int i = 0; i < time.Length; i++)
        {
            double late = 1 / (1 + Math.Exp(-(time[i] - 70) / 12));
            double[] raw = [0.5 * (1 - late) + 0.1, 0.4 * (1 - late) + 0.05, 0.7 * late + 0.05, 0.25 * late + 0.05];
            double sum = raw.Sum();
            r1[i] = raw[0] / sum; r4[i] = raw[1] / sum; b2[i] = -raw[2] / sum; b3[i] = -raw[3] / sum;
        }
        return [new("R1 commissions", time, r1), new("R4 word of mouth", time, r4), new("B2 capacity", time, b2), new("B3 forgetting", time, b3)];
    }
}
